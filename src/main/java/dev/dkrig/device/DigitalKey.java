package dev.dkrig.device;

import dev.dkrig.ccc.DkProfile;
import dev.dkrig.ccc.EcKeyPair;
import dev.dkrig.ccc.dka.ExchangeOperation.MailboxSizes;
import dev.dkrig.ccc.kcd.EndpointCreationData;
import dev.dkrig.ccc.kcd.KeyCreationStream;
import dev.dkrig.ccc.pki.CccCertificate;
import dev.dkrig.ccc.pki.DkIdentifier;
import dev.dkrig.ccc.spake2.SystemKeys;
import dev.dkrig.iso7816.Hex;
import java.time.Instant;
import java.util.Optional;
import org.bouncycastle.math.ec.ECPoint;

/**
 * The device's record of one Digital Key (§8.1 step 4): what it learnt from the vehicle's APDUs,
 * the endpoint key it made, and what standard transactions change later (state, Kpersistent,
 * mailboxes, receipt, SigBmp). The device keeps its own copy of everything: nothing is shared with
 * the vehicle side.
 */
final class DigitalKey {
  private final KeyCreationStream creation;
  private final CccCertificate vehicleCertificate;
  private final ECPoint vehiclePublicKey;
  private final EcKeyPair endpointKey;
  private final CccCertificate endpointCertificate;
  private final DkIdentifier dkIdentifier;
  private final SystemKeys systemKeys;
  private final Instant readyAt;
  private final byte[] privateMailbox;
  private final byte[] confidentialMailbox;
  private byte[] attestation;
  private DkState state = DkState.CREATED;
  private byte[] kpersistent;
  private byte[] receipt;
  private int sigBmp;

  DigitalKey(
      KeyCreationStream creation,
      CccCertificate vehicleCertificate,
      ECPoint vehiclePublicKey,
      EcKeyPair endpointKey,
      CccCertificate endpointCertificate,
      SystemKeys systemKeys,
      Instant readyAt) {
    this.creation = creation;
    this.vehicleCertificate = vehicleCertificate;
    this.vehiclePublicKey = vehiclePublicKey;
    this.endpointKey = endpointKey;
    this.endpointCertificate = endpointCertificate;
    this.dkIdentifier = DkIdentifier.ofEndpointKey(endpointKey.publicBytes());
    this.systemKeys = systemKeys;
    this.readyAt = readyAt;
    // §11.7: mailbox sizes come from 7F4A; the initial content is all 00.
    this.privateMailbox = new byte[creation.creation().privateMailboxSize()];
    this.confidentialMailbox = new byte[creation.creation().confidentialMailboxSize()];
  }

  EndpointCreationData creationData() {
    return creation.creation();
  }

  byte[] vehicleIdentifier() {
    return creation.creation().vehicleIdentifier();
  }

  String vehicleIdentifierHex() {
    return Hex.encode(vehicleIdentifier());
  }

  int agreedVersion() {
    return creation.creation().protocolVersion();
  }

  byte[] initialKeySlot() {
    return creation.creation().initialKeySlot();
  }

  MailboxSizes mailboxSizes() {
    return MailboxSizes.of(creation.creation());
  }

  CccCertificate vehicleCertificate() {
    return vehicleCertificate;
  }

  ECPoint vehiclePublicKey() {
    return vehiclePublicKey;
  }

  EcKeyPair endpointKey() {
    return endpointKey;
  }

  CccCertificate endpointCertificate() {
    return endpointCertificate;
  }

  DkIdentifier dkIdentifier() {
    return dkIdentifier;
  }

  /** LTSS and the BLE keys are stored with the DK and not used further in v1 (§5.5). */
  SystemKeys systemKeys() {
    return systemKeys;
  }

  /** Key creation is complete at this device-clock instant (§8.1 step 5). */
  boolean isReady(Instant now) {
    return !now.isBefore(readyAt);
  }

  void attest(byte[] value) {
    attestation = value.clone();
  }

  Optional<byte[]> attestation() {
    return Optional.ofNullable(attestation).map(byte[]::clone);
  }

  DkState state() {
    return state;
  }

  /** CONTROL FLOW {@code 01} in {@code SECURE_A} (§11.8); true when this was the first one. */
  boolean activate(byte[] newKpersistent) {
    kpersistent = newKpersistent.clone();
    boolean first = state == DkState.CREATED;
    state = DkState.ACTIVE;
    return first;
  }

  byte[] mailbox(int mailboxId) {
    return mailboxId == DkProfile.MAILBOX_PRIVATE ? privateMailbox : confidentialMailbox;
  }

  /** Stores the KTS_Response and sets SigBmp bit 0 (§12.1). */
  void storeReceipt(byte[] ktsResponse) {
    receipt = ktsResponse.clone();
    sigBmp |= 1 << DkProfile.SIGBMP_RECEIPT;
  }

  Optional<byte[]> receipt() {
    return Optional.ofNullable(receipt).map(byte[]::clone);
  }

  /** Only bit 0 is cleared; the receipt stays stored (§18.12). */
  void clearReceiptBit() {
    sigBmp &= ~(1 << DkProfile.SIGBMP_RECEIPT);
  }

  int sigBmp() {
    return sigBmp;
  }

  DigitalKeyView view() {
    return new DigitalKeyView(
        vehicleIdentifierHex(), dkIdentifier, state, agreedVersion(), receipt != null, sigBmp);
  }

  @Override
  public String toString() {
    return view().toString();
  }
}
