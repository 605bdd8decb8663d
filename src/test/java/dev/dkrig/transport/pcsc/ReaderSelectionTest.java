package dev.dkrig.transport.pcsc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dkrig.transport.pcsc.ReaderSelection.NoReaderException;
import dev.dkrig.transport.pcsc.ReaderSelection.Reader;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Issue 4: -r by index and by fragment, the environment fallbacks, auto-pick, ambiguity. */
class ReaderSelectionTest {
  private static final Reader ACR = new Reader("ACS ACR122U PICC Interface 00 00", false);
  private static final Reader VPCD0 = new Reader("dkrig vpcd 00 00", true);
  private static final Reader VPCD1 = new Reader("dkrig vpcd 00 01", false);
  private static final Reader YUBI = new Reader("Yubico YubiKey OTP+FIDO+CCID 00 00", false);

  private static Reader pick(String hint, String ignore, List<Reader> readers) throws Exception {
    return new ReaderSelection(Optional.ofNullable(hint), List.of(ignore.split(",")))
        .choose(readers);
  }

  @Test
  @DisplayName("a number not longer than the list is a 1-based index")
  void index() throws Exception {
    assertEquals(VPCD1, pick("2", "", List.of(VPCD0, VPCD1)));
    assertEquals(VPCD0, pick("1", "", List.of(VPCD0, VPCD1)));
    String m =
        assertThrows(NoReaderException.class, () -> pick("3", "", List.of(VPCD0, VPCD1)))
            .getMessage();
    assertTrue(m.contains("[1] dkrig vpcd 00 00 (card), [2] dkrig vpcd 00 01"), m);
    assertThrows(NoReaderException.class, () -> pick("0", "", List.of(VPCD0, VPCD1)));
  }

  @Test
  @DisplayName("a fragment of 3+ characters, case-insensitive; an exact name wins")
  void fragment() throws Exception {
    assertEquals(ACR, pick("acr122", "", List.of(VPCD0, ACR)));
    assertEquals(VPCD1, pick("vpcd 00 01", "", List.of(VPCD0, VPCD1)));
    assertEquals(VPCD0, pick("DKRIG VPCD 00 00", "", List.of(VPCD0, VPCD1)));
    String m =
        assertThrows(NoReaderException.class, () -> pick("vpcd", "", List.of(VPCD0, VPCD1)))
            .getMessage();
    assertTrue(m.startsWith("'vpcd' matches several readers: [1] dkrig vpcd 00 00"), m);
    m =
        assertThrows(NoReaderException.class, () -> pick("ac", "", List.of(VPCD0, ACR)))
            .getMessage();
    assertTrue(m.contains("shorter than 3 characters"), m);
    m =
        assertThrows(NoReaderException.class, () -> pick("omnikey", "", List.of(VPCD0, ACR)))
            .getMessage();
    assertTrue(m.startsWith("no reader matches 'omnikey'"), m);
  }

  @Test
  @DisplayName("a number longer than the list is a name fragment (e.g. a serial number)")
  void numberAsFragment() throws Exception {
    Reader serial = new Reader("ACS ACR122U 1234567 00 00", false);
    assertEquals(serial, pick("1234567", "", List.of(VPCD0, serial)));
  }

  @Test
  @DisplayName(
      "a run of digits too long for a number is a fragment too (it ended with a"
          + " NumberFormatException, exit 70)")
  void longNumberAsFragment() throws Exception {
    Reader serial = new Reader("ACS ACR122U 123456789012 00 00", false);
    assertEquals(serial, pick("123456789012", "", List.of(VPCD0, serial)));
    String m =
        assertThrows(NoReaderException.class, () -> pick("99999999999", "", List.of(VPCD0)))
            .getMessage();
    assertTrue(m.startsWith("no reader matches '99999999999'"), m);
  }

  @Test
  @DisplayName(
      "refusal: what can name no reader whatever is plugged in (0, a fragment under 3"
          + " characters), before any reader is listed")
  void refusal() {
    assertTrue(ReaderSelection.refusal("ab").orElseThrow().contains("shorter than 3 characters"));
    assertTrue(ReaderSelection.refusal("").isPresent());
    assertTrue(ReaderSelection.refusal("00").orElseThrow().startsWith("no reader number 00"));
    assertEquals(Optional.empty(), ReaderSelection.refusal("2"));
    assertEquals(Optional.empty(), ReaderSelection.refusal("12"));
    assertEquals(Optional.empty(), ReaderSelection.refusal("ACR"));
  }

  @Test
  @DisplayName("auto: the single reader, or the single reader with a card; else the list")
  void automatic() throws Exception {
    assertEquals(ACR, pick(null, "", List.of(ACR)));
    assertEquals(VPCD0, pick(null, "", List.of(VPCD0, VPCD1)));
    String m =
        assertThrows(NoReaderException.class, () -> pick(null, "", List.of(ACR, VPCD1)))
            .getMessage();
    assertTrue(m.contains("several readers: choose one with -r NUMBER or -r NAME"), m);
    m = assertThrows(NoReaderException.class, () -> pick(null, "", List.of())).getMessage();
    assertTrue(m.startsWith("no PC/SC reader is connected"), m);
  }

  @Test
  @DisplayName("DKRIG_READER_IGNORE removes readers before indices and auto-pick")
  void ignore() throws Exception {
    assertEquals(ACR, pick(null, "yubico, vpcd", List.of(YUBI, ACR, VPCD0)));
    assertEquals(VPCD1, pick("2", "yubi", List.of(YUBI, VPCD0, VPCD1)));
    String m =
        assertThrows(NoReaderException.class, () -> pick(null, "ubi", List.of(YUBI))).getMessage();
    assertTrue(m.contains("every reader is excluded by DKRIG_READER_IGNORE"), m);
  }

  @Test
  @DisplayName("-r beats DKRIG_READER")
  void environment() throws Exception {
    Map<String, String> env = Map.of("DKRIG_READER", "acr", "DKRIG_READER_IGNORE", "yubi");
    assertEquals(ACR, ReaderSelection.of(Optional.empty(), env).choose(List.of(YUBI, ACR, VPCD0)));
    assertEquals(
        VPCD0, ReaderSelection.of(Optional.of("vpcd"), env).choose(List.of(YUBI, ACR, VPCD0)));
  }

  @Test
  @DisplayName(
      "with a rig: -r, else DKRIG_READER, else the rig's reader; both ignore lists count, so a"
          + " number means the same reader to pair, several pads, readers and doctor")
  void forRig() throws Exception {
    List<Reader> all = List.of(YUBI, VPCD0, VPCD1, ACR);
    Map<String, String> env = Map.of(ReaderSelection.ENV_READER, "vpcd 00 01");
    Map<String, String> none = Map.of();
    List<String> rigIgnore = List.of("Yubico");
    assertEquals(
        ACR,
        ReaderSelection.forRig(Optional.of("ACR"), Optional.of("vpcd 00 00"), rigIgnore, env)
            .choose(all));
    assertEquals(
        VPCD1,
        ReaderSelection.forRig(Optional.empty(), Optional.of("vpcd 00 00"), rigIgnore, env)
            .choose(all));
    assertEquals(
        VPCD0,
        ReaderSelection.forRig(Optional.empty(), Optional.of("vpcd 00 00"), rigIgnore, none)
            .choose(all));
    // A blank DKRIG_READER (a CI job defines it empty) leaves the rig's reader standing, as the
    // check before the run reads it.
    assertEquals(
        VPCD1,
        ReaderSelection.forRig(
                Optional.empty(),
                Optional.of("vpcd 00 01"),
                rigIgnore,
                Map.of(ReaderSelection.ENV_READER, " "))
            .choose(all));
    ReaderSelection both =
        ReaderSelection.forRig(
            Optional.of("1"),
            Optional.empty(),
            rigIgnore,
            Map.of(ReaderSelection.ENV_READER_IGNORE, "00 01"));
    assertEquals(List.of(VPCD0, ACR), both.candidates(all));
    assertEquals(VPCD0, both.choose(all));
  }
}
