package dev.dkrig.it;

import dev.dkrig.testing.Pcscd;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The bench of the ITs that drive {@code ./dkrig} processes through PC/SC: their own pcscd with the
 * vpcd slots ({@link Pcscd}, started before the class's first test and stopped after its last), and
 * what a test starts on it: dkrig processes (ended after each test, newest first, forcibly when
 * they do not end in time) and other resources such as a socat pty pair (closed after them).
 * Register it with {@code @RegisterExtension static final LauncherBench BENCH = new
 * LauncherBench();}. The test JVM itself never opens a PC/SC context.
 */
final class LauncherBench implements BeforeAllCallback, AfterAllCallback, AfterEachCallback {
  /**
   * The vehicle's timers for the vehicle-suite ITs, given alike to {@code dkrig pair} (the vehicle)
   * and to the suite (the judge): short enough for a run of about a minute, long enough for a
   * loaded CI machine. Each NFC reset through pcscd (and the PN532 chain) adds 100-300 ms to a
   * T_KtsPollInterval as the phone measures it, more than a 200 ms timer's ±100 ms; a SPAKE2+
   * REQUEST's scrypt can take longer than 1 s (T_Apdu 3 s: slower-than-t-apdu answers after 4.3 s,
   * inside vpcd's 6 s silence limit).
   */
  static final List<String> VEHICLE_TIMERS =
      List.of("--timer", "T_Apdu=3s", "--timer", "T_KtsWait=5s", "--timer", "T_KtsPollInterval=2s");

  private static final Duration STOP_WAIT = Duration.ofSeconds(15);
  private static final Duration CARD_WAIT = Duration.ofSeconds(30);

  private Pcscd pcscd;
  private final Deque<AutoCloseable> owned = new ArrayDeque<>();

  @Override
  public void beforeAll(ExtensionContext context) {
    pcscd = Pcscd.standalone().start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (pcscd != null && pcscd.isRunning()) {
      pcscd.stop();
    }
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    Exception first = null;
    while (!owned.isEmpty()) {
      try {
        owned.pop().close();
      } catch (Exception e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  /** Starts {@code dkrig ARGS} ({@link SuiteLauncher#start}); it ends after the test. */
  Process start(Path dir, String name, List<String> args) throws IOException, InterruptedException {
    Process process = SuiteLauncher.start(dir, name, args);
    owned.push(() -> stop(process));
    return process;
  }

  /** {@code resource} is closed after the test, after the processes started later. */
  <T extends AutoCloseable> T own(T resource) {
    owned.push(resource);
    return resource;
  }

  /**
   * Waits until pcscd reports a card in reader 00 00 ({@code present}) or none, asking {@code dkrig
   * readers} as a user would.
   *
   * @param logs what the processes said, for the failure's message
   */
  void awaitCard(Path dir, boolean present, Supplier<String> logs) throws Exception {
    Instant deadline = Instant.now().plus(CARD_WAIT);
    while (Instant.now().isBefore(deadline)) {
      SuiteLauncher.Result readers = SuiteLauncher.run(dir, "readers", "readers");
      boolean card =
          readers.out().lines().anyMatch(l -> l.contains(Pcscd.READER_0) && l.contains("card"));
      if (card == present) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError(
        "the card in "
            + Pcscd.READER_0
            + (present ? " never appeared: " : " never left: ")
            + logs.get());
  }

  private static void stop(Process process) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(STOP_WAIT.toSeconds(), TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
