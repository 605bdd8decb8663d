package dev.dkrig.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 15: each user mistake ends 2, 3 or 4 with one line naming it, never 70. */
class MistakesTest {
  @TempDir Path dir;

  private String state() {
    return dir.resolve("state").toString();
  }

  /** The default profile with its key files found from the test's folder, edited. */
  private Path profile(String from, String to) throws Exception {
    Path profile = dir.resolve("profile.yaml");
    String text =
        Files.readString(Path.of("profiles/default.yaml"))
            .replace("test-pki/", Path.of("profiles/test-pki").toAbsolutePath() + "/");
    assertTrue(text.contains(from), from);
    Files.writeString(profile, text.replace(from, to));
    return profile;
  }

  private static void oneLine(CliRun run, int exit, String... needles) {
    assertEquals(exit, run.exitCode(), run.out() + run.err());
    for (String needle : needles) {
      assertTrue(run.err().contains(needle), needle + " in: " + run.err());
    }
    assertFalse(run.err().contains("Exception"), run.err());
  }

  @Test
  @DisplayName("item 4: --scrypt-n over the §18.11 limit or not a power of two: exit 2 at once")
  void scryptCostOnCommandLine() {
    CliRun run = CliRun.of("verifier", "--password", "12345678", "--scrypt-n", "1073741824");
    oneLine(run, 2, "512 MiB", "§18.11", "N = 1073741824");
    run = CliRun.of("verifier", "--password", "12345678", "--scrypt-n", "3");
    oneLine(run, 2, "power of two");
    run = CliRun.of("verifier", "--password", "12345678", "--scrypt-r", "65535");
    oneLine(run, 2, "512 MiB");
  }

  @Test
  @DisplayName("item 4: a test profile whose scrypt cost is over the limit: exit 4 before the run")
  void scryptCostInProfile() throws Exception {
    Path profile = profile("  N: 32768\n", "  N: 4194304\n");
    CliRun run = CliRun.of("pair", "--state-dir", state(), "--profile", profile.toString());
    oneLine(run, 4, profile.toString(), "verifier.N", "512 MiB");
    assertEquals(1, run.err().lines().count(), run.err());
  }

  @Test
  @DisplayName("item 7: a unitless duration on the command line is a usage error with a hint")
  void unitlessDurations() {
    oneLine(CliRun.of("pair", "--timer", "T_Apdu=50"), 2, "write 50ms or 50s");
    oneLine(CliRun.of("pair", "--inject-fault", "delay:200@3"), 2, "write 200ms or 200s");
    oneLine(CliRun.of("pair", "--timer", "T_Apdu=2d"), 2, "not a duration");
    oneLine(CliRun.of("pair", "--timer", "T_Apdu=25h"), 2, "longer than a day");
  }

  @Test
  @DisplayName("item 5: a fault that never fired makes the run ERROR (exit 3), in every report")
  void faultNeverFired() throws Exception {
    Path reports = dir.resolve("evidence");
    CliRun run =
        CliRun.of(
            "pair",
            "--state-dir",
            state(),
            "--inject-fault",
            "tag-lost@999",
            "--report-dir",
            reports.toString());
    assertEquals(3, run.exitCode(), run.out() + run.err());
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile(
                "fault tag-lost@999 never fired: the run had (\\d+) exchanges")
            .matcher(run.out());
    assertTrue(m.find(), run.out());
    String problem = m.group();
    assertTrue(run.out().contains("Verdict: ERROR"), run.out());
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    var report = json.readTree(reports.resolve("report.json").toFile());
    assertEquals("ERROR", report.get("verdict").asText());
    assertEquals(problem, report.get("runProblems").get(0).asText());
    assertTrue(Files.readString(reports.resolve("junit.xml")).contains(problem));
    assertTrue(Files.readString(reports.resolve("report.html")).contains(problem));
    List<String> events = Files.readAllLines(reports.resolve("events.jsonl"));
    assertTrue(events.get(events.size() - 1).contains(problem), events.get(events.size() - 1));

    // A FAIL stays a FAIL, with the note beside it.
    run =
        CliRun.of(
            "pair",
            "--state-dir",
            state(),
            "--device-password",
            "87654321",
            "--inject-fault",
            "flip-byte@999");
    assertEquals(1, run.exitCode(), run.out() + run.err());
    assertTrue(run.out().contains("fault flip-byte@999 never fired"), run.out());
  }
}
