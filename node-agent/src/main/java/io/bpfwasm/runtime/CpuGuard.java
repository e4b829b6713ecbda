package io.bpfwasm.runtime;

import io.bpfwasm.runtime.wasm.GuestActivity;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Stops a guest that runs longer than a limit without returning to the host (a runaway loop in {@code main} or in a
 * callback). One daemon thread samples every watched guest's {@link GuestActivity}: a guest whose crossing count has
 * not moved while odd (guest code running) for the limit is over it. Time spent in imports (a blocking poll, a sleep)
 * never counts. Sampling every fifth of the limit, a guest is caught between 1 and 1.2 times the limit (or the limit
 * plus 100 ms for long limits).
 */
final class CpuGuard implements AutoCloseable {
    private static final long MIN_PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final long MAX_PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final ScheduledExecutorService SAMPLER = Executors.newSingleThreadScheduledExecutor(r ->
            Thread.ofPlatform().name("bpfwasm-cpu-guard").daemon(true).unstarted(r));

    private final GuestActivity activity;
    private final long limitNanos;
    private final Runnable onExceeded;
    private final ScheduledFuture<?> sampling;
    private long lastCrossings = -1;
    private long unchangedSince;

    private CpuGuard(GuestActivity activity, Duration limit, Runnable onExceeded) {
        this.activity = activity;
        this.limitNanos = limit.toNanos();
        this.onExceeded = onExceeded;
        long period = Math.clamp(limitNanos / 5, MIN_PERIOD_NANOS, MAX_PERIOD_NANOS);
        this.sampling = SAMPLER.scheduleAtFixedRate(this::sample, period, period, TimeUnit.NANOSECONDS);
    }

    /** Watches {@code activity} until closed; {@code onExceeded} runs once, on the sampler thread. */
    static CpuGuard watch(GuestActivity activity, Duration limit, Runnable onExceeded) {
        if (limit.isNegative() || limit.isZero()) {
            throw new IllegalArgumentException("a CPU guard must be positive, got " + limit);
        }
        return new CpuGuard(activity, limit, onExceeded);
    }

    private void sample() {
        long crossings = activity.crossings();
        long now = System.nanoTime();
        if (crossings != lastCrossings) {
            lastCrossings = crossings;
            unchangedSince = now;
        } else if (GuestActivity.inGuest(crossings) && now - unchangedSince >= limitNanos) {
            sampling.cancel(false);
            onExceeded.run();
        }
    }

    @Override
    public void close() {
        sampling.cancel(false);
    }
}
