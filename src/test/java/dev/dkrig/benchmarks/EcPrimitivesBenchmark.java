package dev.dkrig.benchmarks;

import dev.dkrig.ccc.Crypto;
import dev.dkrig.ccc.EcKeyPair;
import dev.dkrig.ccc.Ecdsa;
import dev.dkrig.ccc.P256;
import dev.dkrig.ccc.pki.CccCertificate;
import dev.dkrig.ccc.spake2.Spake2;
import dev.dkrig.testing.Vectors;
import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.concurrent.TimeUnit;
import javax.crypto.KeyAgreement;
import org.bouncycastle.math.ec.ECAlgorithms;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The primitives {@link VehicleComputeBenchmark#ownerPairing} is made of, one by one (issue 20's
 * breakdown): P-256 multiplications by kind, ECDSA and ECDH through Bouncy Castle and through the
 * JDK's SunEC, certificate parsing and the symmetric primitives.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class EcPrimitivesBenchmark {
  private BigInteger scalar;
  private byte[] peerBytes;
  private byte[] message;
  private byte[] signature;
  private EcKeyPair key;
  private byte[] certificate;
  private PublicKey jdkPublic;
  private PrivateKey jdkPrivate;
  private byte[] derSignature;
  private byte[] aesKey;

  @Setup
  public void setup() throws Exception {
    scalar = new BigInteger(1, Vectors.hex("key.veh_eph_p3.SK"));
    key = EcKeyPair.fromPrivate(Vectors.hex("key.vehicle.SK"));
    peerBytes = Vectors.hex("key.endpoint.PK");
    message = Vectors.hex("cert.H_Endpoint");
    signature = Ecdsa.sign(key, message);
    derSignature = Ecdsa.rawToDer(signature);
    certificate = Vectors.hex("cert.E_InstanceCA");
    KeyFactory factory = KeyFactory.getInstance("EC", "SunEC");
    jdkPublic = factory.generatePublic(new X509EncodedKeySpec(subjectPublicKeyInfo()));
    java.security.spec.ECParameterSpec params =
        ((java.security.interfaces.ECPublicKey) jdkPublic).getParams();
    jdkPrivate = factory.generatePrivate(new ECPrivateKeySpec(key.privateKey(), params));
    ECPoint w =
        new ECPoint(
            new BigInteger(1, P256.x(peerBytes)),
            new BigInteger(1, java.util.Arrays.copyOfRange(peerBytes, 33, 65)));
    jdkPeer = factory.generatePublic(new ECPublicKeySpec(w, params));
    aesKey = new byte[16];
  }

  private PublicKey jdkPeer;

  private byte[] subjectPublicKeyInfo() {
    byte[] prefix =
        dev.dkrig.iso7816.Hex.decode("3059301306072A8648CE3D020106082A8648CE3D030107034200");
    return dev.dkrig.iso7816.Bytes.concat(prefix, key.publicBytes());
  }

  @Benchmark
  public Object combG() {
    return P256.multiplyG(scalar);
  }

  @Benchmark
  public Object combN() {
    return P256.multiplyFixed(Spake2.N, scalar);
  }

  @Benchmark
  public Object variableBase() {
    return P256.decodePoint(peerBytes).multiply(scalar).normalize();
  }

  @Benchmark
  public Object shamirFreshPoint() {
    return ECAlgorithms.sumOfTwoMultiplies(P256.G, scalar, P256.decodePoint(peerBytes), scalar)
        .normalize();
  }

  @Benchmark
  public boolean verifyBouncyCastle() {
    return Ecdsa.verify(P256.decodePoint(key.publicBytes()), message, signature);
  }

  @Benchmark
  public boolean verifySunEc() throws Exception {
    Signature verifier = Signature.getInstance("SHA256withECDSA", "SunEC");
    verifier.initVerify(jdkPublic);
    verifier.update(message);
    return verifier.verify(derSignature);
  }

  @Benchmark
  public Object signBouncyCastle() {
    return Ecdsa.sign(key, message);
  }

  @Benchmark
  public Object ecdhBouncyCastle() {
    return P256.ecdhX(key.privateKey(), P256.decodePoint(peerBytes));
  }

  @Benchmark
  public Object ecdhSunEc() throws Exception {
    KeyAgreement agreement = KeyAgreement.getInstance("ECDH", "SunEC");
    agreement.init(jdkPrivate);
    agreement.doPhase(jdkPeer, true);
    return agreement.generateSecret();
  }

  @Benchmark
  public Object parseCertificate() {
    return CccCertificate.parse(certificate);
  }

  @Benchmark
  public Object hkdf() {
    return Crypto.hkdf(aesKey, message, 48);
  }

  @Benchmark
  public Object cmac() {
    return Crypto.cmac(aesKey, peerBytes);
  }

  @Benchmark
  public Object sha256() {
    return Crypto.sha256(message);
  }
}
