package dev.dkrig.transport.pn532;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dkrig.iso7816.Hex;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Notes §2.4: CRC_A, initial 0x6363, reflected, low byte first. */
class CrcATest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    // the Mercedes pairing-prompt example of the notes
    "6a02c30209010201, 530b",
    // the CRC in kormax's real iPhone trace, reproduced in the notes
    "6a028905000100014d7e2adcf868, d2dd",
    // ISO/IEC 14443-3 Annex B examples
    "0000, a01e",
    "1234, 26cf"
  })
  void knownAnswers(String data, String crcLowFirst) {
    byte[] bytes = Hex.decode(data);
    assertEquals(data + crcLowFirst, Hex.encode(CrcA.append(bytes)).toLowerCase());
    int crc = CrcA.of(bytes);
    assertEquals(crcLowFirst, String.format("%02x%02x", crc & 0xFF, crc >>> 8));
  }

  @ParameterizedTest
  @CsvSource({"6a02c30209010201", "6a02cb020b010201a1a2a3a4a5a6a7a8", "26", "''"})
  void aFrameWithItsCrcChecksToZero(String data) {
    assertEquals(0, CrcA.of(CrcA.append(Hex.decode(data))));
  }
}
