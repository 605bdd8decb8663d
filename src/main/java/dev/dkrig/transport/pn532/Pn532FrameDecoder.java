package dev.dkrig.transport.pn532;

import dev.dkrig.iso7816.Hex;
import java.util.Arrays;
import java.util.Optional;

/**
 * Cuts a byte stream from one side of a PN532 link into frames. Bytes before a start code are
 * dropped: the HSU wake-up {@code 55 55 00 …} before the first command (notes §3) and line noise. A
 * malformed frame is consumed and reported, so that the receiver can answer NACK and go on with the
 * next frame; after a bad LCS only the start code is consumed, since LEN cannot be trusted.
 *
 * <p>Not thread-safe: one reader per direction.
 */
public final class Pn532FrameDecoder {
  private final Pn532Frame.Direction sender;
  private byte[] buffer = new byte[1024];
  private int start;
  private int end;
  private int dropped;

  /**
   * @param sender the side whose frames this decoder reads
   */
  public Pn532FrameDecoder(Pn532Frame.Direction sender) {
    this.sender = sender;
  }

  /** Appends received bytes. */
  public void feed(byte[] bytes, int offset, int length) {
    if (end + length > buffer.length) {
      int used = end - start;
      byte[] grown = used + length > buffer.length ? new byte[2 * (used + length)] : buffer;
      System.arraycopy(buffer, start, grown, 0, used);
      buffer = grown;
      start = 0;
      end = used;
    }
    System.arraycopy(bytes, offset, buffer, end, length);
    end += length;
  }

  /**
   * The next complete frame.
   *
   * @return empty when more bytes are needed
   * @throws Pn532FrameException for a malformed frame, which is consumed
   */
  public Optional<Pn532Frame> next() {
    int found = indexOfStart();
    if (found < 0) {
      int keep = Math.min(end - start, Pn532Frame.START.length - 1);
      dropped += end - start - keep;
      start = end - keep;
      return Optional.empty();
    }
    dropped += found - start;
    start = found;
    int length;
    try {
      length = frameLength(buffer, start, end - start);
    } catch (Pn532FrameException e) {
      start += Pn532Frame.START.length;
      throw e;
    }
    if (length < 0 || end - start < length) {
      return Optional.empty();
    }
    byte[] frame = Arrays.copyOfRange(buffer, start, start + length);
    start += length;
    return Optional.of(Pn532Frame.parse(frame, sender));
  }

  /** Forgets everything buffered (before a new command: stale answers must not be taken). */
  public void clear() {
    dropped += end - start;
    start = 0;
    end = 0;
  }

  /** Bytes dropped so far outside frames (wake-up bytes, noise, stale data). */
  public int dropped() {
    return dropped;
  }

  /** What is buffered and not yet a frame, for error messages. */
  public String pending() {
    return Hex.encode(buffer, start, end);
  }

  private int indexOfStart() {
    for (int i = start; i + 2 < end; i++) {
      if (buffer[i] == 0x00 && buffer[i + 1] == 0x00 && buffer[i + 2] == (byte) 0xFF) {
        return i;
      }
    }
    return -1;
  }

  /**
   * The length of the frame that starts with {@code 00 00 FF} at {@code start}, from its header.
   *
   * @param available bytes present from {@code start}
   * @return the whole frame's length, or -1 when the header is not complete yet
   * @throws Pn532FrameException LENGTH_CHECKSUM or BAD_LENGTH for a header that cannot be right
   */
  static int frameLength(byte[] bytes, int start, int available) {
    if (available < 5) {
      return -1;
    }
    int b3 = bytes[start + 3] & 0xFF;
    int b4 = bytes[start + 4] & 0xFF;
    if ((b3 == 0x00 && b4 == 0xFF) || (b3 == 0xFF && b4 == 0x00)) {
      return 6;
    }
    int dataLength;
    int headerLength;
    if (b3 == 0xFF && b4 == 0xFF) {
      if (available < 8) {
        return -1;
      }
      int high = bytes[start + 5] & 0xFF;
      int low = bytes[start + 6] & 0xFF;
      int lcs = bytes[start + 7] & 0xFF;
      if (((high + low + lcs) & 0xFF) != 0) {
        throw new Pn532FrameException(
            Pn532FrameException.Reason.LENGTH_CHECKSUM,
            "extended LEN " + Hex.u8(high) + Hex.u8(low) + " with LCS " + Hex.u8(lcs));
      }
      dataLength = (high << 8) | low;
      headerLength = 8;
      if (dataLength == 0 || dataLength > Pn532Frame.EXTENDED_MAX_PAYLOAD + 1) {
        throw new Pn532FrameException(
            Pn532FrameException.Reason.BAD_LENGTH,
            "extended LEN " + dataLength + " outside 1–" + (Pn532Frame.EXTENDED_MAX_PAYLOAD + 1));
      }
    } else {
      if (((b3 + b4) & 0xFF) != 0) {
        throw new Pn532FrameException(
            Pn532FrameException.Reason.LENGTH_CHECKSUM,
            "LEN " + Hex.u8(b3) + " with LCS " + Hex.u8(b4));
      }
      dataLength = b3;
      headerLength = 5;
      if (dataLength == 0) {
        throw new Pn532FrameException(
            Pn532FrameException.Reason.BAD_LENGTH, "LEN 00 outside an ACK");
      }
    }
    return headerLength + dataLength + 2;
  }
}
