package io.bpfwasm.agent;

import java.time.Duration;

/** Exponential backoff: initial, doubling per consecutive failure, capped. */
public record Backoff(Duration initial, Duration max) {
    public static final Backoff DEFAULT = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5));

    /** The wait after the {@code failures}-th consecutive failure (1-based). */
    public Duration after(int failures) {
        if (failures <= 0) {
            return Duration.ZERO;
        }
        int shift = Math.min(failures - 1, 30);
        long millis = initial.toMillis() << shift;
        return millis <= 0 || millis > max.toMillis() ? max : Duration.ofMillis(millis);
    }
}
