package dev.dkrig.ccc.dka;

import dev.dkrig.ccc.DkProfile;
import dev.dkrig.iso7816.Tlv;
import java.util.List;

/**
 * The two 102-byte messages signed in AUTH1 (§11.4). They differ only in the usage constant of tag
 * {@code 93}, so a vehicle signature can never pass as an endpoint signature or the reverse.
 */
public final class SignatureInputs {
  public static final int LENGTH = 102;

  private static final int TAG_DEVICE_EPHEMERAL_X = 0x86;
  private static final int TAG_VEHICLE_EPHEMERAL_X = 0x87;
  private static final int TAG_USAGE = 0x93;

  private SignatureInputs() {}

  /** {@code vehicle_sig_input}: signed by {@code vehicle.SK}, verified by the device. */
  public static byte[] vehicle(TransactionContext context) {
    return build(context, DkProfile.USAGE_VEHICLE_SIGNATURE);
  }

  /** {@code endpoint_sig_input}: signed by the endpoint key, verified by the vehicle. */
  public static byte[] endpoint(TransactionContext context) {
    return build(context, DkProfile.USAGE_ENDPOINT_SIGNATURE);
  }

  private static byte[] build(TransactionContext context, byte[] usage) {
    // Tag 86 carries the device's X and 87 the vehicle's, as in AUTH0/its response (§11.4).
    return Tlv.encodeAll(
        List.of(
            Tlv.of(Auth0Command.TAG_VEHICLE_IDENTIFIER, context.vehicleIdentifier()),
            Tlv.of(TAG_DEVICE_EPHEMERAL_X, context.deviceEphemeralX()),
            Tlv.of(TAG_VEHICLE_EPHEMERAL_X, context.vehicleEphemeralX()),
            Tlv.of(Auth0Command.TAG_TRANSACTION_ID, context.transactionId()),
            Tlv.of(TAG_USAGE, usage)));
  }
}
