package dev.dkrig.emulate;

import dev.dkrig.iso7816.Bytes;
import dev.dkrig.iso7816.ContactlessCard;
import dev.dkrig.transport.pn532.JSerialCommLink;
import dev.dkrig.transport.pn532.Pn532Command;
import dev.dkrig.transport.pn532.Pn532Firmware;
import dev.dkrig.transport.pn532.Pn532Frame;
import dev.dkrig.transport.pn532.Pn532Target;
import dev.dkrig.transport.pn532.SerialBaudRate;
import dev.dkrig.transport.pn532.SerialLink;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PN532 board on a serial port, in software: the far end of {@code
 * dev.dkrig.transport.pn532.Pn532UartTransport} and of libnfc's {@code pn532_uart} driver, with one
 * {@link ContactlessCard} (the virtual device) as its ISO 14443-4A target. CI runs it on one end of
 * a socat pty pair; {@code dkrig emulate --pn532-uart PATH} runs it on any serial port.
 *
 * <p>It speaks HSU frames as notes §3 describes a PN532 v1.6: bytes outside frames (the wake-up
 * {@code 55 55 00 …}) are skipped; every well-formed command is acknowledged with ACK before its
 * answer; a garbled command is answered NACK; the host's NACK repeats the last answer; the host's
 * ACK aborts a command in progress; an unknown or malformed command gets the application error
 * frame. It answers every command libnfc sends during {@code nfc-list} (GetFirmwareVersion,
 * SAMConfiguration, SetParameters, Read/WriteRegister, RFConfiguration, Diagnose with the NumTst
 * echo, PowerDown, InListPassiveTarget, InRelease, InDeselect, InCommunicateThru) and the ones
 * dkrig's transport sends.
 *
 * <p>The target: SENS_RES {@code 00 04}, SEL_RES {@code 20}, a random-looking single-size NFCID1
 * starting {@code 08} and an ATS {@code 05 78 80 70 02} (TL counts itself; FSC 256, FWI 7). Field
 * off (RFConfiguration, PowerDown), InDeselect and InRelease deactivate the card;
 * InListPassiveTarget type A with the field on activates it. InDataExchange carries APDUs to the
 * card, accepting MI chaining from the host and answering DataIn beyond {@link Options#maxDataIn()}
 * in MI parts. Other modulations find no target, so {@code nfc-list} lists exactly one ISO/IEC
 * 14443A target.
 *
 * <p>{@link Fault}s make it misbehave for tests: a corrupt checksum, NACK, the error frame, a
 * stalled answer, silence, and vanishing (the port closed). {@link BoardQuirks} start it in a state
 * another tool or an earlier run may leave a board in: automatic RATS off, or a line that must be
 * moved to another speed with SetSerialBaudRate.
 *
 * <p>One thread serves the port until {@link #close()}, the vanish fault, or a port failure; it
 * never throws, and the reason it stopped is kept ({@link #stopReason()}). This class is the HSU
 * line, its faults and quirks; the command set and the target's state are {@code
 * Pn532EmulatorChip}'s.
 */
public final class Pn532Emulator implements EmulatedBoard {
  private static final Logger LOG = LoggerFactory.getLogger(Pn532Emulator.class);

  private final Pn532Line line;
  private final SerialLink serial;
  private final Options options;
  private byte[] lastAnswer;
  private int corruptTransmissions;
  private boolean stalled;
  private volatile int lineSpeed = SerialBaudRate.POWER_ON;
  private final Pn532EmulatorChip chip;

  private Pn532Emulator(SerialLink serial, ContactlessCard card, Options options) {
    this.serial = serial;
    this.options = Objects.requireNonNull(options, "options");
    this.chip = new Pn532EmulatorChip(Objects.requireNonNull(card, "card"), options);
    this.line = new Pn532Line(serial, "PN532 emulator", "pn532-emulator", options.faults());
  }

  /**
   * Serves {@code card} as a PN532 on the serial port {@code path} (115200 8N1), with default
   * options, until {@link #close()}.
   *
   * @throws IOException when the port cannot be opened
   */
  public static Pn532Emulator serve(String path, ContactlessCard card) throws IOException {
    return serve(path, card, Options.defaults());
  }

  /**
   * Serves {@code card} on the serial port {@code path} with {@code options}.
   *
   * @throws IOException when the port cannot be opened
   */
  public static Pn532Emulator serve(String path, ContactlessCard card, Options options)
      throws IOException {
    return serve(JSerialCommLink.open(path, options.baudRate()), card, options);
  }

  /** Serves {@code card} on an open link (which the emulator then owns and closes). */
  public static Pn532Emulator serve(SerialLink serial, ContactlessCard card, Options options) {
    Pn532Emulator emulator = new Pn532Emulator(serial, card, options);
    emulator.line.start(emulator::handle, emulator.chip::deactivateCard);
    LOG.info("PN532 emulator serving on {}: {}", serial.name(), options.target());
    return emulator;
  }

  /**
   * The emulator's options: the target it presents, the baud rate, how it chunks DataIn, whether
   * the card is in the field, and faults.
   *
   * @param nfcid1 the target's UID (4 bytes, starting {@code 08} like a phone's random UID)
   * @param ats the ATS, TL first
   * @param firmware what GetFirmwareVersion answers
   * @param baudRate for {@link #serve(String, ContactlessCard, Options)}
   * @param maxDataIn the most R-APDU bytes in one InDataExchange answer before MI (262 on a PN532)
   * @param present whether the card is in the field now (InListPassiveTarget finds it; when it
   *     leaves, InDataExchange answers the RF timeout 01)
   * @param faults misbehaviour, applied in order of the commands they name
   * @param board the state another tool or the line left the board in ({@link BoardQuirks})
   */
  public record Options(
      byte[] nfcid1,
      byte[] ats,
      Pn532Firmware firmware,
      int baudRate,
      int maxDataIn,
      BooleanSupplier present,
      List<Fault> faults,
      BoardQuirks board) {

    /** A random-looking single-size NFCID1 (a phone's starts with {@code 08}). */
    public static final byte[] DEFAULT_NFCID1 = Bytes.of(0x08, 0xD1, 0x7A, 0x3C);

    /** TL 05, T0 78 (FSCI 8 = 256 bytes; TA, TB, TC present), TA 80, TB 70 (FWI 7), TC 02. */
    public static final byte[] DEFAULT_ATS = Bytes.of(0x05, 0x78, 0x80, 0x70, 0x02);

    /** PN532 v1.6, ISO 14443-A, ISO 14443-B and ISO 18092 (notes §3). */
    public static final Pn532Firmware DEFAULT_FIRMWARE = new Pn532Firmware(0x32, 1, 6, 0x07);

    /** InDataExchange's DataIn limit on a PN532 (UM0701 §7.3.8). */
    public static final int PN532_MAX_DATA_IN = 262;

    public Options {
      nfcid1 = nfcid1.clone();
      ats = ats.clone();
      Objects.requireNonNull(firmware, "firmware");
      Objects.requireNonNull(present, "present");
      Objects.requireNonNull(board, "board");
      faults = List.copyOf(faults);
      if (maxDataIn < 1 || maxDataIn > PN532_MAX_DATA_IN) {
        throw new IllegalArgumentException(
            "maxDataIn is 1–" + PN532_MAX_DATA_IN + ", not " + maxDataIn);
      }
      new Pn532Target(1, 0x0004, Pn532Target.ISO_14443_4, nfcid1, ats);
    }

    /** The target above, the card always present, no faults. */
    public static Options defaults() {
      return new Options(
          DEFAULT_NFCID1,
          DEFAULT_ATS,
          DEFAULT_FIRMWARE,
          115200,
          PN532_MAX_DATA_IN,
          () -> true,
          List.of(),
          BoardQuirks.NONE);
    }

    public Options withFaults(Fault... more) {
      List<Fault> all = new ArrayList<>(faults);
      all.addAll(List.of(more));
      return new Options(nfcid1, ats, firmware, baudRate, maxDataIn, present, all, board);
    }

    public Options withPresence(BooleanSupplier value) {
      return new Options(nfcid1, ats, firmware, baudRate, maxDataIn, value, faults, board);
    }

    public Options withMaxDataIn(int value) {
      return new Options(nfcid1, ats, firmware, baudRate, value, present, faults, board);
    }

    public Options withNfcid1(byte[] value) {
      return new Options(value, ats, firmware, baudRate, maxDataIn, present, faults, board);
    }

    public Options withBaudRate(int value) {
      return new Options(nfcid1, ats, firmware, value, maxDataIn, present, faults, board);
    }

    public Options withBoard(BoardQuirks value) {
      return new Options(nfcid1, ats, firmware, baudRate, maxDataIn, present, faults, value);
    }

    /**
     * One named board quirk ({@code dkrig emulate --pn532-quirk}): {@code no-auto-rats} or {@code
     * baud-N}.
     *
     * @throws IllegalArgumentException for another name or speed
     */
    public Options withQuirk(String name) {
      if (name.equals("no-auto-rats")) {
        return withBoard(new BoardQuirks(false, board.requiredBaudRate(), board.hostBaudRate()));
      }
      if (name.startsWith("baud-")) {
        int rate;
        try {
          rate = Integer.parseInt(name.substring(5));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("baud-N needs a number: " + name, e);
        }
        SerialBaudRate.code(rate);
        return withBoard(new BoardQuirks(board.autoRatsAtStart(), rate, board.hostBaudRate()));
      }
      throw new IllegalArgumentException(
          "unknown PN532 quirk '" + name + "' (no-auto-rats, baud-N)");
    }

    /** The target as InListPassiveTarget reports it. */
    public Pn532Target target() {
      return new Pn532Target(1, 0x0004, Pn532Target.ISO_14443_4, nfcid1, ats);
    }

    @Override
    public byte[] nfcid1() {
      return nfcid1.clone();
    }

    @Override
    public byte[] ats() {
      return ats.clone();
    }
  }

  /**
   * The state a board may be in when dkrig meets it (issue 16), for the tests of dkrig's start-up.
   *
   * @param autoRatsAtStart whether automatic RATS is on before any SetParameters (a PN532's reset
   *     state); off ({@code no-auto-rats}) as nfcpy leaves it ({@code SetParameters 00}): an
   *     ISO-DEP target is then listed without ATS and no APDU reaches it, until SetParameters sets
   *     0x10
   * @param requiredBaudRate 0, or ({@code baud-N}) the speed the board must be moved to: it starts
   *     at 115200, changes speed only with a proper SetSerialBaudRate (answer, then the host's
   *     ACK), and answers nothing but the start-up commands (SAMConfiguration, GetFirmwareVersion,
   *     Diagnose, SetSerialBaudRate) until it runs at that speed
   * @param hostBaudRate the host side's real line speed (a pty keeps its termios speed, though it
   *     carries bytes at any), or null: the board then assumes a host that follows the protocol.
   *     Frames that arrive while the host's speed differs from the board's are noise: no answer
   */
  public record BoardQuirks(
      boolean autoRatsAtStart, int requiredBaudRate, java.util.function.IntSupplier hostBaudRate) {

    /** A board as after power-on, talking to any host. */
    public static final BoardQuirks NONE = new BoardQuirks(true, 0, null);

    /** The same quirks, with the host's line speed read by {@code probe}. */
    public BoardQuirks withHostBaudRate(java.util.function.IntSupplier probe) {
      return new BoardQuirks(autoRatsAtStart, requiredBaudRate, probe);
    }
  }

  /**
   * One piece of misbehaviour, for the {@code occurrence}-th command with code {@code command}
   * ({@link #ANY_COMMAND}: the {@code occurrence}-th command of any code).
   *
   * @param kind what goes wrong
   * @param command the command code it applies to, or {@link #ANY_COMMAND}
   * @param occurrence 1 for the first such command
   * @param times {@link Kind#CORRUPT_CHECKSUM}: how many transmissions of that answer are spoiled
   *     (1: the retransmission after the host's NACK is good); {@link Kind#NACK}: how many
   *     consecutive such commands are refused; 1 for the others
   */
  public record Fault(Kind kind, int command, int occurrence, int times) {

    /** Matches every command code. */
    public static final int ANY_COMMAND = -1;

    /** The misbehaviours. */
    public enum Kind {
      /** Acknowledges, then sends the answer with a wrong DCS. */
      CORRUPT_CHECKSUM,
      /** Answers NACK instead of ACK, as for a command that arrived garbled. */
      NACK,
      /** Acknowledges, then answers with the application error frame. */
      ERROR_FRAME,
      /** Acknowledges and never answers (a phone that keeps asking for more time) until abort. */
      STALL,
      /** From this command on, answers nothing at all (a board that hung). */
      SILENT,
      /** Acknowledges, then closes its port and stops (a board unplugged mid-exchange). */
      VANISH
    }

    public Fault {
      Objects.requireNonNull(kind, "kind");
      if (occurrence < 1 || times < 1) {
        throw new IllegalArgumentException("occurrence and times start at 1");
      }
    }

    /** {@code kind} once, on the {@code occurrence}-th {@code command}. */
    public static Fault on(Kind kind, Pn532Command command, int occurrence) {
      return new Fault(kind, command.code(), occurrence, 1);
    }

    /** {@code kind} on the {@code n}-th command of any code (the {@code n}-th answer). */
    public static Fault onNth(Kind kind, int n) {
      return new Fault(kind, ANY_COMMAND, n, 1);
    }

    /** The same fault, {@code count} times in a row. */
    public Fault times(int count) {
      return new Fault(kind, command, occurrence, count);
    }

    boolean matches(int code, int codeCount, int anyCount) {
      int seen = command == ANY_COMMAND ? anyCount : code == command ? codeCount : -1;
      int span = kind == Kind.NACK ? times : 1;
      return seen >= occurrence && seen < occurrence + span;
    }
  }

  /** The serial port the emulator serves. */
  public String port() {
    return line.port();
  }

  /** Whether the serving thread still runs. */
  public boolean running() {
    return line.running();
  }

  /** Waits until the emulator stopped (closed, vanished, or its port failed). */
  public void awaitStop() throws InterruptedException {
    line.awaitStop();
  }

  /**
   * @return whether it stopped within {@code wait}
   */
  public boolean awaitStop(Duration wait) throws InterruptedException {
    return line.awaitStop(wait);
  }

  /** Why it stopped: empty while it runs or after {@link #close()}. */
  public String stopReason() {
    return line.stopReason();
  }

  /** The board's HSU speed now (115200 until a SetSerialBaudRate and the host's ACK). */
  public int lineSpeed() {
    return lineSpeed;
  }

  /** Well-formed commands received so far. */
  public int commandsReceived() {
    return line.commands();
  }

  /** The raw frames the host sent with InCommunicateThru (Apple ECP frames, libnfc's probes). */
  public List<byte[]> communicateThruFrames() {
    return chip.communicateThruFrames();
  }

  /** Stops serving, deactivates the card and closes the port. Never throws. */
  @Override
  public void close() {
    line.close();
  }

  // ------------------------------------------------------------------ the serving thread

  private void handle(Pn532Frame frame) throws IOException {
    if (frame instanceof Pn532Frame.Ack) {
      if (chip.pendingSpeed() != 0) {
        switchSpeed();
        return;
      }
      if (stalled) {
        LOG.debug("PN532 emulator: the host aborted the stalled command");
      }
      stalled = false;
      return;
    }
    if (frame instanceof Pn532Frame.Nack) {
      if (!line.silent() && lastAnswer != null) {
        sendAnswer();
      }
      return;
    }
    if (!(frame instanceof Pn532Frame.Information command)) {
      return;
    }
    // UM0701: the new speed takes effect with the host's ACK; without it the board stays.
    chip.clearPendingSpeed();
    if (!hearsHost(command.code())) {
      LOG.debug("PN532 emulator at {} baud: {} is noise to it", lineSpeed, command);
      return;
    }
    int code = command.code();
    Optional<Fault> fault = line.command(code);
    Fault.Kind kind = fault.map(Fault::kind).orElse(null);
    if (line.silent()) {
      return;
    }
    if (kind == Fault.Kind.NACK) {
      line.send(Pn532Frame.NACK);
      return;
    }
    stalled = false;
    line.send(Pn532Frame.ACK);
    if (kind == Fault.Kind.VANISH) {
      line.vanish(code);
      return;
    }
    if (kind == Fault.Kind.STALL) {
      stalled = true;
      return;
    }
    Pn532Frame answer =
        kind == Fault.Kind.ERROR_FRAME ? Pn532Frame.APPLICATION_ERROR : chip.answer(command);
    LOG.debug("PN532 emulator: {} -> {}", command, answer);
    lastAnswer = answer.bytes();
    corruptTransmissions = kind == Fault.Kind.CORRUPT_CHECKSUM ? fault.get().times() : 0;
    sendAnswer();
  }

  /** Whether the board makes out a command: same speed on both sides, and the baud-N rule. */
  private boolean hearsHost(int code) {
    BoardQuirks board = options.board();
    int host = board.hostBaudRate() == null ? lineSpeed : board.hostBaudRate().getAsInt();
    if (host != lineSpeed) {
      return false;
    }
    if (board.requiredBaudRate() == 0 || lineSpeed == board.requiredBaudRate()) {
      return true;
    }
    return code == Pn532Command.SAM_CONFIGURATION.code()
        || code == Pn532Command.GET_FIRMWARE_VERSION.code()
        || code == Pn532Command.DIAGNOSE.code()
        || code == Pn532Command.SET_SERIAL_BAUD_RATE.code();
  }

  private void switchSpeed() {
    lineSpeed = chip.pendingSpeed();
    chip.clearPendingSpeed();
    LOG.info("PN532 emulator: now at {} baud", lineSpeed);
    try {
      serial.setBaudRate(lineSpeed);
    } catch (IOException e) {
      LOG.debug("PN532 emulator: its own port stays at its speed: {}", e.getMessage());
    }
  }

  private void sendAnswer() throws IOException {
    byte[] bytes = lastAnswer.clone();
    if (corruptTransmissions > 0) {
      corruptTransmissions--;
      bytes[bytes.length - 2] ^= (byte) 0x5A;
      line.sendRaw(bytes, "answer with a corrupt DCS (fault)");
      return;
    }
    line.sendRaw(bytes, "answer");
  }
}
