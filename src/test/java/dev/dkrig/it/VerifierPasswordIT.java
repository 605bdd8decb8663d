package dev.dkrig.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18 item 5 as a user meets it: {@code ./dkrig verifier} asking on a terminal without echo (a
 * pseudo-terminal from util-linux {@code script}), and {@code --password-env} with the variable
 * set. D1 of §17.2 gives the w0 below.
 */
class VerifierPasswordIT {
  @TempDir Path dir;

  private static final String D1_W0 =
      "w0: 6D4BC8194B425A09D7C6DDC1C6FAB259EFDB57D5C5BC66B2264EDED13EB3E67D";
  private static final List<String> D1 =
      List.of("verifier", "--salt", "000102030405060708090A0B0C0D0E0F", "--scrypt-n", "4096");

  @Test
  @DisplayName("--password-env NAME: the password from the variable, nothing on stderr")
  void environment() throws Exception {
    List<String> args = new ArrayList<>(D1);
    args.addAll(List.of("--password-env", "DKRIG_TEST_PASSWORD"));
    ProcessBuilder builder = new ProcessBuilder(SuiteLauncher.command(args));
    builder.environment().put("DKRIG_TEST_PASSWORD", "12345678");
    builder.environment().put("DKRIG_STATE_DIR", dir.resolve("state").toString());
    builder.redirectOutput(dir.resolve("env.out").toFile());
    builder.redirectError(dir.resolve("env.err").toFile());
    Process process = builder.start();
    assertTrue(process.waitFor(120, TimeUnit.SECONDS));
    String err = Files.readString(dir.resolve("env.err"));
    assertEquals(0, process.exitValue(), err);
    assertTrue(Files.readString(dir.resolve("env.out")).contains(D1_W0));
    assertEquals("", err);
  }

  @Test
  @DisplayName("on a terminal: a prompt that does not echo the typed password")
  void prompt() throws Exception {
    Path script = Path.of("/usr/bin/script");
    assumeTrue(Files.isExecutable(script), "util-linux script is not installed");
    String command = String.join(" ", SuiteLauncher.command(D1));
    ProcessBuilder builder =
        new ProcessBuilder(script.toString(), "-qec", command, "/dev/null")
            .redirectErrorStream(true);
    builder.environment().put("DKRIG_STATE_DIR", dir.resolve("state").toString());
    Process process = builder.start();
    StringBuilder seen = new StringBuilder();
    byte[] buffer = new byte[4096];
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    // Type only once the prompt is there, as a person would.
    while (!seen.toString().contains("not shown): ")) {
      assertTrue(System.nanoTime() < deadline, "no prompt: " + seen);
      int n = process.getInputStream().read(buffer);
      assertTrue(n >= 0, "dkrig ended before prompting: " + seen);
      seen.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
    }
    process.getOutputStream().write("12345678\r".getBytes(StandardCharsets.US_ASCII));
    process.getOutputStream().flush();
    seen.append(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    assertTrue(process.waitFor(120, TimeUnit.SECONDS));
    assertEquals(0, process.exitValue(), seen.toString());
    assertTrue(seen.toString().contains(D1_W0), seen.toString());
    assertFalse(seen.toString().contains("12345678"), "the typed password is not echoed");
  }
}
