package io.bpfwasm.runtime;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Units of the command line and the custom resources: durations like 500ms, 10s, 2m, 1h; sizes like 65536, 64Ki,
 * 64Mi, 256M, 1Gi (B optional).
 */
public final class Units {
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");
    private static final Pattern SIZE = Pattern.compile("(\\d+)(|k|ki|m|mi|g|gi)b?");

    private Units() {}

    /** @throws IllegalArgumentException with a message for people */
    public static Duration parseDuration(String text) {
        var m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration (examples: 500ms, 10s, 2m, 1h)");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }

    /** The shortest exact form {@link #parseDuration} reads back, e.g. "500ms", "2s". */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 1000 != 0 || ms == 0) {
            return ms + "ms";
        }
        long s = ms / 1000;
        return s % 3600 == 0 ? s / 3600 + "h" : s % 60 == 0 ? s / 60 + "m" : s + "s";
    }

    /** @throws IllegalArgumentException with a message for people */
    public static long parseSize(String text) {
        var m = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a size (examples: 65536, 64Ki, 64Mi, 256M, 1Gi)");
        }
        long unit = switch (m.group(2)) {
            case "" -> 1;
            case "k" -> 1_000;
            case "ki" -> 1L << 10;
            case "m" -> 1_000_000;
            case "mi" -> 1L << 20;
            case "g" -> 1_000_000_000;
            default -> 1L << 30;
        };
        try {
            return Math.multiplyExact(Long.parseLong(m.group(1)), unit);
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is too large");
        }
    }
}
