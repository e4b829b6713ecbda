package io.bpfwasm.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bpfwasm.runtime.wasm.GuestActivity;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The guard's sampling, without an engine: only uninterrupted guest time trips it. */
class CpuGuardTest {
    private static final Duration LIMIT = Duration.ofMillis(50);

    @Test
    void guestTimeWithoutCrossingTripsOnce() throws Exception {
        var activity = new GuestActivity();
        var tripped = new CountDownLatch(1);
        activity.enterGuest();
        long start = System.nanoTime();
        try (var guard = CpuGuard.watch(activity, LIMIT, tripped::countDown)) {
            assertThat(tripped.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(LIMIT.toNanos());
        }
    }

    @Test
    void hostTimeNeverTrips() throws Exception {
        var activity = new GuestActivity();
        var tripped = new CountDownLatch(1);
        activity.enterGuest();
        activity.enterHost(); // e.g. blocked in a poll
        try (var guard = CpuGuard.watch(activity, LIMIT, tripped::countDown)) {
            assertThat(tripped.await(400, TimeUnit.MILLISECONDS)).isFalse();
        }
    }

    @Test
    void frequentCrossingsNeverTrip() throws Exception {
        var activity = new GuestActivity();
        var tripped = new CountDownLatch(1);
        try (var guard = CpuGuard.watch(activity, LIMIT, tripped::countDown)) {
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(400);
            while (System.nanoTime() < end) {
                activity.enterGuest();
                activity.enterHost();
                activity.enterGuest(); // mostly in guest code, but back in the host every few microseconds
            }
            assertThat(tripped.getCount()).isEqualTo(1);
        }
    }

    @Test
    void crossingsKeepTheirParity() {
        var activity = new GuestActivity();
        assertThat(GuestActivity.inGuest(activity.crossings())).isFalse();
        activity.enterGuest();
        activity.enterGuest(); // a repeated entry still counts and stays "in guest"
        assertThat(GuestActivity.inGuest(activity.crossings())).isTrue();
        activity.enterHost();
        assertThat(GuestActivity.inGuest(activity.crossings())).isFalse();
    }

    @Test
    void aGuardMustBePositive() {
        assertThatThrownBy(() -> CpuGuard.watch(new GuestActivity(), Duration.ZERO, () -> {}))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
