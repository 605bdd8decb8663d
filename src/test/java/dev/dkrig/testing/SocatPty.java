package dev.dkrig.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A pty pair joined by socat, for serial-line tests (notes §3): {@code socat -d -d
 * pty,raw,echo=0,link=DIR/host pty,raw,echo=0,link=DIR/dev}. What is written to one link is read
 * from the other, as on a null-modem cable: the host side (dkrig's transport, libnfc) opens {@link
 * #host()}, the board side (the PN532 emulator) opens {@link #device()}.
 *
 * <p>{@link #start} returns once both links exist; {@link #close()} ends socat and waits for it, so
 * no process outlives the test. socat's own log goes to {@code DIR/socat.log}.
 *
 * <pre>{@code
 * try (SocatPty pty = SocatPty.start(tempDir)) {
 *   try (Pn532Emulator board = Pn532Emulator.serve(pty.device().toString(), card)) {
 *     ... new Pn532UartTransport(Pn532UartSettings.of(pty.host().toString(), tApdu)) ...
 *   }
 * }
 * }</pre>
 */
public final class SocatPty implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

  private final Process process;
  private final Path host;
  private final Path device;
  private final Path log;

  private SocatPty(Process process, Path host, Path device, Path log) {
    this.process = process;
    this.host = host;
    this.device = device;
    this.log = log;
  }

  /**
   * Starts socat with its links in {@code directory} and waits until both exist.
   *
   * @throws IllegalStateException when socat is not installed, exits early, or the links do not
   *     appear in time (with socat's log)
   */
  public static SocatPty start(Path directory) throws IOException, InterruptedException {
    requireSocat();
    Files.createDirectories(directory);
    Path host = directory.resolve("host");
    Path device = directory.resolve("dev");
    Path log = directory.resolve("socat.log");
    Files.deleteIfExists(host);
    Files.deleteIfExists(device);
    Process process =
        new ProcessBuilder(
                List.of(
                    "socat",
                    "-d",
                    "-d",
                    "pty,raw,echo=0,link=" + host,
                    "pty,raw,echo=0,link=" + device))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(nullDevice()))
            .start();
    SocatPty pty = new SocatPty(process, host, device, log);
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    // socat creates the links before its transfer loop; the log line says the loop runs.
    while (!(Files.exists(host) && Files.exists(device) && pty.log().contains("transfer loop"))) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "socat exited with " + process.exitValue() + " before the ptys existed: " + pty.log());
      }
      if (System.nanoTime() > deadline) {
        pty.close();
        throw new IllegalStateException(
            "socat's links did not appear within "
                + START_TIMEOUT.toSeconds()
                + " s: "
                + pty.log());
      }
      process.waitFor(10, TimeUnit.MILLISECONDS);
    }
    return pty;
  }

  /** Whether {@code socat} is on the PATH. */
  public static boolean available() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "socat"))) {
        return true;
      }
    }
    return false;
  }

  /** The end a host (dkrig's transport, {@code nfc-list}) opens. */
  public Path host() {
    return host;
  }

  /** The end the board (the emulator) opens. */
  public Path device() {
    return device;
  }

  /** socat's log so far. */
  public String log() {
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      return "(socat log unreadable: " + e.getMessage() + ")";
    }
  }

  /** Whether socat still runs (it stops when killed, or when {@link #close()} ran). */
  public boolean alive() {
    return process.isAlive();
  }

  /** Waits until socat has ended (after {@link #close()} from another thread, or a kill). */
  public boolean awaitExit(Duration wait) throws InterruptedException {
    return process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Ends socat (SIGTERM, then SIGKILL) and waits for it: both ptys disappear. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static void requireSocat() {
    if (!available()) {
      throw new IllegalStateException(
          "socat is not installed: the serial-line tests join two ptys with it; install the "
              + "Debian package socat (apt-get install socat)");
    }
  }

  private static java.io.File nullDevice() {
    return new java.io.File("/dev/null");
  }
}
