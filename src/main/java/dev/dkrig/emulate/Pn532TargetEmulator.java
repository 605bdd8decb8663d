package dev.dkrig.emulate;

import dev.dkrig.iso7816.Bytes;
import dev.dkrig.iso7816.ContactlessCard;
import dev.dkrig.iso7816.Hex;
import dev.dkrig.transport.pn532.JSerialCommLink;
import dev.dkrig.transport.pn532.Pn532Command;
import dev.dkrig.transport.pn532.Pn532Frame;
import dev.dkrig.transport.pn532.SerialBaudRate;
import dev.dkrig.transport.pn532.SerialLink;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PN532 board in ISO 14443-4 PICC card emulation, in software: the far end of {@code
 * dev.dkrig.transport.pn532.Pn532CardEmulation} (the phone's driver) on a serial line, whose RF
 * side is a {@link Field}, a reader's field in which a relaying {@link ContactlessCard} appears
 * while the phone has the board armed. {@code dkrig emulate --pn532-target PATH --vpcd HOST:PORT}
 * puts that card into a pcscd slot ({@link VpcdField}), so a PC/SC vehicle reaches the phone
 * through pcscd, vpcd, this board and a socat pty pair.
 *
 * <p>The HSU line is {@link Pn532Emulator}'s: bytes outside frames are skipped, every well-formed
 * command is acknowledged, a garbled one is answered NACK, the host's NACK repeats the last answer,
 * the host's ACK aborts the command that waits. The chip answers GetFirmwareVersion (v1.6),
 * SAMConfiguration, SetParameters (bit {@code 20}, ISO 14443-4 PICC emulation, is kept),
 * RFConfiguration, Read/WriteRegister, Diagnose and the target commands:
 *
 * <ul>
 *   <li>TgInitAsTarget puts the card into the field ({@link Field#armed}) and waits until the
 *       reader activates it (for vpcd: power-on or reset); the answer is the mode byte {@code 08}
 *       (106 kbps, ISO 14443-4 PICC) and the reader's RATS {@code E0 80}. The host's ACK aborts it
 *       and takes the card out of the field ({@link Field#disarmed}), as a phone taken away.
 *   <li>TgGetData waits for the reader's next command (for vpcd: the next APDU), given in parts of
 *       at most {@link Options#maxDataIn()} bytes with status MI ({@code 40}) while more follows.
 *       TgSetMetaData collects parts of the answer, TgSetData completes it and hands it to the
 *       reader.
 *   <li>When the reader's field goes (for vpcd: power-off, reset), the TgGetData that waits, or the
 *       next TgGetData, TgSetMetaData or TgSetData, is answered with status {@code 29} (released);
 *       the board then answers the reader nothing until the phone arms it again.
 *   <li>InRelease ends the emulation: the card leaves the field.
 *   <li>Without SetParameters bit {@code 20} the chip leaves ISO-DEP to the host: TgGetData is
 *       answered {@code 27} (not acceptable in this context).
 * </ul>
 *
 * <p>A reader command that the phone does not answer within {@link Options#answerLimit()} gets no
 * answer (the card is silent). One thread serves the line until {@link #close()}, a port failure or
 * a fault; the field's card is called on the field's own thread.
 */
public final class Pn532TargetEmulator implements EmulatedBoard {
  private static final Logger LOG = LoggerFactory.getLogger(Pn532TargetEmulator.class);

  /** UM0701 status codes the board answers with. */
  static final int RELEASED = 0x29;

  static final int INVALID_STATE = 0x25;
  static final int NOT_IN_CONTEXT = 0x27;
  static final int MORE_INFORMATION = 0x40;

  /** SetParameters fISO14443-4_PICC. */
  static final int PICC_EMULATION = 0x20;

  /** Marks an answer that comes later, from the field's thread. */
  private static final byte[] LATER = new byte[0];

  /** TgInitAsTarget's answer: mode (106 kbps, ISO 14443-4 PICC) and the reader's RATS. */
  static final byte[] ACTIVATED = Bytes.of(0x08, 0xE0, 0x80);

  /** The reader's field: where the board's card goes while the phone has the board armed. */
  public interface Field extends AutoCloseable {
    /**
     * The phone armed the board: {@code card} is in the field, and the field calls its {@link
     * ContactlessCard#activate()} when the reader activates it.
     *
     * @param historicalBytes the ATS historical bytes TgInitAsTarget gave
     */
    void armed(ContactlessCard card, byte[] historicalBytes);

    /** The phone stopped arming (it aborted TgInitAsTarget): the card leaves the field. */
    void disarmed();

    @Override
    void close();
  }

  /**
   * @param maxDataIn the most command bytes in one TgGetData answer (262 on a PN532)
   * @param answerLimit how long the reader waits for the phone's answer to one command
   * @param faults misbehaviour of the line ({@link Pn532Emulator.Fault.Kind#SILENT} and {@link
   *     Pn532Emulator.Fault.Kind#VANISH} apply)
   */
  public record Options(int maxDataIn, Duration answerLimit, List<Pn532Emulator.Fault> faults) {
    public Options {
      if (maxDataIn < 1 || maxDataIn > Pn532Emulator.Options.PN532_MAX_DATA_IN) {
        throw new IllegalArgumentException("maxDataIn is 1–262, not " + maxDataIn);
      }
      Objects.requireNonNull(answerLimit, "answerLimit");
      faults = List.copyOf(faults);
    }

    /** 262-byte parts, the phone's answer within T_Apdu + 1 s, no faults. */
    public static Options defaults() {
      return new Options(
          Pn532Emulator.Options.PN532_MAX_DATA_IN, VpcdCardServer.DEFAULT_SILENCE_LIMIT, List.of());
    }

    public Options withMaxDataIn(int value) {
      return new Options(value, answerLimit, faults);
    }

    public Options withAnswerLimit(Duration value) {
      return new Options(maxDataIn, value, faults);
    }

    public Options withFaults(Pn532Emulator.Fault... more) {
      List<Pn532Emulator.Fault> all = new ArrayList<>(faults);
      all.addAll(List.of(more));
      return new Options(maxDataIn, answerLimit, all);
    }
  }

  /** Where the phone has the board. */
  private enum Phase {
    /** Not armed: the card is not in the field, or ignores it. */
    IDLE,
    /** TgInitAsTarget waits for the reader. */
    ARMED,
    /** Activated by the reader: commands flow. */
    ACTIVE,
    /** The reader's field went; the phone has not heard yet. */
    RELEASED
  }

  private final Pn532Line line;
  private final Field field;
  private final Options options;
  private final Relay relay = new Relay();
  private final Pn532Registers registers = new Pn532Registers();
  private final Object answerLock = new Object();
  private byte[] lastAnswer;

  // Guarded by relay.
  private Phase phase = Phase.IDLE;
  private boolean getDataWaiting;
  private boolean fieldActivation;
  private boolean piccEmulation;
  private final Deque<byte[]> commandParts = new ArrayDeque<>();
  private final ByteArrayOutputStream answer = new ByteArrayOutputStream();
  private byte[] completedAnswer;
  private int activations;
  private int releases;

  private Pn532TargetEmulator(SerialLink serial, Field field, Options options) {
    this.field = Objects.requireNonNull(field, "field");
    this.options = Objects.requireNonNull(options, "options");
    this.line = new Pn532Line(serial, "PN532 target emulator", "pn532-target", options.faults());
  }

  /**
   * Plays the board on the serial port {@code path} (115200 8N1).
   *
   * @throws IOException when the port cannot be opened
   */
  public static Pn532TargetEmulator serve(String path, Field field, Options options)
      throws IOException {
    return serve(JSerialCommLink.open(path, SerialBaudRate.POWER_ON), field, options);
  }

  /** Plays the board on an open link, which it then owns and closes. */
  public static Pn532TargetEmulator serve(SerialLink serial, Field field, Options options) {
    Pn532TargetEmulator emulator = new Pn532TargetEmulator(serial, field, options);
    emulator.line.start(emulator::handle, emulator::lineStopped);
    LOG.info("PN532 target emulator serving on {}", serial.name());
    return emulator;
  }

  /** The serial port it serves. */
  public String port() {
    return line.port();
  }

  /** Whether it stopped within {@code wait} (closed, vanished, or its port failed). */
  public boolean awaitStop(Duration wait) throws InterruptedException {
    return line.awaitStop(wait);
  }

  /** Why it stopped: empty while it runs or after {@link #close()}. */
  public String stopReason() {
    return line.stopReason();
  }

  /** Reader activations answered to the phone so far. */
  public int activations() {
    synchronized (relay) {
      return activations;
    }
  }

  /** Releases reported to the phone so far. */
  public int releases() {
    synchronized (relay) {
      return releases;
    }
  }

  /** Stops serving, takes the card out of the field and closes the port. Never throws. */
  @Override
  public void close() {
    line.close(
        () -> {
          synchronized (relay) {
            relay.notifyAll();
          }
        });
    field.close();
  }

  // ------------------------------------------------------------------ the line

  /** The line stopped: the card leaves the field. */
  private void lineStopped() {
    synchronized (relay) {
      phase = Phase.IDLE;
      relay.notifyAll();
    }
    field.disarmed();
  }

  private void handle(Pn532Frame frame) throws IOException {
    if (frame instanceof Pn532Frame.Ack) {
      abortWaiting();
      return;
    }
    if (frame instanceof Pn532Frame.Nack) {
      byte[] again;
      synchronized (answerLock) {
        again = lastAnswer;
      }
      if (!line.silent() && again != null) {
        line.sendRaw(again, "answer again");
      }
      return;
    }
    if (!(frame instanceof Pn532Frame.Information command)) {
      return;
    }
    int code = command.code();
    Optional<Pn532Emulator.Fault> fault = line.command(code);
    if (line.silent()) {
      return;
    }
    send(Pn532Frame.ACK, false);
    if (fault.isPresent() && fault.get().kind() == Pn532Emulator.Fault.Kind.VANISH) {
      line.vanish(code);
      return;
    }
    byte[] data = answer(code, command.data());
    if (data == null) {
      send(Pn532Frame.APPLICATION_ERROR, true);
    } else if (data != LATER) {
      respond(code, data);
    }
  }

  /**
   * The answer's data; {@link #LATER} when it comes later (TgInitAsTarget, TgGetData), null for the
   * application error frame.
   */
  private byte[] answer(int code, byte[] args) {
    Optional<Pn532Command> known = Pn532Command.of(code);
    if (known.isEmpty()) {
      return applicationError("unknown command " + Hex.u8(code));
    }
    return switch (known.get()) {
      case GET_FIRMWARE_VERSION -> Bytes.of(0x32, 0x01, 0x06, 0x07);
      case SAM_CONFIGURATION, RF_CONFIGURATION -> new byte[0];
      case DIAGNOSE -> args.length > 0 && args[0] == 0 ? args : Bytes.of(0x00);
      case SET_PARAMETERS -> setParameters(args);
      case READ_REGISTER -> readRegisters(args);
      case WRITE_REGISTER -> writeRegisters(args);
      case TG_INIT_AS_TARGET -> initAsTarget(args);
      case TG_GET_DATA -> getData();
      case TG_SET_META_DATA -> setData(args, false);
      case TG_SET_DATA -> setData(args, true);
      case TG_GET_TARGET_STATUS -> targetStatus();
      case IN_RELEASE -> release();
      default -> Bytes.of(NOT_IN_CONTEXT);
    };
  }

  private byte[] setParameters(byte[] args) {
    if (args.length != 1) {
      return applicationError("SetParameters takes one flags byte");
    }
    synchronized (relay) {
      piccEmulation = (args[0] & PICC_EMULATION) != 0;
    }
    return new byte[0];
  }

  private byte[] readRegisters(byte[] args) {
    try {
      return registers.read(args);
    } catch (IllegalArgumentException e) {
      return applicationError(e.getMessage());
    }
  }

  private byte[] writeRegisters(byte[] args) {
    try {
      return registers.write(args);
    } catch (IllegalArgumentException e) {
      return applicationError(e.getMessage());
    }
  }

  /** Mode, MifareParams, FeliCaParams, NFCID3t, LEN_Gt Gt, LEN_Tk Tk (UM0701). */
  private byte[] initAsTarget(byte[] args) {
    int fixed = 1 + 6 + 18 + 10;
    if (args.length < fixed + 1) {
      return applicationError("TgInitAsTarget needs at least " + (fixed + 1) + " parameter bytes");
    }
    int generalBytes = args[fixed] & 0xFF;
    int tkAt = fixed + 1 + generalBytes;
    byte[] historical = new byte[0];
    if (tkAt < args.length) {
      int length = args[tkAt] & 0xFF;
      if (tkAt + 1 + length > args.length) {
        return applicationError("TgInitAsTarget: LEN_Tk beyond the frame");
      }
      historical = Arrays.copyOfRange(args, tkAt + 1, tkAt + 1 + length);
    }
    LOG.debug(
        "PN532 target emulator: armed, mode {}, SENS_RES {}, NFCID1 08{}, SEL_RES {}, Tk {}",
        Hex.u8(args[0]),
        Hex.encode(args, 1, 3),
        Hex.encode(args, 3, 6),
        Hex.u8(args[6]),
        Hex.encode(historical));
    boolean activateNow;
    synchronized (relay) {
      commandParts.clear();
      answer.reset();
      completedAnswer = null;
      getDataWaiting = false;
      activateNow = fieldActivation;
      fieldActivation = false;
      phase = activateNow ? Phase.ACTIVE : Phase.ARMED;
      if (activateNow) {
        activations++;
      }
      relay.notifyAll();
    }
    field.armed(relay, historical);
    return activateNow ? ACTIVATED.clone() : LATER;
  }

  private byte[] getData() {
    synchronized (relay) {
      if (phase == Phase.RELEASED) {
        return released();
      }
      if (phase != Phase.ACTIVE) {
        return Bytes.of(INVALID_STATE);
      }
      if (!piccEmulation) {
        return Bytes.of(NOT_IN_CONTEXT);
      }
      if (commandParts.isEmpty()) {
        getDataWaiting = true;
        return LATER;
      }
      return nextPart();
    }
  }

  private byte[] setData(byte[] args, boolean last) {
    synchronized (relay) {
      if (phase == Phase.RELEASED) {
        return released();
      }
      if (phase != Phase.ACTIVE || !commandParts.isEmpty()) {
        return Bytes.of(INVALID_STATE);
      }
      answer.writeBytes(args);
      if (last) {
        completedAnswer = answer.toByteArray();
        answer.reset();
        relay.notifyAll();
      }
      return Bytes.of(0x00);
    }
  }

  /** InRelease in target mode ends the emulation: the card leaves the field. */
  private byte[] release() {
    synchronized (relay) {
      phase = Phase.IDLE;
      getDataWaiting = false;
      fieldActivation = false;
      commandParts.clear();
      answer.reset();
      relay.notifyAll();
    }
    field.disarmed();
    return Bytes.of(0x00);
  }

  /** {@code 01} activated, {@code 00} free, as a byte after the error byte. */
  private byte[] targetStatus() {
    synchronized (relay) {
      return Bytes.of(0x00, phase == Phase.ACTIVE ? 0x01 : 0x00);
    }
  }

  /** Called under the relay lock: the phone hears of the release, and the card leaves. */
  private byte[] released() {
    phase = Phase.IDLE;
    releases++;
    commandParts.clear();
    answer.reset();
    return Bytes.of(RELEASED);
  }

  /** Called under the relay lock. */
  private byte[] nextPart() {
    byte[] part = commandParts.removeFirst();
    int status = commandParts.isEmpty() ? 0x00 : MORE_INFORMATION;
    return Bytes.concat(Bytes.of(status), part);
  }

  /** The host's ACK: the command that waits is aborted. */
  private void abortWaiting() {
    boolean disarm = false;
    synchronized (relay) {
      if (phase == Phase.ARMED) {
        phase = Phase.IDLE;
        disarm = true;
      }
      getDataWaiting = false;
    }
    if (disarm) {
      LOG.debug("PN532 target emulator: the phone aborted TgInitAsTarget; the card leaves");
      field.disarmed();
    }
  }

  private static byte[] applicationError(String why) {
    LOG.debug("PN532 target emulator: application error: {}", why);
    return null;
  }

  /** Answers {@code code} with {@code data}. */
  private void respond(int code, byte[] data) throws IOException {
    send(Pn532Frame.Information.response(code + 1, data), true);
  }

  private void send(Pn532Frame frame, boolean remember) throws IOException {
    if (remember) {
      synchronized (answerLock) {
        lastAnswer = frame.bytes();
      }
    }
    line.send(frame);
  }

  /** An answer the relay gives later, from the field's thread; a failed line stops the board. */
  private void respondLater(Pn532Command command, byte[] data) {
    if (line.silent() || line.stopping()) {
      return;
    }
    try {
      respond(command.code(), data);
    } catch (IOException e) {
      LOG.debug("PN532 target emulator: late answer to {} failed: {}", command, e.getMessage());
      line.stopSoon();
    }
  }

  // ------------------------------------------------------------------ the RF side

  /** The card in the reader's field: relays between the reader and the phone's board. */
  private final class Relay implements ContactlessCard {

    @Override
    public void activate() {
      boolean answerInit = false;
      synchronized (this) {
        if (phase == Phase.ARMED) {
          phase = Phase.ACTIVE;
          activations++;
          answerInit = true;
          notifyAll();
        } else {
          // Not armed (yet): the phone's next TgInitAsTarget finds the field active.
          fieldActivation = phase != Phase.ACTIVE;
        }
      }
      if (answerInit) {
        respondLater(Pn532Command.TG_INIT_AS_TARGET, ACTIVATED.clone());
      }
    }

    @Override
    public byte[] process(byte[] command) {
      long deadline = System.nanoTime() + options.answerLimit().toNanos();
      byte[] first = null;
      synchronized (this) {
        // A phone that is re-arming after a reset gets the time of one answer to be back.
        while (phase != Phase.ACTIVE && !line.stopping() && waitUntil(deadline)) {
          // Waiting.
        }
        if (phase != Phase.ACTIVE) {
          LOG.debug("PN532 target emulator: {} while the phone is not armed", Hex.encode(command));
          return null;
        }
        commandParts.clear();
        for (int i = 0; i < command.length; i += options.maxDataIn()) {
          commandParts.add(
              Arrays.copyOfRange(command, i, Math.min(command.length, i + options.maxDataIn())));
        }
        completedAnswer = null;
        if (getDataWaiting) {
          getDataWaiting = false;
          first = nextPart();
        }
      }
      if (first != null) {
        respondLater(Pn532Command.TG_GET_DATA, first);
      }
      synchronized (this) {
        while (completedAnswer == null
            && phase == Phase.ACTIVE
            && !line.stopping()
            && waitUntil(deadline)) {
          // Waiting for TgSetData.
        }
        byte[] response = completedAnswer;
        completedAnswer = null;
        if (response == null) {
          commandParts.clear();
          LOG.debug("PN532 target emulator: no answer from the phone to {}", Hex.encode(command));
        }
        return response == null || response.length == 0 ? null : response;
      }
    }

    @Override
    public void deactivate() {
      boolean answerGetData = false;
      synchronized (this) {
        fieldActivation = false;
        if (phase == Phase.ACTIVE) {
          if (getDataWaiting) {
            getDataWaiting = false;
            answerGetData = true;
            released();
          } else {
            phase = Phase.RELEASED;
          }
          notifyAll();
        }
      }
      if (answerGetData) {
        respondLater(Pn532Command.TG_GET_DATA, Bytes.of(RELEASED));
      }
    }

    /** Waits on this monitor until {@code deadline}; false once it has passed. */
    private boolean waitUntil(long deadline) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      try {
        wait(Math.max(1, left / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
      return true;
    }
  }
}
