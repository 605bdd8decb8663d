package dev.dkrig.device;

import dev.dkrig.ccc.CccException;
import dev.dkrig.ccc.DkProfile;
import dev.dkrig.ccc.EcKeyPair;
import dev.dkrig.ccc.Ins;
import dev.dkrig.ccc.StatusWord;
import dev.dkrig.ccc.dka.Auth0Command;
import dev.dkrig.ccc.dka.Auth0Response;
import dev.dkrig.ccc.dka.Auth1Command;
import dev.dkrig.ccc.dka.Auth1ResponsePlaintext;
import dev.dkrig.ccc.dka.ExchangeOperation;
import dev.dkrig.ccc.dka.TransactionContext;
import dev.dkrig.ccc.dka.TransactionKeys;
import dev.dkrig.ccc.fw.SelectAppletResponse;
import dev.dkrig.ccc.sm.ChannelKind;
import dev.dkrig.ccc.sm.SecureChannel;
import dev.dkrig.ccc.sm.SessionKeys;
import dev.dkrig.iso7816.CommandApdu;
import dev.dkrig.iso7816.Hex;
import dev.dkrig.iso7816.ResponseApdu;
import dev.dkrig.random.Draws;
import dev.dkrig.random.TestModeDraws;
import java.util.Arrays;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.Consumer;

/**
 * The DK applet on the virtual device: standard transactions (§11) with the state machine of §3.6.
 * After any status word other than {@code 9000}/{@code 61XX} the applet drops its keys and the
 * transaction and waits in {@code SELECTED_A} for a new AUTH0 (§3.5).
 */
final class AppletApplication implements CardApplication {
  private static final Map<Integer, Integer> CLA_BY_INS =
      Map.of(
          Ins.AUTH0, Ins.CLA_PROPRIETARY,
          Ins.AUTH1, Ins.CLA_PROPRIETARY,
          Ins.EXCHANGE, Ins.CLA_SECURE,
          Ins.GET_RESPONSE, Ins.CLA_SECURE,
          Ins.CONTROL_FLOW, Ins.CLA_PROPRIETARY);

  private static final int P1P2_NONE = 0x0000;

  private final DeviceSettings settings;
  private final Draws draws;
  private final DkStore store;
  private final Consumer<DigitalKey> onFirstActivation;

  private AppletState state = AppletState.IDLE;
  private DigitalKey key;
  private EcKeyPair ephemeral;
  private TransactionContext context;
  private SecureChannel channel;
  private byte[] kpersistent;
  private ResponseChain chain;
  private boolean receiptDelivered;
  private OptionalInt lastAbort = OptionalInt.empty();
  private OptionalInt lastApplicationCode = OptionalInt.empty();

  /**
   * @param onFirstActivation called when a DK becomes ACTIVE (P3.4): the device's key-tracking
   *     request (P3.5)
   */
  AppletApplication(
      DeviceSettings settings, Draws draws, DkStore store, Consumer<DigitalKey> onFirstActivation) {
    this.settings = settings;
    this.draws = draws;
    this.store = store;
    this.onFirstActivation = onFirstActivation;
  }

  AppletState state() {
    return state;
  }

  OptionalInt lastAbort() {
    return lastAbort;
  }

  OptionalInt lastApplicationCode() {
    return lastApplicationCode;
  }

  /** SELECT applet (§3.6): → {@code SELECTED_A}, dropping the applet keys. */
  ResponseApdu select() {
    dropTransaction();
    state = AppletState.SELECTED_A;
    return success(new SelectAppletResponse(settings.appletVersions()).encode());
  }

  @Override
  public boolean supportsIns(int ins) {
    return CLA_BY_INS.containsKey(ins);
  }

  @Override
  public int claOf(int ins) {
    return CLA_BY_INS.get(ins);
  }

  @Override
  public boolean hasSessionKeys() {
    return channel != null;
  }

  @Override
  public void discardChain() {
    chain = null;
  }

  @Override
  public void afterErrorStatus() {
    if (settings.has(DeviceQuirk.KEEP_KEYS_AFTER_ERROR)) {
      return;
    }
    dropTransaction();
    state = AppletState.SELECTED_A;
  }

  @Override
  public void deactivate() {
    dropTransaction();
    state = AppletState.IDLE;
  }

  @Override
  public ResponseApdu process(CommandApdu command) {
    return switch (command.ins()) {
      case Ins.AUTH0 -> auth0(command);
      case Ins.AUTH1 -> auth1(command);
      case Ins.EXCHANGE -> exchange(command);
      case Ins.GET_RESPONSE -> getResponse(command);
      case Ins.CONTROL_FLOW -> controlFlow(command);
      default -> throw refuse(StatusWord.INS_NOT_SUPPORTED, "not an applet command");
    };
  }

  // ---- AUTH0, AUTH1 (§11.2–11.5) ----

  private ResponseApdu auth0(CommandApdu command) {
    requireP1P2(command, (DkProfile.AUTH0_P1 << 8) | DkProfile.AUTH0_P2);
    requireState(AppletState.SELECTED_A);
    Auth0Command auth0;
    try {
      auth0 = Auth0Command.parse(command, settings.appletVersions());
    } catch (CccException e) {
      throw refuse(StatusWord.INCORRECT_DATA, e.getMessage(), e);
    }
    DigitalKey found =
        store
            .find(auth0.vehicleIdentifier())
            .orElseThrow(
                () ->
                    refuse(
                        StatusWord.REFERENCED_DATA,
                        "no DK for vehicle " + Hex.encode(auth0.vehicleIdentifier())));
    // §18.2: test mode answers the phase-3 key while the DK is CREATED, the phase-4 key after.
    String drawName =
        Draws.Names.DEVICE_EPHEMERAL
            + (found.state() == DkState.CREATED
                ? TestModeDraws.WHILE_CREATED
                : TestModeDraws.WHILE_ACTIVE);
    ephemeral = EcKeyPair.fromPrivate(draws.scalar(drawName));
    Auth0Response response = new Auth0Response(ephemeral.publicBytes());
    context = TransactionContext.of(auth0, response, settings.appletVersions());
    key = found;
    state = AppletState.AUTH0_DONE;
    return response.toResponseApdu();
  }

  private ResponseApdu auth1(CommandApdu command) {
    requireP1P2(command, P1P2_NONE);
    requireState(AppletState.AUTH0_DONE);
    Auth1Command auth1;
    try {
      auth1 = Auth1Command.parse(command);
    } catch (CccException e) {
      throw refuse(StatusWord.INCORRECT_DATA, e.getMessage(), e);
    }
    try {
      auth1.verify(context, key.vehiclePublicKey());
    } catch (CccException e) {
      if (!settings.has(DeviceQuirk.ACCEPT_BAD_VEHICLE_SIGNATURE)) {
        throw refuse(StatusWord.REFERENCED_DATA, e.getMessage(), e);
      }
    }
    TransactionKeys keys = TransactionKeys.deriveByDevice(context, ephemeral);
    channel =
        SecureChannel.open(
            ChannelKind.APPLET, new SessionKeys(keys.kenc(), keys.kmac(), keys.krmac()));
    kpersistent = keys.kpersistent();
    byte[] plaintext =
        Auth1ResponsePlaintext.create(
                context, key.endpointKey(), keySlotToSend(key), sigBmpToSend(key))
            .encode();
    if (settings.has(DeviceQuirk.BAD_ENDPOINT_SIGNATURE)) {
      // Quirk: flip one bit of s; (r, s') no longer verifies (§11.6 step 3 must catch it).
      plaintext[2 + 63] ^= 0x01;
    }
    state = AppletState.SECURE_A;
    // §11.5: the first protected response of the channel, c = 00 and MCV = 16 zero bytes.
    ResponseApdu answer = channel.protectResponse(plaintext, StatusWord.SUCCESS);
    return settings.has(DeviceQuirk.BAD_APPLET_RMAC)
        ? FrameworkApplication.withBrokenMac(answer)
        : answer;
  }

  private int sigBmpToSend(DigitalKey key) {
    return settings.has(DeviceQuirk.NEVER_SET_SIGBMP)
        ? key.sigBmp() & ~(1 << DkProfile.SIGBMP_RECEIPT)
        : key.sigBmp();
  }

  private byte[] keySlotToSend(DigitalKey key) {
    byte[] slot = key.initialKeySlot();
    if (settings.has(DeviceQuirk.WRONG_KEY_SLOT)) {
      slot[slot.length - 1] ^= 0x01;
    }
    return slot;
  }

  // ---- EXCHANGE and GET RESPONSE (§11.7, §6.5) ----

  private ResponseApdu exchange(CommandApdu command) {
    requireP1P2(command, P1P2_NONE);
    requireState(AppletState.SECURE_A);
    byte[] plaintext = unprotect(command);
    ExchangeOperation operation;
    try {
      operation = ExchangeOperation.parse(plaintext, key.mailboxSizes());
    } catch (CccException e) {
      throw refuse(StatusWord.INCORRECT_DATA, e.getMessage(), e);
    }
    if (operation instanceof ExchangeOperation.ReadMailbox read) {
      byte[] mailbox = key.mailbox(read.mailboxId());
      chain =
          ResponseChain.of(
              Arrays.copyOfRange(mailbox, read.offset(), read.offset() + read.length()));
      return nextPiece();
    }
    if (operation instanceof ExchangeOperation.WriteMailbox write) {
      byte[] data = write.data();
      System.arraycopy(data, 0, key.mailbox(write.mailboxId()), write.offset(), data.length);
      return channel.protectResponse(new byte[0], StatusWord.SUCCESS);
    }
    byte[] receipt =
        key.receipt()
            .orElseThrow(() -> refuse(StatusWord.REFERENCED_DATA, "no key-tracking receipt"));
    chain = ResponseChain.ofReceipt(receipt);
    return nextPiece();
  }

  private ResponseApdu getResponse(CommandApdu command) {
    requireP1P2(command, P1P2_NONE);
    if (state != AppletState.SECURE_A || chain == null) {
      throw refuse(StatusWord.CONDITIONS_NOT_SATISFIED, "GET RESPONSE without a pending chain");
    }
    if (unprotect(command).length != 0) {
      throw refuse(StatusWord.INCORRECT_DATA, "GET RESPONSE carries data");
    }
    return nextPiece();
  }

  private ResponseApdu nextPiece() {
    ResponseChain.Piece piece = chain.next();
    if (!chain.hasMore()) {
      // §12.1: bit 0 is cleared only when the last piece of the receipt was answered 9000.
      receiptDelivered |= chain.carriesReceipt();
      chain = null;
    }
    return channel.protectResponse(piece.plaintext(), piece.sw());
  }

  // ---- CONTROL FLOW (§11.8) ----

  private ResponseApdu controlFlow(CommandApdu command) {
    int p1 = command.p1();
    if (p1 == DkProfile.CONTROL_FLOW_SUCCESS) {
      if (state == AppletState.SECURE_A) {
        finishSuccessfully();
      }
    } else if (p1 == DkProfile.CONTROL_FLOW_FAILURE) {
      lastAbort = OptionalInt.of(command.p2());
    } else if (p1 == DkProfile.CONTROL_FLOW_APPLICATION) {
      lastApplicationCode = OptionalInt.of(command.p2());
    } else {
      throw refuse(StatusWord.WRONG_P1P2, "CONTROL FLOW P1 " + Hex.u8(p1) + " not 00, 01, 40");
    }
    dropTransaction();
    state = AppletState.SELECTED_A;
    return success(new byte[0]);
  }

  /** §3.6, §11.8, §12.1: ACTIVE, new Kpersistent, SigBmp bit 0 cleared after a full receipt. */
  private void finishSuccessfully() {
    boolean first = key.activate(kpersistent);
    if (receiptDelivered) {
      key.clearReceiptBit();
    }
    if (first) {
      onFirstActivation.accept(key);
    }
  }

  // ---- shared checks ----

  private byte[] unprotect(CommandApdu command) {
    try {
      return settings.has(DeviceQuirk.ACCEPT_BAD_MAC)
          ? channel.unprotectCommandIgnoringMac(command)
          : channel.unprotectCommand(command);
    } catch (CccException e) {
      throw refuse(StatusWord.SECURITY_STATUS, e.getMessage(), e);
    }
  }

  private void requireState(AppletState allowed) {
    if (state != allowed) {
      throw refuse(StatusWord.CONDITIONS_NOT_SATISFIED, "not allowed in " + state);
    }
  }

  private static void requireP1P2(CommandApdu command, int expected) {
    if (command.p1p2() != expected) {
      throw refuse(StatusWord.WRONG_P1P2, "P1 P2 " + Hex.u16(command.p1p2()));
    }
  }

  private void dropTransaction() {
    if (channel != null) {
      channel.close();
    }
    channel = null;
    key = null;
    ephemeral = null;
    context = null;
    kpersistent = null;
    chain = null;
    receiptDelivered = false;
  }

  private static ResponseApdu success(byte[] data) {
    return ResponseApdu.of(data, StatusWord.SUCCESS);
  }

  private static StatusWordException refuse(int sw, String reason) {
    return new StatusWordException(sw, reason);
  }

  private static StatusWordException refuse(int sw, String reason, Throwable cause) {
    return new StatusWordException(sw, reason, cause);
  }

  @Override
  public String toString() {
    return "Applet[" + state + (channel == null ? "" : ", " + channel) + "]";
  }
}
