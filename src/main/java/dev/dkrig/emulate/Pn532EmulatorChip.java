package dev.dkrig.emulate;

import dev.dkrig.iso7816.Bytes;
import dev.dkrig.iso7816.ContactlessCard;
import dev.dkrig.iso7816.Hex;
import dev.dkrig.transport.pn532.Pn532Command;
import dev.dkrig.transport.pn532.Pn532Firmware;
import dev.dkrig.transport.pn532.Pn532Frame;
import dev.dkrig.transport.pn532.Pn532Target;
import dev.dkrig.transport.pn532.SerialBaudRate;
import java.io.ByteArrayOutputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chip behind {@link Pn532Emulator}'s HSU line: the PN532's answer to each command (the
 * emulator's class comment lists them), the RF field, the listed target and the card's activation,
 * registers, SetParameters' automatic RATS, and InDataExchange's MI chaining in both directions.
 * The line, its ACK/NACK and the faults are the emulator's; it calls the chip on its serving thread
 * only ({@link #communicateThruFrames()} excepted, which is synchronized).
 */
final class Pn532EmulatorChip {
  // The emulator's logger: these lines read as the emulator's, as before the split.
  private static final Logger LOG = LoggerFactory.getLogger(Pn532Emulator.class);

  /** UM0701 error codes the emulator answers with. */
  private static final int STATUS_TIMEOUT = 0x01;

  private static final int STATUS_NOT_IN_CONTEXT = 0x27;
  private static final int STATUS_MORE_INFORMATION = 0x40;

  private final ContactlessCard card;
  private final Pn532Emulator.Options options;
  private final Pn532Registers registers = new Pn532Registers();
  private final Deque<byte[]> pendingDataIn = new ArrayDeque<>();
  private final ByteArrayOutputStream chainedDataOut = new ByteArrayOutputStream();
  private final List<byte[]> communicateThru = new ArrayList<>();
  private boolean field;
  private boolean listed;
  private boolean cardActive;
  private boolean withoutAts;
  private boolean autoRats;
  private int pendingSpeed;

  Pn532EmulatorChip(ContactlessCard card, Pn532Emulator.Options options) {
    this.card = card;
    this.options = options;
    this.autoRats = options.board().autoRatsAtStart();
  }

  /** The speed a SetSerialBaudRate asked for, until the host's ACK or another command; else 0. */
  int pendingSpeed() {
    return pendingSpeed;
  }

  void clearPendingSpeed() {
    pendingSpeed = 0;
  }

  /** The raw frames the host sent with InCommunicateThru. */
  synchronized List<byte[]> communicateThruFrames() {
    return communicateThru.stream().map(byte[]::clone).toList();
  }

  /** The board's answer to one command, or the application error frame. */
  Pn532Frame answer(Pn532Frame.Information command) {
    int code = command.code();
    byte[] args = command.data();
    try {
      Pn532Command known =
          Pn532Command.of(code)
              .orElseThrow(() -> new SyntaxError("unknown command " + Hex.u8(code)));
      byte[] data =
          switch (known) {
            case DIAGNOSE -> diagnose(args);
            case GET_FIRMWARE_VERSION -> firmware();
            case GET_GENERAL_STATUS -> generalStatus();
            case READ_REGISTER -> readRegisters(args);
            case WRITE_REGISTER -> writeRegisters(args);
            case SET_PARAMETERS -> setParameters(args);
            case SAM_CONFIGURATION -> new byte[0];
            case SET_SERIAL_BAUD_RATE -> setSerialBaudRate(args);
            case POWER_DOWN -> powerDown();
            case RF_CONFIGURATION -> rfConfiguration(args);
            case IN_DATA_EXCHANGE -> dataExchange(args);
            case IN_COMMUNICATE_THRU -> communicateThru(args);
            case IN_DESELECT -> deselect(args);
            case IN_LIST_PASSIVE_TARGET -> listPassiveTarget(args);
            case IN_RELEASE -> release(args);
            case IN_SELECT -> select(args);
            // Target mode is Pn532TargetChip's (emulate --pn532-target): not in this context.
            case TG_GET_DATA,
                TG_GET_TARGET_STATUS,
                TG_INIT_AS_TARGET,
                TG_SET_DATA,
                TG_SET_META_DATA ->
                Bytes.of(STATUS_NOT_IN_CONTEXT);
          };
      return Pn532Frame.Information.response(known.responseCode(), data);
    } catch (SyntaxError e) {
      LOG.debug("PN532 emulator: {} -> application error: {}", command, e.getMessage());
      return Pn532Frame.APPLICATION_ERROR;
    }
  }

  /** NumTst 00, the communication line test: echo NumTst and the data (libnfc checks both). */
  private static byte[] diagnose(byte[] args) {
    need(args, 1, "Diagnose");
    return args[0] == 0x00 ? args : Bytes.of(0x00);
  }

  private byte[] firmware() {
    Pn532Firmware f = options.firmware();
    return Bytes.of(f.ic(), f.version(), f.revision(), f.support());
  }

  /** {@code Err Field NbTg [Tg BrRx BrTx Type] SAMstatus}. */
  private byte[] generalStatus() {
    byte[] targets = cardActive ? Bytes.of(0x01, 0x01, 0x00, 0x00, 0x00) : Bytes.of(0x00);
    return Bytes.concat(Bytes.of(0x00, field ? 1 : 0), targets, Bytes.of(0x00));
  }

  private byte[] readRegisters(byte[] args) {
    try {
      return registers.read(args);
    } catch (IllegalArgumentException e) {
      throw new SyntaxError(e.getMessage());
    }
  }

  private byte[] writeRegisters(byte[] args) {
    try {
      return registers.write(args);
    } catch (IllegalArgumentException e) {
      throw new SyntaxError(e.getMessage());
    }
  }

  /** Flags byte: bit 4 (0x10) is fAutomaticRATS. */
  private byte[] setParameters(byte[] args) {
    need(args, 1, "SetParameters");
    autoRats = (args[0] & 0x10) != 0;
    return new byte[0];
  }

  /** Answered at the old speed; the new one starts with the host's ACK ({@link Pn532Emulator}). */
  private byte[] setSerialBaudRate(byte[] args) {
    need(args, 1, "SetSerialBaudRate");
    try {
      pendingSpeed = SerialBaudRate.rate(args[0] & 0xFF);
    } catch (IllegalArgumentException e) {
      throw new SyntaxError(e.getMessage());
    }
    return new byte[0];
  }

  /** libnfc expects {@code D5 17 00} (notes §3); the chip sleeps with the field off. */
  private byte[] powerDown() {
    fieldOff();
    return Bytes.of(0x00);
  }

  private byte[] rfConfiguration(byte[] args) {
    need(args, 1, "RFConfiguration");
    if (args[0] == 0x01) {
      need(args, 2, "RFConfiguration item 1");
      if ((args[1] & 0x01) != 0) {
        field = true;
      } else {
        fieldOff();
      }
    }
    return new byte[0];
  }

  private byte[] listPassiveTarget(byte[] args) {
    need(args, 2, "InListPassiveTarget");
    if ((args[0] & 0xFF) < 1 || (args[0] & 0xFF) > 2) {
      throw new SyntaxError("InListPassiveTarget MaxTg is 1 or 2");
    }
    field = true;
    if (args[1] != 0x00 || !options.present().getAsBoolean()) {
      return Bytes.of(0x00);
    }
    // Every successful listing is a new activation, as a phone put on the pad sees it.
    pendingDataIn.clear();
    chainedDataOut.reset();
    listed = true;
    if (!autoRats) {
      // No RATS: the phone stays at ISO 14443-3, and the listing carries no ATS.
      withoutAts = true;
      Pn532Target target = options.target();
      return Bytes.concat(
          Bytes.of(0x01),
          new Pn532Target(1, target.sensRes(), target.selRes(), target.nfcid1(), new byte[0])
              .bytes());
    }
    withoutAts = false;
    card.activate();
    cardActive = true;
    return Bytes.concat(Bytes.of(0x01), options.target().bytes());
  }

  private byte[] dataExchange(byte[] args) {
    need(args, 1, "InDataExchange");
    int tg = args[0] & 0x3F;
    boolean moreFromHost = (args[0] & STATUS_MORE_INFORMATION) != 0;
    byte[] dataOut = Arrays.copyOfRange(args, 1, args.length);
    if (listed && withoutAts && tg == 1) {
      // Frames without ISO-DEP framing: the phone ignores them and the PN532 times out.
      return Bytes.of(STATUS_TIMEOUT);
    }
    if (!listed || !cardActive || tg != 1) {
      return Bytes.of(STATUS_NOT_IN_CONTEXT);
    }
    if (!options.present().getAsBoolean()) {
      deactivateCard();
      listed = false;
      return Bytes.of(STATUS_TIMEOUT);
    }
    if (dataOut.length == 0 && !pendingDataIn.isEmpty()) {
      return nextDataIn();
    }
    pendingDataIn.clear();
    chainedDataOut.writeBytes(dataOut);
    if (moreFromHost) {
      return Bytes.of(0x00);
    }
    byte[] apdu = chainedDataOut.toByteArray();
    chainedDataOut.reset();
    byte[] response;
    try {
      response = card.process(apdu);
    } catch (RuntimeException e) {
      LOG.error("PN532 emulator: the card failed on {}", Hex.encode(apdu), e);
      response = null;
    }
    if (response == null) {
      // The PN532 waits FWT (and the card's WTX) and then reports the timeout.
      return Bytes.of(STATUS_TIMEOUT);
    }
    for (int i = 0; i < response.length; i += options.maxDataIn()) {
      pendingDataIn.add(
          Arrays.copyOfRange(response, i, Math.min(response.length, i + options.maxDataIn())));
    }
    if (pendingDataIn.isEmpty()) {
      pendingDataIn.add(new byte[0]);
    }
    return nextDataIn();
  }

  private byte[] nextDataIn() {
    byte[] part = pendingDataIn.removeFirst();
    int status = pendingDataIn.isEmpty() ? 0x00 : STATUS_MORE_INFORMATION;
    return Bytes.concat(Bytes.of(status), part);
  }

  /** Raw frames go nowhere an ISO-DEP phone answers: the PN532 reports its timeout. */
  private synchronized byte[] communicateThru(byte[] args) {
    communicateThru.add(args.clone());
    return Bytes.of(STATUS_TIMEOUT);
  }

  private byte[] deselect(byte[] args) {
    need(args, 1, "InDeselect");
    deactivateCard();
    return Bytes.of(0x00);
  }

  private byte[] release(byte[] args) {
    need(args, 1, "InRelease");
    deactivateCard();
    listed = false;
    return Bytes.of(0x00);
  }

  private byte[] select(byte[] args) {
    need(args, 1, "InSelect");
    if (!listed || !field || !options.present().getAsBoolean()) {
      return Bytes.of(STATUS_NOT_IN_CONTEXT);
    }
    if (!cardActive) {
      card.activate();
      cardActive = true;
    }
    return Bytes.of(0x00);
  }

  private void fieldOff() {
    field = false;
    deactivateCard();
    listed = false;
  }

  void deactivateCard() {
    pendingDataIn.clear();
    chainedDataOut.reset();
    if (cardActive) {
      cardActive = false;
      try {
        card.deactivate();
      } catch (RuntimeException e) {
        LOG.error("PN532 emulator: the card failed to deactivate", e);
      }
    }
  }

  private static void need(byte[] args, int count, String command) {
    if (args.length < count) {
      throw new SyntaxError(command + " needs at least " + count + " parameter byte(s)");
    }
  }

  /** A command the board cannot parse: answered with the application error frame. */
  private static final class SyntaxError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SyntaxError(String message) {
      super(message, null, false, false);
    }
  }
}
