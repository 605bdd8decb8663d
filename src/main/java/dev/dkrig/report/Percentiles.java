package dev.dkrig.report;

import java.time.Duration;
import org.HdrHistogram.Histogram;

/**
 * Percentiles of durations in constant memory (HdrHistogram, two significant digits: within 1%),
 * for soaks of any length: a thousand pairings or a million exchanges take the same space.
 */
public final class Percentiles {
  private static final long LOWEST = 1_000L; // 1 µs
  private static final long HIGHEST = 3_600_000_000_000L; // 1 h

  private final Histogram histogram = new Histogram(LOWEST, HIGHEST, 2);

  public synchronized void record(Duration value) {
    long nanos = Math.max(0, Math.min(HIGHEST, value.toNanos()));
    histogram.recordValue(nanos);
  }

  public synchronized long count() {
    return histogram.getTotalCount();
  }

  public synchronized boolean isEmpty() {
    return histogram.getTotalCount() == 0;
  }

  /** The value at percentile {@code p} (0 < p <= 100); zero when empty. */
  public synchronized Duration percentile(double p) {
    if (p <= 0 || p > 100) {
      throw new IllegalArgumentException("percentile " + p + " not in (0, 100]");
    }
    return isEmpty() ? Duration.ZERO : Duration.ofNanos(histogram.getValueAtPercentile(p));
  }

  public Duration median() {
    return percentile(50);
  }

  public synchronized Duration max() {
    return isEmpty() ? Duration.ZERO : Duration.ofNanos(histogram.getMaxValue());
  }
}
