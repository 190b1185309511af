package io.posestream.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import picocli.CommandLine;

/**
 * A duration as an operator types it on any command: {@code 30s}, {@code 5m}, {@code 1h}, {@code 250ms}, a plain number
 * of seconds, or ISO-8601 ({@code PT1M}). Zero and negative durations are refused.
 */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        return parse(value);
    }

    /** The duration, or a picocli type-conversion error naming the value. */
    public static Duration parse(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        try {
            Duration parsed;
            if (v.startsWith("p")) {
                parsed = Duration.parse(v.toUpperCase(Locale.ROOT));
            } else if (v.endsWith("ms")) {
                parsed = Duration.ofMillis(
                        Long.parseLong(v.substring(0, v.length() - 2).trim()));
            } else if (v.endsWith("s")) {
                parsed = Duration.ofMillis(Math.round(number(v, 1) * 1000));
            } else if (v.endsWith("m")) {
                parsed = Duration.ofMillis(Math.round(number(v, 1) * 60_000));
            } else if (v.endsWith("h")) {
                parsed = Duration.ofMillis(Math.round(number(v, 1) * 3_600_000));
            } else {
                parsed = Duration.ofSeconds(Long.parseLong(v));
            }
            if (parsed.isNegative() || parsed.isZero()) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a positive duration");
            }
            return parsed;
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new CommandLine.TypeConversionException(
                    "'" + value + "' is not a duration (examples: 90s, 5m, 1h, 250ms, PT1M)");
        }
    }

    private static double number(String value, int unitLength) {
        return Double.parseDouble(
                value.substring(0, value.length() - unitLength).trim());
    }

    /** A duration as the flags take it, for messages: {@code 90s}, {@code 250ms}. */
    public static String format(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
    }
}
