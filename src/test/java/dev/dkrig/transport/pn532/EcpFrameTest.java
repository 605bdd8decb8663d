package dev.dkrig.transport.pn532;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.dkrig.iso7816.Hex;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Notes §2.4: ECP V2 frames for car pairing, subtypes 09 and 0B. */
class EcpFrameTest {
  private static final byte[] MERCEDES_TCI = Hex.decode("010201");
  private static final byte[] READER_GROUP = Hex.decode("A1A2A3A4A5A6A7A8");

  @Test
  void subtype09IsTheNotesWorkedExample() {
    EcpFrame frame = EcpFrame.carPairing(EcpFrame.DEFAULT_FLAGS, MERCEDES_TCI);
    assertEquals("6A02C30209010201", Hex.encode(frame.bytes()));
    assertEquals("6A02C30209010201530B", Hex.encode(frame.withCrc()));
    assertEquals(0xC3, frame.config());
  }

  @Test
  void subtype0bCarriesTheTciThenTheReaderGroupId() {
    EcpFrame frame = EcpFrame.carPairing(EcpFrame.DEFAULT_FLAGS, MERCEDES_TCI, READER_GROUP);
    byte[] body = Hex.decode("6A02CB020B010201A1A2A3A4A5A6A7A8");
    assertArrayEquals(body, frame.bytes());
    assertArrayEquals(CrcA.append(body), frame.withCrc());
    assertEquals(18, frame.withCrc().length);
    assertEquals(0xCB, frame.config());
  }

  @Test
  void theFlagsAreParameters() {
    assertEquals("6A02030209010201", Hex.encode(EcpFrame.carPairing(0, MERCEDES_TCI).bytes()));
    assertEquals(0x83, EcpFrame.carPairing(EcpFrame.AUTOMATIC_PRESENTMENT, MERCEDES_TCI).config());
    assertEquals(
        0x4B,
        EcpFrame.carPairing(EcpFrame.AUTHENTICATION_NOT_REQUIRED, MERCEDES_TCI, READER_GROUP)
            .config());
    assertThrows(IllegalArgumentException.class, () -> EcpFrame.carPairing(0x20, MERCEDES_TCI));
  }

  @Test
  void carTciPacksManufacturerAndReaderLocation() {
    assertArrayEquals(MERCEDES_TCI, EcpFrame.carTci(0x020, 1));
    assertArrayEquals(Hex.decode("010003"), EcpFrame.carTci(0x000, 3));
    assertArrayEquals(Hex.decode("01ABCF"), EcpFrame.carTci(0xABC, 0xF));
    assertThrows(IllegalArgumentException.class, () -> EcpFrame.carTci(0x1000, 1));
    assertThrows(IllegalArgumentException.class, () -> EcpFrame.carTci(0x020, 16));
  }

  @Test
  void inconsistentFramesAreRefused() {
    assertThrows(
        IllegalArgumentException.class, () -> EcpFrame.carPairing(0xC0, Hex.decode("0102")));
    assertThrows(
        IllegalArgumentException.class,
        () -> EcpFrame.carPairing(0xC0, MERCEDES_TCI, Hex.decode("A1A2")));
    assertThrows(
        IllegalArgumentException.class,
        () -> new EcpFrame(0xC3, 0x0B, MERCEDES_TCI, Optional.empty()));
    assertThrows(
        IllegalArgumentException.class,
        () -> new EcpFrame(0xCB, 0x09, MERCEDES_TCI, Optional.of(READER_GROUP)));
    assertThrows(
        IllegalArgumentException.class,
        () -> new EcpFrame(0xC3, 0x01, MERCEDES_TCI, Optional.empty()));
    assertThrows(
        IllegalArgumentException.class,
        () -> new EcpFrame(0xC4, 0x09, MERCEDES_TCI, Optional.empty()));
  }

  @Test
  void theFrameDoesNotShareItsArrays() {
    byte[] tci = MERCEDES_TCI.clone();
    EcpFrame frame = EcpFrame.carPairing(EcpFrame.DEFAULT_FLAGS, tci);
    tci[0] = 0x7F;
    frame.tci()[1] = 0x7F;
    assertEquals("6A02C30209010201530B", Hex.encode(frame.withCrc()));
    assertEquals("ECP 6A02C30209010201530B", frame.toString());
  }
}
