package io.bpfwasm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfwasm.runtime.NativeBuild;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code bpfwasm run --allow-type/--allow-target}: the policy is printed, enforced, and malformed flags are usage. */
class AttachCommandIT {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    int bpfwasm(String... args) {
        return BpfwasmCommand.commandLine(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).execute(args);
    }

    String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aDeniedAttachIsPrintedWithThePolicyAndEndsWithExitCode69() {
        String module = NativeBuild.example("xdpcount").toString();
        assertThat(bpfwasm("run", module, "--allow-type", "tracepoint,uprobe", "--allow-target", "interface:veth*",
                "--", "lo")).isEqualTo(ExitCodes.BPF_ERROR);
        assertThat(err()).startsWith("bpfwasm: attach policy: types=tracepoint,uprobe; targets=interface:veth*\n")
                .contains("xdpcount: attach count_packets to lo: Operation not permitted")
                .contains("bpfwasm: xdpcount: wasm_attach_bpf_program failed: program count_packets: attach denied by"
                        + " the policy: program type xdp is not allowed (allowed: tracepoint,uprobe)");
    }

    @Test
    void aMalformedPatternIsAUsageError() {
        String module = NativeBuild.example("xdpcount").toString();
        assertThat(bpfwasm("run", module, "--allow-target", "veth*", "--", "lo")).isEqualTo(ExitCodes.USAGE);
        assertThat(err()).isEqualTo("bpfwasm: attach target pattern \"veth*\": expected interface:<glob>, "
                + "cgroup:<glob> or binary:<glob>\n");
    }
}
