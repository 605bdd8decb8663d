package dev.dkrig.transport.pn532;

import dev.dkrig.iso7816.Bytes;
import dev.dkrig.iso7816.CommandApdu;
import dev.dkrig.iso7816.Hex;
import dev.dkrig.iso7816.ResponseApdu;
import dev.dkrig.transport.NfcTransport;
import dev.dkrig.transport.TransportException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pad's reader as a bare PN532 board on a serial line (HSU, notes §3), driven frame by frame:
 * the vehicle's NFC front end without PC/SC.
 *
 * <p>Start-up ({@link #startPolling}): open the port at 115200 (an explicit path: ptys are not
 * enumerated), HSU wake-up {@code 55 55 00 …}, SAMConfiguration normal mode, for another speed
 * SetSerialBaudRate with nfcpy's sequence ({@link SerialBaudRate}), GetFirmwareVersion (shown by
 * {@link #description}), SetParameters {@code 14} (automatic ATR_RES and RATS, as libnfc's {@code
 * pn53x_init}), RFConfiguration MaxRetries with a finite activation count ({@link MaxRetries}
 * refuses {@code FF}, which would make InListPassiveTarget block until a tag appears) and the field
 * on. {@link #close} sets the board back to 115200, as nfcpy does.
 *
 * <p>Polling ({@link #awaitTarget}): InListPassiveTarget for one 106 kbps type A target; the PN532
 * activates an ISO 14443-4 target itself (RATS), so a listed target with SAK bit {@code 20} is
 * ready for APDUs. Optionally each round first sends an Apple ECP frame (notes §2.4).
 *
 * <p>APDUs ({@link #transmit}): InDataExchange, in an extended frame when the APDU does not fit a
 * normal one, and following MI in the answer ({@link Pn532FrameLimits}). The vehicle sends every
 * APDU itself (§3.2): nothing here adds GET RESPONSE.
 *
 * <p>NFC reset ({@link #reset}, §3.2): InDeselect, field off for {@link
 * Pn532UartSettings#fieldOff()} (at least 10 ms), field on; the next {@link #awaitTarget} lists the
 * device again.
 *
 * <p>Every wait is bounded, and every failure is a {@link Pn532Exception} with a reason and the
 * contract's kind (§18.18): a silent board (no ACK within {@link Pn532UartSettings#ackTimeout()})
 * or a port that fails is {@code READER_GONE}; a garbled answer is NACKed once and a second garbled
 * one is {@code IO}, as are a board's NACK twice in a row and its application error frame; an RF
 * error status from InDataExchange is {@code TAG_LOST}; an answer that does not come within T_Apdu
 * is {@code TIMEOUT} if the board still answers a GetFirmwareVersion after the abort, and {@code
 * READER_GONE} if it does not. Time on a serial line is wall-clock time, whatever clock the run
 * uses.
 *
 * <p>Not thread-safe: one run drives one board.
 */
public final class Pn532UartTransport implements NfcTransport {
  private static final Logger LOG = LoggerFactory.getLogger(Pn532UartTransport.class);

  /** HSU wake-up as libnfc sends it before the first command (notes §3, verified TX log). */
  static final byte[] WAKE_UP = Bytes.of(0x55, 0x55, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

  /** SetParameters flags fAutomaticATR_RES (0x04) and fAutomaticRATS (0x10), as libnfc sets. */
  static final int SET_PARAMETERS_AUTO_ATR_RES_AND_RATS = 0x14;

  /** CIU_BitFraming: 8 valid bits in the last byte, for ECP through InCommunicateThru. */
  private static final byte[] BIT_FRAMING_8_BITS = Bytes.of(0x63, 0x3D, 0x00);

  /** The longest answer dkrig assembles from MI parts: far above any short R-APDU (258). */
  private static final int MAX_CHAINED_RESPONSE = 4096;

  private final Pn532UartSettings settings;
  private final SerialLink.Opener opener;
  private SerialLink serial;
  private int lineSpeed = SerialBaudRate.POWER_ON;
  private Pn532HsuLink link;
  private Pn532Firmware firmware;
  private Pn532Target target;
  private Pn532Exception gone;
  private boolean polling;

  /**
   * The pad's reader on the serial port of {@code settings}, opened with jSerialComm when polling
   * starts.
   */
  public Pn532UartTransport(Pn532UartSettings settings) {
    this(settings, JSerialCommLink::open);
  }

  /**
   * @param opener opens the port (tests put a pty or an in-memory line behind it)
   */
  public Pn532UartTransport(Pn532UartSettings settings, SerialLink.Opener opener) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.opener = Objects.requireNonNull(opener, "opener");
  }

  public Pn532UartSettings settings() {
    return settings;
  }

  /** {@code PN532 v1.6 (ISO 14443-A, ISO 14443-B, ISO 18092) on /dev/ttyUSB0, 115200 baud}. */
  @Override
  public String description() {
    String chip = firmware == null ? "PN532" : firmware.toString();
    return chip + " on " + settings.port() + ", " + settings.baudRate() + " baud";
  }

  /** The board's firmware, once polling started. */
  public Optional<Pn532Firmware> firmware() {
    return Optional.ofNullable(firmware);
  }

  /** The activated target, if any. */
  public Optional<Pn532Target> target() {
    return Optional.ofNullable(target);
  }

  @Override
  public void startPolling() {
    requireUsable();
    if (link == null) {
      open();
    } else {
      field(true);
    }
    polling = true;
  }

  @Override
  public boolean awaitTarget(Duration wait) throws InterruptedException {
    requirePolling();
    if (target != null) {
      return true;
    }
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      Optional<Pn532Target> found;
      try {
        found = settings.ecp().isPresent() ? ecpRound(settings.ecp().get()) : listTarget();
      } catch (Pn532Exception e) {
        if (e.reason() == Pn532Exception.Reason.INTERRUPTED) {
          Thread.interrupted();
          throw new InterruptedException("polling interrupted on " + settings.port());
        }
        throw e;
      } catch (TransportException e) {
        throw e;
      } catch (RuntimeException e) {
        // No unchecked exception leaves a polling loop: the step ends ERROR with this cause.
        throw new Pn532Exception(
            Pn532Exception.Reason.UNEXPECTED_FRAME,
            "polling failed unexpectedly on " + settings.port() + ": " + e,
            e);
      }
      if (found.isPresent()) {
        target = found.get();
        LOG.debug("PN532 on {}: {}", settings.port(), target);
        return true;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      Thread.sleep(Math.max(1, Math.min(settings.pollInterval().toMillis(), left / 1_000_000)));
    }
  }

  @Override
  public ResponseApdu transmit(CommandApdu command) {
    return transmitRaw(command.bytes());
  }

  /** InDataExchange carries any bytes: the board does not look into the APDU. */
  @Override
  public ResponseApdu transmitRaw(byte[] apdu) {
    requireUsable();
    if (link == null || target == null) {
      throw new Pn532Exception(
          Pn532Exception.Reason.TARGET_LOST, "tag lost: no device activated on " + description());
    }
    long deadline = System.nanoTime() + settings.apduTimeout().toNanos();
    byte[] tg = Bytes.of(target.tg());
    ByteArrayOutputStream response = new ByteArrayOutputStream();
    byte[] answer = exchange(Pn532Command.IN_DATA_EXCHANGE, Bytes.concat(tg, apdu), deadline, apdu);
    while (true) {
      Pn532Status status = statusOf(answer, Pn532Command.IN_DATA_EXCHANGE);
      if (!status.isSuccess()) {
        throw failedExchange(status, apdu);
      }
      response.write(answer, 1, answer.length - 1);
      if (!status.moreInformation()) {
        break;
      }
      if (response.size() > MAX_CHAINED_RESPONSE) {
        throw new Pn532Exception(
            Pn532Exception.Reason.UNEXPECTED_FRAME,
            "InDataExchange: the board keeps setting MI after "
                + response.size()
                + " bytes of answer to "
                + Hex.encode(apdu, 0, Math.min(4, apdu.length)));
      }
      // MI: the rest of DataIn comes with a further InDataExchange without data (UM0701 §7.3.8).
      answer = exchange(Pn532Command.IN_DATA_EXCHANGE, tg, deadline, apdu);
    }
    return NfcTransport.response(response.toByteArray());
  }

  @Override
  public void reset() {
    if (link == null) {
      return;
    }
    requireUsable();
    Pn532Target current = target;
    target = null;
    if (current != null) {
      try {
        Pn532Status status =
            statusOf(
                command(Pn532Command.IN_DESELECT, Bytes.of(current.tg())),
                Pn532Command.IN_DESELECT);
        if (!status.isSuccess()) {
          LOG.debug("NFC reset: InDeselect answered {}; field off anyway", status.describe());
        }
      } catch (Pn532Exception e) {
        if (e.kind() == TransportException.Kind.READER_GONE) {
          throw e;
        }
        LOG.debug("NFC reset: InDeselect failed ({}); field off anyway", e.getMessage());
      }
    }
    field(false);
    try {
      Thread.sleep(settings.fieldOff().toMillis());
    } catch (InterruptedException e) {
      // The field must come back on for the next poll; the caller sees the interrupt flag.
      Thread.currentThread().interrupt();
    }
    field(true);
  }

  @Override
  public void stopPolling() {
    boolean wasPolling = polling;
    polling = false;
    if (link == null || gone != null || (!wasPolling && target == null)) {
      target = null;
      return;
    }
    Pn532Target current = target;
    target = null;
    try {
      if (current != null) {
        command(Pn532Command.IN_RELEASE, Bytes.of(current.tg()));
      }
      field(false);
    } catch (TransportException e) {
      LOG.debug("PN532 on {}: stopping polling failed: {}", settings.port(), e.getMessage());
    }
  }

  @Override
  public void close() {
    stopPolling();
    if (link != null && gone == null && lineSpeed != SerialBaudRate.POWER_ON) {
      // As nfcpy does: back to 115200, where the next run (or another tool) finds the board.
      try {
        changeSpeed(SerialBaudRate.POWER_ON);
      } catch (TransportException e) {
        LOG.info(
            "PN532 on {}: could not set the board back to {} baud: {}",
            settings.port(),
            SerialBaudRate.POWER_ON,
            e.getMessage());
      }
    }
    if (link != null) {
      link.close();
      link = null;
    }
  }

  /**
   * One round of Apple ECP polling (notes §2.4, the sequence kormax tested on a bare PN532): the
   * recipe's MaxRetries {@code FF 01 00} ({@link MaxRetries#ECP}), InListPassiveTarget; if nothing
   * answered, CIU_BitFraming 8 bits ({@code D4 08 63 3D 00}) and InCommunicateThru with the frame
   * and its CRC_A, expecting the PN532's timeout {@code D5 43 01} because an iPhone does not answer
   * ECP.
   */
  public EcpRound sendEcp(EcpFrame frame) {
    requirePolling();
    command(Pn532Command.RF_CONFIGURATION, retriesParameters(MaxRetries.ECP));
    Optional<Pn532Target> found = listTarget();
    if (found.isPresent()) {
      target = found.get();
      return new EcpRound(EcpRound.Outcome.TARGET_PRESENT, found.get().bytes());
    }
    command(Pn532Command.WRITE_REGISTER, BIT_FRAMING_8_BITS);
    byte[] answer = command(Pn532Command.IN_COMMUNICATE_THRU, frame.withCrc());
    Pn532Status status = statusOf(answer, Pn532Command.IN_COMMUNICATE_THRU);
    return EcpRound.afterCommunicateThru(status, answer)
        .orElseThrow(
            () ->
                new Pn532Exception(
                    Pn532Exception.Reason.PN532_ERROR,
                    "InCommunicateThru (ECP): PN532 status " + status.describe()));
  }

  // ------------------------------------------------------------------ start-up and polling

  private void open() {
    try {
      serial = opener.open(settings.port(), SerialBaudRate.POWER_ON);
    } catch (NoSuchFileException e) {
      throw new Pn532Exception(
          Pn532Exception.Reason.PORT_UNAVAILABLE,
          "no serial port "
              + settings.port()
              + ": is the USB-serial adapter plugged in, and is the rig file's port right?",
          e);
    } catch (IOException e) {
      throw new Pn532Exception(Pn532Exception.Reason.PORT_UNAVAILABLE, e.getMessage(), e);
    }
    lineSpeed = SerialBaudRate.POWER_ON;
    link =
        new Pn532HsuLink(new Pn532FrameLink(serial, Pn532Frame.Direction.HOST_TO_BOARD), settings);
    try {
      wakeUp();
      if (settings.baudRate() != lineSpeed) {
        changeSpeed(settings.baudRate());
      }
      firmware = Pn532Firmware.parse(command(Pn532Command.GET_FIRMWARE_VERSION, new byte[0]));
      if (!firmware.supportsTypeA()) {
        throw new Pn532Exception(
            Pn532Exception.Reason.PN532_ERROR,
            firmware + " on " + settings.port() + " does not support ISO 14443-A");
      }
      // libnfc's pn53x_init: automatic ATR_RES and RATS (0x14). A board left with RATS off by
      // another tool (nfcpy sets 0x00) would list the phone without an ATS, unready for APDUs.
      command(Pn532Command.SET_PARAMETERS, Bytes.of(SET_PARAMETERS_AUTO_ATR_RES_AND_RATS));
      command(Pn532Command.RF_CONFIGURATION, retriesParameters(settings.maxRetries()));
      field(true);
      LOG.info("{}", description());
    } catch (RuntimeException e) {
      link.close();
      link = null;
      throw e;
    }
  }

  /**
   * HSU wake-up and SAMConfiguration normal mode (which also takes the chip out of LowVbat, notes
   * §3). A board silent at 115200 may still run at the rig's speed, left there by a run that could
   * not set it back (killed, unplugged): dkrig then tries that speed once.
   */
  private void wakeUp() {
    try {
      sendWakeUp();
      command(Pn532Command.SAM_CONFIGURATION, Bytes.of(0x01));
    } catch (Pn532Exception e) {
      if (e.reason() != Pn532Exception.Reason.BOARD_SILENT
          || settings.baudRate() == SerialBaudRate.POWER_ON) {
        throw e;
      }
      LOG.info(
          "PN532 on {}: silent at {} baud; trying {} baud (left there by an earlier run?)",
          settings.port(),
          SerialBaudRate.POWER_ON,
          settings.baudRate());
      switchLine(settings.baudRate());
      sendWakeUp();
      command(Pn532Command.SAM_CONFIGURATION, Bytes.of(0x01));
    }
  }

  private void sendWakeUp() {
    try {
      link.sendRaw(WAKE_UP, "HSU wake-up");
    } catch (IOException e) {
      throw boardGone(e, "the HSU wake-up");
    }
  }

  /**
   * SetSerialBaudRate as nfcpy does it: the command and its answer at the old speed, then the
   * host's ACK, after which board and host use the new speed.
   */
  private void changeSpeed(int rate) {
    command(Pn532Command.SET_SERIAL_BAUD_RATE, Bytes.of(SerialBaudRate.code(rate)));
    try {
      link.send(Pn532Frame.ACK);
    } catch (IOException e) {
      throw boardGone(e, "the ACK of SetSerialBaudRate");
    }
    switchLine(rate);
  }

  /** The host's side of the line to {@code rate}, once what was sent has left. */
  private void switchLine(int rate) {
    link.drain(Duration.ofMillis(100));
    try {
      serial.setBaudRate(rate);
    } catch (IOException e) {
      throw new Pn532Exception(
          Pn532Exception.Reason.PORT_UNAVAILABLE,
          "the PN532's serial port "
              + settings.port()
              + " cannot run at "
              + rate
              + " baud: "
              + e.getMessage(),
          e);
    }
    lineSpeed = rate;
    try {
      // The board needs a moment after the ACK before it listens at the new speed (nfcpy: 1 ms).
      Thread.sleep(2);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Pn532Exception(
          Pn532Exception.Reason.INTERRUPTED, "interrupted while changing speed", e);
    }
  }

  private static byte[] retriesParameters(MaxRetries retries) {
    byte[] command = retries.pn532Command();
    return Arrays.copyOfRange(command, 2, command.length);
  }

  /** RFConfiguration item 1: the field on or off ({@code D4 32 01 01/00}). */
  private void field(boolean on) {
    command(Pn532Command.RF_CONFIGURATION, Bytes.of(0x01, on ? 0x01 : 0x00));
  }

  /** InListPassiveTarget, one 106 kbps type A target: an ISO-DEP target or nothing. */
  private Optional<Pn532Target> listTarget() {
    byte[] data = command(Pn532Command.IN_LIST_PASSIVE_TARGET, Bytes.of(0x01, 0x00));
    if (data.length == 0 || (data[0] & 0xFF) > 1) {
      throw new Pn532Exception(
          Pn532Exception.Reason.UNEXPECTED_FRAME,
          "InListPassiveTarget for one target answered " + Hex.encode(data));
    }
    if (data[0] == 0) {
      return Optional.empty();
    }
    Pn532Target found;
    try {
      found = Pn532Target.parseTypeA(Arrays.copyOfRange(data, 1, data.length));
    } catch (IllegalArgumentException e) {
      throw new Pn532Exception(
          Pn532Exception.Reason.UNEXPECTED_FRAME,
          "InListPassiveTarget: unreadable target " + Hex.encode(data) + ": " + e.getMessage(),
          e);
    }
    if (found.isoDep() && found.ats().length == 0) {
      // SetParameters 0x14 at start-up asks for RATS; a board that lists an ISO-DEP target
      // without ATS did not take it, and APDUs would not reach the phone.
      command(Pn532Command.IN_RELEASE, Bytes.of(found.tg()));
      throw new Pn532Exception(
          Pn532Exception.Reason.PN532_ERROR,
          "the PN532 on "
              + settings.port()
              + " listed an ISO 14443-4 target without ATS: its automatic RATS is off although"
              + " dkrig sent SetParameters 14 (power-cycle the board)");
    }
    if (!found.isoDep()) {
      // A sticker or a transit card on the pad: it cannot carry APDUs. Release it, keep polling.
      LOG.info("PN532 on {}: ignoring {}, not ISO 14443-4", settings.port(), found);
      command(Pn532Command.IN_RELEASE, Bytes.of(found.tg()));
      return Optional.empty();
    }
    return Optional.of(found);
  }

  private Optional<Pn532Target> ecpRound(EcpFrame frame) {
    EcpRound round = sendEcp(frame);
    if (round.outcome() == EcpRound.Outcome.ANSWERED) {
      LOG.info("PN532 on {}: something answered the ECP frame: {}", settings.port(), round);
    }
    return Optional.ofNullable(target);
  }

  // ------------------------------------------------------------------ frames

  /** A command of the board's own: answered within {@link Pn532UartSettings#commandTimeout()}. */
  private byte[] command(Pn532Command command, byte[] params) {
    return exchange(command, params, -1, null);
  }

  /**
   * Sends one command and returns the answer's data (after the response code).
   *
   * @param responseDeadline for InDataExchange, the T_Apdu deadline; -1 for the command timeout
   * @param apdu the C-APDU for InDataExchange (messages, and T_Apdu handling), else null
   */
  private byte[] exchange(Pn532Command command, byte[] params, long responseDeadline, byte[] apdu) {
    requireUsable();
    Pn532Frame.Information frame = Pn532Frame.Information.command(command.code(), params);
    try {
      link.discardInput();
      link.send(frame);
      link.awaitAck(command, frame);
      long deadline =
          responseDeadline >= 0
              ? responseDeadline
              : System.nanoTime() + settings.commandTimeout().toNanos();
      Optional<Pn532Frame.Information> answer = link.awaitResponse(command, deadline);
      if (answer.isPresent()) {
        return answer.get().data();
      }
      link.abort();
      if (apdu == null) {
        throw new Pn532Exception(
            Pn532Exception.Reason.NO_RESPONSE,
            "the PN532 on "
                + settings.port()
                + " acknowledged "
                + command
                + " but did not answer within "
                + settings.commandTimeout().toMillis()
                + " ms");
      }
      throw apduTimedOut(apdu);
    } catch (InterruptedIOException e) {
      Thread.currentThread().interrupt();
      link.abortQuietly();
      throw new Pn532Exception(
          Pn532Exception.Reason.INTERRUPTED, command + " interrupted on " + settings.port(), e);
    } catch (IOException e) {
      throw boardGone(e, command.toString());
    }
  }

  /**
   * §18.18 draws the line between a silent device (TIMEOUT, FAIL) and a reader that failed
   * (READER_GONE, ERROR). A PN532 that waits for the phone sends nothing on the line, and neither
   * does one that lost power, so after the abort the board must prove it is alive.
   */
  private Pn532Exception apduTimedOut(byte[] apdu) {
    String what =
        "no response within T_Apdu ("
            + settings.apduTimeout().toMillis()
            + " ms) to "
            + Hex.encode(Arrays.copyOf(apdu, Math.min(apdu.length, 4)));
    try {
      command(Pn532Command.GET_FIRMWARE_VERSION, new byte[0]);
    } catch (Pn532Exception e) {
      if (e.kind() == TransportException.Kind.READER_GONE) {
        return new Pn532Exception(
            e.reason(), what + ", and the PN532 stopped answering: " + e.getMessage(), e);
      }
    }
    return new Pn532Exception(
        Pn532Exception.Reason.DEVICE_TIMEOUT,
        what + "; the PN532 on " + settings.port() + " still answers, so the device is silent");
  }

  private Pn532Exception failedExchange(Pn532Status status, byte[] apdu) {
    String what = "InDataExchange of " + Hex.encode(Arrays.copyOf(apdu, Math.min(apdu.length, 4)));
    if (status.isRfError()) {
      target = null;
      return new Pn532Exception(
          Pn532Exception.Reason.TARGET_LOST,
          "tag lost: "
              + what
              + ": PN532 status "
              + status.describe()
              + "; the phone may have left or moved on the pad");
    }
    return new Pn532Exception(
        Pn532Exception.Reason.PN532_ERROR, what + ": PN532 status " + status.describe());
  }

  private Pn532Exception boardGone(IOException cause, String during) {
    gone =
        new Pn532Exception(
            Pn532Exception.Reason.BOARD_GONE,
            "the PN532's serial port "
                + settings.port()
                + " failed during "
                + during
                + ": "
                + cause.getMessage(),
            cause);
    if (link != null) {
      link.close();
    }
    return gone;
  }

  private static Pn532Status statusOf(byte[] answer, Pn532Command command) {
    if (answer.length == 0) {
      throw new Pn532Exception(
          Pn532Exception.Reason.UNEXPECTED_FRAME, command + ": answer without a status byte");
    }
    return new Pn532Status(answer[0] & 0xFF);
  }

  private void requireUsable() {
    if (gone != null) {
      throw new Pn532Exception(gone.reason(), gone.getMessage(), gone);
    }
  }

  private void requirePolling() {
    requireUsable();
    if (link == null || !polling) {
      throw new IllegalStateException("startPolling first");
    }
  }
}
