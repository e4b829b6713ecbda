package io.bpfwasm.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bpfwasm.runtime.wasibpf.BpfBackend.KernelIds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The attach examples (uprobe, xdpcount, tccount, cgroupcount, execsnoop_perf) run by ProgramHost against the real kernel:
 * each workload's effect is counted, and after close nothing stays attached.
 */
class AttachExamplesIT {
    private static final String SUFFIX = String.valueOf(ProcessHandle.current().pid() % 100000);

    private VethPair veth;
    private Path cgroup;

    @AfterEach
    void cleanUp() throws IOException {
        if (veth != null) {
            veth.close();
        }
        if (cgroup != null) {
            Files.deleteIfExists(cgroup);
        }
    }

    @Test
    void uprobeCountsEveryCallOfTheTargetFunctionWithArgumentsAndResult() throws Exception {
        String binary = NativeBuild.dir().resolve("host/uprobe_target").toString();
        var lines = new CopyOnWriteArrayList<String>();
        try (var host = ProgramHost.start(spec("uprobe", lines, "-n", "5", binary + ":bpfwasm_target_add"))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> lines.contains("uprobe: tracing " + binary
                    + ":bpfwasm_target_add"));
            List<KernelIds> ids = host.kernelIds();
            assertThat(ids).singleElement().satisfies(i -> assertThat(i.linkIds()).hasSize(2));

            Process target = new ProcessBuilder(binary, "5", "10").start();
            assertThat(target.waitFor()).isZero();
            var result = host.await(Duration.ofSeconds(10)).orElseThrow();
            assertThat(result.outcome()).as(String.join("\n", lines)).isEqualTo(new ProgramOutcome.Exited(0));
            String calls = "call pid=" + target.pid() + " tid=" + target.pid() + " ";
            assertThat(lines.stream().filter(l -> l.startsWith(calls))).hasSize(5);
            assertThat(lines).anySatisfy(l -> assertThat(l).startsWith(calls).contains("arg0=5 arg1=10 ret=15 "));
            KernelLeaks.assertGone(ids);
        }
    }

    @Test
    void aUprobeTargetWithAPidProbesOnlyThatProcess() throws Exception {
        String binary = NativeBuild.dir().resolve("host/uprobe_target").toString();
        // two processes call the function at the same time, 2 s after they start (time for the attach)
        Process traced = new ProcessBuilder(binary, "3", "50", "2000").start();
        Process other = new ProcessBuilder(binary, "3", "50", "2000").start();
        try {
            var lines = new CopyOnWriteArrayList<String>();
            String target = binary + ":bpfwasm_target_add@" + traced.pid();
            try (var host = ProgramHost.start(spec("uprobe", lines, "-n", "3", target))) {
                var result = host.await(Duration.ofSeconds(15)).orElseThrow();
                assertThat(result.outcome()).as(String.join("\n", lines)).isEqualTo(new ProgramOutcome.Exited(0));
            }
            assertThat(traced.waitFor()).isZero();
            assertThat(other.waitFor()).isZero();
            assertThat(lines.stream().filter(l -> l.startsWith("call "))).hasSize(3)
                    .allSatisfy(l -> assertThat(l).startsWith("call pid=" + traced.pid() + " "));
        } finally {
            traced.destroyForcibly();
            other.destroyForcibly();
        }
    }

    @Test
    void aUprobeWhoseSectionNamesBinaryAndFunctionAttachesWithoutATarget() throws Exception {
        String binary = NativeBuild.dir().resolve("host/uprobe_target").toString();
        var run = new GuestRun();
        try (var host = ProgramHost.start(run.spec("guest_uprobe_section", "5").build())) {
            await().atMost(Duration.ofSeconds(30)).until(() -> run.stdout.contains("attached") || !host.isRunning());
            assertThat(run.stdout).as(run.stderr()).contains("attached");
            List<KernelIds> ids = host.kernelIds();
            assertThat(ids).singleElement().satisfies(i -> assertThat(i.linkIds()).hasSize(1));

            Process target = new ProcessBuilder(binary, "5", "10").start();
            assertThat(target.waitFor()).isZero();
            var result = host.await(Duration.ofSeconds(15)).orElseThrow();
            assertThat(result.outcome()).as(run.stderr()).isEqualTo(new ProgramOutcome.Exited(0));
            assertThat(run.stdout).containsExactly("attached", "calls=5");
            KernelLeaks.assertGone(ids);
        }
    }

    @Test
    void xdpCountsThePacketsAVethEndReceivesAndIsGoneFromTheInterfaceAfterClose() throws Exception {
        veth = new VethPair("bwa", "10.213.19");
        String hostEnd = veth.hostEnd();
        int packets = 20;
        var lines = new CopyOnWriteArrayList<String>();
        List<KernelIds> ids;
        try (var host = ProgramHost.start(spec("xdpcount", lines, "-i", "1", hostEnd + ":generic"))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> lines.contains("xdpcount: counting on " + hostEnd
                    + ":generic"));
            ids = host.kernelIds();
            assertThat(ids).singleElement().satisfies(i -> assertThat(i.linkIds()).hasSize(1));
            // the mode word reaches the kernel (a veth would get native mode without it)
            assertThat(Shell.run("ip", "link", "show", "dev", hostEnd)).contains(" xdpgeneric ");
            veth.sendBroadcasts(packets);
            var counted = Pattern.compile("interval \\d+ packets=(\\d+) bytes=\\d+");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(highest(lines, counted))
                    .as("packets counted").isGreaterThanOrEqualTo(packets));
        }
        assertThat(Shell.run("ip", "-j", "link", "show", "dev", hostEnd)).doesNotContain("\"xdp\"");
        KernelLeaks.assertGone(ids);
    }

    @Test
    void tcCountsIngressPacketsThroughATcxLinkThatIsGoneWhenTheGuestEnds() throws Exception {
        veth = new VethPair("bwc", "10.213.49");
        String hostEnd = veth.hostEnd();
        int packets = 20;
        var lines = new CopyOnWriteArrayList<String>();
        List<KernelIds> ids;
        // the guest reports 4 times, then closes its object and exits: the clean-up is the guest's own close
        try (var host = ProgramHost.start(spec("tccount", lines, "-i", "1", "-n", "4", hostEnd + ":ingress"))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> lines.contains("tccount: counting on " + hostEnd
                    + ":ingress"));
            ids = host.kernelIds();
            assertThat(ids).singleElement().satisfies(i -> {
                assertThat(i.programIds()).hasSize(1);
                assertThat(i.linkIds()).hasSize(1);
                assertThat(BpfFds.of(ProcessHandle.current().pid()).links("tcx")).extracting(BpfFds.Link::id)
                        .as("the link is a TCX link").contains(i.linkIds().getFirst());
            });
            assertThat(Shell.run("tc", "qdisc", "show", "dev", hostEnd)).as("no qdisc").doesNotContain("clsact");
            veth.sendBroadcasts(packets);

            var result = host.await(Duration.ofSeconds(15)).orElseThrow();
            assertThat(result.outcome()).as(String.join("\n", lines)).isEqualTo(new ProgramOutcome.Exited(0));
            assertThat(host.kernelIds()).as("the guest closed its object").isEmpty();
        }
        var counted = Pattern.compile("interval 4 packets=(\\d+) bytes=(\\d+)");
        assertThat(highest(lines, counted)).as("packets counted").isGreaterThanOrEqualTo(packets);
        assertThat(Shell.run("tc", "qdisc", "show", "dev", hostEnd)).doesNotContain("clsact");
        KernelLeaks.assertGone(ids);
    }

    @Test
    void cgroupSkbCountsTheLoopbackTrafficOfAProcessInTheCgroup() throws Exception {
        cgroup = cgroup2Mount().resolve("bwattach" + SUFFIX);
        Files.createDirectory(cgroup);
        var lines = new CopyOnWriteArrayList<String>();
        List<KernelIds> ids;
        try (var host = ProgramHost.start(spec("cgroupcount", lines, "-i", "1", cgroup.toString()))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> lines.contains("cgroupcount: counting on " + cgroup));
            ids = host.kernelIds();
            assertThat(ids).singleElement().satisfies(i -> assertThat(i.linkIds()).hasSize(2));
            // the process joins the cgroup before it creates its sockets (sockets keep their creation cgroup)
            Shell.run("sh", "-c", "echo $$ > " + cgroup.resolve("cgroup.procs") + "; exec python3 -c '"
                    + "import socket\n"
                    + "r = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); r.bind((\"127.0.0.1\", 0))\n"
                    + "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
                    + "for _ in range(10): s.sendto(b\"x\" * 100, r.getsockname()); r.recv(200)\n'");
            var ingress = Pattern.compile("interval \\d+ ingress_packets=(\\d+) .*");
            var egress = Pattern.compile("interval \\d+ ingress_packets=\\d+ ingress_bytes=\\d+ egress_packets=(\\d+) .*");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(highest(lines, ingress)).as("ingress packets").isGreaterThanOrEqualTo(10);
                assertThat(highest(lines, egress)).as("egress packets").isGreaterThanOrEqualTo(10);
            });
        }
        assertThat(Shell.run("bpftool", "cgroup", "show", cgroup.toString())).doesNotContain("cgroupcount")
                .doesNotContain("count_");
        KernelLeaks.assertGone(ids);
    }

    @Test
    void execsnoopOverAPerfEventArrayReportsASpawnedProcess() throws Exception {
        var lines = new CopyOnWriteArrayList<String>();
        List<KernelIds> ids;
        try (var host = ProgramHost.start(spec("execsnoop_perf", lines))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> lines.contains("execsnoop_perf: tracing exec() calls"));
            ids = host.kernelIds();
            Process p = new ProcessBuilder("/bin/true").start();
            assertThat(p.waitFor()).isZero();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(lines).anySatisfy(l ->
                    assertThat(l).startsWith("exec pid=" + p.pid() + " ").contains("filename=/bin/true")));
            assertThat(host.status().samplesDelivered()).isPositive();
        }
        KernelLeaks.assertGone(ids);
    }

    private static long highest(List<String> lines, Pattern pattern) {
        return lines.stream().map(pattern::matcher).filter(Matcher::matches)
                .mapToLong(m -> Long.parseLong(m.group(1))).max().orElse(0);
    }

    /** Where cgroup v2 is mounted (/sys/fs/cgroup, or /sys/fs/cgroup/unified on hybrid set-ups). */
    static Path cgroup2Mount() throws IOException {
        return Files.readAllLines(Path.of("/proc/mounts")).stream().map(l -> l.split(" "))
                .filter(f -> f[2].equals("cgroup2")).map(f -> Path.of(f[1])).findFirst()
                .orElseThrow(() -> new AssertionError("no cgroup2 mount in /proc/mounts"));
    }

    static ProgramSpec spec(String example, List<String> lines, String... args) {
        return ProgramSpec.builder(example)
                .wasm(NativeBuild.bytes(NativeBuild.example(example)))
                .args(List.of(args))
                .stdout(new LineOutputStream(lines::add))
                .build();
    }
}
