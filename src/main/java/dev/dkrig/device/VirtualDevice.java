package dev.dkrig.device;

import dev.dkrig.ccc.CccException;
import dev.dkrig.ccc.DkProfile;
import dev.dkrig.ccc.Ins;
import dev.dkrig.ccc.StatusWord;
import dev.dkrig.ccc.pki.DkIdentifier;
import dev.dkrig.iso7816.Bytes;
import dev.dkrig.iso7816.CommandApdu;
import dev.dkrig.iso7816.ContactlessCard;
import dev.dkrig.iso7816.Hex;
import dev.dkrig.iso7816.Iso7816Exception;
import dev.dkrig.iso7816.ResponseApdu;
import dev.dkrig.random.Draws;
import dev.dkrig.time.RigClock;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulated phone / CCC test card: the DK Framework and the DK applet behind one contactless
 * interface, with their state machines (§3.6), the status words and check order of §18.10, a store
 * of committed Digital Keys and a simulated Key Tracking Server (§12).
 *
 * <p>Every command is checked in the order of §18.10: length ({@code 6700}) → CLA ({@code 6E00}) →
 * INS ({@code 6D00}) → CLA {@code 84} without session keys ({@code 6985}) → P1/P2 ({@code 6B00}) →
 * state ({@code 6985}) → MAC ({@code 6982}) → content ({@code 6A80}/{@code 6A88}). Any status word
 * other than {@code 9000}/{@code 61XX} also resets the selected application.
 *
 * <p>The device shares no state with the vehicle: it learns everything from APDU bytes. It never
 * throws from {@link #process}; while it is not activated it stays silent, as a card out of the
 * field does.
 */
public final class VirtualDevice implements ContactlessCard {
  private static final Logger LOG = LoggerFactory.getLogger(VirtualDevice.class);
  private static final Set<Integer> KNOWN_CLASSES =
      Set.of(Ins.CLA_ISO, Ins.CLA_PROPRIETARY, Ins.CLA_SECURE);
  private static final int SELECT_BY_AID = 0x0400;

  /**
   * How late {@link DeviceQuirk#SLOWER_THAN_T_APDU} answers by default: the §13 default T_Apdu, its
   * tolerance (10 % or 100 ms) and a margin of one second.
   */
  public static final Duration DEFAULT_SLOW_ANSWER = DkProfile.T_APDU.plusMillis(1500);

  private enum Selection {
    NONE,
    FRAMEWORK,
    APPLET
  }

  private final DkStore store = new DkStore();
  private final SimulatedKts kts;
  private final FrameworkApplication framework;
  private final AppletApplication applet;
  private final boolean offerAppletWithoutKey;
  private final DeviceSettings settings;
  private final RigClock deviceClock;
  private Duration slowAnswer = DEFAULT_SLOW_ANSWER;

  /** How long the last answer was held back on purpose ({@link DeviceQuirk#SLOWER_THAN_T_APDU}). */
  private Duration heldBack = Duration.ZERO;

  private Selection selection = Selection.NONE;
  private boolean active;
  private int unexpectedFailures;

  /** Quirks that act once per device: which of them have acted. */
  private final Set<DeviceQuirk> spent = EnumSet.noneOf(DeviceQuirk.class);

  private boolean outOfField;

  /**
   * @param settings what the device is made of
   * @param draws the device's and its KTS's random draws (test mode: T1 values, §18.2)
   * @param deviceClock the device clock: certificate validity, H's notBefore, key-creation delay
   * @param ktsClock the simulated KTS's clock: T_KtsDelay and the receipt's issue time
   */
  public VirtualDevice(
      DeviceSettings settings, Draws draws, RigClock deviceClock, RigClock ktsClock) {
    this.kts = new SimulatedKts(settings, draws, ktsClock);
    this.framework = new FrameworkApplication(settings, draws, deviceClock, store);
    this.applet = new AppletApplication(settings, draws, store, this::requestKeyTracking);
    this.offerAppletWithoutKey = settings.has(DeviceQuirk.OFFER_APPLET_WITHOUT_KEY);
    this.settings = settings;
    this.deviceClock = deviceClock;
  }

  /**
   * How late the device answers with {@link DeviceQuirk#SLOWER_THAN_T_APDU}: longer than the
   * vehicle's T_Apdu and its tolerance (default {@link #DEFAULT_SLOW_ANSWER}). It waits on the
   * device clock, so a virtual clock makes the wait free.
   */
  public synchronized void slowAnswer(Duration delay) {
    if (delay.isNegative()) {
      throw new IllegalArgumentException("slow answer delay is negative: " + delay);
    }
    slowAnswer = delay;
  }

  /**
   * Whether the device has left the field by itself ({@link DeviceQuirk#LEAVE_FIELD_MID_STREAM}):
   * it stays silent until its host brings it back with {@link #activate()}. The host (an in-process
   * reader, a vpcd server, a PN532 target) takes the phone off the reader when it sees this, as a
   * hand would.
   */
  public synchronized boolean hasLeftField() {
    return outOfField;
  }

  @Override
  public synchronized void activate() {
    deliverReceipts();
    deselect();
    active = true;
    outOfField = false;
  }

  /** §3.6: the framework keeps {@code AWAIT_TX2}; everything else returns to IDLE. */
  @Override
  public synchronized void deactivate() {
    deliverReceipts();
    deselect();
    active = false;
  }

  @Override
  public synchronized byte[] process(byte[] command) {
    heldBack = Duration.ZERO;
    if (!active) {
      LOG.debug("virtual device not activated: no answer to {}", describe(command));
      return null;
    }
    if (leavesFieldAt(command)) {
      // §18.18 from the phone's side: gone before answering; the framework resets as on any
      // deactivation outside AWAIT_TX2 (§3.6).
      LOG.info("virtual device leaves the field (quirk leave-field-mid-stream)");
      deselect();
      active = false;
      outOfField = true;
      return null;
    }
    answerLateIfSlow(command);
    try {
      deliverReceipts();
      return handle(command).bytes();
    } catch (RuntimeException e) {
      // Not expected: every refusal is a StatusWordException. 6985 is the closest contract word
      // (§3.5: the command is not allowed now); the selected application resets as after any
      // error status word.
      unexpectedFailures++;
      LOG.error("virtual device: unexpected failure on {}; answering 6985", describe(command), e);
      try {
        resetSelectedAfterError();
      } catch (RuntimeException again) {
        LOG.error("virtual device: reset after the failure failed too; deselecting", again);
        selection = Selection.NONE;
      }
      return Bytes.u16(StatusWord.CONDITIONS_NOT_SATISFIED);
    }
  }

  // ---- quirks that act on the device as a whole ----

  /** Once: the second WRITE DATA of transaction 1, or its only (P1 = 80) piece. */
  private boolean leavesFieldAt(byte[] command) {
    if (!settings.has(DeviceQuirk.LEAVE_FIELD_MID_STREAM)
        || spent.contains(DeviceQuirk.LEAVE_FIELD_MID_STREAM)
        || selection != Selection.FRAMEWORK
        || command == null
        || command.length < 4
        || (command[1] & 0xFF) != Ins.WRITE_DATA) {
      return false;
    }
    boolean lastPiece = (command[2] & 0xFF) == 0x80;
    if (!framework.midCreationStream()
        && !(lastPiece && framework.state() == FrameworkState.SECURE)) {
      return false;
    }
    spent.add(DeviceQuirk.LEAVE_FIELD_MID_STREAM);
    return true;
  }

  @Override
  public synchronized Optional<Duration> heldBack() {
    return Optional.of(heldBack);
  }

  /** Once: the first SPAKE2+ REQUEST is answered after {@link #slowAnswer}. */
  private void answerLateIfSlow(byte[] command) {
    if (!settings.has(DeviceQuirk.SLOWER_THAN_T_APDU)
        || spent.contains(DeviceQuirk.SLOWER_THAN_T_APDU)
        || command == null
        || command.length < 2
        || (command[1] & 0xFF) != Ins.SPAKE2_REQUEST) {
      return;
    }
    spent.add(DeviceQuirk.SLOWER_THAN_T_APDU);
    heldBack = slowAnswer;
    LOG.info("virtual device answers late by {} (quirk slower-than-t-apdu)", slowAnswer);
    try {
      deviceClock.sleep(slowAnswer);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ---- observability ----

  /**
   * How many commands ended in an unexpected failure, answered {@code 6985} by the safety net in
   * {@link #process}: each one is a device bug (the fuzz tests require zero).
   */
  public synchronized int unexpectedFailures() {
    return unexpectedFailures;
  }

  /** The framework's state; {@code AWAIT_TX2} survives deactivation (§3.6). */
  public synchronized FrameworkState frameworkState() {
    return framework.state();
  }

  /** The applet's state (§3.6). */
  public synchronized AppletState appletState() {
    return applet.state();
  }

  /** The committed Digital Keys (CREATED or ACTIVE), in commit order. */
  public synchronized List<DigitalKeyView> digitalKeys() {
    deliverReceipts();
    return store.views();
  }

  /** The committed DK for a vehicle identifier given as 16 hex digits. */
  public synchronized Optional<DigitalKeyView> digitalKey(String vehicleIdentifierHex) {
    deliverReceipts();
    return store.find(Hex.decode(vehicleIdentifierHex)).map(DigitalKey::view);
  }

  /** P2 of the last OP CONTROL FLOW {@code 12 xx} (§10.1). */
  public synchronized OptionalInt lastFrameworkAbort() {
    return framework.lastAbort();
  }

  /**
   * The tag the last protected GET DATA asked for (§8.2), read from its plaintext; empty when the
   * device refused it before reading the tag. The phone role judges the order of §8.2 with it.
   */
  public synchronized OptionalInt lastGetDataTag() {
    int tag = framework.lastGetDataTag();
    return tag < 0 ? OptionalInt.empty() : OptionalInt.of(tag);
  }

  /**
   * The plaintext length of the last WRITE DATA piece (§7.6), read after its C-MAC and padding were
   * checked; empty when the device refused the piece before that. The phone role judges the
   * 239-byte pieces with it.
   */
  public synchronized OptionalInt lastWritePiece() {
    int length = framework.lastWritePiece();
    return length < 0 ? OptionalInt.empty() : OptionalInt.of(length);
  }

  /** P2 of the last applet CONTROL FLOW {@code 00 xx} (§11.8). */
  public synchronized OptionalInt lastAppletAbort() {
    return applet.lastAbort();
  }

  /** P2 of the last applet CONTROL FLOW {@code 40 xx} (application specific, §11.8). */
  public synchronized OptionalInt lastAppletApplicationCode() {
    return applet.lastApplicationCode();
  }

  /** Why the simulated KTS last refused to issue a receipt, if it did. */
  public synchronized Optional<String> lastKtsRefusal() {
    return kts.lastRefusal();
  }

  @Override
  public synchronized String toString() {
    return "VirtualDevice["
        + (active ? "active" : "inactive")
        + ", selected="
        + selection
        + ", framework="
        + framework.state()
        + ", applet="
        + applet.state()
        + ", keys="
        + store
        + "]";
  }

  // ---- dispatch ----

  private ResponseApdu handle(byte[] bytes) {
    CommandApdu command;
    try {
      if (bytes == null) {
        throw CccException.malformed("no command bytes");
      }
      command = CommandApdu.parse(bytes);
    } catch (CccException | Iso7816Exception e) {
      return refused(new StatusWordException(StatusWord.WRONG_LENGTH, e.getMessage(), e));
    }
    CardApplication selected = selectedApplication();
    if (selected != null && command.ins() != Ins.GET_RESPONSE) {
      selected.discardChain();
    }
    try {
      return dispatch(command);
    } catch (StatusWordException e) {
      return refused(e);
    }
  }

  /** §18.10, up to the CLA 84 key check; the application does P1/P2, state, MAC and content. */
  private ResponseApdu dispatch(CommandApdu command) {
    if (command.ins() == Ins.CONTROL_FLOW && (command.data().length > 0 || command.hasLe())) {
      throw new StatusWordException(
          StatusWord.WRONG_LENGTH, "CONTROL FLOW is case 1: header only (§3.2, §18.10)");
    }
    if (!KNOWN_CLASSES.contains(command.cla())) {
      throw new StatusWordException(StatusWord.CLA_NOT_SUPPORTED, "CLA " + Hex.u8(command.cla()));
    }
    if (command.ins() == Ins.SELECT) {
      return select(command);
    }
    CardApplication selected = selectedApplication();
    if (selected == null) {
      throw new StatusWordException(
          StatusWord.CONDITIONS_NOT_SATISFIED, "no application selected (§18.10)");
    }
    if (!selected.supportsIns(command.ins())) {
      throw new StatusWordException(
          StatusWord.INS_NOT_SUPPORTED, "INS " + Hex.u8(command.ins()) + " for " + selection);
    }
    if (selected.claOf(command.ins()) != command.cla()) {
      throw new StatusWordException(
          StatusWord.CLA_NOT_SUPPORTED,
          "CLA " + Hex.u8(command.cla()) + " for " + Ins.name(command));
    }
    if (command.cla() == Ins.CLA_SECURE && !selected.hasSessionKeys()) {
      throw new StatusWordException(
          StatusWord.CONDITIONS_NOT_SATISFIED, "CLA 84 without session keys");
    }
    return selected.process(command);
  }

  private ResponseApdu select(CommandApdu command) {
    if (command.cla() != Ins.CLA_ISO) {
      throw new StatusWordException(
          StatusWord.CLA_NOT_SUPPORTED, "SELECT with CLA " + Hex.u8(command.cla()));
    }
    if (command.p1p2() != SELECT_BY_AID) {
      throw new StatusWordException(
          StatusWord.WRONG_P1P2, "SELECT with P1 P2 " + Hex.u16(command.p1p2()) + " (§18.10)");
    }
    byte[] aid = command.data();
    if (Arrays.equals(aid, DkProfile.FRAMEWORK_AID)
        && settings.has(DeviceQuirk.NOT_READY_FIRST_SELECT)
        && spent.add(DeviceQuirk.NOT_READY_FIRST_SELECT)) {
      deselect();
      throw new StatusWordException(
          StatusWord.NOT_FOUND, "first SELECT framework refused (quirk not-ready-first-select)");
    }
    if (Arrays.equals(aid, DkProfile.FRAMEWORK_AID)) {
      if (selection == Selection.APPLET) {
        applet.deactivate();
      }
      selection = Selection.FRAMEWORK;
      return framework.select();
    }
    // §18.4: selecting anything else while the framework is selected deactivates the framework;
    // the applet is treated alike, so at most one application is ever selected.
    deselect();
    if (!Arrays.equals(aid, DkProfile.APPLET_AID)) {
      throw new StatusWordException(StatusWord.NOT_FOUND, "unknown AID " + Hex.encode(aid));
    }
    if (store.isEmpty() && !offerAppletWithoutKey) {
      throw new StatusWordException(
          StatusWord.NOT_FOUND, "no committed DK (§18.16): the applet is not offered");
    }
    selection = Selection.APPLET;
    return applet.select();
  }

  private ResponseApdu refused(StatusWordException refusal) {
    LOG.debug("virtual device answers {}", refusal.getMessage());
    resetSelectedAfterError();
    return ResponseApdu.of(refusal.sw());
  }

  private void resetSelectedAfterError() {
    CardApplication selected = selectedApplication();
    if (selected != null) {
      selected.afterErrorStatus();
    }
  }

  private CardApplication selectedApplication() {
    return switch (selection) {
      case FRAMEWORK -> framework;
      case APPLET -> applet;
      case NONE -> null;
    };
  }

  private void deselect() {
    CardApplication selected = selectedApplication();
    if (selected != null) {
      selected.deactivate();
    }
    selection = Selection.NONE;
  }

  // ---- key tracking (P3.5, §12) ----

  private void requestKeyTracking(DigitalKey key) {
    Optional<SimulatedKts.KeyTrackingRequest> request = keyTrackingRequest(key);
    if (request.isEmpty()) {
      LOG.warn("DK {} has no 5F5A; no key-tracking request", key.dkIdentifier());
      return;
    }
    kts.submit(request.get());
    deliverReceipts();
  }

  private static Optional<SimulatedKts.KeyTrackingRequest> keyTrackingRequest(DigitalKey key) {
    return key.attestation()
        .map(
            attestation ->
                new SimulatedKts.KeyTrackingRequest(
                    key.vehicleIdentifier(),
                    key.dkIdentifier().value(),
                    key.endpointKey().publicBytes(),
                    key.vehicleCertificate().publicKey(),
                    attestation));
  }

  /**
   * The simulated KTS's check (§9) of the 5F5A stored with the newest committed DK, made now with
   * nothing issued or drawn: empty when it verifies, else why not. The phone role judges P2.7 with
   * it; the device itself stores 5F5A unparsed.
   */
  public synchronized Optional<String> newestAttestationProblem() {
    Optional<DigitalKey> newest = store.newest();
    if (newest.isEmpty()) {
      return Optional.of("no committed DK");
    }
    Optional<SimulatedKts.KeyTrackingRequest> request = keyTrackingRequest(newest.get());
    if (request.isEmpty()) {
      return Optional.of("no 5F5A stored with the DK");
    }
    try {
      SimulatedKts.check(request.get());
      return Optional.empty();
    } catch (CccException e) {
      return Optional.of(e.getMessage());
    }
  }

  /**
   * Stores every receipt the simulated KTS has issued by now (§12.1). Called on every event, as
   * time may have passed on the KTS clock; a KTS fault is logged and never reaches the reader.
   */
  private void deliverReceipts() {
    try {
      for (SimulatedKts.Issued issued : kts.deliverDue()) {
        DkIdentifier identifier = issued.dkIdentifier();
        store
            .find(identifier)
            .ifPresentOrElse(
                key -> key.storeReceipt(issued.ktsResponse()),
                () -> LOG.warn("receipt for DK {} which the device no longer holds", identifier));
      }
    } catch (RuntimeException e) {
      LOG.error("simulated KTS failed; no receipt delivered", e);
    }
  }

  private static String describe(byte[] command) {
    return command == null ? "(null)" : Hex.encode(command);
  }
}
