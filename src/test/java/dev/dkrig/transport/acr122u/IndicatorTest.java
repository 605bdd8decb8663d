package dev.dkrig.transport.acr122u;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dkrig.iso7816.Hex;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Notes §2.2: {@code FF 00 40 <LEDctl> 04 <T1> <T2> <repetitions> <buzzer>} per run state. */
class IndicatorTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "OFF,             FF0040 0C 04 00 00 00 00, 0",
    "READY,           FF0040 0E 04 00 00 00 00, 0",
    "WAITING_FOR_TAP, FF0040 AE 04 02 02 01 00, 400",
    "PAIRING,         FF0040 0F 04 00 00 00 00, 0",
    "PASS,            FF0040 0E 04 01 00 01 01, 100",
    "FAIL,            FF0040 0D 04 0A 00 01 01, 1000",
    "ERROR,           FF0040 5D 04 05 05 02 01, 2000"
  })
  void bytesAndBlockingTime(Indicator indicator, String bytes, long millis) {
    assertEquals(Hex.encode(Hex.decode(bytes)), Hex.encode(indicator.command()));
    assertEquals(Duration.ofMillis(millis), indicator.blocksFor());
  }

  @ParameterizedTest(name = "{0} ends {1}")
  @CsvSource({
    "OFF, dark",
    "READY, green",
    "WAITING_FOR_TAP, green",
    "PAIRING, orange",
    "PASS, green",
    "FAIL, red",
    "ERROR, red"
  })
  void theFinalLedStateMatchesTheDocumentedColour(Indicator indicator, String colour) {
    int ledControl = indicator.command()[3] & 0xFF;
    // bit 0 final red, bit 1 final green; bits 2 and 3 (the masks) always update both LEDs
    String finalColour =
        switch (ledControl & 0x03) {
          case 0 -> "dark";
          case 1 -> "red";
          case 2 -> "green";
          default -> "orange";
        };
    assertEquals(colour, finalColour);
    assertEquals(0x0C, ledControl & 0x0C);
    assertTrue(indicator.blocksFor().compareTo(Duration.ofSeconds(2)) <= 0);
    assertTrue(!indicator.meaning().isBlank());
  }

  @Test
  void onlyTheEndOfARunBeeps() {
    for (Indicator indicator : Indicator.values()) {
      boolean beeps = indicator.command()[8] != 0;
      boolean endOfRun =
          indicator == Indicator.PASS
              || indicator == Indicator.FAIL
              || indicator == Indicator.ERROR;
      assertEquals(endOfRun, beeps, indicator.name());
    }
  }
}
