package dev.dkrig.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dkrig.conformance.Scenarios;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 8 as a user runs it: {@code ./dkrig suite suites/conformance.yaml} in a process. */
class SuiteIT {
  @TempDir Path dir;

  @Test
  @DisplayName(
      "./dkrig suite suites/conformance.yaml: every scenario PASS, reports written, exit 0")
  void conformancePasses() throws Exception {
    Path reports = dir.resolve("reports");
    SuiteLauncher.Result r =
        SuiteLauncher.run(
            dir, "pass", "suite", "suites/conformance.yaml", "--report-dir", reports.toString());
    assertEquals(0, r.exit(), r.out() + r.err());
    assertEquals(Scenarios.names(), SuiteLauncher.passing(r.out()), r.out());
    int n = Scenarios.names().size();
    assertTrue(
        r.out()
            .contains(
                "Suite conformance: PASS ("
                    + n
                    + " scenario run(s): "
                    + n
                    + " PASS, 0 FAIL, 0 ERROR)"),
        r.out());
    JsonNode json = new ObjectMapper().readTree(reports.resolve("suite.json").toFile());
    assertEquals("PASS", json.get("verdict").asText());
    assertEquals(n, json.get("scenarios").size());
    assertTrue(reports.resolve("suite-junit.xml").toFile().length() > 0);
    assertEquals(Scenarios.names().size(), SuiteEvidenceCheck.check(reports, dir));
  }

  @Test
  @DisplayName(
      "--device-quirk accept-bad-evidence: exactly the scenarios that catch it (the two SPAKE2+"
          + " evidence ones) FAIL, exit 1")
  void quirkFailsItsScenarios() throws Exception {
    SuiteLauncher.Result r =
        SuiteLauncher.run(
            dir,
            "quirk",
            "suite",
            "suites/conformance.yaml",
            "--device-quirk",
            "accept-bad-evidence",
            "-q");
    assertEquals(1, r.exit(), r.out() + r.err());
    assertEquals(
        SuiteLauncher.catching("accept-bad-evidence"), SuiteLauncher.failing(r.out()), r.out());
    assertTrue(
        r.out().contains("SPAKE2+ VERIFY with a wrong M1 answered 9000 (success), expected 6A88"),
        r.out());
    assertTrue(
        r.out()
            .contains(
                "SPAKE2+ VERIFY with a Y that is not on the curve answered 9000 (success),"
                    + " expected 6A88"),
        r.out());
  }
}
