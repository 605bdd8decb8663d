package dev.dkrig.transport.acr122u;

import dev.dkrig.iso7816.Bytes;
import dev.dkrig.iso7816.CommandApdu;
import dev.dkrig.iso7816.Hex;
import dev.dkrig.iso7816.ResponseApdu;
import dev.dkrig.time.RigClock;
import dev.dkrig.transport.NfcTransport;
import dev.dkrig.transport.TransportException;
import dev.dkrig.transport.pn532.EcpFrame;
import dev.dkrig.transport.pn532.EcpRound;
import dev.dkrig.transport.pn532.MaxRetries;
import dev.dkrig.transport.pn532.Pn532Status;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ACR122U (an ACS controller in front of an NXP PN532) as the rig's pad reader, over a {@link
 * ReaderControl}.
 *
 * <p>Every command is a pseudo-APDU with CLA {@code FF} (notes §2.2). It travels on the card
 * connection when the reader has a phone connected, otherwise through the escape channel with the
 * platform's control code ({@link EscapeCodes}); the choice is made per command from {@link
 * ReaderControl#connection()}.
 *
 * <p>Two ways to work with a phone (notes §2.3): in <b>Mode A</b> the firmware polls, activates the
 * phone and the lead's PC/SC transport sends APDUs with plain {@code SCardTransmit}; in <b>Mode
 * B</b> the host drives the PN532 ({@link #useManualPolling}) and sends PN532 commands through
 * Direct Transmit, {@code FF 00 00 00 Lc D4 ...}. dkrig sends contract APDUs in Mode A only ({@link
 * FrameLimits}); Mode B serves RF control and Apple ECP ({@link #sendEcp}).
 *
 * <p>Not thread-safe: one run drives one reader.
 */
public final class Acr122u {
  private static final Logger LOG = LoggerFactory.getLogger(Acr122u.class);

  /** §3.2 NFC reset: the field stays off at least this long. */
  public static final Duration MINIMUM_FIELD_OFF = Duration.ofMillis(10);

  private static final int TARGET_1 = 0x01;

  private final ReaderControl control;
  private final int escapeCode;
  private final RigClock clock;
  private boolean manualPolling;

  /**
   * @param escapeCode the control code for {@link ReaderControl#control}, from {@link EscapeCodes}
   * @param clock sleeps through the field-off time of an NFC reset
   */
  public Acr122u(ReaderControl control, int escapeCode, RigClock clock) {
    this.control = control;
    this.escapeCode = escapeCode;
    this.clock = clock;
  }

  /**
   * Whether a PC/SC reader name is an ACR122 ({@code ACS ACR122U PICC Interface 00 00}, with or
   * without a serial number): the fragment {@code ACR122}, any case.
   */
  public static boolean isAcr122u(String readerName) {
    return readerName != null && readerName.toUpperCase(Locale.ROOT).contains("ACR122");
  }

  // ------------------------------------------------------------------ reader (MCU) commands

  /**
   * {@code FF 00 48 00 00}: the firmware version, ASCII without status word.
   *
   * @throws Acr122uException FIRMWARE_UNREADABLE, NOT_AN_ACR122U, ESCAPE_FAILED
   */
  public FirmwareVersion firmwareVersion() {
    return FirmwareVersion.parse(exchange(Bytes.of(0xFF, 0x00, 0x48, 0x00, 0x00), "firmware"));
  }

  /** {@link #firmwareVersion()}, refusing firmware below 2.00 (FIRMWARE_TOO_OLD). */
  public FirmwareVersion requireSupportedFirmware() {
    FirmwareVersion version = firmwareVersion().requireSupported();
    version.advice().ifPresent(advice -> LOG.warn("ACR122U: {}", advice));
    return version;
  }

  /**
   * {@code FF 00 50 00 00}: the PICC operating parameter. Units answer {@code 90 <parameter>} (API
   * v2.04) or the bare parameter byte (reported with firmware 2.15 and others); both are read.
   */
  public PiccOperatingParameter piccOperatingParameter() {
    String what = "get PICC parameter";
    PiccAnswer answer =
        PiccAnswer.parse(exchange(Bytes.of(0xFF, 0x00, 0x50, 0x00, 0x00), what), what);
    PiccOperatingParameter parameter = new PiccOperatingParameter(answer.value());
    manualPolling = !parameter.autoPolling();
    return parameter;
  }

  /**
   * {@code FF 00 51 <parameter> 00}. Units answer {@code 90 <parameter>}, the bare parameter byte
   * or a bare {@code 00}; libnfc and nfcpy do not read the answer at all. dkrig refuses only a
   * {@code 90 xx} that names another value (the reader says it kept another setting) and a {@code
   * 63 xx}; a bare byte is not compared.
   *
   * @return the parameter asked for
   * @throws Acr122uException UNEXPECTED_RESPONSE when the reader reports another value with {@code
   *     90 xx}, or answers in no known form
   */
  public PiccOperatingParameter setPiccOperatingParameter(PiccOperatingParameter parameter) {
    String what = "set PICC parameter";
    PiccAnswer answer =
        PiccAnswer.parse(exchange(Bytes.of(0xFF, 0x00, 0x51, parameter.value(), 0x00), what), what);
    if (answer.value() != parameter.value()) {
      if (answer.withStatus()) {
        throw new Acr122uException(
            Acr122uException.Reason.UNEXPECTED_RESPONSE,
            what
                + ": asked for "
                + parameter
                + ", the reader reports "
                + new PiccOperatingParameter(answer.value()));
      }
      LOG.debug("ACR122U {}: {} answered with the bare byte {}", what, parameter, answer);
    }
    manualPolling = !parameter.autoPolling();
    return parameter;
  }

  /**
   * Shows a run state on the LED and buzzer. The reader answers when the sequence is over, so this
   * blocks for {@link Indicator#blocksFor()}.
   *
   * @return the LED state the reader reports (bit 0 red, bit 1 green)
   */
  public int show(Indicator indicator) {
    return statusByteCommand(indicator.command(), "LED/buzzer " + indicator);
  }

  // ------------------------------------------------------------------ PN532 commands (Mode B)

  /**
   * Direct Transmit: sends a PN532 host command {@code D4 <cmd> <params>} as {@code FF 00 00 00 Lc
   * D4 <cmd> <params>} and checks the answer {@code D5 <cmd+1> <data> 90 00}.
   *
   * @param pn532Command {@code D4 <cmd> <params>}, at most {@value
   *     FrameLimits#PN532_HOST_FRAME_MAX} bytes
   * @return {@code <data>}: what follows {@code D5 <cmd+1>}, before {@code 90 00}
   * @throws Acr122uException for {@code 63 xx} (named) and any other unexpected answer
   */
  public byte[] directTransmit(byte[] pn532Command) {
    if (pn532Command.length < 2 || (pn532Command[0] & 0xFF) != 0xD4) {
      throw new IllegalArgumentException(
          "a PN532 host command starts with D4 <cmd>: " + Hex.encode(pn532Command));
    }
    if (pn532Command.length > FrameLimits.PN532_HOST_FRAME_MAX) {
      throw new IllegalArgumentException(
          "PN532 host command of "
              + pn532Command.length
              + " bytes exceeds the ACR122U's "
              + FrameLimits.PN532_HOST_FRAME_MAX);
    }
    int command = pn532Command[1] & 0xFF;
    String what = pn532Name(command);
    byte[] answer =
        exchange(
            Bytes.concat(Bytes.of(0xFF, 0x00, 0x00, 0x00, pn532Command.length), pn532Command),
            what);
    int n = answer.length;
    if (n == 2 && (answer[0] & 0xFF) == 0x63) {
      throw Acr122uException.forStatus(Bytes.u16(answer, 0), what);
    }
    if (n < 4
        || (answer[0] & 0xFF) != 0xD5
        || (answer[1] & 0xFF) != command + 1
        || (answer[n - 2] & 0xFF) != 0x90
        || answer[n - 1] != 0x00) {
      throw new Acr122uException(
          Acr122uException.Reason.UNEXPECTED_RESPONSE,
          what
              + ": expected D5 "
              + Hex.u8(command + 1)
              + " ... 90 00 from the PN532, got "
              + (n == 0 ? "nothing" : Hex.encode(answer)));
    }
    return Arrays.copyOfRange(answer, 2, n - 2);
  }

  /** RFConfiguration item 1, field off: {@code D4 32 01 00}. */
  public void rfOff() {
    directTransmit(Bytes.of(0xD4, 0x32, 0x01, 0x00));
  }

  /**
   * RFConfiguration item 1, field on: {@code D4 32 01 01}. (ACS's manual shows {@code 02}/{@code
   * 03}, which also set bit 1, AutoRFCA, for active-mode collision avoidance; passive polling does
   * not need it.)
   */
  public void rfOn() {
    directTransmit(Bytes.of(0xD4, 0x32, 0x01, 0x01));
  }

  /** InDeselect target 1, {@code D4 44 01}: ISO-DEP DESELECT, the target stays known. */
  public Pn532Status deselect() {
    return statusOf(directTransmit(Bytes.of(0xD4, 0x44, TARGET_1)), "InDeselect");
  }

  /** InRelease target 1, {@code D4 52 01}: DESELECT and forget the target. */
  public Pn532Status release() {
    return statusOf(directTransmit(Bytes.of(0xD4, 0x52, TARGET_1)), "InRelease");
  }

  /**
   * The contract's NFC reset (§3.2): DESELECT where possible, field off for {@code fieldOff} (at
   * least 10 ms), field on. A failed DESELECT does not stop the reset (the phone may already be
   * gone, or the reader's own polling holds the target); the field commands must succeed.
   *
   * <p>After the field goes off a card connection loses its card: the {@link ReaderControl} must
   * then answer {@link ReaderControl#connection()} with DIRECT so that the field-on command goes
   * through the escape channel.
   */
  public void nfcReset(Duration fieldOff) throws InterruptedException {
    if (fieldOff.compareTo(MINIMUM_FIELD_OFF) < 0) {
      throw new IllegalArgumentException(
          "§3.2 needs the field off for at least 10 ms, not " + fieldOff.toMillis() + " ms");
    }
    try {
      Pn532Status status = deselect();
      if (!status.isSuccess()) {
        LOG.debug("NFC reset: InDeselect answered {}; turning the field off anyway", status);
      }
    } catch (Acr122uException e) {
      LOG.debug("NFC reset: InDeselect failed ({}); turning the field off anyway", e.getMessage());
    } catch (TransportException e) {
      if (e.kind() != TransportException.Kind.TAG_LOST) {
        throw e;
      }
      LOG.debug("NFC reset: the phone was already gone ({})", e.getMessage());
    }
    rfOff();
    clock.sleep(fieldOff);
    rfOn();
  }

  /**
   * Mode B: turns the reader's own polling off ({@code FF 00 51 7F 00}) and bounds the PN532's
   * retries (RFConfiguration MaxRetries), so that {@link #inListPassiveTarget} returns when no tag
   * answers.
   */
  public void useManualPolling(MaxRetries retries) {
    setPiccOperatingParameter(PiccOperatingParameter.MANUAL_POLLING);
    directTransmit(retries.pn532Command());
  }

  /**
   * Back to Mode A: the reader polls by itself with {@code parameter} (auto polling must be on).
   */
  public void useAutoPolling(PiccOperatingParameter parameter) {
    if (!parameter.autoPolling()) {
      throw new IllegalArgumentException("Mode A needs auto polling: " + parameter);
    }
    setPiccOperatingParameter(parameter);
  }

  /**
   * InListPassiveTarget, one target, 106 kbps type A: {@code D4 4A 01 00}.
   *
   * @return the target data ({@code Tg SENS_RES(2) SEL_RES len NFCID1 [ATS]}), or empty when no tag
   *     answered within the bounded retries
   */
  public Optional<byte[]> inListPassiveTarget() {
    requireManualPolling("InListPassiveTarget");
    byte[] data = directTransmit(Bytes.of(0xD4, 0x4A, 0x01, 0x00));
    if (data.length == 0 || (data[0] & 0xFF) > 1 || ((data[0] & 0xFF) == 1 && data.length < 2)) {
      throw new Acr122uException(
          Acr122uException.Reason.UNEXPECTED_RESPONSE,
          "InListPassiveTarget: unreadable answer " + Hex.encode(data));
    }
    return data[0] == 0 ? Optional.empty() : Optional.of(Arrays.copyOfRange(data, 1, data.length));
  }

  /**
   * Mode B APDU exchange: InDataExchange with target 1, {@code D4 40 01 <C-APDU>} → {@code D5 41
   * <status> <R-APDU>}. Not the rig's APDU path (see {@link FrameLimits}); for bench diagnostics.
   *
   * @throws IllegalArgumentException when the C-APDU does not fit one frame ({@link
   *     FrameLimits#MODE_B_MAX_APDU})
   * @throws Acr122uException RF_LINK_FAILED (TAG_LOST) or PN532_ERROR for a failed status, or when
   *     the PN532 sets MI
   * @throws TransportException BAD_RESPONSE when the phone's answer has no status word
   */
  public ResponseApdu inDataExchange(CommandApdu command) {
    byte[] apdu = command.bytes();
    FrameLimits.Fit fit = FrameLimits.fit(apdu.length);
    if (!fit.modeB()) {
      throw new IllegalArgumentException(fit.explanation());
    }
    byte[] data = directTransmit(Bytes.concat(Bytes.of(0xD4, 0x40, TARGET_1), apdu));
    Pn532Status status = statusOf(data, "InDataExchange");
    if (!status.isSuccess()) {
      throw Acr122uException.forPn532Status(status, "InDataExchange");
    }
    if (status.moreInformation()) {
      throw new Acr122uException(
          Acr122uException.Reason.UNEXPECTED_RESPONSE,
          "InDataExchange: the PN532 set MI (the answer continues in another frame); dkrig "
              + "does not chain in Mode B");
    }
    byte[] response = Arrays.copyOfRange(data, 1, data.length);
    return NfcTransport.response(response);
  }

  /**
   * One round of Apple ECP polling (notes §2.4, the method kormax tested on a bare PN532; on the
   * ACR122U this is a bench check): bound the retries, InListPassiveTarget; if no tag answered, set
   * CIU_BitFraming (0x633D) to 00 so the last byte goes out with 8 bits ({@code D4 08 63 3D 00}),
   * then InCommunicateThru with the frame and its CRC_A ({@code D4 42 <frame> <CRC>}), expecting
   * the PN532's timeout {@code D5 43 01} because the iPhone does not answer ECP.
   *
   * <p>Call it every 100–250 ms while waiting for an iPhone; the phone answers a later poll, which
   * shows up as {@link EcpRound.Outcome#TARGET_PRESENT}. Needs the reader's own polling off first
   * ({@link #useManualPolling}, or {@link #setPiccOperatingParameter} with {@link
   * PiccOperatingParameter#MANUAL_POLLING}); the public recipe's retries are {@link
   * MaxRetries#ECP}.
   *
   * @param retries sent before every round: the reader's controller may have changed them
   */
  public EcpRound sendEcp(EcpFrame frame, MaxRetries retries) {
    requireManualPolling("ECP");
    directTransmit(retries.pn532Command());
    Optional<byte[]> target = inListPassiveTarget();
    if (target.isPresent()) {
      return new EcpRound(EcpRound.Outcome.TARGET_PRESENT, target.get());
    }
    directTransmit(Bytes.of(0xD4, 0x08, 0x63, 0x3D, 0x00));
    byte[] data = directTransmit(Bytes.concat(Bytes.of(0xD4, 0x42), frame.withCrc()));
    Pn532Status status = statusOf(data, "InCommunicateThru");
    return EcpRound.afterCommunicateThru(status, data)
        .orElseThrow(
            () ->
                new Acr122uException(
                    Acr122uException.Reason.PN532_ERROR,
                    "InCommunicateThru (ECP): PN532 status " + status.describe()));
  }

  // ------------------------------------------------------------------ plumbing

  /** Sends a pseudo-APDU on the path the current connection allows; raw answer. */
  private byte[] exchange(byte[] apdu, String what) {
    byte[] answer = send(apdu, what);
    if (answer.length == 2 && (answer[0] & 0xFF) == 0x61) {
      // libnfc: on a T=0 card connection the controller first acknowledges with 61 LL; the answer
      // is then fetched with FF C0 00 00 LL.
      answer = send(Bytes.of(0xFF, 0xC0, 0x00, 0x00, answer[1] & 0xFF), what);
    }
    return answer;
  }

  private byte[] send(byte[] apdu, String what) {
    ReaderControl.Connection connection = control.connection();
    LOG.debug("ACR122U {} via {}: {}", what, connection, Hex.encode(apdu));
    if (connection == ReaderControl.Connection.CARD) {
      return control.transmit(apdu);
    }
    try {
      return control.control(escapeCode, apdu);
    } catch (Acr122uException e) {
      throw e;
    } catch (TransportException e) {
      if (e.kind() != TransportException.Kind.IO) {
        throw e;
      }
      throw new Acr122uException(
          Acr122uException.Reason.ESCAPE_FAILED,
          what
              + ": the escape command (SCardControl "
              + EscapeCodes.hex(escapeCode)
              + ") was refused: "
              + e.getMessage()
              + "; on Linux set ifdDriverOptions to 0x0001 in /etc/libccid_Info.plist and "
              + "restart pcscd (./dkrig doctor explains)",
          e);
    }
  }

  /** For commands answered {@code 90 <byte>}: returns the byte. */
  private int statusByteCommand(byte[] apdu, String what) {
    byte[] answer = exchange(apdu, what);
    if (answer.length == 2 && (answer[0] & 0xFF) == 0x90) {
      return answer[1] & 0xFF;
    }
    if (answer.length == 2 && (answer[0] & 0xFF) == 0x63) {
      throw Acr122uException.forStatus(Bytes.u16(answer, 0), what);
    }
    throw new Acr122uException(
        Acr122uException.Reason.UNEXPECTED_RESPONSE,
        what
            + ": expected 90 <value>, got "
            + (answer.length == 0 ? "nothing" : Hex.encode(answer)));
  }

  private static Pn532Status statusOf(byte[] data, String what) {
    if (data.length == 0) {
      throw new Acr122uException(
          Acr122uException.Reason.UNEXPECTED_RESPONSE, what + ": answer without status");
    }
    return new Pn532Status(data[0] & 0xFF);
  }

  private void requireManualPolling(String what) {
    if (!manualPolling) {
      throw new IllegalStateException(
          what
              + " needs Mode B: call useManualPolling first (with the reader's own polling on, "
              + "its controller drives the PN532 too)");
    }
  }

  private static String pn532Name(int command) {
    return switch (command) {
      case 0x00 -> "Diagnose";
      case 0x02 -> "GetFirmwareVersion";
      case 0x06 -> "ReadRegister";
      case 0x08 -> "WriteRegister";
      case 0x32 -> "RFConfiguration";
      case 0x40 -> "InDataExchange";
      case 0x42 -> "InCommunicateThru";
      case 0x44 -> "InDeselect";
      case 0x4A -> "InListPassiveTarget";
      case 0x52 -> "InRelease";
      default -> "PN532 command " + Hex.u8(command);
    };
  }
}
