package dev.dkrig.device;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dkrig.random.SecureDraws;
import dev.dkrig.time.VirtualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The virtual device tells the transport how long it held an answer back on purpose, so that a late
 * answer on an overloaded host is not taken for its own (VirtualNfcTransport, §13 T_Apdu).
 */
class HeldBackTest {
  private static final byte[] SPAKE2_REQUEST = {(byte) 0x80, 0x30, 0x00, 0x00};
  private static final byte[] SELECT = {0x00, (byte) 0xA4, 0x04, 0x00};

  private static VirtualDevice device(Set<DeviceQuirk> quirks) {
    VirtualClock clock = new VirtualClock(Instant.parse("2026-11-27T12:00:00Z"));
    VirtualDevice device =
        new VirtualDevice(
            DeviceSettings.t1().withQuirks(quirks), SecureDraws.seeded(7), clock, clock);
    device.activate();
    return device;
  }

  @Test
  @DisplayName("slower-than-t-apdu: the late SPAKE2+ REQUEST is held back, the next answer not")
  void slowerThanTApdu() {
    VirtualDevice device = device(Set.of(DeviceQuirk.SLOWER_THAN_T_APDU));
    device.process(SPAKE2_REQUEST);
    assertEquals(Optional.of(VirtualDevice.DEFAULT_SLOW_ANSWER), device.heldBack());
    device.process(SELECT);
    assertEquals(Optional.of(Duration.ZERO), device.heldBack());
  }

  @Test
  @DisplayName("without the quirk nothing is held back")
  void none() {
    VirtualDevice device = device(Set.of());
    device.process(SPAKE2_REQUEST);
    assertEquals(Optional.of(Duration.ZERO), device.heldBack());
  }
}
