package dev.dkrig.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dkrig.testing.StepIds;
import java.io.IOException;
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
 * The README's commands, run as a user runs them: {@code ./dkrig} from the repository root, in a
 * separate process (STYLE: docs are tests).
 */
class ReadmeCommandsIT {
  @TempDir Path dir;

  record Result(int exit, String out, String err) {}

  private Result dkrig(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of("dkrig").toAbsolutePath().toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("DKRIG_STATE_DIR", dir.resolve("state").toString());
    builder.environment().put("NO_COLOR", "1");
    Path out = dir.resolve("out.txt");
    Path err = dir.resolve("err.txt");
    builder.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process process = builder.start();
    assertTrue(process.waitFor(120, TimeUnit.SECONDS), "dkrig did not finish");
    return new Result(
        process.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  @Test
  @DisplayName("README: ./dkrig pair reports every catalogue step in order, PASS, exit 0")
  void pair() throws Exception {
    Result r = dkrig("pair");
    assertEquals(0, r.exit(), r.out() + r.err());
    assertEquals(StepIds.catalogue(), StepIds.ofConsole(r.out()), r.out());
    assertTrue(r.out().contains("Verdict: PASS"));
  }

  @Test
  @DisplayName("README: ./dkrig pair --device-password 87654321 fails P2.3, exit 1, JSON written")
  void wrongPassword() throws Exception {
    Path json = dir.resolve("r.json");
    Result r = dkrig("pair", "--device-password", "87654321", "--json", json.toString());
    assertEquals(1, r.exit(), r.out() + r.err());
    assertTrue(
        r.out()
            .lines()
            .anyMatch(l -> l.startsWith("P2.3 ") && l.contains("FAIL") && l.contains("6A88")));
    assertTrue(Files.readString(json).contains("\"verdict\" : \"FAIL\""));
  }

  @Test
  @DisplayName("README: ./dkrig verifier prints D1's w0 and L")
  void verifier() throws Exception {
    Result r =
        dkrig(
            "verifier",
            "--password",
            "12345678",
            "--salt",
            "000102030405060708090A0B0C0D0E0F",
            "--scrypt-n",
            "4096");
    assertEquals(0, r.exit(), r.err());
    assertTrue(
        r.out().contains("w0: 6D4BC8194B425A09D7C6DDC1C6FAB259EFDB57D5C5BC66B2264EDED13EB3E67D"));
  }

  @Test
  @DisplayName("README: --test-mode reproduces T1 (DK identifier of §17.4.3)")
  void testMode() throws Exception {
    Result r = dkrig("pair", "--test-mode");
    assertEquals(0, r.exit(), r.out() + r.err());
    assertTrue(r.out().contains("0C8D4E37D6165CBA4ABA983518AAB9BAF47BE08B"), r.out());
  }
}
