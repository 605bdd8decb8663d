package dev.dkrig.device;

import dev.dkrig.ccc.CccException;
import dev.dkrig.ccc.DkProfile;
import dev.dkrig.ccc.EcKeyPair;
import dev.dkrig.ccc.Ins;
import dev.dkrig.ccc.P256;
import dev.dkrig.ccc.StatusWord;
import dev.dkrig.ccc.attestation.VehicleAttestation;
import dev.dkrig.ccc.fw.KeyCreationStatus;
import dev.dkrig.ccc.fw.SelectFrameworkResponse;
import dev.dkrig.ccc.fw.Spake2Messages;
import dev.dkrig.ccc.fw.Spake2Request;
import dev.dkrig.ccc.kcd.EndpointCreationData;
import dev.dkrig.ccc.kcd.KeyCreationStream;
import dev.dkrig.ccc.pki.CccCertificate;
import dev.dkrig.ccc.pki.CccCertificateBuilder;
import dev.dkrig.ccc.pki.VehicleCertificateCheck;
import dev.dkrig.ccc.sm.ChannelKind;
import dev.dkrig.ccc.sm.SecureChannel;
import dev.dkrig.ccc.spake2.DeviceSpake2;
import dev.dkrig.ccc.spake2.ProverSecrets;
import dev.dkrig.ccc.spake2.ScryptParameters;
import dev.dkrig.ccc.spake2.SystemKeys;
import dev.dkrig.iso7816.Bytes;
import dev.dkrig.iso7816.CommandApdu;
import dev.dkrig.iso7816.Hex;
import dev.dkrig.iso7816.ResponseApdu;
import dev.dkrig.random.Draws;
import dev.dkrig.time.RigClock;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.bouncycastle.math.ec.ECPoint;

/**
 * The DK Framework on the virtual device: owner pairing session 1 exactly as the state machine of
 * §3.6 says, with the clarifications of §18. "Reset" drops keys, counter, MCV, partial stream,
 * pending chain and any uncommitted DK and goes to {@code SELECTED}; it follows every status word
 * other than {@code 9000}/{@code 61XX}.
 */
final class FrameworkApplication implements CardApplication {
  private static final Map<Integer, Integer> CLA_BY_INS =
      Map.of(
          Ins.SPAKE2_REQUEST, Ins.CLA_PROPRIETARY,
          Ins.SPAKE2_VERIFY, Ins.CLA_PROPRIETARY,
          Ins.WRITE_DATA, Ins.CLA_SECURE,
          Ins.GET_DATA, Ins.CLA_SECURE,
          Ins.GET_RESPONSE, Ins.CLA_SECURE,
          Ins.CONTROL_FLOW, Ins.CLA_PROPRIETARY);

  private static final int P1P2_NONE = 0x0000;

  /** §3.3.1: {@code D4 = 00}, no pairing password (not ready). */
  private static final int NOT_READY = 0x00;

  private static final int WRITE_DATA_MORE = 0x00;
  private static final int WRITE_DATA_LAST = 0x80;

  /** A version no vehicle of this profile lists (§16): what the NO_COMMON_* quirks offer. */
  private static final List<Integer> FOREIGN_VERSIONS = List.of(0x0200);

  /** {@code 5F5F 00}: a transaction-2 stream without 5F5A (§7.7, §18.8). */
  private static final byte[] END_OF_STREAM = {0x5F, 0x5F, 0x00};

  private final DeviceSettings settings;
  private final Draws draws;
  private final RigClock clock;
  private final DkStore store;

  private FrameworkState state = FrameworkState.IDLE;
  private DeviceSpake2 spake2;
  private byte[] aad;
  private int agreedAppletVersion;
  private SystemKeys systemKeys;
  private SecureChannel channel;
  private final ByteArrayOutputStream stream = new ByteArrayOutputStream();
  private KeyCreationStream creationData;
  private CccCertificate vehicleCertificate;
  private ECPoint vehiclePublicKey;
  private DigitalKey uncommitted;
  private ResponseChain chain;
  private OptionalInt lastAbort = OptionalInt.empty();
  private int lastGetDataTag = -1;
  private int lastWritePiece = -1;

  FrameworkApplication(DeviceSettings settings, Draws draws, RigClock clock, DkStore store) {
    this.settings = settings;
    this.draws = draws;
    this.clock = clock;
    this.store = store;
  }

  FrameworkState state() {
    return state;
  }

  OptionalInt lastAbort() {
    return lastAbort;
  }

  /** The tag of the last GET DATA whose plaintext was read (§8.2); -1 if it was refused first. */
  int lastGetDataTag() {
    return lastGetDataTag;
  }

  /** The plaintext length of the last WRITE DATA piece the device unwrapped; -1 if none was. */
  int lastWritePiece() {
    return lastWritePiece;
  }

  /** SELECT framework (§3.6): from {@code AWAIT_TX2} to {@code TX2} keeping keys, else Reset. */
  ResponseApdu select() {
    if (state == FrameworkState.AWAIT_TX2) {
      state = FrameworkState.TX2;
      stream.reset();
    } else {
      reset();
    }
    int readiness = settings.hasPassword() ? SelectFrameworkResponse.READY : NOT_READY;
    List<Integer> spake2Offered =
        settings.has(DeviceQuirk.NO_COMMON_SPAKE2_VERSION)
            ? FOREIGN_VERSIONS
            : settings.spake2Versions();
    List<Integer> appletOffered =
        settings.has(DeviceQuirk.NO_COMMON_APPLET_VERSION)
            ? FOREIGN_VERSIONS
            : settings.appletVersions();
    return success(new SelectFrameworkResponse(spake2Offered, appletOffered, readiness).encode());
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
    if (!settings.has(DeviceQuirk.KEEP_KEYS_AFTER_ERROR)) {
      reset();
    }
  }

  /** §3.6: in {@code AWAIT_TX2} everything is kept for transaction 2; else Reset to IDLE. */
  @Override
  public void deactivate() {
    if (state != FrameworkState.AWAIT_TX2) {
      reset();
      state = FrameworkState.IDLE;
    }
  }

  @Override
  public ResponseApdu process(CommandApdu command) {
    return switch (command.ins()) {
      case Ins.SPAKE2_REQUEST -> request(command);
      case Ins.SPAKE2_VERIFY -> verify(command);
      case Ins.WRITE_DATA -> writeData(command);
      case Ins.GET_DATA -> getData(command);
      case Ins.GET_RESPONSE -> getResponse(command);
      case Ins.CONTROL_FLOW -> opControlFlow(command);
      default -> throw refuse(StatusWord.INS_NOT_SUPPORTED, "not a framework command");
    };
  }

  // ---- SPAKE2+ (§5, device role) ----

  private ResponseApdu request(CommandApdu command) {
    requireP1P2(command, P1P2_NONE);
    reset();
    if (!settings.hasPassword()) {
      throw refuse(StatusWord.NOT_READY, "no pairing password");
    }
    Spake2Request request;
    try {
      request = Spake2Request.parse(command.data());
    } catch (CccException e) {
      // §18.1: every data error of REQUEST is 6A88, malformed TLVs included.
      throw refuse(StatusWord.REFERENCED_DATA, e.getMessage(), e);
    }
    boolean anyVersion = settings.has(DeviceQuirk.ACCEPT_UNSUPPORTED_VERSION);
    if (!anyVersion && !settings.spake2Versions().contains(request.spake2Version())) {
      throw refuse(
          StatusWord.REFERENCED_DATA,
          "5B " + Hex.u16(request.spake2Version()) + " is not in the device's 5A list (§4)");
    }
    if (!anyVersion && !settings.appletVersions().contains(request.agreedAppletVersion())) {
      throw refuse(
          StatusWord.REFERENCED_DATA,
          "first 5C entry "
              + Hex.u16(request.agreedAppletVersion())
              + " is not in the device's 5C list (§4)");
    }
    ScryptParameters scrypt = request.scrypt();
    if (scrypt.memoryBytes() > DkProfile.SCRYPT_MAX_MEMORY) {
      if (!settings.has(DeviceQuirk.IGNORE_SCRYPT_LIMIT)) {
        throw refuse(
            StatusWord.REFERENCED_DATA,
            "scrypt memory 128·r·N·(p+2) exceeds 512 MiB (§18.11): " + scrypt);
      }
      // Quirk: no limit check; the simulator computes at the test cost instead of running out of
      // memory, which still answers 9000 as such a device would.
      scrypt =
          new ScryptParameters(
              scrypt.salt(),
              DkProfile.SCRYPT_TEST_N,
              DkProfile.SCRYPT_DEFAULT_R,
              DkProfile.SCRYPT_DEFAULT_P);
    }
    ProverSecrets secrets;
    try {
      secrets = ProverSecrets.derive(settings.password(), scrypt);
    } catch (IllegalArgumentException e) {
      // scrypt itself refuses some §5.1-valid sets (RFC 7914: N < 2^(128·r/8)).
      throw refuse(StatusWord.REFERENCED_DATA, "scrypt parameters refused: " + e.getMessage(), e);
    }
    spake2 = DeviceSpake2.withScalar(secrets, draws.scalar(Draws.Names.SPAKE2_X));
    aad = request.aad();
    agreedAppletVersion = request.agreedAppletVersion();
    state = FrameworkState.REQUESTED;
    return success(Spake2Messages.requestResponse(spake2.share()));
  }

  private ResponseApdu verify(CommandApdu command) {
    requireP1P2(command, P1P2_NONE);
    requireState(FrameworkState.REQUESTED);
    if (spake2 == null) {
      // Only reachable with IGNORE_ORDER: VERIFY without a REQUEST fails on its data.
      throw refuse(StatusWord.REFERENCED_DATA, "no SPAKE2+ REQUEST to verify against");
    }
    byte[] m2;
    try {
      byte[][] yAndM1 = Spake2Messages.parseVerify(command.data());
      m2 = spake2.respond(yAndM1[0], yAndM1[1], aad);
    } catch (CccException e) {
      if (settings.has(DeviceQuirk.ACCEPT_BAD_EVIDENCE)
          && e.failure() != CccException.Failure.MALFORMED) {
        // Quirk: a bad Y or M1 passes; with nothing to derive keys from, the device sits in
        // SECURE without keys and answers an M2 of zeros.
        spake2 = null;
        state = FrameworkState.SECURE;
        return success(Spake2Messages.verifyResponse(new byte[16]));
      }
      // §18.1, §5.3, §5.4: malformed data, an invalid Y and a wrong M1 are all 6A88.
      throw refuse(StatusWord.REFERENCED_DATA, e.getMessage(), e);
    }
    systemKeys = spake2.systemKeys();
    spake2 = null;
    channel = SecureChannel.open(ChannelKind.FRAMEWORK, systemKeys.frameworkKeys());
    state = FrameworkState.SECURE;
    if (settings.has(DeviceQuirk.WRONG_M2)) {
      // Quirk: the keys are right, the evidence is not; the vehicle must abort 12 09 (§5.4).
      m2[m2.length - 1] ^= 0x01;
    }
    return success(Spake2Messages.verifyResponse(m2));
  }

  // ---- WRITE DATA streams (§7.6, §7.7) ----

  private ResponseApdu writeData(CommandApdu command) {
    if ((command.p1() != WRITE_DATA_MORE && command.p1() != WRITE_DATA_LAST)
        || command.p2() != 0x00) {
      throw refuse(StatusWord.WRONG_P1P2, "WRITE DATA P1 must be 00 or 80 and P2 00");
    }
    requireState(FrameworkState.SECURE, FrameworkState.TX2);
    boolean firstOfStream = state == FrameworkState.SECURE && stream.size() == 0;
    lastWritePiece = -1;
    byte[] piece = unprotect(command);
    lastWritePiece = piece.length;
    // §18.22: the piece that would make the stream outgrow the capacity is refused whole
    // (nothing appended); refuse() drops the session as any error does (§3.5).
    int wouldHold = stream.size() + piece.length;
    if (wouldHold > settings.streamCapacity()
        && !settings.has(DeviceQuirk.ACCEPT_OVERSIZE_STREAM)) {
      throw refuse(
          StatusWord.NOT_ENOUGH_MEMORY,
          "stream of "
              + wouldHold
              + " bytes exceeds the capacity of "
              + settings.streamCapacity()
              + " bytes (§18.22)");
    }
    stream.writeBytes(piece);
    if (command.p1() == WRITE_DATA_LAST) {
      byte[] complete = stream.toByteArray();
      stream.reset();
      if (state == FrameworkState.TX2) {
        acceptAttestation(complete);
        state = FrameworkState.ATTESTED;
      } else {
        acceptCreationData(complete);
        state = FrameworkState.DATA_DONE;
      }
    }
    ResponseApdu answer = channel.protectResponse(new byte[0], StatusWord.SUCCESS);
    return firstOfStream && settings.has(DeviceQuirk.BAD_FRAMEWORK_RMAC)
        ? withBrokenMac(answer)
        : answer;
  }

  /** §7.7 transaction 1: structure, agreed version, K under the trust anchor and bound to 7F4A. */
  private void acceptCreationData(byte[] complete) {
    try {
      KeyCreationStream parsed = KeyCreationStream.parse(complete);
      if (parsed.creation().protocolVersion() != agreedAppletVersion) {
        throw CccException.malformed(
            "7F4A 5C "
                + Hex.u16(parsed.creation().protocolVersion())
                + " is not the agreed applet version "
                + Hex.u16(agreedAppletVersion));
      }
      CccCertificate k =
          new VehicleCertificateCheck(settings.vehicleOemCa(), settings.checkCertificateValidity())
              .verify(
                  parsed.vehicleCertificate(),
                  parsed.intermediateCertificate(),
                  parsed.creation(),
                  clock.now());
      vehiclePublicKey = P256.decodePoint(k.publicKey());
      vehicleCertificate = k;
      creationData = parsed;
    } catch (CccException e) {
      throw refuse(StatusWord.INCORRECT_DATA, "creation data: " + e.getMessage(), e);
    }
  }

  /**
   * §7.7 transaction 2 with §18.8: {@code 5F5A ‖ 5F5F 00}, 5F5A mandatory. The device checks the
   * attestation's layout only; its signature is the simulated KTS's business (§9).
   */
  private void acceptAttestation(byte[] complete) {
    if (settings.has(DeviceQuirk.ACCEPT_MISSING_ATTESTATION)
        && Arrays.equals(complete, END_OF_STREAM)) {
      return;
    }
    try {
      byte[] attestation = KeyCreationStream.parseAttestationStream(complete);
      VehicleAttestation.parse(attestation);
      uncommitted.attest(attestation);
    } catch (CccException e) {
      throw refuse(StatusWord.INCORRECT_DATA, "attestation stream: " + e.getMessage(), e);
    }
  }

  // ---- OP CONTROL FLOW (§10.1) ----

  private ResponseApdu opControlFlow(CommandApdu command) {
    int p1p2 = command.p1p2();
    if (command.p1() == DkProfile.OP_FLOW_ABORT_P1) {
      lastAbort = OptionalInt.of(command.p2());
      if (!settings.has(DeviceQuirk.KEEP_KEYS_AFTER_ERROR)) {
        reset();
      }
      return success(new byte[0]);
    }
    if (DkProfile.OP_FLOW_ACCEPTED_UNUSED.contains(p1p2)) {
      return success(new byte[0]);
    }
    if (p1p2 == DkProfile.OP_FLOW_CREATE) {
      if (state == FrameworkState.SECURE) {
        throw refuse(StatusWord.INCORRECT_DATA, "10 01 before the WRITE DATA with P1 = 80");
      }
      requireState(FrameworkState.DATA_DONE);
      if (creationData == null) {
        // Only reachable with IGNORE_ORDER: nothing to create a key from.
        throw refuse(StatusWord.INCORRECT_DATA, "10 01 without creation data");
      }
      createKey();
      state = FrameworkState.AWAIT_TX2;
      return success(new byte[0]);
    }
    if (p1p2 == DkProfile.OP_FLOW_END) {
      requireState(FrameworkState.ATTESTED);
      if (uncommitted == null) {
        // Only reachable with IGNORE_ORDER: nothing to commit.
        throw refuse(StatusWord.CONDITIONS_NOT_SATISFIED, "11 11 without a key");
      }
      DigitalKey committed = uncommitted;
      uncommitted = null;
      store.commit(committed);
      reset();
      return success(new byte[0]);
    }
    throw refuse(StatusWord.WRONG_P1P2, "OP CONTROL FLOW " + Hex.u16(p1p2) + " is not in §10.1");
  }

  /** What H's .5.4 extension certifies: 7F4A as received, unless a quirk falsifies it. */
  private EndpointCreationData certifiedCreationData() {
    EndpointCreationData c = creationData.creation();
    if (!settings.has(DeviceQuirk.WRONG_VEHICLE_ID_IN_CERTIFICATE)) {
      return c;
    }
    byte[] otherVehicle = c.vehicleIdentifier();
    otherVehicle[otherVehicle.length - 1] ^= 0x01;
    return new EndpointCreationData(
        otherVehicle,
        c.optionGroup1(),
        c.optionGroup2(),
        c.protocolVersion(),
        c.vehiclePublicKey(),
        c.initialKeySlot(),
        c.authorizedPublicKeys(),
        c.confidentialMailboxSize(),
        c.privateMailboxSize(),
        c.accountInfoHash());
  }

  /** §8.1: endpoint key, DK identifier, H signed by the Instance CA, uncommitted record. */
  private void createKey() {
    EcKeyPair endpoint = EcKeyPair.fromPrivate(draws.scalar(Draws.Names.ENDPOINT_KEY));
    Instant created = clock.now();
    CccCertificate h =
        CccCertificateBuilder.endpoint(
                settings.instanceCaCertificate(),
                endpoint.publicBytes(),
                certifiedCreationData(),
                created)
            .sign(settings.instanceCaKey());
    uncommitted =
        new DigitalKey(
            creationData,
            vehicleCertificate,
            vehiclePublicKey,
            endpoint,
            h,
            systemKeys,
            created.plus(settings.keyCreationDelay()));
  }

  // ---- GET DATA and GET RESPONSE (§8.2, §6.5) ----

  private ResponseApdu getData(CommandApdu command) {
    lastGetDataTag = -1;
    requireP1P2(command, P1P2_NONE);
    requireState(FrameworkState.TX2);
    byte[] plaintext = unprotect(command);
    if (plaintext.length != 2) {
      throw refuse(
          StatusWord.REFERENCED_DATA,
          "GET DATA plaintext is " + plaintext.length + " bytes, not one 2-byte tag");
    }
    int tag = Bytes.u16(plaintext, 0);
    lastGetDataTag = tag;
    byte[] value =
        switch (tag) {
          case DkProfile.TAG_KEY_CREATION_STATUS -> keyCreationStatus().encode();
          case DkProfile.TAG_ENDPOINT_CERT -> endpointCertificate();
          case DkProfile.TAG_INSTANCE_CA_CERT -> settings.instanceCaCertificate().encoded();
          case DkProfile.TAG_DEVICE_OEM_CA_CERT -> settings.deviceOemCaCertificate().encoded();
          default -> throw refuse(StatusWord.REFERENCED_DATA, "unknown tag " + Hex.u16(tag));
        };
    chain = ResponseChain.of(value);
    return nextPiece();
  }

  private KeyCreationStatus keyCreationStatus() {
    requireKey();
    if (uncommitted.isReady(clock.now())) {
      return KeyCreationStatus.created(uncommitted.dkIdentifier().value());
    }
    return new KeyCreationStatus(KeyCreationStatus.IN_PROGRESS, Optional.empty());
  }

  private byte[] endpointCertificate() {
    requireKey();
    if (!uncommitted.isReady(clock.now())) {
      throw refuse(StatusWord.CONDITIONS_NOT_SATISFIED, "7F20 before key creation finished");
    }
    byte[] h = uncommitted.endpointCertificate().encoded();
    if (settings.has(DeviceQuirk.UNVERIFIABLE_CHAIN)) {
      // Quirk: the last byte of H's DER is the last byte of the signature's s, so the DER stays
      // well formed and only E's signature over H fails (§8.5).
      h[h.length - 1] ^= 0x01;
    }
    return h;
  }

  /** Whether the device is inside transaction 1's creation stream (at least one piece taken). */
  boolean midCreationStream() {
    return state == FrameworkState.SECURE && stream.size() > 0;
  }

  private ResponseApdu getResponse(CommandApdu command) {
    requireP1P2(command, P1P2_NONE);
    if (chain == null && settings.has(DeviceQuirk.IGNORE_ORDER)) {
      // Quirk: no pending chain, yet an empty success.
      unprotect(command);
      return channel.protectResponse(new byte[0], StatusWord.SUCCESS);
    }
    if (state != FrameworkState.TX2 || chain == null) {
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
      chain = null;
    }
    return channel.protectResponse(piece.plaintext(), piece.sw());
  }

  // ---- shared checks ----

  private byte[] unprotect(CommandApdu command) {
    try {
      return settings.has(DeviceQuirk.ACCEPT_BAD_MAC)
          ? channel.unprotectCommandIgnoringMac(command)
          : channel.unprotectCommand(command);
    } catch (CccException e) {
      // §6.1, §18.10: a bad C-MAC, length or padding, or a counter past FF.
      throw refuse(StatusWord.SECURITY_STATUS, e.getMessage(), e);
    }
  }

  /** Only reachable with IGNORE_ORDER: GET DATA about a key that does not exist. */
  private void requireKey() {
    if (uncommitted == null) {
      throw refuse(StatusWord.CONDITIONS_NOT_SATISFIED, "no key creation in progress");
    }
  }

  private void requireState(FrameworkState... allowed) {
    if (settings.has(DeviceQuirk.IGNORE_ORDER)) {
      return;
    }
    if (!Arrays.asList(allowed).contains(state)) {
      throw refuse(StatusWord.CONDITIONS_NOT_SATISFIED, "not allowed in " + state);
    }
  }

  private static void requireP1P2(CommandApdu command, int expected) {
    if (command.p1p2() != expected) {
      throw refuse(StatusWord.WRONG_P1P2, "P1 P2 " + Hex.u16(command.p1p2()));
    }
  }

  private void reset() {
    if (channel != null) {
      channel.close();
    }
    channel = null;
    spake2 = null;
    aad = null;
    systemKeys = null;
    stream.reset();
    creationData = null;
    vehicleCertificate = null;
    vehiclePublicKey = null;
    uncommitted = null;
    chain = null;
    state = FrameworkState.SELECTED;
  }

  /** The same answer with the last byte of its R-MAC flipped (§6.1: the vehicle must refuse). */
  static ResponseApdu withBrokenMac(ResponseApdu answer) {
    byte[] data = answer.data();
    data[data.length - 1] ^= 0x01;
    return ResponseApdu.of(data, answer.sw());
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
    return "Framework[" + state + (channel == null ? "" : ", " + channel) + "]";
  }
}
