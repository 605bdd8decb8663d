package dev.dkrig.ccc;

import dev.dkrig.iso7816.Bytes;
import java.io.IOException;
import java.math.BigInteger;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.ECPoint;

/**
 * ECDSA over P-256 with SHA-256 (§0). Signing always uses RFC 6979 nonces (§18.21), so every
 * signature the rig makes is reproducible; verification accepts any valid (r, s), high S included.
 */
public final class Ecdsa {
  public static final int RAW_SIGNATURE_LENGTH = 64;

  private Ecdsa() {}

  /** Signs and returns the raw {@code r ‖ s} form used on the wire. */
  public static byte[] sign(EcKeyPair key, byte[] message) {
    ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
    signer.init(true, new ECPrivateKeyParameters(key.privateKey(), P256.DOMAIN));
    BigInteger[] rs = signer.generateSignature(Crypto.sha256(message));
    return Bytes.concat(P256.encodeScalar(rs[0]), P256.encodeScalar(rs[1]));
  }

  /** Verifies a raw {@code r ‖ s} signature; false for any malformed or wrong signature. */
  public static boolean verify(ECPoint publicKey, byte[] message, byte[] rawSignature) {
    if (rawSignature.length != RAW_SIGNATURE_LENGTH) {
      return false;
    }
    BigInteger r = new BigInteger(1, Bytes.range(rawSignature, 0, 32));
    BigInteger s = new BigInteger(1, Bytes.range(rawSignature, 32, 64));
    return verify(publicKey, message, r, s);
  }

  public static boolean verify(ECPoint publicKey, byte[] message, BigInteger r, BigInteger s) {
    if (r.signum() <= 0
        || s.signum() <= 0
        || r.compareTo(P256.N) >= 0
        || s.compareTo(P256.N) >= 0) {
      return false;
    }
    ECDSASigner verifier = new ECDSASigner();
    verifier.init(false, new ECPublicKeyParameters(publicKey, P256.DOMAIN));
    return verifier.verifySignature(Crypto.sha256(message), r, s);
  }

  /** DER {@code SEQUENCE { INTEGER r, INTEGER s }}, the X.509 form. */
  public static byte[] rawToDer(byte[] rawSignature) {
    ASN1EncodableVector v = new ASN1EncodableVector();
    v.add(new ASN1Integer(new BigInteger(1, Bytes.range(rawSignature, 0, 32))));
    v.add(new ASN1Integer(new BigInteger(1, Bytes.range(rawSignature, 32, 64))));
    try {
      return new DERSequence(v).getEncoded(ASN1Encoding.DER);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Strictly decodes a DER signature to raw {@code r ‖ s}.
   *
   * @throws CccException MALFORMED when the bytes are not a DER sequence of two positive integers
   *     below n
   */
  public static byte[] derToRaw(byte[] der) {
    try {
      ASN1Primitive primitive = ASN1Primitive.fromByteArray(der);
      if (!(primitive instanceof ASN1Sequence seq) || seq.size() != 2) {
        throw CccException.malformed("ECDSA signature is not a SEQUENCE of two INTEGERs");
      }
      if (!java.util.Arrays.equals(primitive.getEncoded(ASN1Encoding.DER), der)) {
        throw CccException.malformed("ECDSA signature is not DER");
      }
      BigInteger r = ASN1Integer.getInstance(seq.getObjectAt(0)).getValue();
      BigInteger s = ASN1Integer.getInstance(seq.getObjectAt(1)).getValue();
      if (r.signum() <= 0
          || s.signum() <= 0
          || r.compareTo(P256.N) >= 0
          || s.compareTo(P256.N) >= 0) {
        throw CccException.malformed("ECDSA signature value out of range");
      }
      return Bytes.concat(P256.encodeScalar(r), P256.encodeScalar(s));
    } catch (IOException | IllegalArgumentException e) {
      throw new CccException(
          CccException.Failure.MALFORMED, "ECDSA signature: " + e.getMessage(), e);
    }
  }
}
