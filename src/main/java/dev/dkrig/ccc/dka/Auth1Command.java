package dev.dkrig.ccc.dka;

import dev.dkrig.ccc.CccException;
import dev.dkrig.ccc.EcKeyPair;
import dev.dkrig.ccc.Ecdsa;
import dev.dkrig.iso7816.Bytes;
import dev.dkrig.iso7816.CommandApdu;
import dev.dkrig.iso7816.Hex;
import dev.dkrig.iso7816.Iso7816Exception;
import dev.dkrig.iso7816.Tlv;
import dev.dkrig.iso7816.TlvList;
import java.util.Arrays;
import org.bouncycastle.math.ec.ECPoint;

/**
 * AUTH1 (§3.4, §11.4): {@code 80 81 00 00 42 9E 40 <r ‖ s> 00}, the vehicle's signature over {@code
 * vehicle_sig_input} with its long-term key.
 *
 * @param vehicleSignature raw {@code r ‖ s}, 64 bytes
 */
public record Auth1Command(byte[] vehicleSignature) {

  /** §3.4 [CCC]; P1 P2 = {@code 00 00} as in the table. */
  public static final int CLA = 0x80;

  public static final int INS = 0x81;
  static final int TAG_SIGNATURE = 0x9E;

  public Auth1Command {
    vehicleSignature =
        Bytes.copyOfLength(vehicleSignature, Ecdsa.RAW_SIGNATURE_LENGTH, "vehicle signature");
  }

  /** Signs {@code vehicle_sig_input} with {@code vehicle.SK} (not the ephemeral key, §11.4). */
  public static Auth1Command sign(TransactionContext context, EcKeyPair vehicleKey) {
    return new Auth1Command(Ecdsa.sign(vehicleKey, SignatureInputs.vehicle(context)));
  }

  @Override
  public byte[] vehicleSignature() {
    return vehicleSignature.clone();
  }

  /** {@code 9E 40 <r ‖ s>}, 66 bytes. */
  public byte[] data() {
    return Tlv.of(TAG_SIGNATURE, vehicleSignature).encode();
  }

  public CommandApdu toApdu() {
    return CommandApdu.of(CLA, INS, 0x00, 0x00, data());
  }

  /**
   * Device side: the data must be exactly {@code 9E} with 64 bytes (a vehicle-to-device object,
   * §0). The command may come with or without Le (§3.2).
   *
   * @throws CccException MALFORMED otherwise (the device answers {@code 6A80})
   */
  public static Auth1Command parse(CommandApdu command) {
    try {
      TlvList tlvs = TlvList.parseExact(command.data(), "AUTH1", TAG_SIGNATURE);
      return new Auth1Command(tlvs.require(TAG_SIGNATURE, Ecdsa.RAW_SIGNATURE_LENGTH, "AUTH1"));
    } catch (Iso7816Exception e) {
      throw CccException.malformed(e);
    }
  }

  /**
   * The device's check of §11.4: the signature verifies under {@code vehicle.PK} from K.
   *
   * @throws CccException VERIFICATION otherwise (the device answers {@code 6A88})
   */
  public void verify(TransactionContext context, ECPoint vehiclePublicKey) {
    if (!Ecdsa.verify(vehiclePublicKey, SignatureInputs.vehicle(context), vehicleSignature)) {
      throw new CccException(
          CccException.Failure.VERIFICATION,
          "AUTH1: vehicle signature does not verify under vehicle.PK");
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Auth1Command that
        && Arrays.equals(vehicleSignature, that.vehicleSignature);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(vehicleSignature);
  }

  @Override
  public String toString() {
    return "Auth1Command[vehicleSignature=" + Hex.encode(vehicleSignature) + "]";
  }
}
