package dev.dkrig.emulate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.dkrig.iso7816.Hex;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** PC/SC Part 3 ATRs for ISO 14443-4 cards: {@code 3B 8n 80 01 <historical bytes> TCK}. */
class ContactlessAtrTest {

  @Test
  @DisplayName("An HCE phone: 3B 80 80 01 01 (TCK = 80 ^ 80 ^ 01)")
  void hcePhone() {
    assertEquals("3B80800101", Hex.encode(ContactlessAtr.hcePhone()));
  }

  @Test
  @DisplayName("Historical bytes set n in T0 and enter the TCK; XOR from T0 to TCK is 0")
  void historicalBytes() {
    byte[] atr = ContactlessAtr.iso14443Part4(Hex.decode("8073C821"));
    assertEquals("3B848001" + "8073C821", Hex.encode(atr).substring(0, 16));
    int xor = 0;
    for (int i = 1; i < atr.length; i++) {
      xor ^= atr[i] & 0xFF;
    }
    assertEquals(0, xor);
    assertEquals(15 + 5, ContactlessAtr.iso14443Part4(new byte[15]).length);
    assertThrows(IllegalArgumentException.class, () -> ContactlessAtr.iso14443Part4(new byte[16]));
  }
}
