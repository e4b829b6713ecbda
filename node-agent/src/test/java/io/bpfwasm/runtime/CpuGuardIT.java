package io.bpfwasm.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The CPU guard on real guests (guest_busy) and the real kernel: a guest that keeps computing without returning to
 * the host — in main or in a ring buffer callback — is stopped soon after its guard and its BPF objects are closed;
 * a guest that waits in the host or crosses to it often runs on, however long.
 */
class CpuGuardIT {
    private static final Duration GUARD = Duration.ofMillis(200);

    @Test
    void aGuestSpinningInMainIsStoppedShortlyAfterItsGuard() throws Exception {
        var run = new GuestRun();
        try (var host = ProgramHost.start(run.spec("guest_busy", "spin").cpuGuard(GUARD).build())) {
            await().atMost(Duration.ofSeconds(30)).until(() -> run.stdout.contains("spinning"));
            long start = System.nanoTime();
            var result = host.await(Duration.ofSeconds(10)).orElseThrow();
            long tookMs = (System.nanoTime() - start) / 1_000_000;
            System.out.printf("cpu guard %d ms: spinning guest stopped %d ms after its output%n", GUARD.toMillis(), tookMs);
            assertThat(result.outcome()).isEqualTo(new ProgramOutcome.CpuGuardExceeded(GUARD));
            assertThat(result.describe())
                    .isEqualTo("stopped by its CPU guard: ran longer than 200ms without returning to the host");
            assertThat(tookMs).as("stopped within an order of magnitude of the guard").isLessThan(2000);
        }
    }

    @Test
    void aGuestSpinningInACallbackIsStoppedAndItsBpfObjectsClosed() throws Exception {
        var run = new GuestRun();
        try (var host = ProgramHost.start(run.spec("guest_busy", "callback").cpuGuard(GUARD).build())) {
            await().atMost(Duration.ofSeconds(30)).until(() -> run.stdout.contains("ready"));
            var ids = host.kernelIds();
            Shell.run("/bin/true"); // one exec event: the callback never returns
            var result = host.await(Duration.ofSeconds(10)).orElseThrow();
            assertThat(run.stdout).contains("in callback");
            assertThat(result.outcome()).isEqualTo(new ProgramOutcome.CpuGuardExceeded(GUARD));
            KernelLeaks.assertGone(ids);
        }
    }

    @Test
    void waitingInTheHostDoesNotCount() throws Exception {
        var run = new GuestRun();
        try (var host = ProgramHost.start(run.spec("guest_busy", "waiting").cpuGuard(Duration.ofMillis(50)).build())) {
            var result = host.await(Duration.ofSeconds(30)).orElseThrow();
            assertThat(result.outcome()).as(run.stderr()).isEqualTo(new ProgramOutcome.Exited(0));
            assertThat(run.stdout).contains("waited");
        }
    }

    @Test
    void computingWhileCrossingToTheHostDoesNotCount() throws Exception {
        var run = new GuestRun();
        try (var host = ProgramHost.start(run.spec("guest_busy", "crossing", "1500")
                .cpuGuard(Duration.ofMillis(50)).build())) {
            var result = host.await(Duration.ofSeconds(30)).orElseThrow();
            assertThat(result.outcome()).as(run.stderr()).isEqualTo(new ProgramOutcome.Exited(0));
            assertThat(run.stdout).contains("crossed");
        }
    }

    @Test
    void withoutAGuardASpinningGuestRunsUntilStopped() throws Exception {
        var run = new GuestRun();
        try (var host = ProgramHost.start(run.spec("guest_busy", "spin").build())) {
            await().atMost(Duration.ofSeconds(30)).until(() -> run.stdout.contains("spinning"));
            assertThat(host.await(Duration.ofMillis(800))).isEmpty();
            assertThat(host.stopAndAwait().outcome()).isEqualTo(new ProgramOutcome.Stopped());
        }
    }
}
