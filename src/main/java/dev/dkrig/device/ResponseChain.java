package dev.dkrig.device;

import dev.dkrig.ccc.DkProfile;
import dev.dkrig.ccc.StatusWord;
import java.util.Arrays;

/**
 * A response plaintext cut into pieces of 239 bytes and handed out one per command (§6.5): the
 * original command gets piece 1, each GET RESPONSE the next; {@code 61 XX} while pieces remain,
 * {@code 9000} on the last.
 */
final class ResponseChain {
  /** One piece and the status word it goes out with. */
  record Piece(byte[] plaintext, int sw) {}

  private final byte[] plaintext;
  private final boolean receipt;
  private int offset;

  private ResponseChain(byte[] plaintext, boolean receipt) {
    this.plaintext = plaintext.clone();
    this.receipt = receipt;
  }

  static ResponseChain of(byte[] plaintext) {
    return new ResponseChain(plaintext, false);
  }

  /** A chain carrying the KTS_Response, whose complete delivery clears SigBmp bit 0 (§12.1). */
  static ResponseChain ofReceipt(byte[] ktsResponse) {
    return new ResponseChain(ktsResponse, true);
  }

  boolean carriesReceipt() {
    return receipt;
  }

  boolean hasMore() {
    return offset < plaintext.length;
  }

  /** The next piece; an empty plaintext gives one empty piece with {@code 9000}. */
  Piece next() {
    int end = Math.min(plaintext.length, offset + DkProfile.MAX_SM_PLAINTEXT);
    byte[] piece = Arrays.copyOfRange(plaintext, offset, end);
    offset = end;
    if (!hasMore()) {
      return new Piece(piece, StatusWord.SUCCESS);
    }
    int following = Math.min(plaintext.length - offset, DkProfile.MAX_SM_PLAINTEXT);
    return new Piece(piece, StatusWord.moreData(protectedLength(following)));
  }

  /** §6.5: {@code XX = 16·(⌊m'/16⌋ + 1) + 8}, the exact data length of the next response. */
  static int protectedLength(int plaintextLength) {
    return 16 * (plaintextLength / 16 + 1) + 8;
  }
}
