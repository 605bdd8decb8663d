package dev.dkrig.pairing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dkrig.ble.Advertiser;
import dev.dkrig.ble.VehicleIdentity;
import dev.dkrig.ble.bluez.BluezAdvertiser;
import dev.dkrig.ccc.Ins;
import dev.dkrig.testing.BluezMock;
import dev.dkrig.time.TimerName;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 5: pairing-mode advertising through BlueZ (a real dbus-daemon with the mocked BlueZ):
 * registered at P1.6.2, unregistered when pairing mode ends, on every way out (§13, §14).
 */
class BlePairingTest {
  @TempDir Path state;
  private BluezMock bluez;

  @BeforeEach
  void startBluez() {
    bluez = BluezMock.start();
  }

  @AfterEach
  void stopBluez() {
    bluez.close();
  }

  private Scenario scenario() {
    Scenario s = new Scenario(state);
    var b = s.vehicle.ble();
    s.advertiser =
        BluezAdvertiser.open(
            Optional.of(BluezMock.ADAPTER),
            Optional.of(bluez.address()),
            Optional.of(new VehicleIdentity(b.irk(), b.addressType(), b.identityAddress())));
    return s;
  }

  private int advertisementsNow() {
    return bluez.registrations().path(BluezMock.ADAPTER).path("advertisements").size();
  }

  private void assertUnregistered() {
    assertEquals(1, bluez.record("RegisterAdvertisement").size(), bluez.record().toString());
    assertEquals(1, bluez.record("UnregisterAdvertisement").size(), bluez.record().toString());
    assertEquals(1, bluez.record("UnregisterApplication").size(), bluez.record().toString());
    assertEquals(0, advertisementsNow());
  }

  @Test
  @DisplayName("pass: one advertisement with FFF5 and the intent data at P1.6.2, gone before P2.4")
  void pass() {
    Scenario s = scenario();
    AtomicReference<Integer> duringCreationData = new AtomicReference<>();
    s.onResponse(
        Ins.WRITE_DATA,
        r -> {
          duringCreationData.compareAndSet(null, advertisementsNow());
          return r;
        });
    PairingOutcome outcome = s.run();
    assertEquals(Verdict.PASS, outcome.verdict(), () -> outcome.firstProblem().toString());
    StepResult p162 = outcome.result(Step.P1_6_2);
    assertEquals(Result.PASS, p162.result());
    assertTrue(
        p162.detail().contains("on hci0") && p162.detail().contains("address"), p162.detail());
    JsonNode properties = bluez.record("RegisterAdvertisement").get(0).path("properties");
    assertTrue(
        properties.path("ServiceUUIDs").toString().contains("0000fff5"), properties.toString());
    assertTrue(
        properties.path("ServiceData").toString().contains("[1,0,1]"), properties.toString());
    assertEquals(0, duringCreationData.get(), "advertising stops at P2.3 PASS, before P2.4");
    assertUnregistered();
  }

  @Test
  @DisplayName("FAIL at P2.3 (wrong password): unregistered")
  void failAtSpake2() {
    Scenario s = scenario().device(d -> d.withPassword("87654321"));
    PairingOutcome outcome = s.run();
    assertEquals(Result.FAIL, outcome.result(Step.P2_3).result());
    assertUnregistered();
  }

  @Test
  @DisplayName("T_PairingModeTimeout with no device: unregistered at expiry")
  void timerExpiry() {
    Scenario s = scenario().timer(TimerName.T_PairingModeTimeout, Duration.ofSeconds(2));
    s.present.set(false);
    PairingOutcome outcome = s.run();
    assertEquals(Result.FAIL, outcome.result(Step.P1_6_3).result());
    assertUnregistered();
  }

  @Test
  @DisplayName(
      "a refused registration: P1.6.2 ERROR with a one-line cause, nothing left registered")
  void refused() {
    bluez
        .control()
        .RefuseRegistration(
            "RegisterAdvertisement",
            "org.bluez.Error.NotPermitted",
            "Maximum advertisements reached");
    Scenario s = scenario();
    PairingOutcome outcome = s.run();
    StepResult p162 = outcome.result(Step.P1_6_2);
    assertEquals(Result.ERROR, p162.result());
    assertFalse(p162.detail().contains("\n"));
    assertTrue(
        p162.detail().contains("NotPermitted") || p162.detail().contains("refused"), p162.detail());
    assertEquals(Verdict.ERROR, outcome.verdict());
    assertEquals(Result.ERROR, outcome.result(Step.P1_6).result(), "P1.6 shares P1.6.2's result");
    assertEquals(0, advertisementsNow());
    assertTrue(s.headers().isEmpty(), "no NFC exchange after P1.6 ERROR");
  }

  @Test
  @DisplayName(
      "no adapter: P1.6.2 ERROR with a one-line cause (ble: on), SKIPPED with it (ble: optional)")
  void noAdapter() {
    try (BluezMock empty = BluezMock.withoutAdapter()) {
      var failing =
          org.junit.jupiter.api.Assertions.assertThrows(
              dev.dkrig.ble.BleException.class,
              () -> BluezAdvertiser.open(Optional.of("hci0"), Optional.of(empty.address())));
      assertFalse(failing.getMessage().contains("\n"));
      Scenario on = new Scenario(state);
      on.advertiser = Advertiser.failing(failing.getMessage());
      StepResult p162 = on.run().result(Step.P1_6_2);
      assertEquals(Result.ERROR, p162.result());
      assertTrue(p162.detail().contains("hci0"), p162.detail());
      Scenario optional = new Scenario(state);
      optional.advertiser =
          Advertiser.disabled("BLE optional and unavailable: " + failing.getMessage());
      PairingOutcome outcome = optional.run();
      assertEquals(Result.SKIPPED, outcome.result(Step.P1_6_2).result());
      assertEquals(Verdict.PASS, outcome.verdict());
    }
  }
}
