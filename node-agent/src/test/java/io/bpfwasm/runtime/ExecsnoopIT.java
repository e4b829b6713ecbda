package io.bpfwasm.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The execsnoop example, run by ProgramHost against the real kernel. */
class ExecsnoopIT {

    @Test
    void reportsThePidAndCommOfAProcessTheTestSpawnsAndLeavesNothingBehind() throws Exception {
        var lines = new CopyOnWriteArrayList<String>();
        var spec = ProgramSpec.builder("execsnoop")
                .wasm(NativeBuild.bytes(NativeBuild.example("execsnoop")))
                .stdout(new LineOutputStream(lines::add))
                .build();
        List<io.bpfwasm.runtime.wasibpf.BpfBackend.KernelIds> ids;
        try (var host = ProgramHost.start(spec)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> lines.contains("execsnoop: tracing exec() calls"));
            ids = host.kernelIds();
            assertThat(ids).singleElement().satisfies(i -> assertThat(i.linkIds()).hasSize(1));
            KernelLeaks.assertAllAlive(ids);

            Process p = new ProcessBuilder("/bin/true").start();
            assertThat(p.waitFor()).isZero();
            String expected = "exec pid=" + p.pid() + " ";
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(lines)
                    .anySatisfy(l -> assertThat(l).startsWith(expected).contains("comm=true")
                            .contains("filename=/bin/true")));

            assertThat(host.status().samplesDelivered()).isPositive();
            assertThat(host.status().objects()).isEqualTo(ids);
            long start = System.nanoTime();
            host.stop();
            var result = host.await(Duration.ofSeconds(10)).orElseThrow();
            var took = Duration.ofNanos(System.nanoTime() - start);
            System.out.printf("ExecsnoopIT: stop -> ended with every BPF object closed: %d ms%n", took.toMillis());
            // typically 10-100 ms; the bound guards the order of magnitude (detaching waits for RCU grace periods,
            // which a saturated 2-core machine stretches)
            assertThat(took).isLessThan(Duration.ofSeconds(3));
            assertThat(result.outcome()).isEqualTo(new ProgramOutcome.Stopped());
            assertThat(host.kernelIds()).isEmpty();
        }
        KernelLeaks.assertGone(ids);
    }
}
