package dev.dkrig.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dkrig.pairing.Step;
import dev.dkrig.testing.StepIds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 3 through the command line: exit codes, console lines, the JSON report. */
class PairCommandTest {
  @TempDir Path dir;

  private String state() {
    return dir.resolve("state").toString();
  }

  @Test
  @DisplayName("dkrig pair: every catalogue step in order, verdict PASS, exit 0")
  void passes() throws Exception {
    Path json = dir.resolve("report.json");
    CliRun run =
        CliRun.of("pair", "--state-dir", state(), "--json", json.toString(), "--dut", "virtual");
    assertEquals(0, run.exitCode(), run.out() + run.err());
    assertEquals(StepIds.catalogue(), StepIds.ofConsole(run.out()), run.out());
    assertTrue(run.out().contains("Verdict: PASS"));
    JsonNode report = new ObjectMapper().readTree(json.toFile());
    assertEquals("dkrig-report/1", report.get("schema").asText());
    assertEquals("PASS", report.get("verdict").asText());
    assertEquals("virtual", report.get("dut").asText());
    assertEquals(StepIds.catalogue(), StepIds.of(report));
    assertTrue(report.get("rig").get("sha256").asText().matches("[0-9a-f]{64}"));
    assertTrue(report.get("profile").get("path").asText().contains("profiles/default.yaml"));
    assertTrue(
        report
            .get("steps")
            .get(0)
            .get("start")
            .asText()
            .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"));
  }

  @Test
  @DisplayName(
      "--device-password 87654321: P2.3 FAIL naming the device's answer, later SKIPPED, exit 1, JSON written")
  void wrongPassword() throws Exception {
    Path json = dir.resolve("fail.json");
    CliRun run =
        CliRun.of(
            "pair",
            "--state-dir",
            state(),
            "--device-password",
            "87654321",
            "--json",
            json.toString());
    assertEquals(1, run.exitCode(), run.out() + run.err());
    String p23 = run.out().lines().filter(l -> l.startsWith("P2.3 ")).findFirst().orElseThrow();
    assertTrue(p23.contains("FAIL") && p23.contains("6A88"), p23);
    JsonNode report = new ObjectMapper().readTree(json.toFile());
    assertEquals("FAIL", report.get("verdict").asText());
    int p23Position = StepIds.position(Step.P2_3);
    JsonNode step = report.get("steps").get(p23Position);
    assertEquals("P2.3", step.get("step").asText());
    assertEquals("6A88", step.get("sw").asText());
    assertEquals("1200", step.get("abort").asText());
    assertEquals("UNSPECIFIED", step.get("abortReason").asText());
    assertEquals(Step.catalogue().size(), report.get("steps").size());
    for (int i = p23Position + 1; i < Step.catalogue().size(); i++) {
      assertEquals(
          "SKIPPED",
          report.get("steps").get(i).get("result").asText(),
          report.get("steps").get(i).toString());
    }
  }

  @Test
  @DisplayName("--vehicle-quirk: an unknown name is one line naming it and the known ones, exit 2")
  void unknownVehicleQuirk() {
    CliRun run = CliRun.of("pair", "--state-dir", state(), "--vehicle-quirk", "grumpy");
    assertEquals(2, run.exitCode(), run.out() + run.err());
    // One line naming the mistake, then picocli's pointer to --help, as every usage error.
    List<String> lines = run.err().lines().toList();
    assertEquals(2, lines.size(), run.err());
    assertTrue(lines.get(0).contains("unknown vehicle quirk 'grumpy'"), run.err());
    assertTrue(lines.get(0).contains("no-abort, wrong-abort-code"), run.err());
    assertTrue(lines.get(1).startsWith("Try 'dkrig pair --help'"), run.err());
    CliRun dump =
        CliRun.of(
            "pair",
            "--state-dir",
            state(),
            "--vehicle-quirk",
            "no-abort",
            "--dump",
            dir.resolve("run.dump").toString());
    assertEquals(2, dump.exitCode(), dump.err());
    assertTrue(dump.err().contains("cannot be recorded"), dump.err());
    assertFalse(Files.exists(dir.resolve("run.dump")));
  }

  @Test
  @DisplayName(
      "--vehicle-quirk ignore-bad-m2: the wrong M2 goes unnoticed, the reports say the vehicle"
          + " misbehaves by design, exit 1")
  void vehicleQuirkInReports() throws Exception {
    Path json = dir.resolve("quirk.json");
    Path junit = dir.resolve("quirk.xml");
    CliRun run =
        CliRun.of(
            "pair",
            "--state-dir",
            state(),
            "--device-password",
            "87654321",
            "--device-quirk",
            "accept-bad-evidence",
            "--vehicle-quirk",
            "ignore-bad-m2",
            "--json",
            json.toString(),
            "--junit",
            junit.toString());
    assertEquals(1, run.exitCode(), run.out() + run.err());
    JsonNode report = new ObjectMapper().readTree(json.toFile());
    assertEquals(
        "ignore-bad-m2 (" + dev.dkrig.pairing.VehicleQuirk.IGNORE_BAD_M2.description() + ")",
        report.get("vehicleQuirks").get(0).asText());
    assertTrue(Files.readString(junit).contains("name=\"vehicle.quirks\""));
    assertTrue(run.out().contains("M2 wrong"), run.out());
    assertTrue(run.err().contains("dkrig's vehicle misbehaves by design"), run.err());
  }

  @Test
  @DisplayName("--json - prints the report on stdout and the table on stderr")
  void jsonToStdout() throws Exception {
    CliRun run = CliRun.of("pair", "--state-dir", state(), "--json", "-", "-q");
    assertEquals(0, run.exitCode());
    JsonNode report = new ObjectMapper().readTree(run.out());
    assertEquals("PASS", report.get("verdict").asText());
    assertTrue(run.err().contains("Verdict: PASS"));
  }

  @Test
  @DisplayName("usage errors exit 2")
  void usage() {
    assertEquals(2, CliRun.of("pair", "--timer", "T_Nope=3s").exitCode());
    assertEquals(2, CliRun.of("pair", "--timer", "T_Apdu").exitCode());
    assertEquals(2, CliRun.of("pair", "--device-password", "1234").exitCode());
    assertEquals(2, CliRun.of("pair", "--bogus").exitCode());
    assertEquals(2, CliRun.of().exitCode());
  }

  @Test
  @DisplayName("a bad profile exits 4 before the run, naming the file and the field")
  void badProfile() throws Exception {
    Path profile = dir.resolve("bad.yaml");
    String text =
        new String(getClass().getResourceAsStream("/defaults/profiles/default.yaml").readAllBytes())
            .replace("identifier: 444B524947563031", "identifier: 444B5249475630")
            .replace("test-pki/", dir.resolve("pki").toString() + "/");
    Files.writeString(profile, text);
    CliRun run = CliRun.of("pair", "--state-dir", state(), "--profile", profile.toString());
    assertEquals(4, run.exitCode(), run.err());
    assertTrue(
        run.err().contains(profile.toString()) && run.err().contains("vehicle.identifier"),
        run.err());
    assertEquals(1, run.err().lines().count(), run.err());
  }

  @Test
  @DisplayName("--help documents the exit codes")
  void help() {
    CliRun run = CliRun.of("pair", "--help");
    assertEquals(0, run.exitCode());
    assertTrue(run.out().contains("4   configuration error"));
    assertTrue(run.out().contains("70  internal error"));
  }

  @Test
  @DisplayName("verifier prints D1's w0 and L")
  void verifier() {
    CliRun run =
        CliRun.of(
            "verifier",
            "--password",
            "12345678",
            "--salt",
            "000102030405060708090A0B0C0D0E0F",
            "--scrypt-n",
            "4096");
    assertEquals(0, run.exitCode());
    assertTrue(
        run.out().contains("w0: 6D4BC8194B425A09D7C6DDC1C6FAB259EFDB57D5C5BC66B2264EDED13EB3E67D"));
    assertTrue(
        run.out()
            .contains(
                "L: 04EC786D7031395E27366A3DE8508BBD43DBFE92D811F827A3CA6F9E5E8F02B53A1F9C53E8A64479EC332AFFB2D57A58DC7389773144D4BC26A420C9FA439EEA80"));
    assertEquals(
        2, CliRun.of("verifier", "--password", "12345678", "--scrypt-n", "1000").exitCode());
  }

  @Test
  @DisplayName("state show lists the DK a pairing stored; state reset removes it")
  void stateCommand() {
    assertEquals(0, CliRun.of("pair", "--state-dir", state(), "-q").exitCode());
    CliRun show = CliRun.of("state", "show", "--state-dir", state());
    assertTrue(show.out().contains("RECEIPT_VERIFIED"), show.out());
    assertTrue(!show.out().contains("Kpersistent"), "no secrets in state show");
    CliRun reset = CliRun.of("state", "reset", "--state-dir", state());
    assertTrue(reset.out().startsWith("removed 1 file"), reset.out());
    assertTrue(
        CliRun.of("state", "show", "--state-dir", state())
            .out()
            .contains("no Digital Key records"));
  }

  @Test
  @DisplayName(
      "--inject-fault: a lost tag at P2.1 is retried (PASS, said so); flip-byte@3 FAILs P2.3")
  void injectFault() throws Exception {
    Path json = dir.resolve("f.json");
    CliRun retried =
        CliRun.of(
            "pair",
            "--state-dir",
            state(),
            "--inject-fault",
            "tag-lost@1",
            "--json",
            json.toString());
    assertEquals(0, retried.exitCode(), retried.out() + retried.err());
    JsonNode report = new ObjectMapper().readTree(json.toFile());
    assertTrue(
        report.get("reader").asText().endsWith("[injected faults: tag-lost@1]"),
        report.get("reader").asText());
    JsonNode p21 = null;
    for (JsonNode step : report.get("steps")) {
      if (step.get("step").asText().equals("P2.1")) {
        p21 = step;
      }
    }
    assertTrue(p21.get("detail").asText().contains("after 2 SELECTs"), p21.toString());
    CliRun failed =
        CliRun.of("pair", "--state-dir", state(), "--inject-fault", "flip-byte@3", "-q");
    assertEquals(1, failed.exitCode(), failed.out() + failed.err());
    assertTrue(failed.out().contains("first problem: P2.3 FAIL"), failed.out());
  }

  @Test
  @DisplayName("--inject-fault with a bad spec: one line naming it, exit 2")
  void injectFaultUsage() {
    CliRun bad = CliRun.of("pair", "--state-dir", state(), "--inject-fault", "lost@3");
    assertEquals(2, bad.exitCode());
    assertTrue(bad.err().startsWith("dkrig: fault \"lost@3\": unknown kind"), bad.err());
    CliRun zero = CliRun.of("pair", "--state-dir", state(), "--inject-fault", "timeout@0");
    assertEquals(2, zero.exitCode(), zero.err());
  }
}
