package dev.dkrig.bench;

/**
 * Issue 20: where the time from launch to the first APDU goes. With {@code
 * -Ddkrig.startup.marks=true} (e.g. through {@code DKRIG_JAVA_OPTS}) each milestone of the start
 * prints one line to standard error: {@code dkrig-startup EPOCH_MICROS THREAD WHAT}, which {@code
 * bench/startup} sets against the time it launched the process. Off, a mark is one test of a
 * constant.
 */
public final class StartupMarks {
  private static final boolean ON = Boolean.getBoolean("dkrig.startup.marks");
  private static final long EPOCH_MICROS = System.currentTimeMillis() * 1000;
  private static final long NANOS = System.nanoTime();

  private StartupMarks() {}

  /** Whether marks are printed. */
  public static boolean on() {
    return ON;
  }

  /** One milestone, named by a fixed text of dkrig's own. */
  public static void mark(String what) {
    if (ON) {
      long micros = EPOCH_MICROS + (System.nanoTime() - NANOS) / 1000;
      System.err.println(
          "dkrig-startup " + micros + " " + Thread.currentThread().getName() + " " + what);
    }
  }
}
