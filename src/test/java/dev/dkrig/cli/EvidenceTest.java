package dev.dkrig.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dkrig.iso7816.Hex;
import dev.dkrig.pairing.Step;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.maven.plugin.surefire.log.api.NullConsoleLogger;
import org.apache.maven.plugins.surefire.report.ReportTestCase;
import org.apache.maven.plugins.surefire.report.ReportTestSuite;
import org.apache.maven.plugins.surefire.report.TestSuiteXmlParser;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 7 through the command line: the seven evidence files, JUnit XML, replay, secrets. */
class EvidenceTest {
  private static final List<String> SEVEN =
      List.of(
          "report.json",
          "junit.xml",
          "capture.pcapng",
          "trace.txt",
          "events.jsonl",
          "run.dump",
          "report.html");

  @TempDir Path dir;

  /** What Maven's JUnit XML reader found in one file. */
  private record Parsed(List<ReportTestCase> cases, int tests, int failures, int errors) {}

  private CliRun pair(Path reportDir, String... extra) {
    List<String> args = new ArrayList<>();
    args.addAll(
        List.of(
            "pair",
            "-q",
            "--state-dir",
            dir.resolve("state-" + reportDir.getFileName()).toString(),
            "--report-dir",
            reportDir.toString(),
            "--with-dump"));
    args.addAll(Arrays.asList(extra));
    return CliRun.of(args.toArray(String[]::new));
  }

  @Test
  @DisplayName("--report-dir on a pass: seven files, JUnit XML read by Maven's parser, replay")
  void reportDirOnPass() throws Exception {
    Path d = dir.resolve("pass");
    CliRun run = pair(d, "--dut", "Pixel 9 / build 1234", "--seed", "7");
    assertEquals(0, run.exitCode(), run.out() + run.err());
    assertSevenFiles(d);
    for (String name : SEVEN) {
      String text = new String(Files.readAllBytes(d.resolve(name)), StandardCharsets.ISO_8859_1);
      assertTrue(text.contains("--report-dir " + d), name + " carries the command line");
      assertTrue(text.contains("Pixel 9 / build 1234"), name + " carries the DUT label");
    }

    Parsed suite = junit(d.resolve("junit.xml"));
    String xml = Files.readString(d.resolve("junit.xml"));
    assertEquals(1, xml.split("<testsuite ", -1).length - 1, "one testsuite per run");
    assertEquals(Step.values().length, suite.tests());
    assertEquals(Step.values().length, suite.cases().size());
    assertEquals(0, suite.failures());
    assertEquals(0, suite.errors());
    ReportTestCase first = suite.cases().get(0);
    assertEquals("Phase 1", first.getClassName());
    assertEquals("P1.1 Ignition on", first.getName());
    for (int i = 0; i < Step.values().length; i++) {
      Step step = Step.values()[i];
      ReportTestCase c = suite.cases().get(i);
      assertEquals(step.id() + " " + step.title(), c.getName());
      assertEquals("Phase " + step.id().charAt(1), c.getClassName());
    }
    assertTrue(xml.contains("name=\"dut\" value=\"Pixel 9 / build 1234\""), xml);
    assertTrue(xml.contains("name=\"tool.jar.sha256\" value=\""), "jar digest property");
    assertTrue(xml.matches("(?s).*name=\"profile.sha256\" value=\"[0-9a-f]{64}\".*"));

    String html = Files.readString(d.resolve("report.html"));
    assertTrue(html.startsWith("<!DOCTYPE html>"));
    assertTrue(html.contains("Pixel 9 / build 1234"));
    assertTrue(html.contains("badge pass"));
    assertFalse(html.contains("http://") || html.contains("https://"), "no network resource");
    assertFalse(html.contains("<script"), "no scripts");
    assertTrue(html.contains("<svg class=\"chart\""), "timing charts");
    assertTrue(html.contains("<div class=\"plain\">"), "secure-channel plaintext decoded");
    assertTrue(html.contains(">OP CONTROL FLOW<") && html.contains(">CONTROL FLOW<"));
    assertTrue(html.contains("# command: dkrig pair") || html.contains("command: dkrig pair"));
    for (Step step : Step.values()) {
      assertTrue(html.contains(">" + step.id() + "</a>"), step.id());
    }

    CliRun replay = CliRun.of("replay", d.resolve("run.dump").toString());
    assertEquals(0, replay.exitCode(), replay.out() + replay.err());
    assertTrue(
        replay
            .out()
            .contains(
                "Replay identical: " + Step.catalogue().size() + " step results as recorded."),
        replay.out());
  }

  @Test
  @DisplayName("--report-dir on a failure: seven files; the failed step is a JUnit failure")
  void reportDirOnFailure() throws Exception {
    Path d = dir.resolve("fail");
    CliRun run = pair(d, "--device-password", "87654321");
    assertEquals(1, run.exitCode(), run.out() + run.err());
    assertSevenFiles(d);
    Parsed suite = junit(d.resolve("junit.xml"));
    assertEquals(Step.catalogue().size(), suite.cases().size());
    assertEquals(1, suite.failures());
    ReportTestCase p23 =
        suite.cases().stream()
            .filter(c -> c.getName().startsWith("P2.3 "))
            .findFirst()
            .orElseThrow();
    assertTrue(p23.hasFailure());
    assertTrue(p23.getFailureMessage().contains("6A88"), p23.getFailureMessage());
    assertTrue(
        suite.cases().stream().filter(ReportTestCase::hasSkipped).count() >= 29,
        "the steps after the failure are skipped");
    assertTrue(Files.readString(d.resolve("report.html")).contains("badge fail"));
    JsonNode report = new ObjectMapper().readTree(d.resolve("report.json").toFile());
    assertEquals("FAIL", report.get("verdict").asText());

    CliRun replay = CliRun.of("replay", d.resolve("run.dump").toString());
    assertEquals(0, replay.exitCode(), replay.out() + replay.err());
  }

  @Test
  @DisplayName("an edited run.dump is caught at the first divergent APDU")
  void editedDumpDiverges() throws Exception {
    Path d = dir.resolve("edit");
    assertEquals(0, pair(d, "--seed", "11").exitCode());
    Path dump = d.resolve("run.dump");
    List<String> lines = new ArrayList<>(Files.readAllLines(dump));
    int verify = -1;
    for (int i = 0; i < lines.size() && verify < 0; i++) {
      if (lines.get(i).contains(" << 5810")) {
        verify = i;
      }
    }
    assertTrue(verify > 0, "the dump holds the SPAKE2+ VERIFY response");
    String line = lines.get(verify);
    int at = line.indexOf("<< 5810") + 10;
    lines.set(
        verify,
        line.substring(0, at) + (line.charAt(at) == '0' ? '1' : '0') + line.substring(at + 1));
    Files.write(dump, lines);
    CliRun replay = CliRun.of("replay", dump.toString());
    assertEquals(1, replay.exitCode(), replay.out() + replay.err());
    assertTrue(replay.out().contains("Replay diverged: APDU 4 (dump line "), replay.out());
  }

  @Test
  @DisplayName("same --seed: no secret from a --reveal-secrets run is in any file of a default run")
  void secretsStayOut() throws Exception {
    Path revealed = dir.resolve("revealed");
    CliRun loud = pair(revealed, "--seed", "42", "--reveal-secrets");
    assertEquals(0, loud.exitCode(), loud.out() + loud.err());
    assertTrue(loud.err().contains("WARNING: --reveal-secrets"), loud.err());

    JsonNode secretsNode =
        new ObjectMapper().readTree(revealed.resolve("report.json").toFile()).get("secrets");
    Map<String, String> secrets = new TreeMap<>();
    secretsNode.properties().forEach(e -> secrets.put(e.getKey(), e.getValue().asText()));
    for (String name :
        List.of(
            "spake2.w0",
            "spake2.K_main",
            "spake2.SK",
            "system.Kenc",
            "system.Kmac",
            "system.Krmac",
            "system.LTSS",
            "transaction.Kenc",
            "transaction.Kpersistent")) {
      assertTrue(secrets.containsKey(name), name + " in " + secrets.keySet());
    }
    String revealedTrace = Files.readString(revealed.resolve("trace.txt"));
    secrets.values().forEach(v -> assertTrue(revealedTrace.contains(v), v));
    assertOwnerOnly(revealed.resolve("trace.txt"));
    assertOwnerOnly(revealed.resolve("report.json"));

    Path quiet = dir.resolve("default");
    CliRun plain = pair(quiet, "--seed", "42");
    assertEquals(0, plain.exitCode(), plain.out() + plain.err());
    assertSevenFiles(quiet);
    // The same seed drew the same SPAKE2+ shares (certificate validity dates follow the wall clock
    // and may differ), so a secret absent here is absent because it was kept out, not because this
    // run drew other keys.
    assertEquals(apduLines(revealed, "P2.3"), apduLines(quiet, "P2.3"));
    assertEquals(4, apduLines(quiet, "P2.3").size());

    try (Stream<Path> files = Files.list(quiet)) {
      for (Path file : files.toList()) {
        byte[] bytes = Files.readAllBytes(file);
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        for (Map.Entry<String, String> secret : secrets.entrySet()) {
          String upper = secret.getValue().toUpperCase(Locale.ROOT);
          String lower = secret.getValue().toLowerCase(Locale.ROOT);
          String binary = new String(Hex.decode(upper), StandardCharsets.ISO_8859_1);
          assertFalse(
              text.contains(upper) || text.contains(lower) || text.contains(binary),
              secret.getKey() + " found in " + file.getFileName());
        }
        assertFalse(text.contains("SECRET "), file.getFileName() + " has SECRET lines");
      }
    }
    assertFalse(
        new ObjectMapper().readTree(quiet.resolve("report.json").toFile()).has("secrets"),
        "no secrets object by default");
  }

  @Test
  @DisplayName("explicit file options win over --report-dir for their own file")
  void explicitFileWins() throws Exception {
    Path d = dir.resolve("mixed");
    Path json = dir.resolve("elsewhere.json");
    CliRun run = pair(d, "--json", json.toString());
    assertEquals(0, run.exitCode(), run.out() + run.err());
    assertTrue(Files.isRegularFile(json));
    assertFalse(Files.exists(d.resolve("report.json")));
    assertTrue(Files.isRegularFile(d.resolve("junit.xml")));
  }

  private static List<String> apduLines(Path reportDir, String step) throws Exception {
    return Files.readAllLines(reportDir.resolve("trace.txt")).stream()
        .filter(l -> l.matches("\\S+ " + java.util.regex.Pattern.quote(step) + " +(>>|<<) .*"))
        .map(l -> l.replaceAll("^\\S+\\s+", "").replaceAll(" \\([^)]*\\)$", ""))
        .toList();
  }

  private static void assertSevenFiles(Path reportDir) throws Exception {
    for (String name : SEVEN) {
      Path file = reportDir.resolve(name);
      assertTrue(Files.isRegularFile(file), name + " missing");
      assertTrue(Files.size(file) > 200, name + " is nearly empty");
    }
  }

  private static void assertOwnerOnly(Path file) throws Exception {
    Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
    assertEquals(
        Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
        permissions,
        file.toString());
  }

  private static Parsed junit(Path file) throws Exception {
    try (InputStreamReader reader =
        new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8)) {
      List<ReportTestSuite> suites = new TestSuiteXmlParser(new NullConsoleLogger()).parse(reader);
      // Maven's reader files test cases under their class name: one entry per phase here.
      assertEquals(
          List.of("Phase 1", "Phase 2", "Phase 3", "Phase 4"),
          suites.stream().map(ReportTestSuite::getFullClassName).sorted().toList());
      List<ReportTestCase> cases = new ArrayList<>();
      suites.forEach(x -> cases.addAll(x.getTestCases()));
      return new Parsed(
          cases,
          suites.stream().mapToInt(ReportTestSuite::getNumberOfTests).sum(),
          suites.stream().mapToInt(ReportTestSuite::getNumberOfFailures).sum(),
          suites.stream().mapToInt(ReportTestSuite::getNumberOfErrors).sum());
    }
  }
}
