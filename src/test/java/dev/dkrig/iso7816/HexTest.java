package dev.dkrig.iso7816;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The contract's hex notation (§0): whitespace and lower case are read, anything else refused. */
class HexTest {
  @Test
  void decodesCompactAndSpacedHexAlike() {
    byte[] expected = {(byte) 0x80, 0x30, 0x00, 0x00, 0x2A};
    assertArrayEquals(expected, Hex.decode("803000002A"));
    assertArrayEquals(expected, Hex.decode("80 30 0000\t2a\n"));
    assertArrayEquals(expected, Hex.decode("8 030000 02A"));
    assertArrayEquals(new byte[0], Hex.decode(""));
  }

  @Test
  void refusesWhatIsNotHexWithTheSameMessages() {
    IllegalArgumentException odd =
        assertThrows(IllegalArgumentException.class, () -> Hex.decode("80 3"));
    assertEquals("odd number of hex digits (3)", odd.getMessage());
    IllegalArgumentException notHex =
        assertThrows(IllegalArgumentException.class, () -> Hex.decode("80 3G"));
    assertTrue(notHex.getMessage().startsWith("not hex: "), notHex.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Hex.decode("803G"));
    assertThrows(IllegalArgumentException.class, () -> Hex.decode("+1"));
  }
}
