package dev.dkrig.transport.pn532;

import dev.dkrig.iso7816.Bytes;
import dev.dkrig.iso7816.Hex;
import java.util.Arrays;

/**
 * One frame on a PN532's host link (HSU/UART), both directions (notes §3; NXP UM0701 §6.2.1):
 *
 * <pre>
 * normal       00 00 FF LEN LCS TFI PD0 … PDn DCS 00          LEN = |TFI PD…| ≤ 255
 * extended     00 00 FF FF FF LENm LENl LCS TFI PD0 … DCS 00  LEN ≤ 1 + 264
 * ACK          00 00 FF 00 FF 00
 * NACK         00 00 FF FF 00 00
 * error        00 00 FF 01 FF 7F 81 00                         application-level error (board only)
 * </pre>
 *
 * LCS makes {@code LEN + LCS} (extended: {@code LENm + LENl + LCS}) 0 modulo 256, DCS makes {@code
 * TFI + ΣPD + DCS} 0 modulo 256. TFI is {@code D4} from the host and {@code D5} from the board; PD0
 * is the command code, the board answering with the code + 1.
 *
 * <p>{@link #parse} is strict: the bytes must be exactly one frame, and every rule broken is named
 * ({@link Pn532FrameException.Reason}). {@link Pn532FrameDecoder} finds frames in a byte stream.
 */
public sealed interface Pn532Frame
    permits Pn532Frame.Ack, Pn532Frame.Nack, Pn532Frame.ApplicationError, Pn532Frame.Information {

  /** {@code 00 00 FF}: preamble and start code. */
  byte[] START = Bytes.of(0x00, 0x00, 0xFF);

  /** LEN ≤ 255 counts TFI, so a normal frame carries at most 254 bytes after TFI. */
  int NORMAL_MAX_PAYLOAD = 254;

  /** An extended frame carries at most 264 bytes after TFI (UM0701; libnfc's limit too). */
  int EXTENDED_MAX_PAYLOAD = 264;

  Ack ACK = new Ack();
  Nack NACK = new Nack();
  ApplicationError APPLICATION_ERROR = new ApplicationError();

  /** The bytes on the line. */
  byte[] bytes();

  /** Who sends a frame, and the TFI that says so. */
  enum Direction {
    /** The host (dkrig) to the PN532: TFI {@code D4}. */
    HOST_TO_BOARD(0xD4),
    /** The PN532 to the host: TFI {@code D5}. */
    BOARD_TO_HOST(0xD5);

    private final int tfi;

    Direction(int tfi) {
      this.tfi = tfi;
    }

    public int tfi() {
      return tfi;
    }
  }

  /** {@code 00 00 FF 00 FF 00}: the frame before it arrived intact (or, from the host, abort). */
  record Ack() implements Pn532Frame {
    @Override
    public byte[] bytes() {
      return Bytes.of(0x00, 0x00, 0xFF, 0x00, 0xFF, 0x00);
    }

    @Override
    public String toString() {
      return "ACK";
    }
  }

  /** {@code 00 00 FF FF 00 00}: send the last frame again. */
  record Nack() implements Pn532Frame {
    @Override
    public byte[] bytes() {
      return Bytes.of(0x00, 0x00, 0xFF, 0xFF, 0x00, 0x00);
    }

    @Override
    public String toString() {
      return "NACK";
    }
  }

  /** {@code 00 00 FF 01 FF 7F 81 00}: the board found a syntax error in the command. */
  record ApplicationError() implements Pn532Frame {
    @Override
    public byte[] bytes() {
      return Bytes.of(0x00, 0x00, 0xFF, 0x01, 0xFF, 0x7F, 0x81, 0x00);
    }

    @Override
    public String toString() {
      return "application error frame";
    }
  }

  /**
   * A normal or extended information frame; normal whenever it fits, as libnfc builds them.
   *
   * @param direction the sender, which fixes the TFI
   * @param payload PD0 … PDn: the command (or response) code and its parameters
   */
  record Information(Direction direction, byte[] payload) implements Pn532Frame {
    public Information {
      payload = payload.clone();
      if (payload.length == 0 || payload.length > EXTENDED_MAX_PAYLOAD) {
        throw new IllegalArgumentException(
            "a PN532 information frame carries 1–"
                + EXTENDED_MAX_PAYLOAD
                + " bytes after TFI, not "
                + payload.length);
      }
    }

    /** A host command, {@code D4 <code> <params>}. */
    public static Information command(int code, byte[] params) {
      return new Information(Direction.HOST_TO_BOARD, Bytes.concat(Bytes.of(code), params));
    }

    /** A board response, {@code D5 <code> <data>} (code = command code + 1). */
    public static Information response(int code, byte[] data) {
      return new Information(Direction.BOARD_TO_HOST, Bytes.concat(Bytes.of(code), data));
    }

    @Override
    public byte[] payload() {
      return payload.clone();
    }

    /** PD0: the command code, or the response code. */
    public int code() {
      return payload[0] & 0xFF;
    }

    /** PD1 … PDn. */
    public byte[] data() {
      return Arrays.copyOfRange(payload, 1, payload.length);
    }

    /** Whether the frame needs the extended form: more than {@value #NORMAL_MAX_PAYLOAD} bytes. */
    public boolean extended() {
      return payload.length > NORMAL_MAX_PAYLOAD;
    }

    @Override
    public byte[] bytes() {
      int length = payload.length + 1;
      int sum = direction.tfi();
      for (byte b : payload) {
        sum += b & 0xFF;
      }
      byte[] header =
          extended()
              ? Bytes.of(
                  0x00,
                  0x00,
                  0xFF,
                  0xFF,
                  0xFF,
                  length >>> 8,
                  length & 0xFF,
                  -(length >>> 8) - length)
              : Bytes.of(0x00, 0x00, 0xFF, length, -length);
      return Bytes.concat(header, Bytes.of(direction.tfi()), payload, Bytes.of(-sum, 0x00));
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Information that
          && direction == that.direction
          && Arrays.equals(payload, that.payload);
    }

    @Override
    public int hashCode() {
      return 31 * direction.hashCode() + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
      return Hex.u8(direction.tfi()) + " " + Hex.encode(payload);
    }
  }

  /**
   * Parses exactly one frame.
   *
   * @param sender who sent it: an information frame must carry the sender's TFI, and only the board
   *     sends the application error frame
   * @throws Pn532FrameException naming the first rule the bytes break
   */
  static Pn532Frame parse(byte[] frame, Direction sender) {
    int n = frame.length;
    for (int i = 0; i < Math.min(n, START.length); i++) {
      if (frame[i] != START[i]) {
        throw new Pn532FrameException(
            Pn532FrameException.Reason.BAD_PREAMBLE,
            "expected 00 00 FF, got " + Hex.encode(frame, 0, Math.min(n, START.length)));
      }
    }
    int length = Pn532FrameDecoder.frameLength(frame, 0, n);
    if (length < 0) {
      throw new Pn532FrameException(
          Pn532FrameException.Reason.TRUNCATED, n + " byte(s): " + Hex.encode(frame));
    }
    if (n < length) {
      throw new Pn532FrameException(
          Pn532FrameException.Reason.TRUNCATED,
          "the header announces " + length + " bytes, got " + n);
    }
    if (n > length) {
      throw new Pn532FrameException(
          Pn532FrameException.Reason.TRAILING_BYTES,
          (n - length) + " byte(s) after a " + length + "-byte frame");
    }
    int b3 = frame[3] & 0xFF;
    int b4 = frame[4] & 0xFF;
    if ((b3 == 0x00 && b4 == 0xFF) || (b3 == 0xFF && b4 == 0x00)) {
      if (frame[5] != 0) {
        throw new Pn532FrameException(
            Pn532FrameException.Reason.BAD_POSTAMBLE,
            (b3 == 0 ? "ACK" : "NACK") + " ends with " + Hex.u8(frame[5]));
      }
      return b3 == 0 ? ACK : NACK;
    }
    int headerLength = b3 == 0xFF && b4 == 0xFF ? 8 : 5;
    int dataLength = length - headerLength - 2;
    int sum = 0;
    for (int i = headerLength; i < headerLength + dataLength + 1; i++) {
      sum += frame[i] & 0xFF;
    }
    if ((sum & 0xFF) != 0) {
      throw new Pn532FrameException(
          Pn532FrameException.Reason.DATA_CHECKSUM,
          "DCS "
              + Hex.u8(frame[headerLength + dataLength])
              + " does not complete the sum of "
              + Hex.encode(frame, headerLength, headerLength + dataLength));
    }
    if (frame[length - 1] != 0) {
      throw new Pn532FrameException(
          Pn532FrameException.Reason.BAD_POSTAMBLE,
          "frame ends with " + Hex.u8(frame[length - 1]) + ", not 00");
    }
    int tfi = frame[headerLength] & 0xFF;
    if (tfi == 0x7F && dataLength == 1 && sender == Direction.BOARD_TO_HOST) {
      return APPLICATION_ERROR;
    }
    if (tfi != sender.tfi()) {
      throw new Pn532FrameException(
          Pn532FrameException.Reason.WRONG_TFI,
          "TFI " + Hex.u8(tfi) + " where " + sender + " sends " + Hex.u8(sender.tfi()));
    }
    if (dataLength < 2) {
      throw new Pn532FrameException(
          Pn532FrameException.Reason.BAD_LENGTH, "an information frame without a command code");
    }
    return new Information(
        sender, Arrays.copyOfRange(frame, headerLength + 1, headerLength + dataLength));
  }

  /** {@link #parse} of hex text. */
  static Pn532Frame parse(String hex, Direction sender) {
    return parse(Hex.decode(hex), sender);
  }
}
