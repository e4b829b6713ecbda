package io.bpfwasm.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfwasm.runtime.wasibpf.AttachPolicy;
import io.bpfwasm.runtime.wasibpf.BpfFailure;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Attachments that must fail, run through ProgramHost against the real kernel: the capability policy's denials
 * (-EPERM to the guest, a log line saying why) and targets that do not exist (clear messages). The guests close
 * their object after a failed attach; the host must hold nothing afterwards.
 */
class AttachErrorsIT {

    /** One failed run: the guest's stderr, the bpf log and the result. */
    private record Failed(String stderr, List<String> bpfLog, ProgramResult result) {
        BpfFailure failure() {
            return result.lastBpfFailure();
        }
    }

    private static Failed runExpectingFailure(String example, AttachPolicy policy, String... args) throws Exception {
        var bpfLog = new CopyOnWriteArrayList<String>();
        var stderr = new ByteArrayOutputStream();
        var spec = ProgramSpec.builder(example)
                .wasm(NativeBuild.bytes(NativeBuild.example(example)))
                .args(List.of(args))
                .stderr(stderr)
                .bpfLog(bpfLog::add)
                .attachPolicy(policy)
                .build();
        ProgramResult result;
        try (var host = ProgramHost.start(spec)) {
            result = host.await(Duration.ofSeconds(30)).orElseThrow();
            assertThat(host.kernelIds()).as("the guest's object is closed").isEmpty();
        }
        String err = stderr.toString(StandardCharsets.UTF_8);
        assertThat(result.outcome()).as(err).isEqualTo(new ProgramOutcome.Exited(1));
        assertThat(result.lastBpfFailure()).as("the failed call is kept").isNotNull();
        assertThat(result.lastBpfFailure().operation()).isEqualTo("wasm_attach_bpf_program");
        return new Failed(err, bpfLog, result);
    }

    @Test
    void aTypeThePolicyDoesNotAllowGetsEpermAndALogLineSayingWhy() throws Exception {
        var policy = AttachPolicy.of(List.of("tracepoint", "uprobe"), List.of("interface:**"));
        var run = runExpectingFailure("xdpcount", policy, "lo");
        assertThat(run.stderr()).contains("xdpcount: attach count_packets to lo: Operation not permitted");
        assertThat(run.failure().linuxErrno()).isEqualTo(1);
        assertThat(run.bpfLog()).anySatisfy(l -> assertThat(l)
                .contains("program count_packets: attach denied by the policy: program type xdp is not allowed")
                .contains("allowed: tracepoint,uprobe"));
    }

    @Test
    void anInterfaceOutsideThePatternsGetsEperm() throws Exception {
        var policy = AttachPolicy.of(List.of("xdp"), List.of("interface:veth*", "cgroup:/sys/fs/cgroup/**"));
        var run = runExpectingFailure("xdpcount", policy, "lo");
        assertThat(run.stderr()).contains("Operation not permitted");
        assertThat(run.bpfLog()).anySatisfy(l -> assertThat(l)
                .contains("interface lo is not an allowed xdp target (allowed: interface:veth*,cgroup:/sys/fs/cgroup/**)"));
    }

    @Test
    void aCgroupOrBinaryOutsideThePatternsGetsEperm() throws Exception {
        var cgroupPolicy = AttachPolicy.of(List.of("*"), List.of("cgroup:/sys/fs/cgroup/unified/allowed/*"));
        var cgroup = runExpectingFailure("cgroupcount", cgroupPolicy, "/sys/fs/cgroup/unified/other");
        assertThat(cgroup.failure().message()).contains("cgroup /sys/fs/cgroup/unified/other is not an allowed "
                + "cgroup_skb target");

        // ".." cannot climb out of an allowed directory
        var climbing = runExpectingFailure("cgroupcount", cgroupPolicy, "/sys/fs/cgroup/unified/allowed/../other");
        assertThat(climbing.failure().message()).contains("cgroup /sys/fs/cgroup/unified/other is not an allowed");

        String binary = NativeBuild.dir().resolve("host/uprobe_target").toRealPath().toString();
        var binaryPolicy = AttachPolicy.of(List.of("uprobe", "uretprobe"), List.of("binary:/usr/bin/*"));
        var uprobe = runExpectingFailure("uprobe", binaryPolicy, binary + ":bpfwasm_target_add");
        assertThat(uprobe.stderr()).contains("Operation not permitted");
        assertThat(uprobe.failure().message()).contains("binary " + binary + " is not an allowed uprobe target");
    }

    @Test
    void aTcAttachToAnInterfaceOutsideThePatternsGetsEpermAndTouchesNoQdisc() throws Exception {
        try (var veth = new VethPair("bwe", "10.213.59")) {
            String hostEnd = veth.hostEnd();
            var policy = AttachPolicy.of(List.of("tc"), List.of("interface:lo"));
            var run = runExpectingFailure("tccount", policy, hostEnd + ":egress");
            assertThat(run.stderr()).contains("tccount: attach count_packets to " + hostEnd
                    + ":egress: Operation not permitted");
            assertThat(run.failure().linuxErrno()).isEqualTo(1);
            assertThat(run.bpfLog()).anySatisfy(l -> assertThat(l)
                    .contains("program count_packets: attach denied by the policy: interface " + hostEnd
                            + " is not an allowed tc target (allowed: interface:lo)"));
            assertThat(Shell.run("tc", "qdisc", "show", "dev", hostEnd)).doesNotContain("clsact");
        }
    }

    @Test
    void anXdpModeOrTcDirectionThatDoesNotExistIsNamed() throws Exception {
        var xdp = runExpectingFailure("xdpcount", AttachPolicy.PERMISSIVE, "lo:turbo");
        assertThat(xdp.failure().message()).isEqualTo("program count_packets (xdp): attach target \"lo:turbo\" is not "
                + "an xdp target: unknown XDP mode \"turbo\"; expected <interface>[:generic|:native] (aliases skb, drv)");
        assertThat(xdp.failure().linuxErrno()).isEqualTo(22);
        assertThat(xdp.stderr()).contains("xdpcount: attach count_packets to lo:turbo: Invalid argument");

        var tc = runExpectingFailure("tccount", AttachPolicy.PERMISSIVE, "lo:sideways");
        assertThat(tc.failure().message()).isEqualTo("program count_packets (tc): attach target \"lo:sideways\" is not "
                + "a tc target; expected <interface>[:ingress|:egress]");
    }

    @Test
    void nativeXdpOnAnInterfaceWithoutItSaysSo() throws Exception {
        var run = runExpectingFailure("xdpcount", AttachPolicy.PERMISSIVE, "lo:native");
        assertThat(run.failure().message()).startsWith("program count_packets (xdp): attach to \"lo:native\" failed: ")
                .endsWith("; the driver of lo has no native XDP (use :generic)");
    }

    @Test
    void aUprobeSectionNamingABinaryOutsideThePatternsGetsEperm() throws Exception {
        String binary = NativeBuild.dir().resolve("host/uprobe_target").toRealPath().toString();
        var run = new GuestRun();
        var policy = AttachPolicy.of(List.of("uprobe"), List.of("binary:/usr/bin/*"));
        ProgramResult result;
        try (var host = ProgramHost.start(run.spec("guest_uprobe_section", "1").attachPolicy(policy).build())) {
            result = host.await(Duration.ofSeconds(30)).orElseThrow();
            assertThat(host.kernelIds()).as("the guest's object is closed").isEmpty();
        }
        assertThat(result.outcome()).as(run.stderr()).isEqualTo(new ProgramOutcome.Exited(1));
        assertThat(run.stderr()).contains("guest_uprobe_section: attach on_add: Operation not permitted");
        assertThat(result.lastBpfFailure().message()).contains("binary " + binary + " is not an allowed uprobe "
                + "target (allowed: binary:/usr/bin/*)");
    }

    @Test
    void anUnknownInterfaceIsNamed() throws Exception {
        var run = runExpectingFailure("xdpcount", AttachPolicy.PERMISSIVE, "nosuchif0");
        assertThat(run.failure().message()).isEqualTo("program count_packets (xdp): no network interface named \"nosuchif0\"");
        assertThat(run.stderr()).contains("xdpcount: attach count_packets to nosuchif0: No such device");
        var tc = runExpectingFailure("tccount", AttachPolicy.PERMISSIVE, "nosuchif0:egress");
        assertThat(tc.failure().message()).isEqualTo("program count_packets (tc): no network interface named \"nosuchif0\"");
        assertThat(tc.stderr()).contains("tccount: attach count_packets to nosuchif0:egress: No such device");
    }

    @Test
    void aMissingCgroupDirectoryIsNamed() throws Exception {
        var run = runExpectingFailure("cgroupcount", AttachPolicy.PERMISSIVE, "/sys/fs/cgroup/unified/bw-none");
        assertThat(run.failure().message()).endsWith(": cgroup directory /sys/fs/cgroup/unified/bw-none does not exist");
        assertThat(run.stderr()).contains("No such file or directory");
    }

    @Test
    void aCgroupV1DirectoryIsRefusedWithTheReason() throws Exception {
        var run = runExpectingFailure("cgroupcount", AttachPolicy.PERMISSIVE, "/sys/fs/cgroup/cpu");
        assertThat(run.failure().message()).contains("/sys/fs/cgroup/cpu is not a cgroup v2 directory");
    }

    @Test
    void aMissingBinaryOrFunctionIsNamed() throws Exception {
        var binary = runExpectingFailure("uprobe", AttachPolicy.PERMISSIVE, "/nonexistent/bin:main");
        assertThat(binary.failure().message()).isEqualTo("program on_call (uprobe): uprobe binary /nonexistent/bin "
                + "does not exist");

        String target = NativeBuild.dir().resolve("host/uprobe_target").toString();
        var function = runExpectingFailure("uprobe", AttachPolicy.PERMISSIVE, target + ":no_such_function");
        assertThat(function.failure().message()).isEqualTo("program on_call (uprobe): uprobe: function "
                + "no_such_function not found in binary " + target);
    }
}
