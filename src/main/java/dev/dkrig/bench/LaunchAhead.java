package dev.dkrig.bench;

import dev.dkrig.ccc.spake2.ScryptParameters;
import dev.dkrig.pairing.VerifierSource;
import dev.dkrig.random.Draws;
import dev.dkrig.random.SecureDraws;
import dev.dkrig.random.SeededDraws;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 20: what a single pairing needs first, started at launch on the other core while the main
 * thread builds picocli's model (the longest part of the start): the vehicle profile is parsed (its
 * YAML, PKI and Jackson's classes), then P1.4's scrypt runs for the verifier the run will derive.
 *
 * <p>It works from a guess made from the raw arguments ({@link Guess}), and nothing it makes is
 * used unless it is exactly what the run asks for: the run takes the parsed profile only for the
 * same file with the same bytes ({@link #profile}), and {@code Crypto.scrypt} gives the run the
 * derivation only for the same password, salt and cost (it waits for one under way). The salt is
 * the run's first draw, as without this: with {@code --seed} it is that seed's first salt draw,
 * computed here from the seed; from the system's secure generator it is drawn here and handed to
 * the run as its first draw ({@link #secureSalt}). Nothing is derived ahead in test mode (a fixed
 * salt, N = 4096), for a dump without a seed (the dump records its draws), or with the ignition
 * off. A wrong guess costs only the other core's time.
 *
 * <p>The run's warm-up (issue 20) starts at launch too, on a thread of its own ({@link
 * WarmUp#startAtLaunch}).
 */
public final class LaunchAhead {
  private static final Logger LOG = LoggerFactory.getLogger(LaunchAhead.class);

  /**
   * What the raw arguments of a single {@code pair} say, as far as they can be read before picocli.
   *
   * @param profile {@code --profile}'s value
   * @param seed {@code --seed}'s value
   * @param testMode {@code --test-mode}
   * @param recorded {@code --dump} or {@code --with-dump}: the run records its draws
   */
  public record Guess(
      Optional<String> profile, OptionalLong seed, boolean testMode, boolean recorded) {}

  /** The profile parsed ahead, with what it was parsed from. */
  private record Parsed(ConfigSource source, byte[] bytes, VehicleProfile profile) {}

  private static CompletableFuture<Parsed> parsed;
  private static boolean taken;
  private static byte[] secureSalt;
  private static Thread thread;
  private static ScryptParameters derived;

  private LaunchAhead() {}

  /** Starts the thread; once per process. */
  public static synchronized void start(Guess guess) {
    if (parsed != null) {
      return;
    }
    CompletableFuture<Parsed> future = new CompletableFuture<>();
    parsed = future;
    thread =
        new Thread(
            () -> {
              try {
                run(guess, future);
              } finally {
                future.complete(null);
              }
            },
            "dkrig-ahead");
    thread.setDaemon(true);
    thread.start();
  }

  private static void run(Guess guess, CompletableFuture<Parsed> future) {
    ConfigSource source;
    byte[] bytes;
    Thread scrypt = null;
    try {
      source =
          guess.profile().isPresent()
              ? ConfigNames.fromEnvironment().profile(Path.of(guess.profile().get()))
              : ConfigSource.embedded(VehicleProfile.EMBEDDED);
      if (source instanceof ConfigSource.FileSource file && !Files.isRegularFile(file.path())) {
        // A FIFO or a device is read once, by the run.
        return;
      }
      bytes = ConfigNode.read(source);
      // The scrypt needs only the verifier's part of the YAML: it starts on a thread of its own
      // before the rest of the profile (its PKI) is parsed here.
      ConfigNode root = ConfigNode.parse(source, bytes);
      if (!guess.testMode()
          && VehicleProfile.ignitionOn(root)
          && VehicleProfile.verifier(root) instanceof VerifierSource.FromPassword fromPassword) {
        scrypt = derive(guess, fromPassword);
      }
      future.complete(new Parsed(source, bytes, VehicleProfile.parse(source, bytes)));
      StartupMarks.mark("profile ahead");
    } catch (RuntimeException e) {
      // The run loads the profile itself and reports what is wrong with it.
      LOG.debug("profile ahead: {}", e.toString());
    }
    if (scrypt != null) {
      try {
        scrypt.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Starts the derivation of the verifier the run will derive; null if there is none to start. */
  private static Thread derive(Guess guess, VerifierSource.FromPassword fromPassword) {
    byte[] salt = fromPassword.salt().orElse(null);
    if (salt == null && guess.seed().isPresent()) {
      salt =
          new SeededDraws(guess.seed().getAsLong())
              .bytes(Draws.Names.VERIFIER_SALT, VerifierAhead.SALT_LENGTH);
    } else if (salt == null && !guess.recorded()) {
      salt = SecureDraws.system().bytes(Draws.Names.VERIFIER_SALT, VerifierAhead.SALT_LENGTH);
      synchronized (LaunchAhead.class) {
        secureSalt = salt.clone();
      }
    }
    if (salt == null) {
      return null;
    }
    ScryptParameters scrypt =
        new ScryptParameters(salt, fromPassword.n(), fromPassword.r(), fromPassword.p());
    scrypt.validate();
    synchronized (LaunchAhead.class) {
      derived = scrypt;
    }
    return VerifierAhead.derive(fromPassword.password(), scrypt, "dkrig-verifier-ahead");
  }

  /**
   * The profile parsed at launch, if it is {@code source} with exactly these bytes; taken once.
   * Waits for a parse under way (it began at launch).
   */
  static VehicleProfile profile(ConfigSource source, byte[] bytes) {
    CompletableFuture<Parsed> future;
    synchronized (LaunchAhead.class) {
      future = parsed;
      if (future == null || taken) {
        return null;
      }
      // Taken once: a second load (a warm-up, another run) parses its own.
      taken = true;
    }
    Parsed ahead = future.join();
    // By class and name, not the records' equals: its first call spins ~30 method-handle classes
    // (java.lang.runtime.ObjectMethods) on the way to the first APDU.
    if (ahead == null
        || ahead.source().getClass() != source.getClass()
        || !ahead.source().displayName().equals(source.displayName())
        || !Arrays.equals(ahead.bytes(), bytes)) {
      return null;
    }
    return ahead.profile();
  }

  /**
   * The first verifier salt of a run on the system's secure generator, drawn at launch (from that
   * generator) for the derivation ahead; taken once, empty if none was drawn.
   */
  static synchronized Optional<byte[]> secureSalt() {
    byte[] salt = secureSalt;
    secureSalt = null;
    return Optional.ofNullable(salt);
  }

  /** Whether a thread was started at launch (a single pairing). */
  static synchronized boolean started() {
    return parsed != null;
  }

  /** Tests: waits for the thread, if one was started. */
  static void awaitForTests() throws InterruptedException {
    Thread started;
    synchronized (LaunchAhead.class) {
      started = thread;
    }
    if (started != null) {
      started.join();
    }
  }

  /** Tests: whether the thread (if any) has ended. */
  static synchronized boolean finishedForTests() {
    return thread == null || !thread.isAlive();
  }

  /** Tests: the scrypt parameters derived ahead, if any. */
  static synchronized Optional<ScryptParameters> derivedForTests() {
    return Optional.ofNullable(derived);
  }

  /** Tests: the secure salt not yet taken, or null. */
  static synchronized byte[] secureSaltForTests() {
    return secureSalt;
  }

  /** Tests: as at launch, nothing started. */
  static void resetForTests() throws InterruptedException {
    awaitForTests();
    synchronized (LaunchAhead.class) {
      parsed = null;
      taken = false;
      secureSalt = null;
      thread = null;
      derived = null;
    }
  }
}
