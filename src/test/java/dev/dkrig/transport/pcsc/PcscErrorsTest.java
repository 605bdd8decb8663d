package dev.dkrig.transport.pcsc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dkrig.transport.TransportException.Kind;
import javax.smartcardio.CardException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** §18.18: a lost tag, a vanished reader and a dead pcscd are distinct, named errors. */
class PcscErrorsTest {
  private static Kind kind(String code) {
    return Pcsc.map(new CardException("transmit() failed", new RuntimeException(code)), "x").kind();
  }

  @Test
  @DisplayName("PC/SC codes map to the contract's bench failures")
  void mapping() {
    assertEquals(Kind.TAG_LOST, kind("SCARD_W_REMOVED_CARD"));
    assertEquals(Kind.TAG_LOST, kind("SCARD_E_NO_SMARTCARD"));
    assertEquals(Kind.READER_GONE, kind("SCARD_E_READER_UNAVAILABLE"));
    assertEquals(Kind.READER_GONE, kind("SCARD_E_UNKNOWN_READER"));
    assertEquals(Kind.SERVICE_DOWN, kind("SCARD_E_NO_SERVICE"));
    assertEquals(Kind.TIMEOUT, kind("SCARD_E_TIMEOUT"));
    assertEquals(Kind.IO, kind("SCARD_F_INTERNAL_ERROR"));
    assertEquals(
        Kind.TAG_LOST,
        Pcsc.map(new IllegalStateException("Card has been disconnected"), "x").kind());
  }

  @Test
  void messagesNameTheCauseAndTheCode() {
    String m =
        Pcsc.map(new CardException("x", new RuntimeException("SCARD_W_REMOVED_CARD")), "00A40400")
            .getMessage();
    assertEquals("tag lost: the device left the field while 00A40400 (SCARD_W_REMOVED_CARD)", m);
  }
}
