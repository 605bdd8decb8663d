package dev.dkrig.ccc.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dkrig.ccc.EcKeyPair;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.util.List;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;
import org.junit.jupiter.api.Test;

/** PEM certificates and P-256 private keys, PKCS#8 and SEC1. */
class PemTest {
  /**
   * key.vehicle_oem_ca.SK (§17.4.2) as PKCS#8 and SEC1; OpenSSL 3.0 ({@code openssl pkey}, {@code
   * openssl ec}) writes exactly these bytes for this key.
   */
  private static final String PKCS8 =
      """
      -----BEGIN PRIVATE KEY-----
      MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgNtjIkkdg9+yKLY4v
      Q1Mslhs4+XeWWYIqxTf5miaHthWhRANCAASBjrhQwd4YleTSAj+U8unEm21H/TO3
      Qo/ci48wBxtm1SzbWVcX+pvYf+ys8MXwydd3w8jD0/5vAIPuOsjZCkuj
      -----END PRIVATE KEY-----
      """;

  private static final String SEC1 =
      """
      -----BEGIN EC PRIVATE KEY-----
      MHcCAQEEIDbYyJJHYPfsii2OL0NTLJYbOPl3llmCKsU3+Zomh7YVoAoGCCqGSM49
      AwEHoUQDQgAEgY64UMHeGJXk0gI/lPLpxJttR/0zt0KP3IuPMAcbZtUs21lXF/qb
      2H/srPDF8MnXd8PIw9P+bwCD7jrI2QpLow==
      -----END EC PRIVATE KEY-----
      """;

  /** What {@code openssl ecparam -name prime256v1 -genkey} puts before the key. */
  private static final String EC_PARAMETERS =
      """
      -----BEGIN EC PARAMETERS-----
      BggqhkjOPQMBBw==
      -----END EC PARAMETERS-----
      """;

  @Test
  void writesPrivateKeysAsOpenSslDoes() {
    assertEquals(PKCS8, unix(Pem.writePrivateKey(T1.VEHICLE_OEM_CA_KEY)));
    assertEquals(SEC1, unix(Pem.writeEcPrivateKey(T1.VEHICLE_OEM_CA_KEY)));
  }

  @Test
  void readsBothPrivateKeyForms() {
    EcKeyPair expected = T1.VEHICLE_OEM_CA_KEY;
    assertEquals(expected.privateKey(), Pem.readPrivateKey(PKCS8).privateKey());
    assertEquals(expected.privateKey(), Pem.readPrivateKey(SEC1).privateKey());
    assertEquals(expected.privateKey(), Pem.readPrivateKey(EC_PARAMETERS + SEC1).privateKey());
    assertEquals(
        expected.privateKey(),
        Pem.readPrivateKey("comment line\r\n" + SEC1.replace("\n", "\r\n")).privateKey());
  }

  @Test
  void certificatesRoundTrip() {
    CccCertificate k = T1.vehicle();
    String pem = Pem.writeCertificate(k);
    assertTrue(pem.startsWith("-----BEGIN CERTIFICATE-----"));
    assertEquals(k, Pem.readCertificate(pem));

    CccCertificate root = T1.vehicleOemCa();
    String bundle = Pem.writeCertificate(root) + pem;
    assertEquals(List.of(root, k), Pem.readCertificates(bundle));
    assertError(() -> Pem.readCertificate(bundle), "2 certificates found, expected exactly one");
  }

  @Test
  void reportsWrongContentOnOneLine() {
    assertError(() -> Pem.readCertificates(""), "no PEM CERTIFICATE found");
    assertError(() -> Pem.readCertificates(SEC1), "expected CERTIFICATE, found EC PRIVATE KEY");
    assertError(() -> Pem.readPrivateKey(""), "no PEM private key found");
    assertError(() -> Pem.readPrivateKey(PKCS8 + SEC1), "more than one private key");
    assertError(
        () -> Pem.readPrivateKey(Pem.writeCertificate(T1.vehicle())),
        "expected PRIVATE KEY or EC PRIVATE KEY, found CERTIFICATE");
    assertError(
        () -> Pem.readPrivateKey(pem("ENCRYPTED PRIVATE KEY", new byte[] {0x30, 0x00})),
        "encrypted private keys are not supported");
    assertError(
        () ->
            Pem.readPrivateKey(
                SEC1.replace(
                    "-----BEGIN EC PRIVATE KEY-----\n",
                    "-----BEGIN EC PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n"
                        + "DEK-Info: AES-128-CBC,00112233445566778899AABBCCDDEEFF\n\n")),
        "has headers");
    assertError(() -> Pem.readCertificates("-----BEGIN CERTIFICATE-----\nAAAA\n"), "not valid PEM");
    assertError(
        () -> Pem.readCertificates(pem("CERTIFICATE", new byte[] {0x30, 0x00})),
        "certificate: Certificate has 0 elements");
  }

  @Test
  void rejectsKeysThatAreNotP256OrInconsistent() {
    EcKeyPair key = T1.VEHICLE_OEM_CA_KEY;
    ECPrivateKey otherCurve =
        new ECPrivateKey(256, key.privateKey(), null, SECObjectIdentifiers.secp384r1);
    assertError(
        () -> Pem.readPrivateKey(pem("EC PRIVATE KEY", Der.encode(otherCurve))),
        "EC PRIVATE KEY: curve 1.3.132.0.34 is not P-256");

    ECPrivateKey wrongPublic =
        new ECPrivateKey(
            256,
            key.privateKey(),
            new DERBitString(T1.VEHICLE_KEY.publicBytes()),
            SECObjectIdentifiers.secp256r1);
    assertError(
        () -> Pem.readPrivateKey(pem("EC PRIVATE KEY", Der.encode(wrongPublic))),
        "public key does not match the private key");

    ECPrivateKey zero = new ECPrivateKey(256, BigInteger.ZERO, null, null);
    assertError(
        () -> Pem.readPrivateKey(pem("EC PRIVATE KEY", Der.encode(zero))),
        "private key not in [1, n-1]");

    assertError(
        () -> Pem.readPrivateKey(pem("PRIVATE KEY", rsaPrivateKeyInfo())),
        "PRIVATE KEY: not an EC key (algorithm 1.2.840.113549.1.1.1)");
  }

  private static byte[] rsaPrivateKeyInfo() {
    AlgorithmIdentifier rsa =
        new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE);
    try {
      return Der.encode(new PrivateKeyInfo(rsa, DERNull.INSTANCE));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static String pem(String type, byte[] content) {
    StringWriter out = new StringWriter();
    try (PemWriter writer = new PemWriter(out)) {
      writer.writeObject(new PemObject(type, content));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return out.toString();
  }

  private static String unix(String text) {
    return text.replace("\r\n", "\n");
  }

  private static void assertError(Runnable action, String fragment) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, action::run);
    assertTrue(e.getMessage().contains(fragment), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
  }
}
