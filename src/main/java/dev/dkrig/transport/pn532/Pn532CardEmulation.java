package dev.dkrig.transport.pn532;

import dev.dkrig.iso7816.Bytes;
import dev.dkrig.iso7816.ContactlessCard;
import dev.dkrig.iso7816.Hex;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.NoSuchFileException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The phone's side of a PN532 board on a serial line (HSU): the board in ISO 14443-4 PICC card
 * emulation, so that a {@link ContactlessCard} (dkrig's virtual device) answers a vehicle's reader
 * held to the board's antenna. The reader-side counterpart is {@link Pn532UartTransport}; the board
 * in software, for a bench without hardware, is {@code dev.dkrig.emulate.Pn532TargetEmulator}.
 *
 * <p>Start-up ({@link #open}): the port at 115200 8N1 (an explicit path), the HSU wake-up and
 * SAMConfiguration normal mode as the reader driver sends them, GetFirmwareVersion ({@link
 * #firmware()}), SetParameters {@code 20} (fISO14443-4_PICC: the chip answers RATS with its ATS and
 * does the ISO-DEP block framing, chaining and WTX itself; automatic ATR_RES off, as libnfc's
 * target initialisation leaves it), the own RF field off, and CIU_TxAuto bit {@code 04}
 * (InitialRFOn) so that the reader's field wakes the chip.
 *
 * <p>Arming ({@link #TG_INIT_PARAMETERS_LENGTH} bytes, UM0701 TgInitAsTarget): Mode {@code 04}
 * (PICC only); MifareParams SENS_RES {@code 04 00} (ATQA {@code 0004}, low byte first), NFCID1t
 * three random bytes behind the {@code 08} the chip puts first (a random single-size UID, as a
 * phone shows, new at every arming), SEL_RES {@code 20} (ISO 14443-4 compliant); FeliCaParams and
 * NFCID3t zero; no general bytes; no historical bytes, so the ATS carries none, as an Android HCE
 * phone's (a PC/SC reader then reports the ATR {@code 3B 80 80 01 01}). TA, TB and TC of the ATS
 * (FSCI, FWI) are the chip's own. TgInitAsTarget waits without a deadline until a reader activates
 * the board: the one wait without a timeout, which {@link #close()} aborts with the host's ACK.
 *
 * <p>Serving ({@link #serve}): TgGetData → {@link ContactlessCard#process} → TgSetData. A command
 * longer than one frame arrives in parts with the MI bit of TgGetData's status; an answer longer
 * than {@link #MAX_DATA_OUT} bytes leaves in parts through TgSetMetaData (MI) and a last TgSetData.
 * The card is activated on the first command after arming and deactivated when the activation ends:
 * a status from the chip that is not success (target released {@code 29}, deselected {@code 25}, an
 * RF error, the field gone), or a card that stays silent ({@code null}: the phone drops the
 * activation, as a phone that stops answering leaves a reader to time out). Then it arms again.
 * While the board waits for the next command, every {@code idleCheck} it aborts TgGetData, proves
 * it still answers GetFirmwareVersion, and waits again.
 *
 * <p>A board that stops acknowledging or answering, a serial port that fails, a frame garbled again
 * after the NACK, or any other failure of the phone's own bench ends serving and is told once
 * through {@link Listener#failed}; serving never throws and never hangs. {@link #close()} stops it
 * and leaves the chip idle (what waits aborted, then InRelease, which ends the emulation: no reader
 * sees the board any more).
 *
 * <p>The line runs at 115200 baud, the HSU's power-on speed; {@link Pn532UartSettings#baudRate()}
 * is the reader role's. Its ACK and command timeouts apply, and T_Apdu ({@link
 * Pn532UartSettings#apduTimeout()}) bounds the parts of one chained exchange.
 */
public final class Pn532CardEmulation implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Pn532CardEmulation.class);

  /** SetParameters: fISO14443-4_PICC (bit 5), the rest off. */
  static final int SET_PARAMETERS_PICC = 0x20;

  /** TgInitAsTarget Mode: PICCOnly (bit 2). */
  static final int MODE_PICC_ONLY = 0x04;

  /** ATQA {@code 0004}, sent low byte first. */
  static final byte[] SENS_RES = Bytes.of(0x04, 0x00);

  /** SAK: ISO 14443-4 compliant. */
  static final int SEL_RES_ISO_DEP = 0x20;

  /** The first NFCID1 byte, wired in the chip: a random single-size UID. */
  static final int NFCID1_FIRST = 0x08;

  /** Mode, MifareParams 6, FeliCaParams 18, NFCID3t 10, LEN_Gt, LEN_Tk. */
  static final int TG_INIT_PARAMETERS_LENGTH = 1 + 6 + 18 + 10 + 1 + 1;

  /** TgSetData's and TgSetMetaData's DataOut limit (UM0701: 262 bytes). */
  public static final int MAX_DATA_OUT = 262;

  /** The longest command assembled from MI parts: an extended APDU with 65535 data bytes. */
  static final int MAX_COMMAND = 4 + 3 + 65535 + 3;

  /** How often the board proves it is alive while waiting for the reader's next command. */
  public static final Duration DEFAULT_IDLE_CHECK = Duration.ofSeconds(10);

  /** CIU_TxAuto and its InitialRFOn bit (libnfc's target initialisation). */
  private static final int REG_TX_AUTO = 0x6305;

  private static final int INITIAL_RF_ON = 0x04;

  /** How often a wait looks at {@link #close()}. */
  private static final Duration SLICE = Duration.ofMillis(100);

  /** Status bit MI in TgGetData's answer. */
  private static final int MI = Pn532Status.MORE_INFORMATION;

  /**
   * What the emulation tells its user; every method is called on the serving thread, an exception
   * it throws is logged and ignored, and all do nothing by default.
   */
  public interface Listener {
    /** TgInitAsTarget was acknowledged: the board waits for a reader's field. */
    default void armed() {}

    /** The first command of a reader's activation arrived; the card was activated. */
    default void activated() {}

    /**
     * The activation ended: the reader released or deselected the board, the field went, or the
     * card stayed silent. The card was deactivated (if it had been activated) and the board arms
     * again.
     */
    default void released(String why) {}

    /** The phone's own bench failed (one line); serving has stopped. */
    default void failed(String cause) {}
  }

  private final Pn532UartSettings settings;
  private final SerialLink serial;
  private final Pn532HsuLink link;
  private final RandomGenerator random;
  private final Duration idleCheck;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private Pn532Firmware firmware;
  private volatile boolean closing;
  private Thread thread;
  private boolean idle = true;

  private Pn532CardEmulation(
      Pn532UartSettings settings, SerialLink serial, RandomGenerator random, Duration idleCheck) {
    this.settings = settings;
    this.serial = serial;
    this.link =
        new Pn532HsuLink(new Pn532FrameLink(serial, Pn532Frame.Direction.HOST_TO_BOARD), settings);
    this.random = random;
    this.idleCheck = idleCheck;
  }

  /**
   * Opens the board on {@code settings.port()} with jSerialComm and prepares it for card emulation.
   *
   * @throws Pn532Exception when the port cannot be opened ({@code PORT_UNAVAILABLE}), the board
   *     does not answer ({@code BOARD_SILENT}, {@code NO_RESPONSE}) or is no PN532 with ISO 14443-A
   */
  public static Pn532CardEmulation open(Pn532UartSettings settings) {
    return open(settings, JSerialCommLink::open);
  }

  /**
   * As {@link #open(Pn532UartSettings)}, the port opened by {@code opener}.
   *
   * @throws Pn532Exception as there
   */
  public static Pn532CardEmulation open(Pn532UartSettings settings, SerialLink.Opener opener) {
    return open(settings, opener, new SecureRandom(), DEFAULT_IDLE_CHECK);
  }

  /**
   * @param random draws the NFCID1 at each arming
   * @param idleCheck how often a board waiting for the next command must prove it is alive
   */
  static Pn532CardEmulation open(
      Pn532UartSettings settings,
      SerialLink.Opener opener,
      RandomGenerator random,
      Duration idleCheck) {
    Objects.requireNonNull(settings, "settings");
    SerialLink serial;
    try {
      serial = opener.open(settings.port(), SerialBaudRate.POWER_ON);
    } catch (NoSuchFileException e) {
      throw new Pn532Exception(
          Pn532Exception.Reason.PORT_UNAVAILABLE,
          "no serial port " + settings.port() + ": is the USB-serial adapter plugged in?",
          e);
    } catch (IOException e) {
      throw new Pn532Exception(Pn532Exception.Reason.PORT_UNAVAILABLE, e.getMessage(), e);
    }
    Pn532CardEmulation emulation =
        new Pn532CardEmulation(settings, serial, Objects.requireNonNull(random), idleCheck);
    try {
      emulation.prepare();
    } catch (RuntimeException e) {
      serial.close();
      throw e;
    }
    return emulation;
  }

  /** {@code PN532 v1.6 (ISO 14443-A, ISO 14443-B, ISO 18092)}. */
  public String firmware() {
    return firmware.toString();
  }

  /** The serial port as the user named it. */
  public String port() {
    return settings.port();
  }

  /**
   * Serves {@code card} on a thread of its own until {@link #close()} or a failure (told to {@code
   * listener}); returns at once.
   *
   * @throws IllegalStateException when called twice or after {@link #close()}
   */
  public synchronized void serve(ContactlessCard card, Listener listener) {
    Objects.requireNonNull(card, "card");
    Objects.requireNonNull(listener, "listener");
    if (thread != null || closing) {
      throw new IllegalStateException("the PN532 on " + settings.port() + " serves once");
    }
    thread = new Thread(() -> run(card, listener), "dkrig-pn532-card " + settings.port());
    thread.setDaemon(true);
    thread.start();
  }

  /** Whether serving has stopped (closed, or failed), waiting up to {@code wait}. */
  public boolean awaitStop(Duration wait) throws InterruptedException {
    return stopped.await(wait.toNanos(), TimeUnit.NANOSECONDS);
  }

  /**
   * Stops serving (aborting a waiting TgInitAsTarget or TgGetData), deactivates the card, leaves
   * the chip idle and closes the port. Never throws; calling it again does nothing.
   */
  @Override
  public void close() {
    Thread serving;
    synchronized (this) {
      if (closing) {
        return;
      }
      closing = true;
      serving = thread;
    }
    if (serving != null && serving != Thread.currentThread()) {
      long wait = settings.apduTimeout().plus(settings.ackTimeout()).plusSeconds(2).toMillis();
      try {
        serving.join(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (serving.isAlive()) {
        LOG.warn("PN532 on {}: the serving thread did not stop in {} ms", port(), wait);
      }
    } else if (serving == null) {
      goIdle();
    }
    serial.close();
  }

  // ------------------------------------------------------------------ start-up

  private void prepare() {
    try {
      link.sendRaw(Pn532UartTransport.WAKE_UP, "HSU wake-up");
    } catch (IOException e) {
      throw gone(e, "the HSU wake-up");
    }
    command(Pn532Command.SAM_CONFIGURATION, Bytes.of(0x01));
    try {
      firmware = Pn532Firmware.parse(command(Pn532Command.GET_FIRMWARE_VERSION, new byte[0]));
    } catch (IllegalArgumentException e) {
      throw new Pn532Exception(
          Pn532Exception.Reason.UNEXPECTED_FRAME, "GetFirmwareVersion: " + e.getMessage(), e);
    }
    if (firmware.ic() != Pn532Firmware.PN532 || !firmware.supportsTypeA()) {
      throw new Pn532Exception(
          Pn532Exception.Reason.PN532_ERROR,
          firmware
              + " on "
              + port()
              + " cannot emulate an ISO 14443-4A card (a PN532 with ISO 14443-A is needed)");
    }
    command(Pn532Command.SET_PARAMETERS, Bytes.of(SET_PARAMETERS_PICC));
    command(Pn532Command.RF_CONFIGURATION, Bytes.of(0x01, 0x00));
    byte[] txAuto = command(Pn532Command.READ_REGISTER, Bytes.of(REG_TX_AUTO >>> 8, REG_TX_AUTO));
    int value = txAuto.length == 1 ? (txAuto[0] & 0xFF) | INITIAL_RF_ON : INITIAL_RF_ON;
    command(Pn532Command.WRITE_REGISTER, Bytes.of(REG_TX_AUTO >>> 8, REG_TX_AUTO, value));
    LOG.info("{} on {}: ready for card emulation", firmware, port());
  }

  /** TgInitAsTarget's parameters, with a fresh NFCID1. */
  byte[] initParameters() {
    byte[] uid = new byte[3];
    random.nextBytes(uid);
    byte[] parameters = new byte[TG_INIT_PARAMETERS_LENGTH];
    parameters[0] = MODE_PICC_ONLY;
    parameters[1] = SENS_RES[0];
    parameters[2] = SENS_RES[1];
    System.arraycopy(uid, 0, parameters, 3, 3);
    parameters[6] = SEL_RES_ISO_DEP;
    // FeliCaParams (7–24), NFCID3t (25–34), LEN_Gt (35) and LEN_Tk (36) stay zero.
    return parameters;
  }

  // ------------------------------------------------------------------ the serving thread

  private void run(ContactlessCard card, Listener listener) {
    String failure = null;
    try {
      while (!closing && arm(listener)) {
        serveActivation(card, listener);
      }
    } catch (Pn532Exception e) {
      failure = e.getMessage();
    } catch (RuntimeException e) {
      LOG.error("PN532 on {}: card emulation failed unexpectedly", port(), e);
      failure = "card emulation failed unexpectedly on " + port() + ": " + e;
    } finally {
      if (failure != null && !closing) {
        LOG.info("PN532 on {}: {}", port(), failure);
        String cause = failure;
        tell(listener, l -> l.failed(cause));
      } else {
        goIdle();
      }
      stopped.countDown();
    }
  }

  /**
   * TgInitAsTarget, waiting until a reader activates the board.
   *
   * @return false when {@link #close()} aborted the wait
   */
  private boolean arm(Listener listener) {
    Pn532Command init = Pn532Command.TG_INIT_AS_TARGET;
    byte[] parameters = initParameters();
    send(init, parameters);
    idle = false;
    LOG.debug("PN532 on {}: armed as NFCID1 08{}", port(), Hex.encode(parameters, 3, 6));
    tell(listener, Listener::armed);
    while (true) {
      if (closing) {
        abort();
        return false;
      }
      Optional<Pn532Frame.Information> answer = response(init, System.nanoTime() + nanos(SLICE));
      if (answer.isPresent()) {
        byte[] data = answer.get().data();
        if (data.length == 0) {
          throw unexpected("TgInitAsTarget answered without its mode byte");
        }
        LOG.debug(
            "PN532 on {}: activated, mode {}, initiator's first frame {}",
            port(),
            Hex.u8(data[0]),
            Hex.encode(data, 1, data.length));
        return true;
      }
    }
  }

  /** One reader activation: commands until it ends; the card deactivated, then told. */
  private void serveActivation(ContactlessCard card, Listener listener) {
    boolean[] active = {false};
    String ended;
    try {
      ended = exchanges(card, listener, active);
    } finally {
      if (active[0]) {
        try {
          card.deactivate();
        } catch (RuntimeException e) {
          LOG.error("PN532 on {}: the card failed to deactivate", port(), e);
        }
      }
    }
    if (ended != null) {
      LOG.debug("PN532 on {}: activation ended: {}", port(), ended);
      tell(listener, l -> l.released(ended));
    }
  }

  /** Commands until the activation ends: why it ended, or null when closing. */
  private String exchanges(ContactlessCard card, Listener listener, boolean[] active) {
    while (!closing) {
      Exchange received = receiveCommand();
      if (received.released() != null) {
        return received.released();
      }
      if (closing) {
        return null;
      }
      if (!active[0]) {
        card.activate();
        active[0] = true;
        tell(listener, Listener::activated);
      }
      byte[] response = process(card, received.data());
      if (response == null) {
        return "the card stayed silent; the activation was dropped";
      }
      String ended = sendResponse(response);
      if (ended != null) {
        return ended;
      }
    }
    return null;
  }

  /** A command from the reader, or why the activation ended (closing: neither). */
  private record Exchange(byte[] data, String released) {}

  private Exchange receiveCommand() {
    ByteArrayOutputStream command = new ByteArrayOutputStream();
    byte[] answer = awaitNextCommand();
    if (answer == null) {
      return new Exchange(null, null);
    }
    long deadline = System.nanoTime() + settings.apduTimeout().toNanos();
    while (true) {
      Pn532Status status = status(answer, Pn532Command.TG_GET_DATA);
      if (!status.isSuccess()) {
        return new Exchange(null, "TgGetData: " + status.describe());
      }
      command.write(answer, 1, answer.length - 1);
      if ((status.value() & MI) == 0) {
        return new Exchange(command.toByteArray(), null);
      }
      if (command.size() > MAX_COMMAND) {
        throw unexpected("the board keeps setting MI after " + command.size() + " bytes");
      }
      send(Pn532Command.TG_GET_DATA, new byte[0]);
      answer =
          response(Pn532Command.TG_GET_DATA, deadline)
              .map(Pn532Frame.Information::data)
              .orElseThrow(() -> silentAfter(Pn532Command.TG_GET_DATA));
    }
  }

  /**
   * TgGetData for the next command: the board answers when the reader sends one or the activation
   * ends. Every {@link #idleCheck} the wait is aborted and the board must answer
   * GetFirmwareVersion. Null when {@link #close()} came first.
   */
  private byte[] awaitNextCommand() {
    while (true) {
      send(Pn532Command.TG_GET_DATA, new byte[0]);
      long check = System.nanoTime() + nanos(idleCheck);
      while (System.nanoTime() < check) {
        if (closing) {
          abort();
          return null;
        }
        long slice = Math.min(check, System.nanoTime() + nanos(SLICE));
        Optional<Pn532Frame.Information> answer = response(Pn532Command.TG_GET_DATA, slice);
        if (answer.isPresent()) {
          return answer.get().data();
        }
      }
      abort();
      command(Pn532Command.GET_FIRMWARE_VERSION, new byte[0]);
      LOG.debug("PN532 on {}: no command for {} ms; the board is alive", port(), idleCheck);
    }
  }

  /** The answer in parts: TgSetMetaData (MI) for all but the last, TgSetData for the last. */
  private String sendResponse(byte[] response) {
    long deadline = System.nanoTime() + settings.apduTimeout().toNanos();
    int offset = 0;
    do {
      int end = Math.min(response.length, offset + MAX_DATA_OUT);
      Pn532Command command =
          end < response.length ? Pn532Command.TG_SET_META_DATA : Pn532Command.TG_SET_DATA;
      send(command, Arrays.copyOfRange(response, offset, end));
      byte[] answer =
          response(command, deadline)
              .map(Pn532Frame.Information::data)
              .orElseThrow(() -> silentAfter(command));
      Pn532Status status = status(answer, command);
      if (!status.isSuccess()) {
        return command + ": " + status.describe();
      }
      offset = end;
    } while (offset < response.length);
    return null;
  }

  private byte[] process(ContactlessCard card, byte[] command) {
    try {
      return card.process(command);
    } catch (RuntimeException e) {
      LOG.error("PN532 on {}: the card failed on {}; it stays silent", port(), hexHead(command), e);
      return null;
    }
  }

  /** After close(): abort whatever waits and end the emulation (InRelease). Never throws. */
  private void goIdle() {
    if (idle) {
      return;
    }
    idle = true;
    try {
      abort();
      // libnfc's idle for a target: InRelease stops the emulation, no reader sees the board.
      command(Pn532Command.IN_RELEASE, Bytes.of(0x00));
    } catch (RuntimeException e) {
      LOG.debug("PN532 on {}: could not leave the chip idle: {}", port(), e.getMessage());
    }
  }

  // ------------------------------------------------------------------ frames

  /** A command of the board's own, answered within the command timeout. */
  private byte[] command(Pn532Command command, byte[] params) {
    send(command, params);
    return response(command, System.nanoTime() + settings.commandTimeout().toNanos())
        .map(Pn532Frame.Information::data)
        .orElseThrow(
            () -> {
              abort();
              return new Pn532Exception(
                  Pn532Exception.Reason.NO_RESPONSE,
                  "the PN532 on "
                      + port()
                      + " acknowledged "
                      + command
                      + " but did not answer within "
                      + settings.commandTimeout().toMillis()
                      + " ms");
            });
  }

  /** Sends a command and waits for its ACK. */
  private void send(Pn532Command command, byte[] params) {
    Pn532Frame.Information frame = Pn532Frame.Information.command(command.code(), params);
    try {
      link.discardInput();
      link.send(frame);
      link.awaitAck(command, frame);
    } catch (InterruptedIOException e) {
      throw interrupted(command, e);
    } catch (Pn532Exception e) {
      throw e;
    } catch (IOException e) {
      throw gone(e, command.toString());
    }
  }

  private Optional<Pn532Frame.Information> response(Pn532Command command, long deadline) {
    try {
      return link.awaitResponse(command, deadline);
    } catch (InterruptedIOException e) {
      throw interrupted(command, e);
    } catch (Pn532Exception e) {
      throw e;
    } catch (IOException e) {
      throw gone(e, command.toString());
    }
  }

  private void abort() {
    link.abortQuietly();
  }

  private Pn532Exception silentAfter(Pn532Command command) {
    abort();
    return new Pn532Exception(
        Pn532Exception.Reason.NO_RESPONSE,
        "the PN532 on "
            + port()
            + " acknowledged "
            + command
            + " but did not answer within T_Apdu ("
            + settings.apduTimeout().toMillis()
            + " ms)");
  }

  private Pn532Exception gone(IOException cause, String during) {
    return new Pn532Exception(
        Pn532Exception.Reason.BOARD_GONE,
        "the PN532's serial port "
            + port()
            + " failed during "
            + during
            + ": "
            + cause.getMessage(),
        cause);
  }

  private Pn532Exception interrupted(Pn532Command command, InterruptedIOException e) {
    Thread.currentThread().interrupt();
    abort();
    return new Pn532Exception(
        Pn532Exception.Reason.INTERRUPTED, command + " interrupted on " + port(), e);
  }

  private Pn532Exception unexpected(String what) {
    return new Pn532Exception(
        Pn532Exception.Reason.UNEXPECTED_FRAME, "the PN532 on " + port() + ": " + what);
  }

  private Pn532Status status(byte[] answer, Pn532Command command) {
    if (answer.length == 0) {
      throw unexpected(command + " answered without a status byte");
    }
    return new Pn532Status(answer[0] & 0xFF);
  }

  private void tell(Listener listener, Consumer<Listener> call) {
    try {
      call.accept(listener);
    } catch (RuntimeException e) {
      LOG.warn("PN532 on {}: the listener failed", port(), e);
    }
  }

  private static long nanos(Duration duration) {
    return duration.toNanos();
  }

  private static String hexHead(byte[] bytes) {
    return Hex.encode(bytes, 0, Math.min(4, bytes.length));
  }
}
