package dev.dkrig.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dkrig.conformance.vehicle.VehicleSuite;
import dev.dkrig.testing.Pcscd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19 item 4 through PC/SC: dkrig's own vehicle ({@code dkrig pair --rig rigs/pcsc.yaml
 * --repeat N}, in the background) against {@code dkrig suite --role phone
 * suites/vehicle-conformance.yaml --vpcd}, the phone in a pcscd reader slot through vpcd. The
 * vehicle that follows the contract passes every scenario; with vehicle quirks the scenarios they
 * break FAIL, exit 1. Both sides get the same short timers ({@link LauncherBench#VEHICLE_TIMERS}).
 * This JVM owns its pcscd and never opens a PC/SC context itself.
 */
class VehicleSuiteIT {
  @RegisterExtension static final LauncherBench BENCH = new LauncherBench();
  @TempDir Path dir;

  /** dkrig's vehicle on reader 00 00, one pairing after another, in the background. */
  private void vehicle(String... quirks) throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of("pair", "--rig", "rigs/pcsc.yaml", "-r", "vpcd 00 00", "--repeat", "40", "-q"));
    args.addAll(LauncherBench.VEHICLE_TIMERS);
    for (String quirk : quirks) {
      args.add("--vehicle-quirk");
      args.add(quirk);
    }
    BENCH.start(dir, "pair", args);
  }

  private SuiteLauncher.Result suite(String name, String... more) throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "suite",
                "--role",
                "phone",
                "suites/vehicle-conformance.yaml",
                "--vpcd",
                "127.0.0.1:" + Pcscd.PORT_0,
                "--fresh-verifier",
                "--wait",
                "60s"));
    args.addAll(LauncherBench.VEHICLE_TIMERS);
    args.addAll(List.of(more));
    return SuiteLauncher.run(dir, name, args.toArray(String[]::new));
  }

  @Test
  @DisplayName("dkrig pair --rig rigs/pcsc.yaml as the vehicle: every scenario PASS, exit 0")
  void dkrigsVehiclePasses() throws Exception {
    vehicle();
    Path reports = dir.resolve("reports");
    SuiteLauncher.Result r = suite("pass", "--report-dir", reports.toString());
    assertEquals(0, r.exit(), r.out() + r.err() + Files.readString(dir.resolve("pair.out")));
    List<String> names =
        VehicleSuite.load(
                dev.dkrig.bench.ConfigSource.file(Path.of("suites/vehicle-conformance.yaml")))
            .scenarioNames();
    assertEquals(names, SuiteLauncher.passing(r.out()), r.out());
    assertTrue(names.size() >= 12, names::toString);
    JsonNode json = new ObjectMapper().readTree(reports.resolve("suite.json").toFile());
    assertEquals("dkrig-suite/1", json.get("schema").asText());
    assertEquals("phone", json.get("role").asText());
    assertEquals(names.size(), json.get("summary").get("PASS").asInt());
    for (String name : names) {
      assertTrue(Files.size(reports.resolve(name).resolve("trace.txt")) > 0, name);
      assertTrue(Files.isRegularFile(reports.resolve(name).resolve("capture.pcapng")), name);
    }
    assertTrue(r.err().contains("Start pairing mode on the head unit for wrong-m2"), r.err());
  }

  @Test
  @DisplayName(
      "pair --vehicle-quirk ignore-bad-m2 --vehicle-quirk wrong-abort-code: the scenarios they"
          + " break FAIL, the others PASS, exit 1")
  void vehicleQuirksFail() throws Exception {
    vehicle("ignore-bad-m2", "wrong-abort-code");
    SuiteLauncher.Result r =
        suite(
            "quirks",
            "--only",
            "wrong-m2,bad-applet-rmac,not-ready-first-select,no-common-applet-version");
    assertEquals(1, r.exit(), r.out() + r.err());
    assertEquals(
        List.of("no-common-applet-version", "wrong-m2", "bad-applet-rmac"),
        SuiteLauncher.failing(r.out()),
        r.out());
    assertEquals(List.of("not-ready-first-select"), SuiteLauncher.passing(r.out()), r.out());
    assertTrue(r.out().contains("went on with WRITE DATA"), r.out());
    assertTrue(r.out().contains("requires 00 00"), r.out());
  }
}
