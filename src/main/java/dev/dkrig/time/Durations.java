package dev.dkrig.time;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Human durations as labs write them: {@code 300s}, {@code 50ms}, {@code 5m}, {@code 1.5s}. */
public final class Durations {
  private static final Pattern FORM = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h|min)?");

  private Durations() {}

  /** The longest duration any timer, wait or delay may take: a longer one is a typo. */
  public static final Duration LONGEST = Duration.ofDays(1);

  /**
   * A duration with its unit ({@code ms}, {@code s}, {@code m} or {@code min}, {@code h}). A bare
   * number is refused, suggesting both readings, and so is anything over a day.
   */
  public static Duration parse(String text) {
    String trimmed = text.trim();
    Matcher m = FORM.matcher(trimmed);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a duration (examples: 500ms, 5s, 1.5s, 10m)");
    }
    if (m.group(2) == null) {
      throw new IllegalArgumentException(
          "'"
              + trimmed
              + "' has no unit: write "
              + m.group(1)
              + "ms or "
              + m.group(1)
              + "s (units: ms, s, m, h)");
    }
    double value = Double.parseDouble(m.group(1));
    double millis =
        switch (m.group(2)) {
          case "ms" -> value;
          case "s" -> value * 1_000;
          case "m", "min" -> value * 60_000;
          case "h" -> value * 3_600_000;
          default -> throw new IllegalArgumentException("unit " + m.group(2));
        };
    if (millis > LONGEST.toMillis()) {
      throw new IllegalArgumentException(
          "'" + trimmed + "' is longer than a day (the longest duration allowed is 24h)");
    }
    return Duration.ofNanos(Math.round(millis * 1_000_000));
  }

  /** {@code 1.234 s}, {@code 12 ms}, {@code 300 s}: short and unambiguous for consoles. */
  public static String format(Duration duration) {
    long micros = duration.toNanos() / 1_000;
    if (micros < 1_000) {
      return micros + " us";
    }
    if (micros < 10_000_000) {
      return String.format(java.util.Locale.ROOT, "%.1f ms", micros / 1000.0)
          .replace(".0 ms", " ms");
    }
    return String.format(java.util.Locale.ROOT, "%.2f s", micros / 1_000_000.0);
  }

  /** ISO-like text for config echoes: {@code 300s}, {@code 50ms}. */
  public static String compact(Duration duration) {
    long ms = duration.toMillis();
    return ms % 1000 == 0 ? (ms / 1000) + "s" : ms + "ms";
  }
}
