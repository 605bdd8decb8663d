package dev.dkrig.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dkrig.ccc.fw.FrameworkCommands;
import dev.dkrig.iso7816.Hex;
import dev.dkrig.testing.Pcscd;
import dev.dkrig.testing.Poll;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.smartcardio.Card;
import javax.smartcardio.CardTerminal;
import javax.smartcardio.CommandAPDU;
import javax.smartcardio.TerminalFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code dkrig emulate}: its usage and configuration errors, and a run as a separate process. */
class EmulateCommandTest {
  private static final Duration WAIT = Duration.ofSeconds(15);

  @TempDir Path dir;
  private final List<Process> children = new ArrayList<>();

  @AfterEach
  void stopChildren() throws Exception {
    for (Process child : children) {
      child.destroyForcibly();
      child.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static CliRun run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = EmulateLauncher.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new CliRun(code, out.toString(), err.toString());
  }

  @Test
  @DisplayName("Without a target: usage error naming --vpcd, exit 2")
  void needsATarget() {
    CliRun r = run("emulate");
    assertEquals(ExitCodes.USAGE, r.exitCode(), r.err());
    assertTrue(r.err().contains("--vpcd"), r.err());
  }

  @Test
  @DisplayName("Bad values are usage errors (exit 2) with one line of cause")
  void usageErrors() {
    String[][] cases = {
      {"--vpcd", "localhost:port"},
      {"--vpcd", "--device-password", "123"},
      {"--vpcd", "--device-quirk", "grumpy"},
      {"--vpcd", "--vanish-after", "0"},
      {"--vpcd", "--reinsert-after", "2s"},
      {"--vpcd", "--vanish-after", "3", "--reinsert-after", "soon"},
      {"--vpcd", "--silence-limit", "0s"},
    };
    for (String[] args : cases) {
      String[] full = new String[args.length + 1];
      full[0] = "emulate";
      System.arraycopy(args, 0, full, 1, args.length);
      CliRun r = run(full);
      assertEquals(ExitCodes.USAGE, r.exitCode(), String.join(" ", args) + ": " + r.err());
      assertTrue(r.err().startsWith("dkrig: "), r.err());
    }
  }

  @Test
  @DisplayName("A rig file with a bad device password: exit 4, one line naming file and field")
  void configurationError() throws Exception {
    Path rig = dir.resolve("bad-rig.yaml");
    Files.writeString(rig, "transport: virtual\ndevice:\n  password: \"1234\"\n");
    CliRun r = run("emulate", "--vpcd", "--rig", rig.toString());
    assertEquals(ExitCodes.CONFIGURATION, r.exitCode(), r.err());
    assertEquals(1, r.err().lines().count(), r.err());
    assertTrue(r.err().startsWith("dkrig: configuration error: "), r.err());
    assertTrue(r.err().contains("bad-rig.yaml"), r.err());
    assertTrue(r.err().contains("password"), r.err());
    assertEquals("", r.out());
  }

  @Test
  @DisplayName("A rig file that does not exist: exit 4, one line naming it")
  void missingRig() {
    CliRun r = run("emulate", "--vpcd", "--rig", dir.resolve("nowhere.yaml").toString());
    assertEquals(ExitCodes.CONFIGURATION, r.exitCode(), r.err());
    assertEquals(1, r.err().lines().count(), r.err());
    assertTrue(r.err().contains("nowhere.yaml"), r.err());
  }

  @Test
  @DisplayName("--help names --vpcd and the Debian packages")
  void help() {
    CliRun r = run("emulate", "--help");
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("--vpcd[=HOST:PORT]"), r.out());
    assertTrue(r.out().contains("vsmartcard-vpcd"), r.out());
  }

  private Process dkrig(String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    // Surefire's own booter jar would do as well; this is the plain test classpath.
    command.add(
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
    command.add(EmulateLauncher.class.getName());
    command.addAll(List.of(args));
    Process child =
        new ProcessBuilder(command)
            .redirectOutput(dir.resolve("out.txt").toFile())
            .redirectError(dir.resolve("err.txt").toFile())
            .start();
    children.add(child);
    return child;
  }

  private String out() throws IOException {
    return Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8);
  }

  private String err() throws IOException {
    return Files.readString(dir.resolve("err.txt"), StandardCharsets.UTF_8);
  }

  /** SIGTERM, as a lab stops it: the emulation ends normally. */
  private void stop(Process child) throws Exception {
    child.destroy();
    assertTrue(child.waitFor(10, TimeUnit.SECONDS), "emulate did not stop on SIGTERM");
    assertEquals(0, child.exitValue(), err());
  }

  @Test
  @DisplayName("dkrig emulate --vpcd 127.0.0.1:36000 -v as a process: SELECT through PC/SC, exit 0")
  void servesThroughPcscd() throws Exception {
    Pcscd.shared();
    CardTerminal terminal =
        TerminalFactory.getInstance("PC/SC", null).terminals().getTerminal(Pcscd.READER_0);
    assertTrue(terminal.waitForCardAbsent(WAIT.toMillis()));
    Process child = dkrig("emulate", "--vpcd", "127.0.0.1:" + Pcscd.PORT_0, "-v");
    assertTrue(terminal.waitForCardPresent(WAIT.toMillis()), "no card: " + err());
    Card card = terminal.connect("*");
    try {
      assertEquals("3B80800101", Hex.encode(card.getATR().getBytes()));
      byte[] select = FrameworkCommands.selectFramework().bytes();
      assertEquals(
          "5A04010101005C0401010100D401029000",
          Hex.encode(card.getBasicChannel().transmit(new CommandAPDU(select)).getBytes()));
    } finally {
      card.disconnect(false);
    }
    stop(child);
    assertTrue(terminal.waitForCardAbsent(WAIT.toMillis()), "the card stayed after the stop");
    assertEquals(
        "dkrig emulate: serving the virtual device of embedded:rigs/virtual.yaml (password set)"
            + " as a contactless card (ATR 3B80800101) to vpcd at 127.0.0.1:36000; Ctrl-C stops\n",
        out());
    String err = err();
    assertTrue(err.contains(">> 00A40400 0D A000000809434343444B467631 00\n"), err);
    assertTrue(err.contains("<< 5A04010101005C0401010100D40102 9000 ("), err);
    assertTrue(err.contains("-- power on\n"), err);
    assertTrue(err.contains("dkrig emulate: stopped after 1 APDU(s)"), err);
  }

  @Test
  @DisplayName("vpcd not reachable: one line on stderr, no stack trace, keeps retrying; exit 0")
  void vpcdUnreachable() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    Process child = dkrig("emulate", "--vpcd", ":" + port);
    Poll.until(WAIT, () -> contains("not reachable"), this::errOrNothing);
    assertTrue(child.isAlive(), errOrNothing());
    stop(child);
    String err = err();
    assertEquals(1, err.lines().filter(l -> l.contains("not reachable")).count(), err);
    assertTrue(
        err.contains(
            "dkrig emulate: vpcd at 127.0.0.1:" + port + " not reachable (Connection refused)"),
        err);
    assertFalse(err.contains("\tat "), err);
    assertTrue(out().contains("to vpcd at 127.0.0.1:" + port), out());
  }

  private boolean contains(String text) {
    return errOrNothing().contains(text);
  }

  private String errOrNothing() {
    try {
      return err();
    } catch (IOException e) {
      return "";
    }
  }
}
