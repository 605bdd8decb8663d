package dev.dkrig.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waiting for something another thread or process does: look again every few milliseconds until it
 * holds or the deadline passes. Tests never sleep to synchronise.
 */
public final class Poll {
  private static final long STEP_MILLIS = 5;

  private Poll() {}

  /**
   * Returns as soon as {@code condition} holds.
   *
   * @throws AssertionError naming {@code what} when it still does not hold after {@code timeout}
   */
  public static void until(Duration timeout, BooleanSupplier condition, Supplier<String> what) {
    if (!within(timeout, condition)) {
      throw new AssertionError("not within " + timeout.toMillis() + " ms: " + what.get());
    }
  }

  public static void until(Duration timeout, BooleanSupplier condition, String what) {
    until(timeout, condition, () -> what);
  }

  /** Whether {@code condition} came to hold within {@code timeout}. */
  public static boolean within(Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        return false;
      }
      try {
        Thread.sleep(STEP_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting", e);
      }
    }
    return true;
  }
}
