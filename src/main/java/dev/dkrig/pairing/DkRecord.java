package dev.dkrig.pairing;

import dev.dkrig.ccc.pki.CccCertificate;
import dev.dkrig.ccc.pki.DkIdentifier;
import dev.dkrig.ccc.spake2.SystemKeys;
import dev.dkrig.iso7816.Hex;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * What the vehicle keeps about a Digital Key after binding (§8.6): the public part is shown by
 * {@code dkrig state show}; {@link #secrets} (LTSS, BLE keys, Kpersistent) never is. The pairing
 * builds it with {@link #uncommitted} and moves it on with the {@code with...} methods; a {@link
 * DkRepository} stores it.
 *
 * @param vehicleId the 8-byte vehicle identifier
 * @param agreedVersion the applet protocol version agreed in phase 2 (§7.1)
 * @param created when P2.6.2 bound the DK, or null in a record that never had it
 * @param updated the last change, or null in a record that never had it
 * @param receipt the receipt plaintext of §12.4 once P4.2.3 verified it, otherwise null
 */
public record DkRecord(
    byte[] vehicleId,
    DkIdentifier dkId,
    DkState state,
    int agreedVersion,
    byte[] initialKeySlot,
    byte[] endpointPublicKey,
    byte[] endpointCertificate,
    Instant created,
    Instant updated,
    byte[] receipt,
    Secrets secrets) {

  public DkRecord {
    vehicleId = vehicleId.clone();
    Objects.requireNonNull(dkId, "dkId");
    Objects.requireNonNull(state, "state");
    if (agreedVersion < 0 || agreedVersion > 0xFFFF) {
      throw new IllegalArgumentException("agreed version out of range: " + agreedVersion);
    }
    initialKeySlot = initialKeySlot.clone();
    endpointPublicKey = endpointPublicKey.clone();
    endpointCertificate = endpointCertificate.clone();
    receipt = receipt == null ? null : receipt.clone();
    secrets = secrets == null ? Secrets.NONE : secrets;
  }

  /**
   * P2.6.2: the DK as the vehicle binds it, before P2.8 commits it. It holds the system keys of the
   * SPAKE2+ exchange (§5.5) and the endpoint certificate whose key names the DK.
   */
  public static DkRecord uncommitted(
      byte[] vehicleId,
      DkIdentifier dkId,
      int agreedVersion,
      byte[] initialKeySlot,
      CccCertificate endpoint,
      SystemKeys systemKeys,
      Instant at) {
    return new DkRecord(
        vehicleId,
        dkId,
        DkState.UNCOMMITTED,
        agreedVersion,
        initialKeySlot,
        endpoint.publicKey(),
        endpoint.encoded(),
        at,
        at,
        null,
        new Secrets(systemKeys.ltss(), systemKeys.kbleIntro(), systemKeys.kbleOobMaster(), null));
  }

  @Override
  public byte[] vehicleId() {
    return vehicleId.clone();
  }

  @Override
  public byte[] initialKeySlot() {
    return initialKeySlot.clone();
  }

  @Override
  public byte[] endpointPublicKey() {
    return endpointPublicKey.clone();
  }

  @Override
  public byte[] endpointCertificate() {
    return endpointCertificate.clone();
  }

  @Override
  public byte[] receipt() {
    return receipt == null ? null : receipt.clone();
  }

  public DkRecord withState(DkState newState, Instant at) {
    return new DkRecord(
        vehicleId,
        dkId,
        newState,
        agreedVersion,
        initialKeySlot,
        endpointPublicKey,
        endpointCertificate,
        created,
        at,
        receipt,
        secrets);
  }

  /** The Kpersistent of the last standard transaction (§11.8), which replaces the previous one. */
  public DkRecord withKpersistent(byte[] kpersistent, Instant at) {
    return new DkRecord(
        vehicleId,
        dkId,
        state,
        agreedVersion,
        initialKeySlot,
        endpointPublicKey,
        endpointCertificate,
        created,
        at,
        receipt,
        secrets.withKpersistent(kpersistent));
  }

  /** P4.2.3: the verified receipt; the DK becomes {@link DkState#RECEIPT_VERIFIED}. */
  public DkRecord withReceipt(byte[] receiptPlaintext, Instant at) {
    return new DkRecord(
        vehicleId,
        dkId,
        DkState.RECEIPT_VERIFIED,
        agreedVersion,
        initialKeySlot,
        endpointPublicKey,
        endpointCertificate,
        created,
        at,
        receiptPlaintext,
        secrets);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof DkRecord that
        && Arrays.equals(vehicleId, that.vehicleId)
        && dkId.equals(that.dkId)
        && state == that.state
        && agreedVersion == that.agreedVersion
        && Arrays.equals(initialKeySlot, that.initialKeySlot)
        && Arrays.equals(endpointPublicKey, that.endpointPublicKey)
        && Arrays.equals(endpointCertificate, that.endpointCertificate)
        && Objects.equals(created, that.created)
        && Objects.equals(updated, that.updated)
        && Arrays.equals(receipt, that.receipt)
        && secrets.equals(that.secrets);
  }

  @Override
  public int hashCode() {
    return Objects.hash(Arrays.hashCode(vehicleId), dkId, state, updated);
  }

  /** Names the DK only: the secrets and the certificate stay out of logs. */
  @Override
  public String toString() {
    return "DkRecord[" + Hex.encode(vehicleId) + "/" + dkId + " " + state + "]";
  }

  /**
   * The long-term secrets of the DK (§5.5, §11.8); each is null until the step that derives it.
   *
   * @param ltss the SPAKE2+ long-term shared secret
   * @param kbleIntro the BLE intro key
   * @param kbleOobMaster the BLE out-of-band master key
   * @param kpersistent the Kpersistent of the last standard transaction (from P3.4)
   */
  public record Secrets(byte[] ltss, byte[] kbleIntro, byte[] kbleOobMaster, byte[] kpersistent) {
    /** No secret yet. */
    public static final Secrets NONE = new Secrets(null, null, null, null);

    public Secrets {
      ltss = copy(ltss);
      kbleIntro = copy(kbleIntro);
      kbleOobMaster = copy(kbleOobMaster);
      kpersistent = copy(kpersistent);
    }

    @Override
    public byte[] ltss() {
      return copy(ltss);
    }

    @Override
    public byte[] kbleIntro() {
      return copy(kbleIntro);
    }

    @Override
    public byte[] kbleOobMaster() {
      return copy(kbleOobMaster);
    }

    @Override
    public byte[] kpersistent() {
      return copy(kpersistent);
    }

    public Secrets withKpersistent(byte[] value) {
      return new Secrets(ltss, kbleIntro, kbleOobMaster, value);
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Secrets that
          && Arrays.equals(ltss, that.ltss)
          && Arrays.equals(kbleIntro, that.kbleIntro)
          && Arrays.equals(kbleOobMaster, that.kbleOobMaster)
          && Arrays.equals(kpersistent, that.kpersistent);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(ltss);
    }

    /** Never the values. */
    @Override
    public String toString() {
      return "Secrets[redacted]";
    }

    private static byte[] copy(byte[] value) {
      return value == null ? null : value.clone();
    }
  }
}
