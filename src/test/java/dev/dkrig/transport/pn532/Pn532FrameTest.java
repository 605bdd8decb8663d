package dev.dkrig.transport.pn532;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dkrig.iso7816.Bytes;
import dev.dkrig.iso7816.Hex;
import dev.dkrig.transport.pn532.Pn532Frame.Direction;
import dev.dkrig.transport.pn532.Pn532FrameException.Reason;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The PN532 frame codec (notes §3): known answers from libnfc's own TX/RX log against a PN532
 * emulator it accepted, every named error for both directions, and the stream decoder.
 */
class Pn532FrameTest {

  private static Pn532Frame.Information host(String payload) {
    return new Pn532Frame.Information(Direction.HOST_TO_BOARD, Hex.decode(payload));
  }

  private static Pn532Frame.Information board(String payload) {
    return new Pn532Frame.Information(Direction.BOARD_TO_HOST, Hex.decode(payload));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "SAMConfiguration,         1401,             0000FF03FDD4140117 00",
    "GetFirmwareVersion,       02,               0000FF02FED4022A00",
    "Diagnose 'libnfc',        00006C69626E6663, 0000FF09F7D400006C69626E6663BE00",
    "WriteRegister,            0863028063038 0,  0000FF08F8D408630280630380 5900",
    "RFConfiguration MaxRetries, 3205000102,     0000FF06FAD43205000102F200",
    "InListPassiveTarget 106A, 4A0100,           0000FF04FCD44A0100E100",
    "InRelease Tg 0,           5200,             0000FF03FDD45200DA00"
  })
  @DisplayName("host frames, byte for byte as libnfc's pn532_uart driver sends them")
  void hostFramesKnownAnswers(String name, String payload, String frame) {
    Pn532Frame.Information command = host(payload.replace(" ", ""));
    assertEquals(frame.replace(" ", ""), Hex.encode(command.bytes()), name);
    assertEquals(command, Pn532Frame.parse(frame.replace(" ", ""), Direction.HOST_TO_BOARD));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "SAMConfiguration,   15,           0000FF02FED5151600",
    "GetFirmwareVersion, 0332010607,   0000FF06FAD50332010607E800",
    "Diagnose echo,      01006C69626E6663, 0000FF09F7D501006C69626E6663BC00",
    "InListPassiveTarget, 4B0101000420040 8AABBCC0578807002, "
        + "0000FF11EFD54B01010004200408AABBCC05788070020E00",
    "PowerDown,          1700,         0000FF03FDD5170014 00",
    "InCommunicateThru timeout, 4301,  0000FF03FDD54301E700"
  })
  @DisplayName("board frames, byte for byte as libnfc accepted them")
  void boardFramesKnownAnswers(String name, String payload, String frame) {
    Pn532Frame.Information response = board(payload.replace(" ", ""));
    assertEquals(frame.replace(" ", ""), Hex.encode(response.bytes()), name);
    assertEquals(response, Pn532Frame.parse(frame.replace(" ", ""), Direction.BOARD_TO_HOST));
  }

  @Test
  void ackNackAndApplicationError() {
    assertEquals("0000FF00FF00", Hex.encode(Pn532Frame.ACK.bytes()));
    assertEquals("0000FFFF0000", Hex.encode(Pn532Frame.NACK.bytes()));
    assertEquals("0000FF01FF7F8100", Hex.encode(Pn532Frame.APPLICATION_ERROR.bytes()));
    for (Direction sender : Direction.values()) {
      assertSame(Pn532Frame.ACK, Pn532Frame.parse("0000FF00FF00", sender));
      assertSame(Pn532Frame.NACK, Pn532Frame.parse("0000FFFF0000", sender));
    }
    assertSame(
        Pn532Frame.APPLICATION_ERROR,
        Pn532Frame.parse("0000FF01FF7F8100", Direction.BOARD_TO_HOST));
  }

  @Test
  @DisplayName("extended frame: 00 00 FF FF FF LENm LENl LCS, LEN counting TFI")
  void extendedFrameKnownAnswer() {
    // InDataExchange Tg 1 with 253 zero bytes: 255 payload bytes, LEN = 256 = 01 00, LCS = FF,
    // DCS = -(D4 + 40 + 01) = EB.
    byte[] payload = Bytes.concat(Bytes.of(0x40, 0x01), new byte[253]);
    Pn532Frame.Information frame = new Pn532Frame.Information(Direction.HOST_TO_BOARD, payload);
    String expected = "0000FFFFFF0100FF" + "D44001" + "00".repeat(253) + "EB00";
    assertTrue(frame.extended());
    assertEquals(expected, Hex.encode(frame.bytes()));
    assertEquals(frame, Pn532Frame.parse(expected, Direction.HOST_TO_BOARD));
  }

  @Test
  @DisplayName("254 payload bytes is the last normal frame (LEN FF), 255 the first extended one")
  void normalExtendedBoundary() {
    Pn532Frame.Information normal =
        new Pn532Frame.Information(Direction.BOARD_TO_HOST, new byte[254]);
    assertEquals("0000FFFF01D5", Hex.encode(normal.bytes(), 0, 6));
    assertEquals(254 + 8, normal.bytes().length);
    Pn532Frame.Information extended =
        new Pn532Frame.Information(Direction.BOARD_TO_HOST, new byte[255]);
    assertEquals("0000FFFFFF0100FFD5", Hex.encode(extended.bytes(), 0, 9));
    Pn532Frame.Information largest =
        new Pn532Frame.Information(Direction.BOARD_TO_HOST, new byte[264]);
    assertEquals("0000FFFFFF0109F6", Hex.encode(largest.bytes(), 0, 8));
    assertEquals(largest, Pn532Frame.parse(largest.bytes(), Direction.BOARD_TO_HOST));
    assertThrows(
        IllegalArgumentException.class,
        () -> new Pn532Frame.Information(Direction.HOST_TO_BOARD, new byte[265]));
    assertThrows(
        IllegalArgumentException.class,
        () -> new Pn532Frame.Information(Direction.HOST_TO_BOARD, new byte[0]));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource({
    "BAD_PREAMBLE,    0001FF02FED4022A00,     HOST_TO_BOARD",
    "BAD_PREAMBLE,    FF0000FF02FED4022A00,   HOST_TO_BOARD",
    "TRUNCATED,       0000FF02,               HOST_TO_BOARD",
    "TRUNCATED,       0000FF02FED4022A,       HOST_TO_BOARD",
    "TRUNCATED,       0000FFFFFF01,           HOST_TO_BOARD",
    "LENGTH_CHECKSUM, 0000FF02FDD4022A00,     HOST_TO_BOARD",
    "LENGTH_CHECKSUM, 0000FFFFFF0100FED44001EB00, HOST_TO_BOARD",
    "BAD_LENGTH,      0000FF0000D400,         HOST_TO_BOARD",
    "BAD_LENGTH,      0000FFFFFF010AF5D400,   HOST_TO_BOARD",
    "BAD_LENGTH,      0000FF01FFD42C00,       HOST_TO_BOARD",
    "DATA_CHECKSUM,   0000FF02FED4022B00,     HOST_TO_BOARD",
    "DATA_CHECKSUM,   0000FF06FAD50332010607E900, BOARD_TO_HOST",
    "BAD_POSTAMBLE,   0000FF02FED4022A01,     HOST_TO_BOARD",
    "BAD_POSTAMBLE,   0000FF00FF55,           BOARD_TO_HOST",
    "WRONG_TFI,       0000FF02FED5032800,     HOST_TO_BOARD",
    "WRONG_TFI,       0000FF02FED4022A00,     BOARD_TO_HOST",
    "WRONG_TFI,       0000FF01FF7F8100,       HOST_TO_BOARD",
    "TRAILING_BYTES,  0000FF02FED4022A0000,   HOST_TO_BOARD"
  })
  @DisplayName("every malformed frame is named, in both directions")
  void namedErrors(Reason reason, String hex, Direction sender) {
    Pn532FrameException e =
        assertThrows(Pn532FrameException.class, () -> Pn532Frame.parse(hex, sender));
    assertEquals(reason, e.reason(), e.getMessage());
    assertTrue(e.getMessage().startsWith(reason.label()), e.getMessage());
  }

  @Test
  @DisplayName("decoder: skips the HSU wake-up, splits back-to-back frames, joins split bytes")
  void decoderStream() {
    Pn532FrameDecoder decoder = new Pn532FrameDecoder(Direction.HOST_TO_BOARD);
    byte[] stream =
        Hex.decode(
            "55550000000000000000000000000000"
                + "0000FF03FDD4140117 00".replace(" ", "")
                + "0000FF00FF00"
                + "0000FF02FED4022A00");
    List<Pn532Frame> frames = new ArrayList<>();
    for (byte b : stream) {
      decoder.feed(new byte[] {b}, 0, 1);
      decoder.next().ifPresent(frames::add);
      decoder.next().ifPresent(frames::add);
    }
    assertEquals(List.of(host("1401"), Pn532Frame.ACK, host("02")), frames);
    assertEquals(16, decoder.dropped(), "the wake-up bytes before the first 00 00 FF");
    assertEquals(Optional.empty(), decoder.next());
  }

  @Test
  @DisplayName("decoder: a bad DCS consumes the frame; a bad LCS only the start code; both named")
  void decoderRecovers() {
    Pn532FrameDecoder decoder = new Pn532FrameDecoder(Direction.BOARD_TO_HOST);
    byte[] stream =
        Hex.decode(
            "0000FF06FAD50332010607E900" // DCS off by one
                + "0000FF06FBD50332010607E800" // LCS wrong
                + "0000FF02FED5151600");
    decoder.feed(stream, 0, stream.length);
    assertEquals(
        Reason.DATA_CHECKSUM, assertThrows(Pn532FrameException.class, decoder::next).reason());
    assertEquals(
        Reason.LENGTH_CHECKSUM, assertThrows(Pn532FrameException.class, decoder::next).reason());
    assertEquals(Optional.of(board("15")), decoder.next());
    assertEquals(Optional.empty(), decoder.next());
  }

  @Test
  void decoderClearDropsStaleBytes() {
    Pn532FrameDecoder decoder = new Pn532FrameDecoder(Direction.BOARD_TO_HOST);
    byte[] stale = Hex.decode("0000FF02FED515");
    decoder.feed(stale, 0, stale.length);
    assertEquals(Optional.empty(), decoder.next());
    decoder.clear();
    byte[] fresh = Hex.decode("0000FF00FF00");
    decoder.feed(fresh, 0, fresh.length);
    assertEquals(Optional.of(Pn532Frame.ACK), decoder.next());
  }

  @Test
  void decoderGrowsForLargeFrames() {
    Pn532FrameDecoder decoder = new Pn532FrameDecoder(Direction.BOARD_TO_HOST);
    byte[] big = new Pn532Frame.Information(Direction.BOARD_TO_HOST, new byte[264]).bytes();
    for (int i = 0; i < 5; i++) {
      decoder.feed(big, 0, big.length);
    }
    for (int i = 0; i < 5; i++) {
      assertEquals(264, ((Pn532Frame.Information) decoder.next().orElseThrow()).payload().length);
    }
  }
}
