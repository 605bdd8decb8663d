package dev.dkrig.report;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Order statistics of a set of durations (nearest-rank percentiles): the figures the reports give
 * for step times, run times and host turnaround.
 */
public final class DurationStats {
  private final List<Duration> sorted;

  public DurationStats(Collection<Duration> values) {
    List<Duration> copy = new ArrayList<>(values);
    Collections.sort(copy);
    this.sorted = List.copyOf(copy);
  }

  public int count() {
    return sorted.size();
  }

  public boolean isEmpty() {
    return sorted.isEmpty();
  }

  /** The nearest-rank percentile, {@code p} in (0, 100]; zero for an empty set. */
  public Duration percentile(double p) {
    if (p <= 0 || p > 100) {
      throw new IllegalArgumentException("percentile " + p + " not in (0, 100]");
    }
    if (sorted.isEmpty()) {
      return Duration.ZERO;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(1, rank) - 1);
  }

  public Duration median() {
    return percentile(50);
  }

  public Duration max() {
    return sorted.isEmpty() ? Duration.ZERO : sorted.get(sorted.size() - 1);
  }

  public Duration min() {
    return sorted.isEmpty() ? Duration.ZERO : sorted.get(0);
  }

  public Duration total() {
    Duration sum = Duration.ZERO;
    for (Duration d : sorted) {
      sum = sum.plus(d);
    }
    return sum;
  }

  /** Milliseconds with three decimals, for JSON. */
  public static double millis(Duration d) {
    return Math.round(d.toNanos() / 1_000.0) / 1_000.0;
  }

  /** "0.214 ms" for text. */
  public static String ms(Duration d) {
    return String.format(Locale.ROOT, "%.3f ms", d.toNanos() / 1e6);
  }
}
