package dev.dkrig.cli;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Ctrl-C or SIGTERM during a run: the JVM's shutdown hook asks the run to stop, then holds the JVM
 * (for a bounded grace) until the run has written its reports and its console lines. A run that
 * ends by itself removes the hook; one that saw it fire reports the interruption and leaves the
 * exit to the JVM. Whatever the command prints must come before {@link #finished()}: once the hook
 * returns, the JVM halts.
 */
final class InterruptHook {
  private static final AtomicReference<String> lastSignal = new AtomicReference<>();

  static {
    watch("INT");
    watch("TERM");
  }

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

  /**
   * What stopped the run, for the console's verdict line: {@code SIGINT} or {@code SIGTERM}, or "a
   * signal" when the JVM did not say which; empty when nothing did.
   */
  Optional<String> signal() {
    if (!signalled.get()) {
      return Optional.empty();
    }
    return Optional.of(Optional.ofNullable(lastSignal.get()).orElse("a signal"));
  }

  /** The exit code of the signal that came: 143 for SIGTERM, 130 otherwise. */
  int exitCode() {
    return "SIGTERM".equals(lastSignal.get()) ? ExitCodes.TERMINATED : ExitCodes.INTERRUPTED;
  }

  /**
   * The run's reports and console lines are written: the hook may let the JVM go; without a signal,
   * it goes.
   */
  void finished() {
    finished.countDown();
    if (!signalled.get()) {
      Runtime.getRuntime().removeShutdownHook(hook);
    }
  }

  /**
   * Notes the name of a signal before the JVM's own handler starts the shutdown, which it still
   * does. The handler API is the JDK's unsupported {@code sun.misc.Signal}, reached by reflection
   * (javac's warning about it cannot be silenced and warnings are errors here); where it is
   * missing, or the signal is ignored or left to the OS, nothing changes and the name stays
   * unknown.
   */
  private static void watch(String name) {
    try {
      Class<?> signalClass = Class.forName("sun.misc.Signal");
      Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
      Method handle = signalClass.getMethod("handle", signalClass, handlerClass);
      Method handlerMethod = handlerClass.getMethod("handle", signalClass);
      Object signal = signalClass.getConstructor(String.class).newInstance(name);
      Object[] previous = new Object[1];
      Object handler =
          Proxy.newProxyInstance(
              InterruptHook.class.getClassLoader(),
              new Class<?>[] {handlerClass},
              (proxy, method, arguments) ->
                  switch (method.getName()) {
                    case "handle" -> {
                      lastSignal.compareAndSet(null, "SIG" + name);
                      handlerMethod.invoke(previous[0], arguments[0]);
                      yield null;
                    }
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == arguments[0];
                    default -> "InterruptHook.watch(" + name + ")";
                  });
      previous[0] = handle.invoke(null, signal, handler);
      if (previous[0] == null
          || previous[0].equals(handlerClass.getField("SIG_DFL").get(null))
          || previous[0].equals(handlerClass.getField("SIG_IGN").get(null))
          || previous[0].getClass().getName().contains("Native")) {
        // The JVM did not handle this signal itself (ignored, or -Xrs): leave it as it was.
        handle.invoke(null, signal, previous[0]);
      }
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      // The name stays unknown; the shutdown hook works the same.
    }
  }
}
