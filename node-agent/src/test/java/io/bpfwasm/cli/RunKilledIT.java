package io.bpfwasm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bpfwasm.bpf.KernelObjects;
import io.bpfwasm.runtime.BpfFds;
import io.bpfwasm.runtime.NativeBuild;
import io.bpfwasm.runtime.Shell;
import io.bpfwasm.runtime.VethPair;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar bpfwasm.jar run} as a separate process (the shaded jar {@code mvn package} builds before failsafe
 * runs), killed with SIGKILL: no shutdown hook and no close run, so only what the kernel ties to the process's file
 * descriptors is cleaned up. tc is the hook where that depends on how bpfwasm attaches: a TCX link goes with its fd,
 * a tc filter added over netlink would stay on the interface and keep the program loaded.
 */
class RunKilledIT {
    private static final Path JAR = Path.of("target", "bpfwasm.jar");
    private static final Duration START = Duration.ofSeconds(60);

    @TempDir
    Path tmp;
    private VethPair veth;
    private Process run;

    @AfterEach
    void cleanUp() throws InterruptedException {
        if (run != null) {
            run.destroyForcibly();
            run.waitFor(30, TimeUnit.SECONDS);
        }
        if (veth != null) {
            veth.close(); // deleting the interface also drops whatever a failed run left on it
        }
    }

    @Test
    void aKilledTccountLeavesNoProgramMapLinkOrFilterInTheKernel() throws Exception {
        assertThat(JAR).as("the shaded jar (mvn package runs before the integration tests)").exists();
        veth = new VethPair("bwk", "10.213.69");
        String hostEnd = veth.hostEnd();
        String target = hostEnd + ":ingress";
        Path output = tmp.resolve("run.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        run = new ProcessBuilder(java, "-jar", JAR.toString(), "run", NativeBuild.example("tccount").toString(),
                "--", "-i", "1", target)
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        await("tccount attached").atMost(START).pollInterval(Duration.ofMillis(100)).until(() -> {
            String text = Files.readString(output);
            if (!run.isAlive()) {
                throw new AssertionError("bpfwasm run exited with " + run.exitValue() + ": " + text);
            }
            return text.contains("tccount: counting on " + target);
        });
        BpfFds held = BpfFds.of(run.pid());
        assertThat(held.programIds()).as("programs of bpfwasm run").hasSize(1);
        assertThat(held.mapIds()).as("maps of bpfwasm run").isNotEmpty();
        veth.sendBroadcasts(5);
        var counted = Pattern.compile("(?s).*interval \\d+ packets=([5-9]|\\d\\d+) .*");
        await("packets counted").atMost(Duration.ofSeconds(10)).until(() ->
                counted.matcher(Files.readString(output)).matches());

        Instant killed = Instant.now();
        run.destroyForcibly(); // SIGKILL
        assertThat(run.waitFor(30, TimeUnit.SECONDS)).isTrue();

        // the kernel frees what the dead process held asynchronously (RCU, work queues)
        await("the killed process's BPF objects gone").atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(KernelObjects.programIds()).as("program ids still in the kernel")
                    .doesNotContainAnyElementsOf(held.programIds());
            assertThat(KernelObjects.mapIds()).as("map ids still in the kernel")
                    .doesNotContainAnyElementsOf(held.mapIds());
            assertThat(KernelObjects.linkIds()).as("link ids still in the kernel")
                    .doesNotContainAnyElementsOf(held.links().stream().map(BpfFds.Link::id).toList());
        });
        System.out.printf("kill -9 of bpfwasm run -> its program, maps and TCX link gone from the kernel: %d ms%n",
                Duration.between(killed, Instant.now()).toMillis());
        assertThat(Shell.run("tc", "filter", "show", "dev", hostEnd, "ingress")).as("tc filters left").isBlank();
        assertThat(Shell.run("tc", "qdisc", "show", "dev", hostEnd)).as("qdiscs left").doesNotContain("clsact");
        int ifindex = Integer.parseInt(Files.readString(Path.of("/sys/class/net", hostEnd, "ifindex")).strip());
        assertThat(held.links("tcx")).as("it was attached as a TCX link").singleElement()
                .satisfies(link -> assertThat(link.ifindex()).isEqualTo(ifindex));
    }
}
