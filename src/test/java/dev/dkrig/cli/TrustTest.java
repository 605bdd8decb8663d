package dev.dkrig.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 14 (a verdict a lab can trust) and issue 15 items 1 and 3, through the command line: the
 * state folder, the attempt counter, randomness on real readers, evidence paths checked before the
 * first APDU, dumps as secrets, untrusted text. Every path is under a folder the test made.
 */
class TrustTest {
  @TempDir Path dir;

  private String state() {
    return dir.resolve("state").toString();
  }

  private CliRun pair(String... extra) {
    List<String> args = new ArrayList<>(List.of("pair", "-q", "--state-dir", state()));
    args.addAll(List.of(extra));
    return CliRun.of(args.toArray(String[]::new));
  }

  private static long apduLines(Path trace) throws Exception {
    if (!Files.exists(trace)) {
      return 0;
    }
    return Files.readAllLines(trace).stream().filter(l -> l.contains(" >> ")).count();
  }

  // ---------------------------------------------------------------- state folder

  @Test
  @DisplayName("state reset with one foreign file: exit 4, the file named, nothing deleted")
  void resetRefusesForeignFile() throws Exception {
    assertEquals(0, pair().exitCode());
    Path foreign = dir.resolve("state").resolve("notes.txt");
    Files.writeString(foreign, "the lab's own file");
    try (Stream<Path> before = Files.walk(dir.resolve("state"))) {
      long count = before.count();
      CliRun reset = CliRun.of("state", "reset", "--state-dir", state());
      assertEquals(4, reset.exitCode(), reset.out() + reset.err());
      assertTrue(reset.err().contains(foreign.toString()), reset.err());
      try (Stream<Path> after = Files.walk(dir.resolve("state"))) {
        assertEquals(count, after.count(), "nothing deleted");
      }
    }
  }

  @Test
  @DisplayName(
      "state reset removes only dkrig's files, a truncated attempt file included; --dry-run lists")
  void resetRemovesOwnFilesOnly() throws Exception {
    assertEquals(0, pair().exitCode());
    Path folder = dir.resolve("state");
    Files.writeString(folder.resolve("verifier-attempts.json"), "{\"verifier\": \"0011");
    CliRun dry = CliRun.of("state", "reset", "--dry-run", "--state-dir", state());
    assertEquals(0, dry.exitCode(), dry.err());
    assertTrue(dry.out().contains("would remove 2 file(s)"), dry.out());
    assertTrue(dry.out().contains("verifier-attempts.json"), dry.out());
    assertTrue(Files.exists(folder.resolve("verifier-attempts.json")), "dry run deletes nothing");
    CliRun reset = CliRun.of("state", "reset", "--state-dir", state());
    assertEquals(0, reset.exitCode(), reset.err());
    assertTrue(reset.out().startsWith("removed 2 file(s)"), reset.out());
    try (Stream<Path> left = Files.walk(folder)) {
      assertEquals(
          List.of(".lock", "dk", "state"),
          left.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }

  @Test
  @DisplayName("the state folder and dk/ are created 0700, DK records 0600")
  void ownerOnly() throws Exception {
    assertEquals(0, pair().exitCode());
    Path folder = dir.resolve("state");
    Set<PosixFilePermission> folderMode = PosixFilePermissions.fromString("rwx------");
    assertEquals(folderMode, Files.getPosixFilePermissions(folder));
    assertEquals(folderMode, Files.getPosixFilePermissions(folder.resolve("dk")));
    try (Stream<Path> records = Files.list(folder.resolve("dk"))) {
      for (Path record : records.toList()) {
        assertEquals(
            PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(record));
      }
    }
  }

  @Test
  @DisplayName("an emptied attempt file: exit 4 before any APDU, the file and the repair named")
  void emptiedAttemptFile() throws Exception {
    Path folder = Files.createDirectories(dir.resolve("state"));
    Path attempts = folder.resolve("verifier-attempts.json");
    Files.writeString(attempts, "");
    Path trace = dir.resolve("t.txt");
    CliRun run = pair("--trace", trace.toString());
    assertEquals(4, run.exitCode(), run.out() + run.err());
    assertTrue(run.err().contains(attempts.toString()), run.err());
    assertTrue(run.err().contains("dkrig state reset"), run.err());
    assertEquals(0, apduLines(trace), "no APDU went out");
    Files.writeString(attempts, "{\"verifier\":\"00\",\"attempts\":-3}");
    assertEquals(4, pair().exitCode(), "a negative count is damage too");
  }

  @Test
  @DisplayName("a truncated DK record: state show and pair exit 4 naming the file, no stack trace")
  void truncatedRecord() throws Exception {
    assertEquals(0, pair().exitCode());
    Path record;
    try (Stream<Path> records = Files.list(dir.resolve("state").resolve("dk"))) {
      record = records.findFirst().orElseThrow();
    }
    String text = Files.readString(record);
    Files.writeString(record, text.substring(0, text.length() / 2));
    CliRun show = CliRun.of("state", "show", "--state-dir", state());
    assertEquals(4, show.exitCode(), show.out() + show.err());
    assertTrue(show.err().contains(record.toString()), show.err());
    assertFalse(show.err().contains("Exception"), show.err());
    CliRun again = pair();
    assertEquals(4, again.exitCode(), again.out() + again.err());
    assertTrue(again.err().contains(record.toString()), again.err());
  }

  /**
   * Issue 20: the state check before the first APDU reads every DK record, however many the folder
   * keeps, and refuses what the record's rules refuse, not only broken JSON.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "Kpersistent not hex",
        "unknown state",
        "short DK id",
        "certificate not hex",
        "cut"
      })
  @DisplayName(
      "one damaged DK record among 40: pair exits 4 before any APDU with one line naming it")
  void damagedRecordAmongMany(String damage) throws Exception {
    assertEquals(0, pair("--seed", "1").exitCode());
    Path folder = dir.resolve("state").resolve("dk");
    Path paired;
    try (Stream<Path> records = Files.list(folder)) {
      paired = records.findFirst().orElseThrow();
    }
    String text = Files.readString(paired);
    String dkId = new ObjectMapper().readTree(text).get("dkId").asText();
    Path damaged = null;
    for (int i = 0; i < 40; i++) {
      String other = String.format("%040X", i);
      Path file = folder.resolve(paired.getFileName().toString().replace(dkId, other));
      String content = text.replace(dkId, other);
      if (i == 23) {
        damaged = file;
        content = damaged(damage, content);
      }
      Files.writeString(file, content);
    }
    Path trace = dir.resolve("t.txt");
    CliRun run = pair("--seed", "1", "--trace", trace.toString());
    assertEquals(4, run.exitCode(), run.out() + run.err());
    List<String> lines = run.err().lines().toList();
    assertEquals(1, lines.size(), run.err());
    assertTrue(
        lines.get(0).startsWith("dkrig: state file " + damaged + " is damaged ("), run.err());
    assertEquals(0, apduLines(trace), "no APDU went out");
    CliRun soak = pair("--seed", "1", "--repeat", "2");
    assertEquals(4, soak.exitCode(), soak.out() + soak.err());
    assertEquals(lines, soak.err().lines().toList(), "--repeat checks the same way");
  }

  private static String damaged(String damage, String record) {
    String out =
        switch (damage) {
          case "Kpersistent not hex" ->
              record.replaceFirst("(\"Kpersistent\" : \"[0-9A-F]*)[0-9A-F]\"", "$1G\"");
          case "unknown state" ->
              record.replaceFirst("\"state\" : \"[A-Z_]+\"", "\"state\" : \"HALF_PAIRED\"");
          case "short DK id" -> record.replaceFirst("(\"dkId\" : \"[0-9A-F]{39})[0-9A-F]", "$1");
          case "certificate not hex" ->
              record.replaceFirst("(\"endpointCertificate\" : \"[0-9A-F]{100})", "$1ZZ");
          default -> record.substring(0, record.length() / 2);
        };
    assertFalse(out.equals(record), damage + " changed nothing in " + record);
    return out;
  }

  @Test
  @DisplayName("--state-dir naming a regular file: exit 4 for pair and state show")
  void stateDirIsAFile() throws Exception {
    Path file = Files.writeString(dir.resolve("plain"), "x");
    CliRun run = CliRun.of("pair", "-q", "--state-dir", file.toString());
    assertEquals(4, run.exitCode(), run.out() + run.err());
    assertTrue(run.err().contains(file.toString()), run.err());
    assertEquals(4, CliRun.of("state", "show", "--state-dir", file.toString()).exitCode());
  }

  // ---------------------------------------------------------------- attempt counter

  @Test
  @DisplayName(
      "§5.6: --repeat 16 --parallel 4, provisioned verifier, wrong password: exactly 7 VERIFYs")
  void parallelRunsShareTheCounter() throws Exception {
    Path profile = TrustFixtures.provisionedProfile(dir.resolve("profile"));
    Path reports = dir.resolve("soak");
    CliRun run =
        pair(
            "--profile",
            profile.toString(),
            "--device-password",
            "87654321",
            "--repeat",
            "16",
            "--parallel",
            "4",
            "--report-dir",
            reports.toString());
    assertEquals(1, run.exitCode(), run.out() + run.err());
    int verifies = 0;
    try (Stream<Path> runs = Files.list(reports)) {
      for (Path folder : runs.filter(Files::isDirectory).toList()) {
        JsonNode report = new ObjectMapper().readTree(folder.resolve("report.json").toFile());
        for (JsonNode step : report.get("steps")) {
          for (JsonNode apdu : step.path("apdus")) {
            if (apdu.get("c").asText().startsWith("80320000")) {
              verifies++;
            }
          }
        }
      }
    }
    assertEquals(7, verifies, "VERIFY commands across the 16 runs");
    JsonNode counter =
        new ObjectMapper()
            .readTree(dir.resolve("state").resolve("verifier-attempts.json").toFile());
    assertEquals(7, counter.get("attempts").asInt());
  }

  // ---------------------------------------------------------------- randomness and dumps

  @ParameterizedTest(name = "{0} on rigs/pcsc.yaml")
  @ValueSource(strings = {"--seed=7", "--test-mode"})
  @DisplayName("--seed / --test-mode on a real reader's rig: exit 2 without --insecure-randomness")
  void predictableRandomnessRefused(String option) {
    CliRun run = pair("--rig", "rigs/pcsc.yaml", option);
    assertEquals(2, run.exitCode(), run.out() + run.err());
    assertTrue(run.err().contains("--insecure-randomness"), run.err());
  }

  @Test
  @DisplayName("suite --seed on rigs/pcsc.yaml and emulate --test-mode: exit 2 without the flag")
  void predictableRandomnessRefusedForSuiteAndEmulate() throws Exception {
    Path suite;
    try (Stream<Path> files = Files.list(Path.of("suites"))) {
      suite = files.filter(f -> f.toString().endsWith(".yaml")).sorted().findFirst().orElseThrow();
    }
    CliRun run = CliRun.of("suite", suite.toString(), "--rig", "rigs/pcsc.yaml", "--seed", "7");
    assertEquals(2, run.exitCode(), run.out() + run.err());
    assertTrue(run.err().contains("--insecure-randomness"), run.err());
    CliRun emulate = CliRun.of("emulate", "--vpcd", "127.0.0.1:1", "--test-mode");
    assertEquals(2, emulate.exitCode(), emulate.out() + emulate.err());
    assertTrue(emulate.err().contains("--insecure-randomness"), emulate.err());
  }

  @Test
  @DisplayName("--report-dir alone writes no run.dump; --with-dump writes it owner-only, no seed")
  void dumpOnlyWhenAsked() throws Exception {
    Path evidence = dir.resolve("evidence");
    assertEquals(0, pair("--report-dir", evidence.toString()).exitCode());
    assertTrue(Files.isRegularFile(evidence.resolve("report.json")));
    assertFalse(Files.exists(evidence.resolve("run.dump")), "no dump unless asked");
    Path secret = dir.resolve("secret");
    assertEquals(0, pair("--report-dir", secret.toString(), "--with-dump").exitCode());
    Path dump = secret.resolve("run.dump");
    assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(dump));
    List<String> lines = Files.readAllLines(dump);
    assertFalse(lines.stream().anyMatch(l -> l.startsWith("seed ")), "no seed in the dump");
    assertTrue(lines.contains("draws recorded"), "the draws are recorded instead");
    CliRun replay = CliRun.of("replay", dump.toString());
    assertEquals(0, replay.exitCode(), replay.out() + replay.err());
  }

  @Test
  @DisplayName("the vehicle's BLE IRK is in no default output file; --reveal-secrets shows it")
  void irkMasked() throws Exception {
    String irk = "8899AABBCCDDEEFF0011223344556677";
    Path evidence = dir.resolve("evidence");
    assertEquals(0, pair("--report-dir", evidence.toString()).exitCode());
    try (Stream<Path> files = Files.list(evidence)) {
      for (Path file : files.toList()) {
        String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        assertFalse(text.toUpperCase(java.util.Locale.ROOT).contains(irk), file.toString());
      }
    }
    assertTrue(Files.readString(evidence.resolve("trace.txt")).contains("[IRK ****]"));
    Path revealed = dir.resolve("revealed");
    assertEquals(0, pair("--report-dir", revealed.toString(), "--reveal-secrets").exitCode());
    assertTrue(Files.readString(revealed.resolve("trace.txt")).contains(irk));
  }

  // ---------------------------------------------------------------- output paths

  @ParameterizedTest(name = "{0} under a regular file")
  @ValueSource(strings = {"--json", "--dump", "--report-dir"})
  @DisplayName("an output path whose parent is a regular file: exit 4 naming the option, no APDU")
  void unwritableOutput(String option) throws Exception {
    Path plain = Files.writeString(dir.resolve("plain"), "x");
    Path trace = dir.resolve("t.txt");
    Path target = plain.resolve("out");
    CliRun run = pair(option, target.toString(), "--trace", trace.toString());
    assertEquals(4, run.exitCode(), run.out() + run.err());
    assertTrue(run.err().contains(option + " " + target), run.err());
    assertTrue(run.err().contains("regular file"), run.err());
    assertFalse(run.err().contains("Exception"), run.err());
    assertEquals(0, apduLines(trace), "no APDU in the trace");
  }

  @Test
  @DisplayName("--report-dir with a name too long for the file system: exit 4, cause named")
  void overLongReportDir() {
    Path target = dir.resolve("x".repeat(300));
    CliRun run = pair("--report-dir", target.toString());
    assertEquals(4, run.exitCode(), run.out() + run.err());
    assertTrue(run.err().contains("--report-dir"), run.err());
    assertTrue(run.err().toLowerCase(java.util.Locale.ROOT).contains("too long"), run.err());
  }

  @Test
  @DisplayName("an output path that is a symbolic link is refused (exit 4)")
  void symlinkRefused() throws Exception {
    Path real = Files.writeString(dir.resolve("real.json"), "{}");
    Path link = Files.createSymbolicLink(dir.resolve("link.json"), real);
    CliRun run = pair("--json", link.toString());
    assertEquals(4, run.exitCode(), run.out() + run.err());
    assertTrue(run.err().contains("symbolic link"), run.err());
    assertEquals("{}", Files.readString(real), "the link's target is untouched");
  }

  // ---------------------------------------------------------------- untrusted text

  @Test
  @DisplayName("--dut with ESC: well-formed junit.xml, no raw ESC on stdout or in trace.txt")
  void escapeInDutLabel() throws Exception {
    Path evidence = dir.resolve("evidence");
    CliRun run =
        CliRun.of(
            "pair",
            "--state-dir",
            state(),
            "--report-dir",
            evidence.toString(),
            "--dut",
            "Pixel \u001b[2J 9");
    assertEquals(0, run.exitCode(), run.out() + run.err());
    assertFalse(run.out().contains("\u001b"), "raw ESC on stdout");
    String trace = Files.readString(evidence.resolve("trace.txt"));
    assertFalse(trace.contains("\u001b"), "raw ESC in trace.txt");
    assertTrue(trace.contains("Pixel \\x1b[2J 9"), "shown as an escape");
    DocumentBuilderFactory.newInstance()
        .newDocumentBuilder()
        .parse(evidence.resolve("junit.xml").toFile());
    assertTrue(Files.readString(evidence.resolve("junit.xml")).contains("Pixel \\x1b[2J 9"));
  }
}
