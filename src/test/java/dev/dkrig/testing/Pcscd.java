package dev.dkrig.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * A pcscd owned by the tests, with two vpcd reader slots of its own: {@value #READER_0} (TCP port
 * {@value #PORT_0}) and {@value #READER_1} ({@value #PORT_1}). A machine has one pcscd, so PC/SC
 * tests own it for their duration.
 *
 * <p>Two ways to use it:
 *
 * <ul>
 *   <li>{@link #shared()} in every surefire test that uses javax.smartcardio: pcscd starts once per
 *       test JVM and stops in a shutdown hook. The JDK's PC/SC context is static per JVM and dies
 *       for good ({@code SCARD_E_NO_SERVICE}, even for a new {@code TerminalFactory}) if pcscd
 *       restarts under it, so a JVM that talks PC/SC must see one pcscd lifetime.
 *   <li>{@link #standalone()} with {@link #start()} and {@link #stop()} for tests that only drive
 *       other processes (the card server, child JVMs, {@code pcsc_scan}) and may restart pcscd
 *       freely, e.g. to check that a card reconnects.
 * </ul>
 *
 * <p>Why each step (verified on Debian 12, pcscd 1.9.9, vsmartcard-vpcd 3.3):
 *
 * <ul>
 *   <li>A private reader directory, passed with {@code -c}, replaces {@code /etc/reader.conf.d}:
 *       the tests do not depend on the distribution's {@code vpcd} file, and reader names and ports
 *       are ours. {@code DEVICENAME /dev/null:0x8CA0} is port 36000; each entry gives two slots, on
 *       that port and the next.
 *   <li>Even in the foreground pcscd writes {@code /run/pcscd/pcscd.pid} and the socket {@code
 *       /run/pcscd/pcscd.comm}; after a {@code kill -9} they stay and the next pcscd exits with
 *       "Another pcscd seems to be running". They are removed only when the pid in the file is dead
 *       (the file may end in a NUL).
 *   <li>pcscd 1.9.9 ignores {@code PCSCLITE_CSOCK_NAME}: two daemons cannot run side by side, so a
 *       live pcscd that the tests did not start is refused, never killed.
 *   <li>{@code --debug --apdu} logs every APDU and SW, handy in CI artifacts ({@code
 *       target/it/pcscd/pcscd.log}).
 *   <li>Ready means the socket exists and both vpcd ports listen (read from {@code /proc/net/tcp},
 *       because connecting to a vpcd port would insert a card): about 30 ms after the start.
 *   <li>SIGTERM makes pcscd clean {@code /run/pcscd}; the stop checks it did.
 * </ul>
 */
public final class Pcscd {
  public static final String READER_0 = "dkrig vpcd 00 00";
  public static final String READER_1 = "dkrig vpcd 00 01";
  public static final int PORT_0 = 36000;
  public static final int PORT_1 = 36001;

  static final Path RUN_DIR = Path.of("/run/pcscd");
  static final String FRIENDLY_NAME = "dkrig vpcd";
  private static final List<Path> DRIVERS =
      List.of(
          Path.of("/usr/lib/pcsc/drivers/serial/libifdvpcd.so"),
          Path.of("/usr/lib64/pcsc/drivers/serial/libifdvpcd.so"),
          Path.of("/usr/local/lib/pcsc/drivers/serial/libifdvpcd.so"));
  private static final List<Path> DAEMONS =
      List.of(Path.of("/usr/sbin/pcscd"), Path.of("/usr/local/sbin/pcscd"));
  private static final Duration START_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration POLL = Duration.ofMillis(5);

  private static Pcscd shared;
  private static RuntimeException sharedFailure;

  /** The instance whose pcscd runs now, in this JVM. */
  private static Pcscd owner;

  private static boolean logStarted;

  private final Path directory;
  private final Path runDirectory;
  private Process process;

  private Pcscd(Path directory, Path runDirectory) {
    this.directory = directory;
    this.runDirectory = runDirectory;
  }

  /**
   * The test JVM's pcscd, started on first use and stopped when the JVM exits.
   *
   * @throws IllegalStateException when pcscd or vpcd is not installed, or another pcscd runs
   */
  public static synchronized Pcscd shared() {
    if (sharedFailure != null) {
      throw new IllegalStateException(sharedFailure.getMessage(), sharedFailure);
    }
    if (shared == null) {
      Pcscd instance = standalone();
      try {
        instance.start();
      } catch (RuntimeException e) {
        sharedFailure = e;
        throw e;
      }
      Runtime.getRuntime()
          .addShutdownHook(new Thread(Pcscd::stopShared, "dkrig-pcscd-shared-stop"));
      shared = instance;
    }
    return shared;
  }

  private static void stopShared() {
    try {
      shared.stop();
    } catch (RuntimeException e) {
      System.err.println("dkrig tests: stopping the shared pcscd: " + e.getMessage());
    }
  }

  /** A pcscd this test starts and stops itself (not for tests that use javax.smartcardio). */
  public static Pcscd standalone() {
    return new Pcscd(projectDirectory().resolve("target/it/pcscd"), RUN_DIR);
  }

  /** {@code target/it/pcscd}: the reader directory and the log. */
  public Path directory() {
    return directory;
  }

  public Path readersDirectory() {
    return directory.resolve("readers");
  }

  public Path log() {
    return directory.resolve("pcscd.log");
  }

  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  public synchronized long pid() {
    if (process == null) {
      throw new IllegalStateException("pcscd is not running");
    }
    return process.pid();
  }

  /**
   * Starts pcscd and waits until it is ready (socket and both vpcd ports). Does nothing if this
   * instance runs it already.
   *
   * @throws IllegalStateException when pcscd or the vpcd driver is not installed, when a pcscd this
   *     JVM did not start runs, or when pcscd does not come up (its log tail is in the message)
   */
  public synchronized Pcscd start() {
    if (isRunning()) {
      return this;
    }
    Path daemon = installed(DAEMONS, "pcscd", "pcscd");
    Path driver = installed(DRIVERS, "the vpcd driver libifdvpcd.so", "vsmartcard-vpcd");
    synchronized (Pcscd.class) {
      if (owner != null && owner != this) {
        throw new IllegalStateException(
            "pcscd already runs in this JVM for another Pcscd"
                + (owner == shared ? " (Pcscd.shared()): use Pcscd.shared() here too" : "")
                + "; a machine has one pcscd");
      }
      owner = this;
    }
    try {
      clearStaleFiles(runDirectory);
      writeReaders(driver);
      process = launch(daemon);
      awaitReady();
      return this;
    } catch (RuntimeException e) {
      if (process != null) {
        process.destroyForcibly();
        waitFor(process, STOP_TIMEOUT);
        process = null;
        clearStaleFiles(runDirectory);
      }
      release();
      throw e;
    }
  }

  /**
   * Stops pcscd with SIGTERM and checks it removed its pid file and socket. Does nothing if it is
   * not running.
   */
  public synchronized void stop() {
    if (process == null) {
      return;
    }
    Process running = process;
    process = null;
    try {
      running.destroy();
      if (!waitFor(running, STOP_TIMEOUT)) {
        running.destroyForcibly();
        waitFor(running, STOP_TIMEOUT);
        clearStaleFiles(runDirectory);
        throw new IllegalStateException(
            "pcscd (pid " + running.pid() + ") ignored SIGTERM for " + STOP_TIMEOUT + ": killed");
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
      while (Files.exists(pidFile(runDirectory)) || Files.exists(socket(runDirectory))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "pcscd exited (status "
                  + running.exitValue()
                  + ") but left "
                  + runDirectory
                  + " behind: see "
                  + log());
        }
        pause();
      }
    } finally {
      release();
    }
  }

  private void release() {
    synchronized (Pcscd.class) {
      if (owner == this) {
        owner = null;
      }
    }
  }

  // ---- steps ----

  /**
   * Removes the pid file and socket of a pcscd that died without cleaning up; refuses when a live
   * pcscd owns them.
   */
  static void clearStaleFiles(Path runDirectory) {
    Path pidFile = pidFile(runDirectory);
    Path socket = socket(runDirectory);
    OptionalLong pid = readPid(pidFile);
    if (pid.isPresent()) {
      if (isLive(pid.getAsLong())) {
        throw foreignPcscd(pid.getAsLong());
      }
      delete(pidFile);
      delete(socket);
      return;
    }
    if (Files.exists(socket)) {
      if (answers(socket)) {
        // No pid file but a live socket: typically systemd's socket activation.
        throw new IllegalStateException(
            "something answers on "
                + socket
                + " (systemd's pcscd.socket?): PC/SC tests need their own pcscd. Stop it first:"
                + " systemctl stop pcscd.socket pcscd.service");
      }
      delete(socket);
    }
    // A pcscd without files (starting up, or its run directory elsewhere) is refused too; one this
    // JVM started is the caller's own business (Pcscd refuses a second one by itself).
    long self = ProcessHandle.current().pid();
    Optional<ProcessHandle> other =
        ProcessHandle.allProcesses()
            .filter(p -> p.info().command().map(c -> c.endsWith("/pcscd")).orElse(false))
            .filter(p -> p.parent().map(parent -> parent.pid() != self).orElse(true))
            .filter(p -> isLive(p.pid()))
            .findFirst();
    if (other.isPresent()) {
      throw foreignPcscd(other.get().pid());
    }
  }

  private static IllegalStateException foreignPcscd(long pid) {
    return new IllegalStateException(
        "a pcscd that these tests did not start is running (pid "
            + pid
            + "); PC/SC tests need their own pcscd with the dkrig vpcd readers, and a machine has"
            + " one. Stop it first: kill "
            + pid
            + " (under systemd: systemctl stop pcscd.socket pcscd.service)");
  }

  private void writeReaders(Path driver) {
    try {
      Files.createDirectories(readersDirectory());
      Files.writeString(readersDirectory().resolve("dkrig-vpcd"), readerConfig(driver));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + readersDirectory(), e);
    }
  }

  /** One vpcd entry: slots on {@value #PORT_0} and {@value #PORT_1}. */
  static String readerConfig(Path driver) {
    String channel = String.format(Locale.ROOT, "0x%04X", PORT_0);
    return "FRIENDLYNAME \""
        + FRIENDLY_NAME
        + "\"\n"
        + "DEVICENAME /dev/null:"
        + channel
        + "\n"
        + "LIBPATH "
        + driver
        + "\n"
        + "CHANNELID "
        + channel
        + "\n";
  }

  private Process launch(Path daemon) {
    ProcessBuilder builder =
        new ProcessBuilder(
                daemon.toString(),
                "--foreground",
                "--debug",
                "--apdu",
                "-c",
                readersDirectory().toAbsolutePath().toString())
            .redirectErrorStream(true);
    // One log per test JVM: truncated at the first start, appended to on restarts.
    synchronized (Pcscd.class) {
      builder.redirectOutput(
          logStarted
              ? ProcessBuilder.Redirect.appendTo(log().toFile())
              : ProcessBuilder.Redirect.to(log().toFile()));
      logStarted = true;
    }
    try {
      return builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + daemon, e);
    }
  }

  private void awaitReady() {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (!(Files.exists(socket(runDirectory)) && listening(PORT_0) && listening(PORT_1))) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "pcscd exited with status " + process.exitValue() + " at start:\n" + logTail());
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "pcscd was not ready (socket and vpcd ports "
                + PORT_0
                + ", "
                + PORT_1
                + ") within "
                + START_TIMEOUT
                + ":\n"
                + logTail());
      }
      pause();
    }
  }

  // ---- helpers ----

  static Path installed(List<Path> candidates, String what, String debianPackage) {
    return candidates.stream()
        .filter(Files::isRegularFile)
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalStateException(
                    what
                        + " is not installed (looked for "
                        + String.join(", ", candidates.stream().map(Path::toString).toList())
                        + "): apt-get install "
                        + debianPackage));
  }

  static Path pidFile(Path runDirectory) {
    return runDirectory.resolve("pcscd.pid");
  }

  static Path socket(Path runDirectory) {
    return runDirectory.resolve("pcscd.comm");
  }

  /** The pid in pcscd's pid file, which may carry a trailing NUL. */
  static OptionalLong readPid(Path pidFile) {
    try {
      String text = Files.readString(pidFile, StandardCharsets.US_ASCII).replace("\0", "").trim();
      return text.matches("[0-9]+") ? OptionalLong.of(Long.parseLong(text)) : OptionalLong.empty();
    } catch (IOException e) {
      return OptionalLong.empty();
    }
  }

  /** Alive and not a zombie: a killed pcscd that nobody reaped holds no files. */
  static boolean isLive(long pid) {
    if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
      return false;
    }
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      int end = stat.lastIndexOf(')');
      return end < 0 || end + 2 >= stat.length() || stat.charAt(end + 2) != 'Z';
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean answers(Path socket) {
    try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      channel.connect(UnixDomainSocketAddress.of(socket));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Whether something listens on this IPv4 or IPv6 TCP port, without connecting to it. */
  static boolean listening(int port) {
    String local = String.format(Locale.ROOT, ":%04X", port);
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      try (Stream<String> lines = Files.lines(Path.of(table))) {
        boolean found =
            lines
                .skip(1)
                .map(String::trim)
                .map(l -> l.split("\\s+"))
                .anyMatch(f -> f.length > 3 && f[1].endsWith(local) && f[3].equals("0A"));
        if (found) {
          return true;
        }
      } catch (IOException e) {
        // No IPv6 table on this kernel: the other one decides.
      }
    }
    return false;
  }

  private String logTail() {
    try {
      List<String> lines = Files.readAllLines(log(), StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()))
          + "\n(full log: "
          + log()
          + ")";
    } catch (IOException e) {
      return "(no log at " + log() + ")";
    }
  }

  private static Path projectDirectory() {
    String basedir = System.getProperty("basedir");
    return Path.of(basedir != null ? basedir : "").toAbsolutePath();
  }

  private static void delete(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove the stale " + file, e);
    }
  }

  private static boolean waitFor(Process process, Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The step between two looks at something the tests poll with a deadline. */
  private static void pause() {
    try {
      Thread.sleep(POLL.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for pcscd", e);
    }
  }
}
