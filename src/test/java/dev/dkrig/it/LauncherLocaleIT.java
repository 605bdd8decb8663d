package dev.dkrig.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./dkrig} under the C locale (a bare container, cron, {@code LC_ALL=C} in a CI job): Java
 * would read the command line as ASCII, every non-ASCII character a '?'; the launcher runs the JVM
 * under C.UTF-8 when the system has it (as Python does, PEP 538), so a DUT name and a report path
 * arrive intact.
 */
class LauncherLocaleIT {
  @TempDir Path dir;

  @Test
  @DisplayName(
      "LC_ALL=C ./dkrig pair --dut \"Café\": the JSON report names Café, at the path é.json")
  void cLocaleKeepsNonAscii() throws Exception {
    assumeTrue(
        new String(
                new ProcessBuilder("locale", "-a").start().getInputStream().readAllBytes(),
                StandardCharsets.UTF_8)
            .lines()
            .anyMatch(l -> l.equalsIgnoreCase("C.UTF-8") || l.equalsIgnoreCase("C.utf8")),
        "this system has no C.UTF-8 locale to run Java under");
    Path json = dir.resolve("é.json");
    ProcessBuilder builder =
        new ProcessBuilder(
            List.of(
                Path.of("dkrig").toAbsolutePath().toString(),
                "pair",
                "-q",
                "--dut",
                "Café",
                "--json",
                json.toString()));
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(k -> k.startsWith("LC_") || k.equals("LANG"));
    env.put("LC_ALL", "C");
    env.put("HOME", dir.toString());
    env.put("XDG_CONFIG_HOME", dir.resolve("config").toString());
    env.put("XDG_CACHE_HOME", dir.resolve("cache").toString());
    env.put("XDG_STATE_HOME", dir.resolve("xdg-state").toString());
    env.put("DKRIG_STATE_DIR", dir.resolve("state").toString());
    env.put("NO_COLOR", "1");
    builder.redirectOutput(dir.resolve("out.txt").toFile());
    builder.redirectError(dir.resolve("err.txt").toFile());
    Process process = builder.start();
    assertTrue(process.waitFor(120, TimeUnit.SECONDS), "dkrig did not finish");
    String err = Files.readString(dir.resolve("err.txt"), StandardCharsets.UTF_8);
    assertEquals(0, process.exitValue(), err);
    assertTrue(Files.exists(json), "the report at its non-ASCII path: " + err);
    String report = Files.readString(json, StandardCharsets.UTF_8);
    assertTrue(report.contains("\"dut\" : \"Café\""), report);
    assertTrue(report.contains("--dut Café") || report.contains("--dut 'Café'"), report);
  }
}
