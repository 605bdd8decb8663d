package dev.dkrig.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dkrig.pairing.Step;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.surefire.log.api.NullConsoleLogger;
import org.apache.maven.plugins.surefire.report.ReportTestCase;
import org.apache.maven.plugins.surefire.report.ReportTestSuite;
import org.apache.maven.plugins.surefire.report.TestSuiteXmlParser;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issues 7, 9 and 10: many runs in one process, their folders and the summary at the top. */
class CampaignTest {
  @TempDir Path dir;

  private CliRun pair(String... args) {
    List<String> all = new ArrayList<>(List.of("pair", "--state-dir", dir.resolve("s").toString()));
    all.addAll(List.of(args));
    return CliRun.of(all.toArray(String[]::new));
  }

  @Test
  @DisplayName("--repeat 3 --parallel 2 --report-dir: a folder per run, summary, combined JUnit")
  void repeatParallel() throws Exception {
    Path d = dir.resolve("soak");
    CliRun run =
        pair(
            "--repeat",
            "3",
            "--parallel",
            "2",
            "--seed",
            "5",
            "--report-dir",
            d.toString(),
            "--with-dump");
    assertEquals(0, run.exitCode(), run.out() + run.err());
    for (String label : List.of("run-0001", "run-0002", "run-0003")) {
      for (String file :
          List.of(
              "report.json",
              "junit.xml",
              "capture.pcapng",
              "trace.txt",
              "events.jsonl",
              "run.dump",
              "report.html")) {
        assertTrue(Files.isRegularFile(d.resolve(label).resolve(file)), label + "/" + file);
      }
      assertTrue(run.out().lines().anyMatch(l -> l.startsWith(label + "  PASS")), run.out());
    }
    assertTrue(run.out().contains("Summary: 3 run(s): 3 PASS, 0 FAIL, 0 ERROR"), run.out());
    assertTrue(run.out().contains("host turnaround  median"), run.out());

    JsonNode summary = new ObjectMapper().readTree(d.resolve("summary.json").toFile());
    assertEquals("dkrig-summary/1", summary.get("schema").asText());
    assertEquals("PASS", summary.get("verdict").asText());
    assertEquals(3, summary.get("runs").asInt());
    assertEquals(3, summary.get("verdicts").get("PASS").asInt());
    assertEquals(2, summary.get("sideBySide").asInt());
    assertTrue(summary.get("pairingsPerSecond").asDouble() > 0);
    assertTrue(summary.get("turnaround").get("count").asInt() >= 3 * 20);
    assertEquals(3, summary.get("steps").get("P2.3").get("count").asInt());
    assertEquals("run-0002", summary.get("list").get(1).get("label").asText());
    String html = Files.readString(d.resolve("summary.html"));
    assertTrue(html.contains("<a href=\"run-0003/report.html\">run-0003</a>"), html);

    // Seeds: run i had seed 5 + i - 1, so run 2 replays with the seed 6 in its dump.
    assertTrue(Files.readString(d.resolve("run-0002/run.dump")).contains("\nseed 6\n"));
    CliRun replay = CliRun.of("replay", d.resolve("run-0002/run.dump").toString());
    assertEquals(0, replay.exitCode(), replay.out() + replay.err());

    List<ReportTestSuite> suites = junit(d.resolve("junit.xml"));
    List<ReportTestCase> cases = new ArrayList<>();
    suites.forEach(s -> cases.addAll(s.getTestCases()));
    assertEquals(3 * Step.catalogue().size(), cases.size());
    assertTrue(
        cases.stream().anyMatch(c -> c.getFullClassName().equals("run-0003.Phase 4")),
        "every run's testcases under its own package");
  }

  @Test
  @DisplayName("--repeat 2 with a wrong password: every run FAILs, summary FAIL, exit 1")
  void repeatFailing() throws Exception {
    Path json = dir.resolve("summary.json");
    CliRun run =
        pair(
            "--repeat",
            "2",
            "--device-password",
            "87654321",
            "--json",
            json.toString(),
            "--junit",
            dir.resolve("all.xml").toString());
    assertEquals(1, run.exitCode(), run.out() + run.err());
    JsonNode summary = new ObjectMapper().readTree(json.toFile());
    assertEquals("FAIL", summary.get("verdict").asText());
    assertEquals(2, summary.get("verdicts").get("FAIL").asInt());
    assertTrue(
        summary.get("list").get(0).get("firstProblem").asText().startsWith("P2.3 FAIL"),
        summary.toString());
    assertTrue(run.out().contains("run-0001 FAIL: P2.3 FAIL"), run.out());
    List<ReportTestSuite> suites = junit(dir.resolve("all.xml"));
    int failures = suites.stream().mapToInt(ReportTestSuite::getNumberOfFailures).sum();
    assertEquals(2, failures);
  }

  @Test
  @DisplayName(
      "usage errors: --repeat 0, --parallel > --repeat, per-run files, --parallel on PC/SC")
  void usage() {
    assertEquals(2, pair("--repeat", "0").exitCode());
    CliRun more = pair("--repeat", "2", "--parallel", "3");
    assertEquals(2, more.exitCode());
    assertTrue(more.err().contains("--parallel 3 needs --repeat 3 or more"), more.err());
    CliRun trace = pair("--repeat", "2", "--trace", dir.resolve("t.txt").toString());
    assertEquals(2, trace.exitCode());
    assertTrue(trace.err().contains("--trace records one run"), trace.err());
    CliRun pcsc =
        pair(
            "--repeat",
            "2",
            "--parallel",
            "2",
            "--rig",
            Path.of("rigs/pcsc.yaml").toAbsolutePath().toString());
    assertEquals(2, pcsc.exitCode(), pcsc.out() + pcsc.err());
    assertTrue(pcsc.err().contains("this rig's transport is pcsc"), pcsc.err());
    CliRun pads = pair("-r", "one", "-r", "two");
    assertEquals(4, pads.exitCode(), pads.out() + pads.err());
    assertTrue(pads.err().contains("several pads need a PC/SC rig"), pads.err());
  }

  @Test
  void padHelpers() {
    assertEquals("acs-acr122u-picc-interface-00-00", Pads.slug("ACS ACR122U PICC Interface 00 00"));
    assertEquals("reader", Pads.slug("***"));
    assertEquals(1, Pads.worse(0, 1));
    assertEquals(1, Pads.worse(3, 1));
    assertEquals(3, Pads.worse(3, 0));
    assertEquals(70, Pads.worse(1, 70));
  }

  private static List<ReportTestSuite> junit(Path file) throws Exception {
    try (InputStreamReader reader =
        new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8)) {
      return new TestSuiteXmlParser(new NullConsoleLogger()).parse(reader);
    }
  }
}
