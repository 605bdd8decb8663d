package dev.dkrig.random;

import java.math.BigInteger;

/**
 * Every random draw of a run goes through here, by name (engineering rules: inject the randomness).
 * A bench run draws from a secure generator; test mode (§18.2) answers each name with the T1 value;
 * {@code --seed} makes a whole run reproducible.
 */
public interface Draws {

  /** A P-256 scalar uniform in [1, n−1]: SPAKE2+ x/y, ephemeral and endpoint keys. */
  BigInteger scalar(String name);

  /** Random bytes: transaction identifiers, salts, receipt identifiers. */
  byte[] bytes(String name, int length);

  /** The draw names used across the rig, so test mode can answer each of them. */
  final class Names {
    private Names() {}

    public static final String SPAKE2_Y = "vehicle.spake2.y";
    public static final String SPAKE2_X = "device.spake2.x";
    public static final String VEHICLE_EPHEMERAL = "vehicle.ephemeral";
    public static final String TRANSACTION_ID = "vehicle.txid";
    public static final String DEVICE_EPHEMERAL = "device.ephemeral";
    public static final String ENDPOINT_KEY = "device.endpoint";
    public static final String KTS_EPHEMERAL = "kts.ephemeral";
    public static final String RECEIPT_ID = "kts.receipt-id";
    public static final String VERIFIER_SALT = "oem.salt";
  }
}
