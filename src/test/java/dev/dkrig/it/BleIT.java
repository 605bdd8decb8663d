package dev.dkrig.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dkrig.pairing.Step;
import dev.dkrig.testing.BluezMock;
import dev.dkrig.testing.StepIds;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 5 as a user runs it: {@code ./dkrig pair --ble-adapter hci0} against a private dbus-daemon
 * with the mocked BlueZ ({@code DBUS_SYSTEM_BUS_ADDRESS}), including Ctrl-C.
 */
class BleIT {
  @TempDir Path dir;
  private BluezMock bluez;

  @BeforeEach
  void start() {
    bluez = BluezMock.start();
  }

  @AfterEach
  void stop() {
    bluez.close();
  }

  private Process dkrig(String... args) throws IOException {
    List<String> command = new ArrayList<>();
    // A CI job run in the background (no job control) starts with SIGINT ignored, and an ignored
    // signal stays ignored across exec: give dkrig the default handling, as a terminal would.
    command.add("env");
    command.add("--default-signal=INT");
    command.add(Path.of("dkrig").toAbsolutePath().toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("DKRIG_STATE_DIR", dir.resolve("state").toString());
    builder.environment().put("DBUS_SYSTEM_BUS_ADDRESS", bluez.address());
    builder.environment().put("NO_COLOR", "1");
    builder.redirectOutput(dir.resolve("out.txt").toFile());
    builder.redirectError(dir.resolve("err.txt").toFile());
    return builder.start();
  }

  private String output() throws IOException {
    return Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8)
        + Files.readString(dir.resolve("err.txt"), StandardCharsets.UTF_8);
  }

  @Test
  @DisplayName(
      "./dkrig pair --ble-adapter hci0: one advertisement (FFF5 + intent) at P1.6.2, unregistered, PASS")
  void pairWithBle() throws Exception {
    Path json = dir.resolve("r.json");
    Process pair = dkrig("pair", "--ble-adapter", "hci0", "--json", json.toString());
    assertTrue(pair.waitFor(120, TimeUnit.SECONDS));
    assertEquals(0, pair.exitValue(), output());
    assertEquals(1, bluez.record("RegisterAdvertisement").size(), bluez.record().toString());
    JsonNode properties = bluez.record("RegisterAdvertisement").get(0).path("properties");
    assertTrue(
        properties.path("ServiceUUIDs").toString().contains("0000fff5"), properties.toString());
    assertTrue(
        properties.path("ServiceData").toString().contains("5810bbc0"), properties.toString());
    assertEquals(1, bluez.record("UnregisterAdvertisement").size(), bluez.record().toString());
    JsonNode report = new ObjectMapper().readTree(json.toFile());
    JsonNode p162 = report.get("steps").get(StepIds.position(Step.P1_6_2));
    assertEquals("P1.6.2", p162.get("step").asText());
    assertEquals("PASS", p162.get("result").asText(), p162.toString());
  }

  @Test
  @DisplayName(
      "Ctrl-C during pairing mode: the advertisement is unregistered, report ERROR, exit 130")
  void interrupted() throws Exception {
    // A device without a password never becomes ready (D4 = 00): the run stays in P2.1.
    Path rigs = Path.of("rigs").toAbsolutePath();
    String rig =
        Files.readString(rigs.resolve("virtual.yaml"))
            .replace("  password: \"12345678\"", "")
            .replace(": ../profiles/", ": " + rigs.getParent().resolve("profiles") + "/")
            .replace(": test-pki/", ": " + rigs.resolve("test-pki") + "/");
    Path rigFile = dir.resolve("no-password.yaml");
    Files.writeString(rigFile, rig);
    Path json = dir.resolve("int.json");
    Process pair =
        dkrig(
            "pair",
            "--rig",
            rigFile.toString(),
            "--ble-adapter",
            "hci0",
            "--json",
            json.toString());
    bluez.awaitEvent("RegisterAdvertisement", e -> true, Duration.ofSeconds(60));
    Thread.sleep(500);
    new ProcessBuilder(
            "kill",
            "-INT",
            String.valueOf(pair.toHandle().children().findFirst().orElse(pair.toHandle()).pid()))
        .inheritIO()
        .start()
        .waitFor();
    assertTrue(pair.waitFor(30, TimeUnit.SECONDS), output());
    assertEquals(130, pair.exitValue(), output());
    bluez.awaitEvent("UnregisterAdvertisement", e -> true, Duration.ofSeconds(10));
    JsonNode report = new ObjectMapper().readTree(json.toFile());
    assertEquals("ERROR", report.get("verdict").asText());
  }
}
