package dev.dkrig.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Ctrl-C or SIGTERM during a run: the JVM's shutdown hook asks the run to stop, then holds the JVM
 * (for a bounded grace) until the run has written its reports. A run that ends by itself removes
 * the hook; one that saw it fire reports the interruption and leaves the exit to the JVM.
 */
final class InterruptHook {
  private final CountDownLatch finished = new CountDownLatch(1);
  private final AtomicBoolean signalled = new AtomicBoolean();
  private final Thread hook;

  private InterruptHook(String name, long graceSeconds, Runnable stop) {
    hook =
        new Thread(
            () -> {
              signalled.set(true);
              stop.run();
              try {
                finished.await(graceSeconds, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            name);
  }

  /** Installs a hook that runs {@code stop} on a signal and waits up to the grace for the run. */
  static InterruptHook install(String name, long graceSeconds, Runnable stop) {
    InterruptHook interrupt = new InterruptHook(name, graceSeconds, stop);
    Runtime.getRuntime().addShutdownHook(interrupt.hook);
    return interrupt;
  }

  /** Whether the signal came. */
  boolean signalled() {
    return signalled.get();
  }

  /** The run's reports are written: the hook may let the JVM go; without a signal, it goes. */
  void finished() {
    finished.countDown();
    if (!signalled.get()) {
      Runtime.getRuntime().removeShutdownHook(hook);
    }
  }
}
