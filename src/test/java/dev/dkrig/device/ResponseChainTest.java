package dev.dkrig.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** §6.5: pieces of 239 bytes, {@code 61 XX} with the next protected length, 9000 on the last. */
class ResponseChainTest {

  @ParameterizedTest
  @CsvSource({"1, 24", "15, 24", "16, 40", "21, 40", "113, 136", "202, 216", "239, 248"})
  void xxIsTheExactProtectedLengthOfTheNextPiece(int plaintext, int protectedLength) {
    assertEquals(protectedLength, ResponseChain.protectedLength(plaintext));
  }

  @Test
  void aKtsResponseOf260BytesGoesOutIn239And21() {
    ResponseChain chain = ResponseChain.ofReceipt(new byte[260]);
    assertTrue(chain.carriesReceipt());
    ResponseChain.Piece first = chain.next();
    assertEquals(239, first.plaintext().length);
    assertEquals(0x6128, first.sw());
    ResponseChain.Piece last = chain.next();
    assertEquals(21, last.plaintext().length);
    assertEquals(0x9000, last.sw());
    assertFalse(chain.hasMore());
  }

  @Test
  void exactMultiplesEndWithAFullPiece() {
    ResponseChain chain = ResponseChain.of(new byte[478]);
    assertEquals(0x61F8, chain.next().sw());
    ResponseChain.Piece last = chain.next();
    assertEquals(239, last.plaintext().length);
    assertEquals(0x9000, last.sw());
  }

  @Test
  void anEmptyPlaintextIsOneEmptyPiece() {
    ResponseChain chain = ResponseChain.of(new byte[0]);
    ResponseChain.Piece only = chain.next();
    assertEquals(0, only.plaintext().length);
    assertEquals(0x9000, only.sw());
    assertFalse(chain.hasMore());
  }
}
