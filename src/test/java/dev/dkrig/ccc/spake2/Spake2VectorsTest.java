package dev.dkrig.ccc.spake2;

import static dev.dkrig.testing.Vectors.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.dkrig.ccc.CccException;
import dev.dkrig.ccc.P256;
import dev.dkrig.iso7816.Hex;
import java.math.BigInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** §17.1 V1 (the official CCC vector), §17.2 D1 and §17.4.4 T1, for both roles. */
class Spake2VectorsTest {
  private static final String V1 = "17.1";
  private static final String T1 = "17.4.4";
  private static final byte[] D1_SALT = Hex.decode("000102030405060708090A0B0C0D0E0F");

  @Test
  @DisplayName("V1: w0s/w1s reduce to w0/w1 with mod (n-1) + 1")
  void v1Reduction() {
    assertArrayEquals(hex(V1, "w0"), P256.encodeScalar(ProverSecrets.reduce(hex(V1, "w0s"))));
    assertArrayEquals(hex(V1, "w1"), P256.encodeScalar(ProverSecrets.reduce(hex(V1, "w1s"))));
    assertArrayEquals(hex(V1, "L"), P256.encode(P256.multiplyG(new BigInteger(1, hex(V1, "w1")))));
  }

  @Test
  @DisplayName("V1: both roles reproduce X, Y, Z, V, K_main, K1, K2, M1, M2 and SystemKeys")
  void v1BothRoles() {
    ProverSecrets secrets =
        new ProverSecrets(new BigInteger(1, hex(V1, "w0")), new BigInteger(1, hex(V1, "w1")));
    Verifier verifier =
        new Verifier(hex(V1, "w0"), hex(V1, "L"), new ScryptParameters(D1_SALT, 4096, 8, 1))
            .validate();
    runBothRoles(secrets, verifier, V1);
  }

  @Test
  @DisplayName("D1: password 12345678 gives z, w0, w1, L (scrypt N=4096)")
  void d1() {
    ScryptParameters scrypt = new ScryptParameters(D1_SALT, 4096, 8, 1);
    ProverSecrets secrets = ProverSecrets.derive("12345678", scrypt);
    assertArrayEquals(hex("17.2", "w0"), P256.encodeScalar(secrets.w0()));
    assertArrayEquals(hex("17.2", "w1"), P256.encodeScalar(secrets.w1()));
    Verifier verifier = Verifier.provision("12345678", scrypt);
    assertArrayEquals(hex("17.2", "w0"), verifier.w0());
    assertArrayEquals(hex("17.2", "L"), verifier.l());
  }

  @Test
  @DisplayName("T1: SPAKE2+ from the D1 verifier with V1's scalars")
  void t1BothRoles() {
    ProverSecrets secrets =
        new ProverSecrets(
            new BigInteger(1, hex(T1, "spake2.w0")), new BigInteger(1, hex(T1, "spake2.w1")));
    Verifier verifier =
        new Verifier(
            hex(T1, "spake2.w0"), hex(T1, "spake2.L"), new ScryptParameters(D1_SALT, 4096, 8, 1));
    runBothRoles(secrets, verifier, T1);
  }

  private static void runBothRoles(ProverSecrets secrets, Verifier verifier, String section) {
    String p = section.equals(T1) ? "spake2." : "";
    byte[] aad = hex(section, p + "AAD");
    DeviceSpake2 device = DeviceSpake2.withScalar(secrets, new BigInteger(1, hex(V1, "x")));
    VehicleSpake2 vehicle = VehicleSpake2.withScalar(verifier, new BigInteger(1, hex(V1, "y")));
    assertArrayEquals(hex(section, p + "X"), device.share(), "X");
    assertArrayEquals(hex(section, p + "Y"), vehicle.share(), "Y");

    byte[] m1 = vehicle.receive(device.share(), aad);
    assertArrayEquals(hex(section, p + "Z"), vehicle.z(), "Z");
    assertArrayEquals(hex(section, p + "V"), vehicle.v(), "V");
    assertArrayEquals(hex(section, p + "K_main"), vehicle.keys().kMain(), "K_main");
    assertArrayEquals(hex(section, p + "K1"), vehicle.keys().k1(), "K1");
    assertArrayEquals(hex(section, p + "K2"), vehicle.keys().k2(), "K2");
    assertArrayEquals(hex(section, p + "SK"), vehicle.keys().sk(), "SK");
    assertArrayEquals(hex(section, p + "M1"), m1, "M1");

    byte[] m2 = device.respond(vehicle.share(), m1, aad);
    assertArrayEquals(hex(section, p + "M2"), m2, "M2");
    assertArrayEquals(hex(section, p + "K_main"), device.keys().kMain(), "device K_main");

    SystemKeys vehicleKeys = vehicle.confirm(m2);
    for (SystemKeys keys : new SystemKeys[] {vehicleKeys, device.systemKeys()}) {
      assertArrayEquals(hex(section, p + "Kenc"), keys.kenc(), "Kenc");
      assertArrayEquals(hex(section, p + "Kmac"), keys.kmac(), "Kmac");
      assertArrayEquals(hex(section, p + "Krmac"), keys.krmac(), "Krmac");
      assertArrayEquals(hex(section, p + "LTSS"), keys.ltss(), "LTSS");
      assertArrayEquals(hex(section, p + "Kble_intro"), keys.kbleIntro(), "Kble_intro");
      assertArrayEquals(hex(section, p + "Kble_oob_master"), keys.kbleOobMaster(), "Kble_oob");
    }
  }

  @Test
  @DisplayName("§5.4: a wrong M1 is refused by the device, a wrong M2 by the vehicle")
  void wrongEvidence() {
    ProverSecrets secrets =
        new ProverSecrets(new BigInteger(1, hex(V1, "w0")), new BigInteger(1, hex(V1, "w1")));
    Verifier verifier =
        new Verifier(hex(V1, "w0"), hex(V1, "L"), new ScryptParameters(D1_SALT, 4096, 8, 1));
    byte[] aad = hex(V1, "AAD");
    DeviceSpake2 device = DeviceSpake2.withScalar(secrets, new BigInteger(1, hex(V1, "x")));
    VehicleSpake2 vehicle = VehicleSpake2.withScalar(verifier, new BigInteger(1, hex(V1, "y")));
    byte[] m1 = vehicle.receive(device.share(), aad);
    byte[] badM1 = m1.clone();
    badM1[0] ^= 1;
    CccException e =
        assertThrows(CccException.class, () -> device.respond(vehicle.share(), badM1, aad));
    assertEquals(CccException.Failure.EVIDENCE, e.failure());
    byte[] badM2 = hex(V1, "M2");
    badM2[15] ^= 1;
    assertEquals(
        CccException.Failure.EVIDENCE,
        assertThrows(CccException.class, () -> vehicle.confirm(badM2)).failure());
  }

  @Test
  @DisplayName("§5.4: a different password gives different evidence (M1 rejected)")
  void wrongPassword() {
    ScryptParameters scrypt = new ScryptParameters(D1_SALT, 4096, 8, 1);
    Verifier verifier = Verifier.provision("12345678", scrypt);
    DeviceSpake2 device =
        DeviceSpake2.withScalar(
            ProverSecrets.derive("87654321", scrypt), new BigInteger(1, hex(V1, "x")));
    VehicleSpake2 vehicle = VehicleSpake2.withScalar(verifier, new BigInteger(1, hex(V1, "y")));
    byte[] aad = hex(V1, "AAD");
    byte[] m1 = vehicle.receive(device.share(), aad);
    assertThrows(CccException.class, () -> device.respond(vehicle.share(), m1, aad));
  }

  @Test
  @DisplayName("§5.3: invalid X (off curve, prefix, length, coordinate >= p, own share)")
  void invalidShares() {
    Verifier verifier =
        new Verifier(hex(V1, "w0"), hex(V1, "L"), new ScryptParameters(D1_SALT, 4096, 8, 1));
    VehicleSpake2 vehicle = VehicleSpake2.withScalar(verifier, new BigInteger(1, hex(V1, "y")));
    byte[] aad = hex(V1, "AAD");
    byte[] x = hex(V1, "X");
    byte[] offCurve = x.clone();
    offCurve[64] ^= 1;
    byte[] compressedPrefix = x.clone();
    compressedPrefix[0] = 0x02;
    byte[] bigCoordinate = x.clone();
    java.util.Arrays.fill(bigCoordinate, 1, 33, (byte) 0xFF);
    byte[][] bad = {
      offCurve,
      compressedPrefix,
      bigCoordinate,
      java.util.Arrays.copyOf(x, 64),
      vehicle.share(),
      new byte[65]
    };
    for (byte[] share : bad) {
      CccException e = assertThrows(CccException.class, () -> vehicle.receive(share, aad));
      assertEquals(CccException.Failure.INVALID_POINT, e.failure(), e.getMessage());
    }
  }

  @Test
  @DisplayName("§5.1: verifier validity (P1.4)")
  void verifierValidity() {
    ScryptParameters good = new ScryptParameters(D1_SALT, 4096, 8, 1);
    byte[] l = hex(V1, "L");
    assertThrows(CccException.class, () -> new Verifier(new byte[32], l, good).validate());
    assertThrows(
        CccException.class,
        () ->
            new Verifier(
                    P256.encodeScalar(P256.N.subtract(BigInteger.ONE)).clone(), new byte[65], good)
                .validate());
    assertThrows(
        CccException.class,
        () ->
            new Verifier(hex(V1, "w0"), l, new ScryptParameters(new byte[15], 4096, 8, 1))
                .validate());
    assertThrows(
        CccException.class,
        () -> new Verifier(hex(V1, "w0"), l, new ScryptParameters(D1_SALT, 4095, 8, 1)).validate());
    assertThrows(
        CccException.class,
        () ->
            new Verifier(hex(V1, "w0"), l, new ScryptParameters(D1_SALT, 1L << 32, 8, 1))
                .validate());
    assertThrows(
        CccException.class,
        () -> new Verifier(hex(V1, "w0"), l, new ScryptParameters(D1_SALT, 4096, 0, 1)).validate());
    assertThrows(
        CccException.class,
        () ->
            new Verifier(hex(V1, "w0"), l, new ScryptParameters(D1_SALT, 4096, 8, 65536))
                .validate());
    assertThrows(IllegalArgumentException.class, () -> Verifier.provision("1234567", good));
    assertThrows(IllegalArgumentException.class, () -> Verifier.provision("1234567a", good));
  }

  @Test
  void secretsNeverShowInToString() {
    Verifier verifier =
        new Verifier(hex(V1, "w0"), hex(V1, "L"), new ScryptParameters(D1_SALT, 4096, 8, 1));
    String w0 = Hex.encode(hex(V1, "w0"));
    assertEquals(-1, verifier.toString().indexOf(w0));
    assertEquals(
        -1, SystemKeys.derive(hex(V1, "SK")).toString().indexOf(Hex.encode(hex(V1, "Kenc"))));
  }
}
