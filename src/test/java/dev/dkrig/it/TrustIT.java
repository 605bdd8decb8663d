package dev.dkrig.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 with the packaged tool, as several terminals on one bench would run it: processes that
 * share a state folder, and the environment of the process in the evidence.
 */
class TrustIT {
  @TempDir Path dir;

  private Process start(String name, Map<String, String> environment, String... args)
      throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of("dkrig").toAbsolutePath().toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("DKRIG_STATE_DIR", dir.resolve("state").toString());
    builder.environment().put("HOME", dir.toString());
    builder.environment().put("XDG_STATE_HOME", dir.resolve("xdg").toString());
    builder.environment().put("NO_COLOR", "1");
    builder.environment().putAll(environment);
    builder.redirectOutput(dir.resolve(name + ".out").toFile());
    builder.redirectError(dir.resolve(name + ".err").toFile());
    return builder.start();
  }

  private static int finish(Process process) throws Exception {
    assertTrue(process.waitFor(180, TimeUnit.SECONDS), "dkrig did not finish");
    return process.exitValue();
  }

  @Test
  @DisplayName(
      "§5.6: nine concurrent dkrig pair processes, provisioned verifier, wrong password: 7 VERIFYs")
  void nineProcessesShareTheCounter() throws Exception {
    Path profile = dev.dkrig.cli.TrustFixtures.provisionedProfile(dir.resolve("profile"));
    List<Process> processes = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      processes.add(
          start(
              "pair-" + i,
              Map.of(),
              "pair",
              "-q",
              "--profile",
              profile.toString(),
              "--device-password",
              "87654321",
              "--trace",
              dir.resolve("trace-" + i + ".txt").toString()));
    }
    long verifies = 0;
    for (int i = 0; i < 9; i++) {
      int exit = finish(processes.get(i));
      assertEquals(
          1, exit, Files.readString(dir.resolve("pair-" + i + ".err"), StandardCharsets.UTF_8));
      verifies +=
          Files.readAllLines(dir.resolve("trace-" + i + ".txt")).stream()
              .filter(l -> l.contains(" >> 80320000"))
              .count();
    }
    assertEquals(7, verifies, "VERIFY commands across the nine processes");
  }

  @Test
  @DisplayName("DKRIG_FOO_PASS=x and the IRK appear in no default output file")
  void environmentMasked() throws Exception {
    Path evidence = dir.resolve("evidence");
    int exit =
        finish(
            start(
                "pair",
                Map.of("DKRIG_FOO_PASS", "x", "DKRIG_READER_IGNORE", "nothing"),
                "pair",
                "-q",
                "--report-dir",
                evidence.toString()));
    assertEquals(0, exit, Files.readString(dir.resolve("pair.err")));
    try (Stream<Path> files = Files.list(evidence)) {
      for (Path file : files.toList()) {
        String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        assertFalse(text.contains("DKRIG_FOO_PASS=x"), file.toString());
        assertFalse(text.contains("\"DKRIG_FOO_PASS\":\"x\""), file.toString());
        assertFalse(text.contains("8899AABBCCDDEEFF0011223344556677"), file.toString());
      }
    }
    String trace = Files.readString(evidence.resolve("trace.txt"));
    assertTrue(trace.contains("DKRIG_FOO_PASS=****"), "masked, still listed");
    assertTrue(trace.contains("DKRIG_READER_IGNORE=nothing"), "allow-listed values shown");
  }
}
