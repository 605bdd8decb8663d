package dev.dkrig.ccc.pki;

import dev.dkrig.ccc.CccException;
import dev.dkrig.ccc.EcKeyPair;
import dev.dkrig.ccc.P256;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1BitString;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Object;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * PEM files for certificates ({@code CERTIFICATE}) and P-256 private keys, PKCS#8 ({@code PRIVATE
 * KEY}) or SEC1 ({@code EC PRIVATE KEY}), as OpenSSL writes them. Errors are {@link
 * IllegalArgumentException}s with a one-line message; the caller adds the file name.
 */
public final class Pem {
  public static final String CERTIFICATE = "CERTIFICATE";
  public static final String PKCS8_PRIVATE_KEY = "PRIVATE KEY";
  public static final String SEC1_PRIVATE_KEY = "EC PRIVATE KEY";

  private static final String ENCRYPTED_PRIVATE_KEY = "ENCRYPTED PRIVATE KEY";

  /** {@code openssl ecparam -genkey} writes the curve first; the key block follows. */
  private static final String EC_PARAMETERS = "EC PARAMETERS";

  private static final int ORDER_BITS = 256;

  private Pem() {}

  public static String writeCertificate(CccCertificate certificate) {
    return write(CERTIFICATE, certificate.encoded());
  }

  /** PKCS#8 {@code PRIVATE KEY}: the curve in the AlgorithmIdentifier, the public key inside. */
  public static String writePrivateKey(EcKeyPair key) {
    AlgorithmIdentifier algorithm =
        new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, X9ObjectIdentifiers.prime256v1);
    ECPrivateKey inner =
        new ECPrivateKey(ORDER_BITS, key.privateKey(), new DERBitString(key.publicBytes()), null);
    try {
      return write(PKCS8_PRIVATE_KEY, Der.encode(new PrivateKeyInfo(algorithm, inner)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** SEC1 {@code EC PRIVATE KEY} with the curve OID and the public key. */
  public static String writeEcPrivateKey(EcKeyPair key) {
    ECPrivateKey sec1 =
        new ECPrivateKey(
            ORDER_BITS,
            key.privateKey(),
            new DERBitString(key.publicBytes()),
            X9ObjectIdentifiers.prime256v1);
    return write(SEC1_PRIVATE_KEY, Der.encode(sec1));
  }

  /** Every certificate of a PEM text, in order; at least one, nothing else. */
  public static List<CccCertificate> readCertificates(String text) {
    List<CccCertificate> certificates = new ArrayList<>();
    for (PemObject object : objects(text)) {
      if (!object.getType().equals(CERTIFICATE)) {
        throw new IllegalArgumentException(
            "expected " + CERTIFICATE + ", found " + object.getType());
      }
      try {
        certificates.add(CccCertificate.parse(object.getContent()));
      } catch (CccException e) {
        throw new IllegalArgumentException(e.getMessage(), e);
      }
    }
    if (certificates.isEmpty()) {
      throw new IllegalArgumentException("no PEM " + CERTIFICATE + " found");
    }
    return List.copyOf(certificates);
  }

  /** The one certificate of a PEM text. */
  public static CccCertificate readCertificate(String text) {
    List<CccCertificate> certificates = readCertificates(text);
    if (certificates.size() != 1) {
      throw new IllegalArgumentException(
          certificates.size() + " certificates found, expected exactly one");
    }
    return certificates.get(0);
  }

  /** A P-256 key from a {@code PRIVATE KEY} or {@code EC PRIVATE KEY} block. */
  public static EcKeyPair readPrivateKey(String text) {
    Optional<EcKeyPair> found = Optional.empty();
    for (PemObject object : objects(text)) {
      EcKeyPair key;
      switch (object.getType()) {
        case EC_PARAMETERS -> {
          continue;
        }
        case PKCS8_PRIVATE_KEY -> key = fromPkcs8(object.getContent());
        case SEC1_PRIVATE_KEY -> key = fromSec1(object.getContent(), true);
        case ENCRYPTED_PRIVATE_KEY ->
            throw new IllegalArgumentException("encrypted private keys are not supported");
        default ->
            throw new IllegalArgumentException(
                "expected "
                    + PKCS8_PRIVATE_KEY
                    + " or "
                    + SEC1_PRIVATE_KEY
                    + ", found "
                    + object.getType());
      }
      if (found.isPresent()) {
        throw new IllegalArgumentException("more than one private key");
      }
      found = Optional.of(key);
    }
    return found.orElseThrow(() -> new IllegalArgumentException("no PEM private key found"));
  }

  private static EcKeyPair fromPkcs8(byte[] der) {
    PrivateKeyInfo info;
    ASN1Encodable inner;
    try {
      info = PrivateKeyInfo.getInstance(asn1(der, PKCS8_PRIVATE_KEY));
      inner = info.parsePrivateKey();
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(PKCS8_PRIVATE_KEY + ": not PKCS#8: " + e.getMessage(), e);
    }
    AlgorithmIdentifier algorithm = info.getPrivateKeyAlgorithm();
    if (!algorithm.getAlgorithm().equals(X9ObjectIdentifiers.id_ecPublicKey)) {
      throw new IllegalArgumentException(
          PKCS8_PRIVATE_KEY + ": not an EC key (algorithm " + algorithm.getAlgorithm() + ")");
    }
    requireP256(algorithm.getParameters(), PKCS8_PRIVATE_KEY);
    return fromSec1(Der.encode(inner), false);
  }

  private static EcKeyPair fromSec1(byte[] der, boolean standalone) {
    String what = standalone ? SEC1_PRIVATE_KEY : PKCS8_PRIVATE_KEY + " ECPrivateKey";
    ECPrivateKey sec1;
    try {
      sec1 = ECPrivateKey.getInstance(asn1(der, what));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(what + ": not an ECPrivateKey: " + e.getMessage(), e);
    }
    ASN1Object parameters = sec1.getParametersObject();
    if (parameters != null) {
      requireP256(parameters, what);
    }
    BigInteger scalar = sec1.getKey();
    if (scalar.signum() <= 0 || scalar.compareTo(P256.N) >= 0) {
      throw new IllegalArgumentException(what + ": private key not in [1, n-1]");
    }
    EcKeyPair key = EcKeyPair.fromPrivate(scalar);
    ASN1BitString publicKey = sec1.getPublicKey();
    if (publicKey != null && !Arrays.equals(publicKey.getOctets(), key.publicBytes())) {
      throw new IllegalArgumentException(what + ": public key does not match the private key");
    }
    return key;
  }

  private static void requireP256(ASN1Encodable parameters, String what) {
    if (!(parameters instanceof ASN1ObjectIdentifier curve)
        || !curve.equals(X9ObjectIdentifiers.prime256v1)) {
      throw new IllegalArgumentException(
          what + ": curve " + (parameters == null ? "absent" : parameters) + " is not P-256");
    }
  }

  private static ASN1Primitive asn1(byte[] der, String what) {
    try {
      return ASN1Primitive.fromByteArray(der);
    } catch (IOException e) {
      throw new IllegalArgumentException(what + ": not ASN.1: " + e.getMessage(), e);
    }
  }

  private static List<PemObject> objects(String text) {
    List<PemObject> objects = new ArrayList<>();
    try (PemReader reader = new PemReader(new StringReader(text))) {
      for (PemObject object = reader.readPemObject();
          object != null;
          object = reader.readPemObject()) {
        objects.add(object);
      }
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("not valid PEM: " + e.getMessage(), e);
    }
    for (PemObject object : objects) {
      // Proc-Type and DEK-Info headers mark OpenSSL's legacy encrypted keys.
      if (!object.getHeaders().isEmpty()) {
        throw new IllegalArgumentException(
            "PEM " + object.getType() + " has headers (encrypted?), which are not supported");
      }
    }
    return objects;
  }

  private static String write(String type, byte[] der) {
    StringWriter out = new StringWriter();
    try (PemWriter writer = new PemWriter(out)) {
      writer.writeObject(new PemObject(type, der));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }
}
