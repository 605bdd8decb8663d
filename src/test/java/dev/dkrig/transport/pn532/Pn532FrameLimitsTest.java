package dev.dkrig.transport.pn532;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.dkrig.iso7816.Bytes;
import dev.dkrig.testing.Vectors;
import dev.dkrig.transport.pn532.Pn532FrameLimits.Form;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Which frame carries which contract APDU (§3.2 sizes, the T1 transcript's real ones). */
class Pn532FrameLimitsTest {

  @Test
  @DisplayName("a normal frame holds 252 APDU bytes, an extended one 262 (InDataExchange DataOut)")
  void limits() {
    assertEquals(252, Pn532FrameLimits.NORMAL_FRAME_MAX_APDU);
    assertEquals(262, Pn532FrameLimits.EXTENDED_FRAME_MAX_APDU);
    assertEquals(Form.NORMAL, Pn532FrameLimits.formFor(252));
    assertEquals(Form.EXTENDED, Pn532FrameLimits.formFor(253));
    assertEquals(Form.EXTENDED, Pn532FrameLimits.formFor(262));
    assertThrows(IllegalArgumentException.class, () -> Pn532FrameLimits.formFor(263));
  }

  @Test
  @DisplayName("§3.2: the 254-byte WRITE DATA needs an extended frame; the 250-byte answer fits")
  void contractSizes() {
    assertEquals(Form.EXTENDED, Pn532FrameLimits.formFor(254));
    assertEquals(Form.NORMAL, Pn532FrameLimits.formFor(250));
    assertEquals(Form.EXTENDED, Pn532FrameLimits.formFor(Pn532FrameLimits.MAX_SHORT_APDU));

    // The frame itself: D4 40 01 + 254 bytes = LEN 257 (01 01), which a one-byte LEN cannot say.
    byte[] writeData = Vectors.transcript().get(3).command();
    assertEquals(254, writeData.length, "T1 WRITE DATA #1");
    byte[] frame =
        Pn532Frame.Information.command(0x40, Bytes.concat(Bytes.of(0x01), writeData)).bytes();
    assertEquals(List.of(0x00, 0x00, 0xFF, 0xFF, 0xFF, 0x01, 0x01, 0xFE), head(frame, 8));
    assertEquals(8 + 257 + 2, frame.length);

    // The longest T1 answer: D5 41 00 + 250 bytes = LEN 253, a normal frame.
    int longest =
        Vectors.transcript().stream().mapToInt(e -> e.response().length).max().orElseThrow();
    assertEquals(250, longest);
    byte[] answer = Pn532Frame.Information.response(0x41, new byte[1 + longest]).bytes();
    assertEquals(List.of(0x00, 0x00, 0xFF, 0xFD, 0x03), head(answer, 5));
  }

  private static List<Integer> head(byte[] bytes, int n) {
    return java.util.stream.IntStream.range(0, n).mapToObj(i -> bytes[i] & 0xFF).toList();
  }
}
