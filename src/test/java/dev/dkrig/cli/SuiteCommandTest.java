package dev.dkrig.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code dkrig suite} in process: verdict lines, summary, reports, exit codes 0/1/2/4. The profile
 * is the default one at the test scrypt cost (N = 4096), so a scenario takes milliseconds.
 */
class SuiteCommandTest {
  @TempDir Path dir;
  private Path suite;
  private Path profile;

  /** D1 of §17.2: a provisioned verifier, which a suite must refuse. */
  private static final String D1_W0 =
      "6D4BC8194B425A09D7C6DDC1C6FAB259EFDB57D5C5BC66B2264EDED13EB3E67D";

  private static final String D1_L =
      "04EC786D7031395E27366A3DE8508BBD43DBFE92D811F827A3CA6F9E5E8F02B53A"
          + "1F9C53E8A64479EC332AFFB2D57A58DC7389773144D4BC26A420C9FA439EEA80";

  @BeforeEach
  void files() throws Exception {
    suite = dir.resolve("small.yaml");
    Files.writeString(
        suite,
        "suite: small\n"
            + "scenarios:\n"
            + "  - scenario: sm-bad-cmac\n"
            + "  - scenario: auth1-bad-signature\n");
    profile = profileWith("verifier:\n  password: \"12345678\"\n  N: 4096\n  r: 8\n  p: 1\n");
  }

  /** The default profile with its PKI paths made absolute and another verifier section. */
  private Path profileWith(String verifier) throws Exception {
    String text = Files.readString(Path.of("profiles/default.yaml"));
    String pki = Path.of("profiles/test-pki").toAbsolutePath() + "/";
    text = text.replace("test-pki/", pki);
    int at = text.indexOf("verifier:");
    int end = text.indexOf("phase4:");
    text = text.substring(0, at) + verifier + text.substring(end);
    Path file = Files.createTempFile(dir, "profile-", ".yaml");
    Files.writeString(file, text);
    return file;
  }

  private static CliRun suite(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine();
    if (!cli.getSubcommands().containsKey("suite")) {
      cli.addSubcommand(new SuiteCommand());
    }
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    List<String> all = new ArrayList<>();
    all.add("suite");
    all.addAll(List.of(args));
    int code = cli.execute(all.toArray(new String[0]));
    return new CliRun(code, out.toString(), err.toString());
  }

  @Test
  @DisplayName("all PASS: a verdict per scenario with its steps, the table, reports, exit 0")
  void passes() throws Exception {
    Path json = dir.resolve("r.json");
    Path junit = dir.resolve("r.xml");
    Path reports = dir.resolve("reports");
    CliRun run =
        suite(
            suite.toString(),
            "--profile",
            profile.toString(),
            "--seed",
            "3",
            "--json",
            json.toString(),
            "--junit",
            junit.toString(),
            "--report-dir",
            reports.toString(),
            "--dut",
            "virtual");
    assertEquals(0, run.exitCode(), run.out() + run.err());
    assertTrue(run.out().lines().anyMatch(l -> l.matches("sm-bad-cmac +PASS .*")), run.out());
    assertTrue(
        run.out().lines().anyMatch(l -> l.startsWith("  deviation PASS    WRITE DATA")), run.out());
    assertTrue(run.out().lines().anyMatch(l -> l.startsWith("Scenario ")), run.out());
    assertTrue(
        run.out().contains("Suite small: PASS (2 scenario run(s): 2 PASS, 0 FAIL, 0 ERROR)"),
        run.out());
    JsonNode report = new ObjectMapper().readTree(json.toFile());
    assertEquals("dkrig-suite/1", report.get("schema").asText());
    assertEquals("PASS", report.get("verdict").asText());
    assertEquals("virtual", report.get("dut").asText());
    assertTrue(report.get("command").asText().startsWith("dkrig suite "), report.toString());
    assertTrue(Files.readString(junit).contains("<testsuite name=\"auth1-bad-signature\""));
    assertTrue(Files.exists(reports.resolve("suite.json")));
    assertTrue(Files.exists(reports.resolve("suite-junit.xml")));
    for (String scenario : List.of("sm-bad-cmac", "auth1-bad-signature")) {
      String trace = Files.readString(reports.resolve(scenario).resolve("trace.txt"));
      assertTrue(trace.contains("# scenario " + scenario + ": "), trace);
      assertTrue(trace.lines().anyMatch(l -> l.matches("\\S+ s1 +>> 00A40400 .*")), trace);
      assertTrue(trace.endsWith("# verdict PASS\n"), trace);
      assertTrue(Files.size(reports.resolve(scenario).resolve("capture.pcapng")) > 0);
      assertTrue(
          Files.readString(reports.resolve(scenario).resolve("events.jsonl"))
              .contains("\"event\":\"Verdict\",\"ts\""));
    }
  }

  @Test
  @DisplayName(
      "--report-dir that is a file: exit 4 before the run; a scenario's file that cannot be"
          + " written: exit 3 naming it")
  void unwritableEvidence() throws Exception {
    Path file = Files.createFile(dir.resolve("not-a-folder"));
    CliRun refused =
        suite(suite.toString(), "--profile", profile.toString(), "--report-dir", file.toString());
    assertEquals(4, refused.exitCode(), refused.err());
    assertTrue(refused.err().contains("--report-dir " + file), refused.err());
    assertTrue(refused.out().isEmpty(), "nothing ran: " + refused.out());

    Path reports = Files.createDirectories(dir.resolve("reports"));
    Files.createFile(reports.resolve("sm-bad-cmac"));
    CliRun run =
        suite(
            suite.toString(), "--profile", profile.toString(), "--report-dir", reports.toString());
    assertEquals(3, run.exitCode(), run.out() + run.err());
    assertTrue(
        run.err()
            .contains(
                "dkrig: ERROR: the evidence is incomplete: --report-dir "
                    + reports.resolve("sm-bad-cmac").resolve("trace.txt")),
        run.err());
    assertTrue(Files.exists(reports.resolve("auth1-bad-signature").resolve("capture.pcapng")));
  }

  @Test
  @DisplayName(
      "--device-quirk accept-bad-mac: sm-bad-cmac FAILs naming the device's answer, exit 1")
  void quirkFails() {
    CliRun run =
        suite(
            suite.toString(),
            "--profile",
            profile.toString(),
            "--device-quirk",
            "accept-bad-mac",
            "-q",
            "--json",
            "-");
    assertEquals(1, run.exitCode(), run.out() + run.err());
    assertTrue(
        run.err()
            .lines()
            .anyMatch(
                l ->
                    l.startsWith("sm-bad-cmac")
                        && l.contains("FAIL")
                        && l.contains(
                            "WRITE DATA with a wrong C-MAC answered 9000 (success),"
                                + " expected 6982")),
        run.err());
    assertTrue(
        run.err().lines().anyMatch(l -> l.matches("auth1-bad-signature +PASS .*")), run.err());
    assertTrue(run.out().startsWith("{"), run.out());
    assertTrue(run.out().contains("\"verdict\" : \"FAIL\""), run.out());
  }

  @Test
  @DisplayName("--repeat multiplies: 2 scenarios × 2 = 4 runs labelled #1, #2")
  void repeat() {
    CliRun run = suite(suite.toString(), "--profile", profile.toString(), "--repeat", "2", "-q");
    assertEquals(0, run.exitCode(), run.out() + run.err());
    assertTrue(run.out().contains("sm-bad-cmac #2"), run.out());
    assertTrue(run.out().contains("(4 scenario run(s): 4 PASS"), run.out());
  }

  @Test
  @DisplayName("configuration errors before the run: one line naming file and field, exit 4")
  void configurationErrors() throws Exception {
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, "suite: bad\nscenarios:\n  - scenario: nope\n");
    CliRun unknown = suite(bad.toString());
    assertEquals(4, unknown.exitCode(), unknown.err());
    assertTrue(
        unknown.err().startsWith("dkrig: configuration error: " + bad + ": scenarios[0].scenario:"),
        unknown.err());

    CliRun missing = suite(dir.resolve("none.yaml").toString());
    assertEquals(4, missing.exitCode(), missing.err());

    CliRun reader =
        suite(suite.toString(), "--rig", "rigs/pcsc.yaml", "--device-quirk", "ignore-order");
    assertEquals(4, reader.exitCode(), reader.err());
    assertTrue(reader.err().contains("--device-quirk need"), reader.err());

    Path provisioned =
        profileWith(
            "verifier:\n  w0: "
                + D1_W0
                + "\n  L: "
                + D1_L
                + "\n  salt: 000102030405060708090A0B0C0D0E0F\n  N: 4096\n  r: 8\n  p: 1\n");
    CliRun verifier = suite(suite.toString(), "--profile", provisioned.toString());
    assertEquals(4, verifier.exitCode(), verifier.err());
    assertTrue(verifier.err().contains("a suite needs the pairing password"), verifier.err());
  }

  @Test
  @DisplayName("usage errors: exit 2 with a pointer to --help")
  void usage() {
    assertEquals(2, suite().exitCode());
    assertEquals(2, suite(suite.toString(), "--repeat", "0").exitCode());
    assertEquals(2, suite(suite.toString(), "--prompt-wait", "soon").exitCode());
    CliRun quirk = suite(suite.toString(), "--device-quirk", "sloppy");
    assertEquals(2, quirk.exitCode());
    assertTrue(quirk.err().contains("unknown device quirk 'sloppy'"), quirk.err());
  }

  @Test
  @DisplayName(
      "--vpcd: malformed, exit 2 worded as dkrig phone words it; without --role phone, exit 2")
  void vpcd() {
    String vehicleSuite = Path.of("suites/vehicle-conformance.yaml").toString();
    CliRun bad = suite(vehicleSuite, "--role", "phone", "--vpcd", "a:b:c");
    assertEquals(2, bad.exitCode(), bad.err());
    assertTrue(bad.err().contains("--vpcd 'a:b:c'"), bad.err());
    CliRun vehicle = suite(suite.toString(), "--vpcd");
    assertEquals(2, vehicle.exitCode(), vehicle.err());
    assertTrue(vehicle.err().contains("--vpcd needs --role phone"), vehicle.err());
  }

  @Test
  @DisplayName("--list: each scenario with its deviation and required reaction; nothing runs")
  void list() throws Exception {
    Path withPrompt = dir.resolve("prompted.yaml");
    Files.writeString(
        withPrompt,
        "suite: prompted\n"
            + "scenarios:\n"
            + "  - scenario: spake2-wrong-m1\n"
            + "  - prompt: Put the phone back on the pad.\n"
            + "  - scenario: stream-oversize\n"
            + "    streamBytes: 9000\n"
            + "    repeat: 2\n");
    CliRun run = suite(withPrompt.toString(), "--list");
    assertEquals(0, run.exitCode(), run.out() + run.err());
    List<String> lines = run.out().lines().toList();
    assertEquals("suite prompted (" + withPrompt + "): 3 scenario run(s) per round", lines.get(0));
    assertEquals("  spake2-wrong-m1  SPAKE2+ VERIFY with a wrong M1", lines.get(1));
    assertTrue(lines.get(2).startsWith("      deviation: SPAKE2+ VERIFY carries"), run.out());
    assertTrue(lines.get(3).startsWith("      required:  VERIFY 6A88"), run.out());
    assertEquals("  (prompt) Put the phone back on the pad.", lines.get(4));
    assertTrue(lines.get(5).endsWith(" streamBytes=9000 repeat=2"), run.out());
    assertTrue(run.out().lines().noneMatch(l -> l.contains(" PASS ")), "--list runs nothing");

    CliRun only = suite(withPrompt.toString(), "--list", "--only", "stream-oversize");
    assertEquals(0, only.exitCode(), only.err());
    assertTrue(!only.out().contains("spake2-wrong-m1"), only.out());
    assertTrue(only.out().contains("(prompt) Put the phone back on the pad."), only.out());
  }

  @Test
  @DisplayName("--only NAME: only that scenario runs; an unknown name exits 2 listing the valid")
  void only() {
    CliRun run =
        suite(suite.toString(), "--profile", profile.toString(), "--only", "sm-bad-cmac", "-q");
    assertEquals(0, run.exitCode(), run.out() + run.err());
    assertTrue(
        run.out().contains("Suite small: PASS (1 scenario run(s): 1 PASS, 0 FAIL, 0 ERROR)"),
        run.out());
    assertTrue(!run.out().contains("auth1-bad-signature"), run.out());

    CliRun unknown = suite(suite.toString(), "--only", "sm-bad-cmac,spake2-wrong-m1");
    assertEquals(2, unknown.exitCode(), unknown.err());
    assertTrue(
        unknown
            .err()
            .contains(
                "--only: no scenario 'spake2-wrong-m1' in "
                    + suite
                    + " (its scenarios: sm-bad-cmac, auth1-bad-signature)"),
        unknown.err());
  }
}
