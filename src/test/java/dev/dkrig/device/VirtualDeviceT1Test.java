package dev.dkrig.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dkrig.iso7816.Hex;
import dev.dkrig.random.TestModeDraws;
import dev.dkrig.testing.Vectors;
import dev.dkrig.time.FixedClock;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The T1 transcript (§17.4.6) from the device's side: every R-APDU byte for byte. */
class VirtualDeviceT1Test {

  static VirtualDevice t1Device() {
    return new VirtualDevice(
        DeviceSettings.t1(),
        new TestModeDraws(),
        new FixedClock(Instant.parse("2026-11-27T12:00:00Z")),
        new FixedClock(Instant.parse("2026-11-27T12:05:00Z")));
  }

  @Test
  void t1UiBundleIsTheContractValue() {
    assertEquals(
        "{\"title\":\"Digital Key\",\"vehicle\":\"DKRIG test car\"}",
        new String(DeviceSettings.t1().uiBundle(), StandardCharsets.UTF_8));
  }

  @Test
  void reproducesEveryT1Response() {
    VirtualDevice device = t1Device();
    List<Vectors.Exchange> transcript = Vectors.transcript();
    assertEquals(28, transcript.size());
    device.activate();
    for (Vectors.Exchange exchange : transcript) {
      if (exchange.note().startsWith("P4.1 SELECT applet")) {
        // §17.4.6: an NFC reset separates the phase-3 and phase-4 transactions.
        device.deactivate();
        device.activate();
      }
      byte[] response = device.process(exchange.command());
      assertEquals(
          Hex.encode(exchange.response()), Hex.encode(response), "R-APDU of " + exchange.note());
      if (exchange.note().contains("then NFC reset")) {
        device.deactivate();
        device.activate();
      }
    }
    DigitalKeyView key = device.digitalKey(T1Material.VEHICLE_IDENTIFIER).orElseThrow();
    assertEquals(DkState.ACTIVE, key.state());
    assertEquals("0C8D4E37D6165CBA4ABA983518AAB9BAF47BE08B", key.dkIdentifier().hex());
    assertEquals(0x0101, key.agreedVersion());
    assertTrue(key.receiptStored(), "§18.12: the receipt stays stored");
    assertEquals(0x0000, key.sigBmp(), "§12.1: bit 0 cleared after the complete receipt");
    assertEquals(AppletState.SELECTED_A, device.appletState());
    assertEquals(FrameworkState.IDLE, device.frameworkState());
    assertTrue(device.lastFrameworkAbort().isEmpty());
    assertTrue(device.lastAppletAbort().isEmpty());
  }
}
