package dev.dkrig.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dkrig.testing.Pcscd;
import dev.dkrig.testing.StepIds;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 19, the phone role through PC/SC: {@code dkrig phone --vpcd} sits in a pcscd reader slot of
 * a real pcscd with the vpcd driver, and {@code dkrig pair --rig rigs/pcsc.yaml} is the vehicle
 * under test. Both judge the same pairing, each from its side. This JVM opens no PC/SC context. Run
 * it inside {@code /work/bin/isolated}.
 */
class PhoneVpcdIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  @RegisterExtension static final LauncherBench BENCH = new LauncherBench();
  @TempDir Path dir;

  @Test
  @DisplayName(
      "dkrig phone --vpcd and dkrig pair --rig rigs/pcsc.yaml both PASS; the phone exits by itself"
          + " with 42 steps in its JSON report, and its capture opens in tshark")
  void bothPass() throws Exception {
    Path evidence = dir.resolve("phone-evidence");
    Process phone = phone("phone", "--report-dir", evidence.toString(), "--dut", "dkrig's car");
    SuiteLauncher.Result vehicle = pair("pair");
    assertEquals(0, vehicle.exit(), vehicle.out() + vehicle.err());
    assertEquals(0, exitOf(phone, "phone"), output("phone"));

    JsonNode report = JSON.readTree(evidence.resolve("report.json").toFile());
    assertEquals("dkrig-report/1", report.get("schema").asText());
    assertEquals("phone", report.get("role").asText());
    assertEquals("PASS", report.get("verdict").asText());
    assertEquals("dkrig's car", report.get("dut").asText());
    assertEquals(42, report.get("steps").size());
    assertEquals(StepIds.catalogue(), StepIds.of(report));
    assertEquals("vpcd 127.0.0.1:" + Pcscd.PORT_0, report.get("reader").asText());

    List<Tshark.Frame> frames = Tshark.frames(evidence.resolve("capture.pcapng"), dir);
    assertTrue(frames.size() > 40, "the capture holds the pairing's APDUs: " + frames.size());
    assertEquals("0x00", frames.get(0).cla(), "the vehicle's first command, SELECT: " + frames);
    assertEquals("0xa4", frames.get(0).ins(), frames.toString());
    assertEquals("9000", frames.get(1).sw(), "the phone's answer: " + frames);

    String trace = Files.readString(evidence.resolve("trace.txt"), StandardCharsets.UTF_8);
    assertTrue(trace.contains("P2.1     >> 00A40400 0D A000000809434343444B467631 00"), trace);
    assertTrue(trace.contains("# role: phone"), trace);
    String events = Files.readString(evidence.resolve("events.jsonl"), StandardCharsets.UTF_8);
    assertTrue(events.contains("\"event\":\"FieldOn\""), events);
    assertTrue(events.contains("\"event\":\"FieldOff\""), events);
    String junit = Files.readString(evidence.resolve("junit.xml"), StandardCharsets.UTF_8);
    assertTrue(junit.contains("name=\"dkrig phone dkrig's car\""), junit);
    assertTrue(Files.exists(evidence.resolve("report.html")));
    // The phone left the slot on its way out.
    awaitCard(false);
  }

  @ParameterizedTest(name = "--device-quirk {0}: judged at {1}")
  @CsvSource({
    "bad-endpoint-signature, P3.3",
    "wrong-key-slot, P3.3",
    "wrong-vehicle-id-in-certificate, P2.6.2"
  })
  @DisplayName(
      "A device quirk: the vehicle FAILs the phone at the step where the phone PASSes the"
          + " vehicle's reaction; the phone exits 0 and says the pairing ended by design")
  void quirkReactionsAgree(String quirk, String step) throws Exception {
    Path json = dir.resolve("phone.json");
    Process phone = phone("phone", "--json", json.toString(), "--device-quirk", quirk);
    SuiteLauncher.Result vehicle = pair("pair");
    assertEquals(1, vehicle.exit(), vehicle.out() + vehicle.err());
    assertEquals(0, exitOf(phone, "phone"), output("phone"));
    JsonNode vehicleReport = JSON.readTree(dir.resolve("pair.json").toFile());
    JsonNode phoneReport = JSON.readTree(json.toFile());
    assertEquals("FAIL", result(vehicleReport, step), vehicleReport.toString());
    assertEquals("PASS", result(phoneReport, step), phoneReport.toString());
    assertEquals("PASS", phoneReport.get("verdict").asText());
    assertTrue(
        output("phone").contains("not completed by design (device quirk " + quirk + ")"),
        output("phone"));
  }

  @Test
  @DisplayName(
      "--device-quirk leave-field-mid-stream: the phone leaves the vpcd slot mid-stream and comes"
          + " back; the vehicle ERRORs P2.4 (lost tag, §18.18), the phone PASSes the reaction: exit"
          + " 0, not completed by design")
  void leaveFieldMidStream() throws Exception {
    Path json = dir.resolve("phone.json");
    Process phone =
        phone(
            "phone",
            "--json",
            json.toString(),
            "--device-quirk",
            "leave-field-mid-stream",
            "--phase4-wait",
            "5s");
    SuiteLauncher.Result vehicle = pair("pair");
    assertEquals(3, vehicle.exit(), vehicle.out() + vehicle.err());
    assertEquals(0, exitOf(phone, "phone"), output("phone"));
    JsonNode vehicleReport = JSON.readTree(dir.resolve("pair.json").toFile());
    JsonNode phoneReport = JSON.readTree(json.toFile());
    assertEquals("ERROR", vehicleReport.get("verdict").asText(), vehicleReport.toString());
    assertEquals("ERROR", result(vehicleReport, "P2.4"), vehicleReport.toString());
    assertEquals("PASS", phoneReport.get("verdict").asText(), phoneReport.toString());
    assertEquals("PASS", result(phoneReport, "P2.4"), phoneReport.toString());
    assertTrue(
        output("phone").contains("not completed by design (device quirk leave-field-mid-stream)"),
        output("phone"));
  }

  @Test
  @DisplayName(
      "The vehicle that does not abort after a bad endpoint signature (--vehicle-quirk no-abort)"
          + " FAILs P3.3 on the phone: exit 1")
  void vehicleQuirkFails() throws Exception {
    Path json = dir.resolve("phone.json");
    Process phone =
        phone("phone", "--json", json.toString(), "--device-quirk", "bad-endpoint-signature");
    SuiteLauncher.Result vehicle = pair("pair", "--vehicle-quirk", "no-abort");
    assertEquals(1, vehicle.exit(), vehicle.out() + vehicle.err());
    assertEquals(1, exitOf(phone, "phone"), output("phone"));
    JsonNode report = JSON.readTree(json.toFile());
    assertEquals("FAIL", report.get("verdict").asText());
    assertEquals("FAIL", result(report, "P3.3"), report.toString());
  }

  @Test
  @DisplayName(
      "SIGTERM while the phone waits for a vehicle: exit 143, the reports written so far stay (the"
          + " step in progress ERROR), and the vpcd slot is released")
  void terminated() throws Exception {
    Path evidence = dir.resolve("phone-evidence");
    Process phone = phone("phone", "--report-dir", evidence.toString());
    phone.destroy();
    assertTrue(phone.waitFor(20, TimeUnit.SECONDS), "the phone did not stop");
    assertEquals(143, phone.exitValue(), output("phone"));
    JsonNode report = JSON.readTree(evidence.resolve("report.json").toFile());
    assertEquals("ERROR", report.get("verdict").asText());
    assertEquals(42, report.get("steps").size());
    assertEquals("ERROR", result(report, "P1.6.1"), report.toString());
    assertTrue(Files.size(evidence.resolve("capture.pcapng")) > 0);
    awaitCard(false);
  }

  /** Starts {@code dkrig phone --vpcd} on reader 00 00 and waits until pcscd reports the card. */
  private Process phone(String name, String... more) throws Exception {
    List<String> args = new ArrayList<>(List.of("phone", "--vpcd", "127.0.0.1:" + Pcscd.PORT_0));
    args.addAll(List.of(more));
    Process phone = BENCH.start(dir, name, args);
    awaitCard(true);
    return phone;
  }

  private SuiteLauncher.Result pair(String name, String... more) throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "pair",
                "--rig",
                "rigs/pcsc.yaml",
                "-r",
                Pcscd.READER_0,
                "-q",
                "--json",
                dir.resolve(name + ".json").toString()));
    args.addAll(List.of(more));
    return SuiteLauncher.run(dir, name, args.toArray(String[]::new));
  }

  /** The phone's exit code: it must end by itself once the vehicle is done. */
  private int exitOf(Process phone, String name) throws Exception {
    assertTrue(
        phone.waitFor(90, TimeUnit.SECONDS), "the phone did not exit by itself: " + output(name));
    return phone.exitValue();
  }

  private static String result(JsonNode report, String step) {
    for (JsonNode s : report.get("steps")) {
      if (s.get("step").asText().equals(step)) {
        return s.get("result").asText();
      }
    }
    throw new AssertionError(step + " is not in " + report);
  }

  private void awaitCard(boolean present) throws Exception {
    BENCH.awaitCard(dir, present, () -> output("phone"));
  }

  private String output(String name) {
    StringBuilder text = new StringBuilder();
    for (String stream : List.of(".out", ".err")) {
      Path file = dir.resolve(name + stream);
      try {
        if (Files.exists(file)) {
          text.append(Files.readString(file, StandardCharsets.UTF_8));
        }
      } catch (java.io.IOException e) {
        text.append("(").append(file).append(": ").append(e).append(")");
      }
    }
    assertFalse(text.toString().contains("internal error"), text.toString());
    return text.toString();
  }
}
