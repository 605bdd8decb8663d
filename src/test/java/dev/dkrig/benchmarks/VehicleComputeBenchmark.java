package dev.dkrig.benchmarks;

import dev.dkrig.ccc.EcKeyPair;
import dev.dkrig.ccc.P256;
import dev.dkrig.ccc.attestation.VehicleAttestation;
import dev.dkrig.ccc.dka.Auth0Command;
import dev.dkrig.ccc.dka.Auth0Response;
import dev.dkrig.ccc.dka.Auth1Command;
import dev.dkrig.ccc.dka.Auth1ResponsePlaintext;
import dev.dkrig.ccc.dka.TransactionContext;
import dev.dkrig.ccc.dka.TransactionKeys;
import dev.dkrig.ccc.kts.KtsResponse;
import dev.dkrig.ccc.pki.CccCertificate;
import dev.dkrig.ccc.pki.ChainVerifier;
import dev.dkrig.ccc.pki.TrustAnchor;
import dev.dkrig.ccc.sm.ChannelKind;
import dev.dkrig.ccc.sm.SecureChannel;
import dev.dkrig.ccc.sm.SessionKeys;
import dev.dkrig.ccc.spake2.ScryptParameters;
import dev.dkrig.ccc.spake2.VehicleSpake2;
import dev.dkrig.ccc.spake2.Verifier;
import dev.dkrig.iso7816.Hex;
import dev.dkrig.iso7816.ResponseApdu;
import dev.dkrig.testing.Vectors;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * The vehicle side's compute for one owner pairing, with no device time (issue 2): SPAKE2+ as the
 * verifier, the F/E/H chain, the 5F5A attestation, two standard transactions and the KTS_Response
 * checks. The device's answers are T1's, precomputed, so only the vehicle's work is measured.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class VehicleComputeBenchmark {
  private Verifier verifier;
  private BigInteger y;
  private byte[] x;
  private byte[] aad;
  private byte[] m2;
  private byte[] f;
  private byte[] e;
  private byte[] h;
  private ChainVerifier chainVerifier;
  private EcKeyPair vehicleKey;
  private byte[] endpointPk;
  private Transaction phase3;
  private Transaction phase4;
  private byte[] kts;
  private EcKeyPair devx;
  private byte[] dkId;
  private byte[] vehicleId;

  /** The inputs of one standard transaction as the vehicle sees them. */
  private record Transaction(
      BigInteger ephemeral, byte[] txid, byte[] auth0Response, byte[] auth1Response) {}

  @Setup
  public void setup() {
    verifier =
        new Verifier(
            Vectors.hex("spake2.w0"),
            Vectors.hex("spake2.L"),
            new ScryptParameters(Hex.decode("000102030405060708090A0B0C0D0E0F"), 4096, 8, 1));
    y = new BigInteger(1, Vectors.hex("17.1", "y"));
    x = Vectors.hex("spake2.X");
    aad = Vectors.hex("spake2.AAD");
    m2 = Vectors.hex("spake2.M2");
    f = Vectors.hex("cert.F_DeviceOemCA");
    e = Vectors.hex("cert.E_InstanceCA");
    h = Vectors.hex("cert.H_Endpoint");
    chainVerifier =
        new ChainVerifier(
            List.of(TrustAnchor.of(CccCertificate.parse(Vectors.hex("cert.VehicleOemCA")))));
    vehicleKey = EcKeyPair.fromPrivate(Vectors.hex("key.vehicle.SK"));
    endpointPk = Vectors.hex("key.endpoint.PK");
    List<Vectors.Exchange> t1 = Vectors.transcript();
    phase3 =
        new Transaction(
            new BigInteger(1, Vectors.hex("key.veh_eph_p3.SK")),
            Vectors.hex("p3.txid"),
            ResponseApdu.parse(t1.get(19).response()).data(),
            t1.get(20).response());
    phase4 =
        new Transaction(
            new BigInteger(1, Vectors.hex("key.veh_eph_p4.SK")),
            Vectors.hex("p4.txid"),
            ResponseApdu.parse(t1.get(23).response()).data(),
            t1.get(24).response());
    kts = Vectors.hex("kts.KTS_Response");
    devx = EcKeyPair.fromPrivate(Vectors.hex("key.devx_enc.SK"));
    dkId = Vectors.hex("DK_identifier");
    vehicleId = Hex.decode("444B524947563031");
  }

  /** Everything the vehicle computes in one pairing. */
  @Benchmark
  public void ownerPairing(Blackhole sink) {
    sink.consume(spake2());
    sink.consume(chain());
    sink.consume(attestation());
    sink.consume(transaction(phase3));
    sink.consume(transaction(phase4));
    sink.consume(receipt());
  }

  @Benchmark
  public Object spake2() {
    VehicleSpake2 spake = VehicleSpake2.withScalar(verifier, y);
    spake.receive(x, aad);
    return spake.confirm(m2);
  }

  @Benchmark
  public Object chain() {
    return chainVerifier.verify(f, e, h, Instant.parse("2026-11-27T12:01:00Z"));
  }

  @Benchmark
  public Object attestation() {
    return VehicleAttestation.forEndpoint(vehicleId, endpointPk, 0x6B0970FCL).sign(vehicleKey);
  }

  @Benchmark
  public Object standardTransaction() {
    return transaction(phase4);
  }

  @Benchmark
  public Object receipt() {
    return KtsResponse.verifyReceipt(
        kts, P256.decodePoint(Vectors.hex("key.zz2.PK")), devx, vehicleId, dkId);
  }

  private Object transaction(Transaction t) {
    EcKeyPair ephemeral = EcKeyPair.fromPrivate(t.ephemeral());
    Auth0Command auth0 = new Auth0Command(0x0101, ephemeral.publicBytes(), t.txid(), vehicleId);
    TransactionContext context =
        TransactionContext.of(
            auth0, Auth0Response.parse(t.auth0Response()), List.of(0x0101, 0x0100));
    TransactionKeys keys = TransactionKeys.deriveByVehicle(context, ephemeral);
    Auth1Command.sign(context, vehicleKey);
    SecureChannel channel =
        SecureChannel.open(
            ChannelKind.APPLET, new SessionKeys(keys.kenc(), keys.kmac(), keys.krmac()));
    Auth1ResponsePlaintext plaintext =
        Auth1ResponsePlaintext.parse(
            channel.unprotectResponse(ResponseApdu.parse(t.auth1Response())));
    plaintext.verifyEndpointSignature(context, P256.decodePoint(endpointPk));
    return plaintext;
  }
}
