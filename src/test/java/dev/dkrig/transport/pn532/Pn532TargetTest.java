package dev.dkrig.transport.pn532;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dkrig.iso7816.Hex;
import org.junit.jupiter.api.Test;

/** InListPassiveTarget's type A target data (notes §2.3 step 3) and GetFirmwareVersion. */
class Pn532TargetTest {

  @Test
  void parsesThePhoneTargetOfTheNotes() {
    Pn532Target target =
        Pn532Target.parseTypeA(Hex.decode("01000420" + "04" + "08AABBCC0578807002"));
    assertEquals(1, target.tg());
    assertEquals(0x0004, target.sensRes());
    assertEquals(0x20, target.selRes());
    assertArrayEquals(Hex.decode("08AABBCC"), target.nfcid1());
    assertArrayEquals(Hex.decode("0578807002"), target.ats());
    assertTrue(target.isoDep());
    assertTrue(target.randomUid());
    assertEquals(256, target.fsc());
    assertEquals("01000420" + "04" + "08AABBCC0578807002", Hex.encode(target.bytes()));
    assertEquals(
        "ISO 14443-4A target 1: ATQA 0004, SAK 20, UID 08AABBCC (random), ATS 0578807002 (FSC 256)",
        target.toString());
  }

  @Test
  void refusesInconsistentTargets() {
    assertThrows(
        IllegalArgumentException.class, () -> Pn532Target.parseTypeA(Hex.decode("010004")));
    assertThrows(
        IllegalArgumentException.class, () -> Pn532Target.parseTypeA(Hex.decode("010004200708AA")));
    // TL must count the ATS bytes, itself included.
    assertThrows(
        IllegalArgumentException.class,
        () ->
            Pn532Target.parseTypeA(
                Hex.decode("0100042004" + "08AABBCC" + "04788070 02".replace(" ", ""))));
  }

  @Test
  void firmware() {
    Pn532Firmware firmware = Pn532Firmware.parse(Hex.decode("32010607"));
    assertEquals("PN532 v1.6 (ISO 14443-A, ISO 14443-B, ISO 18092)", firmware.toString());
    assertTrue(firmware.supportsTypeA());
    assertThrows(IllegalArgumentException.class, () -> Pn532Firmware.parse(Hex.decode("3201")));
  }
}
