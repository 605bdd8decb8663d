package dev.dkrig.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18 item 5: the verifier's password off the command line. D1 of §17.2 (password 12345678,
 * this salt, N = 4096) gives the w0 below whichever way the password comes. The terminal prompt and
 * {@code --password-env} with a set variable run in {@code VerifierPasswordIT}.
 */
class VerifierPasswordTest {
  @TempDir Path dir;

  private static final String D1_W0 =
      "w0: 6D4BC8194B425A09D7C6DDC1C6FAB259EFDB57D5C5BC66B2264EDED13EB3E67D";
  private static final String[] D1 = {
    "verifier", "--salt", "000102030405060708090A0B0C0D0E0F", "--scrypt-n", "4096"
  };

  private static String[] d1(String... more) {
    String[] args = java.util.Arrays.copyOf(D1, D1.length + more.length);
    System.arraycopy(more, 0, args, D1.length, more.length);
    return args;
  }

  private static CliRun withStdin(String input, String... args) {
    InputStream before = System.in;
    System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
    try {
      return CliRun.of(args);
    } finally {
      System.setIn(before);
    }
  }

  @Test
  @DisplayName("standard input: the first line is the password, nothing on stderr")
  void standardInput() {
    CliRun run = withStdin("12345678\n", d1());
    assertEquals(0, run.exitCode(), run.err());
    assertTrue(run.out().contains(D1_W0), run.out());
    assertEquals("", run.err());
  }

  @Test
  @DisplayName("--password-file: the first line, CRLF or none; a missing file is one line, exit 4")
  void passwordFile() throws Exception {
    Path file = dir.resolve("pw.txt");
    Files.writeString(file, "12345678\r\n");
    CliRun run = CliRun.of(d1("--password-file", file.toString()));
    assertEquals(0, run.exitCode(), run.err());
    assertTrue(run.out().contains(D1_W0), run.out());
    Path missing = dir.resolve("nope.txt");
    CliRun gone = CliRun.of(d1("--password-file", missing.toString()));
    assertEquals(4, gone.exitCode(), gone.err());
    assertEquals(
        "dkrig: --password-file " + missing + ": cannot read it: no such file", gone.err().strip());
    assertEquals("", gone.out());
  }

  @Test
  @DisplayName("--password-env with an unset variable: one line naming it, exit 4")
  void unsetVariable() {
    String name = "DKRIG_TEST_UNSET_" + Long.toHexString(System.nanoTime());
    CliRun run = CliRun.of(d1("--password-env", name));
    assertEquals(4, run.exitCode(), run.err());
    assertEquals("dkrig: --password-env " + name + ": the variable is not set", run.err().strip());
  }

  @Test
  @DisplayName("--password still works, with a warning on stderr about ps and shell history")
  void plainPasswordWarns() {
    CliRun run = CliRun.of(d1("--password", "12345678"));
    assertEquals(0, run.exitCode(), run.err());
    assertTrue(run.out().contains(D1_W0), run.out());
    assertTrue(run.err().contains("WARNING: --password shows in 'ps'"), run.err());
    assertTrue(run.err().contains("shell history"), run.err());
    assertFalse(run.out().contains("WARNING"), "the warning stays off stdout");
  }

  @Test
  @DisplayName("usage: two sources, an empty standard input, a bad password (never echoed): exit 2")
  void usage() throws Exception {
    Path file = dir.resolve("pw.txt");
    Files.writeString(file, "12345678\n");
    CliRun two = CliRun.of(d1("--password", "12345678", "--password-file", file.toString()));
    assertEquals(2, two.exitCode(), two.err());
    assertTrue(two.err().contains("one way only"), two.err());
    CliRun empty = withStdin("", d1());
    assertEquals(2, empty.exitCode(), empty.err());
    assertTrue(empty.err().contains("standard input is empty"), empty.err());
    CliRun bad = withStdin("1234abcd\n", d1());
    assertEquals(2, bad.exitCode(), bad.err());
    assertTrue(bad.err().contains("8 digits"), bad.err());
    assertFalse(bad.err().contains("1234abcd"), "the password is never echoed");
  }
}
