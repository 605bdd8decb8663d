package dev.dkrig.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code dkrig emulate --pn532-target}: its usage and path mistakes, each with one line. */
class EmulateTargetCommandTest {
  @TempDir Path dir;

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
  @DisplayName("--pn532-target with the wrong company: exit 2, one line naming the option")
  void usageErrors() {
    String board = dir.resolve("board").toString();
    String[][] cases = {
      {"--pn532-target", board},
      {"--pn532-target", board, "--pn532-uart", board},
      {"--pn532-target", board, "--vpcd", "--rig", "rigs/pcsc.yaml"},
      {"--pn532-target", board, "--vpcd", "--device-password", "12345678"},
      {"--pn532-target", board, "--vpcd", "--device-quirk", "wrong-key-slot"},
      {"--pn532-target", board, "--vpcd", "--test-mode", "--insecure-randomness"},
      {"--pn532-target", board, "--vpcd", "--vanish-after", "3"},
      {"--pn532-target", board, "--vpcd", "--tap-delay", "1s"},
      {"--pn532-target", board, "--vpcd", "--pn532-quirk", "no-auto-rats"},
    };
    for (String[] args : cases) {
      String[] full = new String[args.length + 1];
      full[0] = "emulate";
      System.arraycopy(args, 0, full, 1, args.length);
      CliRun r = run(full);
      assertEquals(ExitCodes.USAGE, r.exitCode(), String.join(" ", args) + ": " + r.err());
      assertTrue(r.err().startsWith("dkrig: "), r.err());
      assertEquals("", r.out());
    }
    assertTrue(
        run("emulate", "--pn532-target", board, "--vpcd", "--rig", "rigs/pcsc.yaml")
            .err()
            .startsWith(
                "dkrig: --rig does not work with --pn532-target: the device is the phone's"));
    assertFalse(Files.exists(Path.of(board)), "nothing made at the user's path");
  }

  @Test
  @DisplayName(
      "a PATH that is no serial device: exit 4, one line naming it, nothing made or deleted")
  void notASerialDevice() throws Exception {
    Path missing = dir.resolve("missing");
    Path file = Files.writeString(dir.resolve("file.txt"), "keep me");
    Path folder = Files.createDirectories(dir.resolve("folder"));
    String[][] cases = {
      {missing.toString(), "no such file"},
      {file.toString(), "not a serial device"},
      {folder.toString(), "not a serial device"},
      {"/dev/null", "cannot open it"},
    };
    for (String[] c : cases) {
      CliRun r = run("emulate", "--pn532-target", c[0], "--vpcd", "127.0.0.1:1");
      assertEquals(ExitCodes.CONFIGURATION, r.exitCode(), c[0] + ": " + r.err());
      assertEquals(1, r.err().lines().count(), r.err());
      assertTrue(
          r.err().startsWith("dkrig emulate: --pn532-target " + c[0] + ": " + c[1]), r.err());
      assertEquals("", r.out());
    }
    assertFalse(Files.exists(missing));
    assertEquals("keep me", Files.readString(file));
    assertTrue(Files.isDirectory(folder));
  }
}
