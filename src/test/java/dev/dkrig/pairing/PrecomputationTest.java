package dev.dkrig.pairing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dkrig.ccc.EcKeyPair;
import dev.dkrig.ccc.spake2.ScryptParameters;
import dev.dkrig.ccc.spake2.VehicleSpake2;
import dev.dkrig.ccc.spake2.Verifier;
import dev.dkrig.iso7816.Hex;
import dev.dkrig.random.Draws;
import dev.dkrig.random.SeededDraws;
import dev.dkrig.random.TestModeDraws;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Issue 20: the precomputed values are the ones a run without precomputation computes, drawn from
 * the run's stream in the same order (§18.2: test mode and {@code --seed} reproduce them).
 */
class PrecomputationTest {
  private static final Verifier VERIFIER =
      Verifier.provision(
          "12345678",
          new ScryptParameters(Hex.decode("000102030405060708090A0B0C0D0E0F"), 16, 1, 1));

  /** Draws that note each name, in order, and pass through. */
  private static final class NotingDraws implements Draws {
    final Draws inner;
    final List<String> names = new ArrayList<>();

    NotingDraws(Draws inner) {
      this.inner = inner;
    }

    @Override
    public BigInteger scalar(String name) {
      names.add(name);
      return inner.scalar(name);
    }

    @Override
    public byte[] bytes(String name, int length) {
      names.add(name);
      return inner.bytes(name, length);
    }
  }

  @Test
  @DisplayName(
      "y, then each transaction's ephemeral key and identifier, drawn at start in that order")
  void drawOrder() {
    NotingDraws draws = new NotingDraws(new TestModeDraws());
    try (Precomputation p = Precomputation.start(draws, 2, List.of())) {
      assertEquals(
          List.of(
              Draws.Names.SPAKE2_Y,
              Draws.Names.VEHICLE_EPHEMERAL,
              Draws.Names.TRANSACTION_ID,
              Draws.Names.VEHICLE_EPHEMERAL,
              Draws.Names.TRANSACTION_ID),
          draws.names);
      Precomputation.Transaction p3 = p.nextTransaction();
      Precomputation.Transaction p4 = p.nextTransaction();
      assertEquals(
          TestModeDraws.VEHICLE_EPHEMERAL_P3,
          Hex.encode(dev.dkrig.ccc.P256.encodeScalar(p3.ephemeral().privateKey())));
      assertEquals(TestModeDraws.TXID_P3, Hex.encode(p3.transactionId()));
      assertEquals(
          TestModeDraws.VEHICLE_EPHEMERAL_P4,
          Hex.encode(dev.dkrig.ccc.P256.encodeScalar(p4.ephemeral().privateKey())));
      assertEquals(TestModeDraws.TXID_P4, Hex.encode(p4.transactionId()));
      assertArrayEquals(
          EcKeyPair.fromPrivate(p3.ephemeral().privateKey()).publicBytes(),
          p3.ephemeral().publicBytes());
      assertEquals(5, draws.names.size(), "nothing more drawn for the transactions drawn ahead");
      p.nextTransaction();
      assertEquals(
          List.of(Draws.Names.VEHICLE_EPHEMERAL, Draws.Names.TRANSACTION_ID),
          draws.names.subList(5, 7),
          "a third transaction draws when asked, as before");
    }
  }

  @Test
  @DisplayName("the precomputed SPAKE2+ role equals one built at P2.3 from the same y")
  void spake2AsWithoutPrecomputation() {
    BigInteger y = new SeededDraws(5).scalar(Draws.Names.SPAKE2_Y);
    try (Precomputation p = Precomputation.start(new SeededDraws(5), 1, List.of())) {
      p.verifierKnown(VERIFIER);
      VehicleSpake2 ahead = p.spake2(VERIFIER);
      VehicleSpake2 plain = VehicleSpake2.withScalar(VERIFIER, y);
      assertArrayEquals(plain.share(), ahead.share());
      byte[] x = dev.dkrig.ccc.P256.encode(dev.dkrig.ccc.P256.multiplyG(BigInteger.valueOf(7)));
      byte[] aad = Hex.decode("5B0201015C020101");
      assertArrayEquals(plain.receive(x, aad), ahead.receive(x, aad));
      assertArrayEquals(plain.v(), ahead.v());
      assertArrayEquals(plain.z(), ahead.z());
    }
  }

  @Test
  @DisplayName("another verifier than the precomputed one: Y is computed for it, from the same y")
  void otherVerifier() {
    BigInteger y = new SeededDraws(6).scalar(Draws.Names.SPAKE2_Y);
    Verifier other =
        Verifier.provision(
            "87654321",
            new ScryptParameters(Hex.decode("000102030405060708090A0B0C0D0E0F"), 16, 1, 1));
    try (Precomputation p = Precomputation.start(new SeededDraws(6), 1, List.of())) {
      p.verifierKnown(VERIFIER);
      assertArrayEquals(VehicleSpake2.withScalar(other, y).share(), p.spake2(other).share());
    }
  }
}
