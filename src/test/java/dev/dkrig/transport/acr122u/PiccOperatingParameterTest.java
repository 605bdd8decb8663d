package dev.dkrig.transport.acr122u;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Notes §2.2: the PICC operating parameter bits. */
class PiccOperatingParameterTest {

  @Test
  void factoryDefaultPollsEverything() {
    PiccOperatingParameter p = PiccOperatingParameter.FACTORY_DEFAULT;
    assertTrue(p.autoPolling());
    assertTrue(p.autoAts());
    assertEquals(250, p.pollIntervalMillis());
    assertEquals(
        "FF (auto polling, auto ATS, 250 ms, ISO 14443-A, ISO 14443-B, Topaz, FeliCa 212,"
            + " FeliCa 424)",
        p.toString());
  }

  @Test
  void manualPollingIs7F() {
    assertEquals(0x7F, PiccOperatingParameter.FACTORY_DEFAULT.withAutoPolling(false).value());
    assertFalse(PiccOperatingParameter.MANUAL_POLLING.autoPolling());
  }

  @Test
  void typeAOnlyIsE1() {
    PiccOperatingParameter p =
        new PiccOperatingParameter(0)
            .withAutoPolling(true)
            .withAutoAts(true)
            .withPollIntervalMillis(250)
            .withTechnology(PiccOperatingParameter.ISO_14443_A, true);
    assertEquals(PiccOperatingParameter.TYPE_A_ONLY, p);
    assertEquals("E1 (auto polling, auto ATS, 250 ms, ISO 14443-A)", p.toString());
    assertEquals(500, p.withPollIntervalMillis(500).pollIntervalMillis());
    assertFalse(
        p.withTechnology(PiccOperatingParameter.ISO_14443_A, false)
            .polls(PiccOperatingParameter.ISO_14443_A));
  }

  @Test
  void nonsenseIsRefused() {
    PiccOperatingParameter p = PiccOperatingParameter.FACTORY_DEFAULT;
    assertThrows(IllegalArgumentException.class, () -> p.withPollIntervalMillis(100));
    assertThrows(IllegalArgumentException.class, () -> p.withTechnology(0x03, true));
    assertThrows(
        IllegalArgumentException.class,
        () -> p.withTechnology(PiccOperatingParameter.AUTO_ATS, true));
    assertThrows(IllegalArgumentException.class, () -> new PiccOperatingParameter(0x100));
  }
}
