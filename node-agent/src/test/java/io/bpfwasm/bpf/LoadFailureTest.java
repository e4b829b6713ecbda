package io.bpfwasm.bpf;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Messages for failed loads, from log lines in the shape libbpf 1.1 prints them. */
class LoadFailureTest {
    private static final List<LoadFailure.ProgramInfo> PROGRAMS = List.of(
            new LoadFailure.ProgramInfo("first", "tracepoint/a/b", "tracepoint"),
            new LoadFailure.ProgramInfo("bad", "tracepoint/c/d", "tracepoint"));

    private static final List<String> VERIFIER_FAILURE = List.of(
            "libbpf: loading object 'x' from buffer",
            "libbpf: prog 'bad': BPF program load failed: Permission denied",
            "libbpf: prog 'bad': -- BEGIN PROG LOAD LOG --",
            "0: R1=ctx() R10=fp0",
            "; return (int)v[1];",
            "5: (79) r0 = *(u64 *)(r0 +8)",
            "invalid access to map value, value_size=8 off=8 size=8",
            "R0 min value is outside of the allowed memory range",
            "processed 7 insns (limit 1000000) max_states_per_insn 0 total_states 0 peak_states 0 mark_read 0",
            "-- END PROG LOAD LOG --",
            "libbpf: prog 'bad': failed to load: -13",
            "libbpf: failed to load object 'x'");

    @Test
    void verifierRejectionNamesTheProgramAndTheReason() {
        BpfException e = LoadFailure.describe("x", PROGRAMS, 13, "Permission denied", VERIFIER_FAILURE);
        assertThat(e).isInstanceOf(VerifierException.class);
        assertThat(e.errno()).isEqualTo(13);
        assertThat(e.getMessage()).isEqualTo("program bad (tracepoint/c/d): rejected by the verifier "
                + "(Permission denied): 5: (79) r0 = *(u64 *)(r0 +8); invalid access to map value, value_size=8 "
                + "off=8 size=8; R0 min value is outside of the allowed memory range");
        assertThat(((VerifierException) e).verifierLog()).hasSize(6)
                .startsWith("0: R1=ctx() R10=fp0").endsWith(VERIFIER_FAILURE.get(8));
    }

    @Test
    void refusedProgramTypeWithoutLogNamesTheType() {
        List<String> log = List.of(
                "libbpf: prog 'bad': BPF program load failed: Operation not permitted",
                "libbpf: prog 'bad': failed to load: -1");
        BpfException e = LoadFailure.describe("x", PROGRAMS, 1, "Operation not permitted", log);
        assertThat(e).isExactlyInstanceOf(BpfException.class);
        assertThat(e.getMessage()).isEqualTo("program bad (tracepoint/c/d): the kernel refused to load this "
                + "program type (tracepoint): Operation not permitted");
    }

    @Test
    void otherProgramFailuresIncludeLibbpfsLastLines() {
        List<String> log = List.of("libbpf: prog 'first': failed to load: -22", "libbpf: failed to load object 'x'");
        BpfException e = LoadFailure.describe("x", PROGRAMS, 22, "Invalid argument", log);
        assertThat(e.getMessage()).startsWith("program first (tracepoint/a/b): load failed: Invalid argument "
                + "(errno 22); libbpf: ").contains("failed to load object 'x'");
    }

    @Test
    void failuresOutsideProgramsNameTheObject() {
        List<String> log = List.of("libbpf: map 'events': failed to create: Invalid argument(-22)");
        BpfException e = LoadFailure.describe("x", PROGRAMS, 22, "Invalid argument", log);
        assertThat(e.getMessage()).isEqualTo("object x: load failed: Invalid argument (errno 22); libbpf: "
                + "libbpf: map 'events': failed to create: Invalid argument(-22)");
    }

    @Test
    void verifierLogBelongsToTheFailedProgramOnly() {
        assertThat(LoadFailure.verifierLog("first", VERIFIER_FAILURE)).isEmpty();
        assertThat(LoadFailure.failedProgram(VERIFIER_FAILURE)).isEqualTo("bad");
        assertThat(LoadFailure.failedProgram(List.of("libbpf: nothing"))).isNull();
    }
}
