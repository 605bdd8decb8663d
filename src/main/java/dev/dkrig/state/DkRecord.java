package dev.dkrig.state;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the vehicle keeps about a Digital Key after binding (§8.6): the public part is shown by
 * {@code dkrig state show}; {@link #secrets} (LTSS, BLE keys, Kpersistent) never is.
 *
 * @param state PAIRED_PENDING after P2.8, ACTIVE after P3.4, RECEIPT_VERIFIED after P4.2.3
 */
public record DkRecord(
    String vehicleId,
    String dkId,
    String state,
    String agreedVersion,
    String initialKeySlot,
    String endpointPublicKey,
    String endpointCertificate,
    Instant created,
    Instant updated,
    String receipt,
    Map<String, String> secrets) {

  public static final String PAIRED_PENDING = "PAIRED_PENDING";
  public static final String ACTIVE = "ACTIVE";
  public static final String RECEIPT_VERIFIED = "RECEIPT_VERIFIED";

  public DkRecord {
    secrets =
        secrets == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(secrets));
  }

  public DkRecord withState(String newState, Instant at) {
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

  public DkRecord withSecret(String name, String hex, Instant at) {
    Map<String, String> copy = new LinkedHashMap<>(secrets);
    copy.put(name, hex);
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
        copy);
  }

  public DkRecord withReceipt(String receiptHex, Instant at) {
    return new DkRecord(
        vehicleId,
        dkId,
        RECEIPT_VERIFIED,
        agreedVersion,
        initialKeySlot,
        endpointPublicKey,
        endpointCertificate,
        created,
        at,
        receiptHex,
        secrets);
  }

  @Override
  public String toString() {
    return "DkRecord[" + vehicleId + "/" + dkId + " " + state + "]";
  }
}
