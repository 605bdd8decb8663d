package dev.dkrig.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dkrig.ccc.EcKeyPair;
import dev.dkrig.pairing.VerifierSource;
import dev.dkrig.testing.Vectors;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.AlgorithmParameters;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPrivateKeySpec;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Profiles and rigs: every mistake names the file, the field and what was expected. */
class ConfigFilesTest {
  @TempDir Path dir;
  private String profile;

  @BeforeEach
  void copyDefaults() throws Exception {
    for (String name :
        new String[] {
          "vehicle.key.pem", "vehicle.crt.pem", "vehicle-oem-ca.crt.pem", "devx-enc.key.pem"
        }) {
      Files.createDirectories(dir.resolve("test-pki"));
      Files.write(
          dir.resolve("test-pki").resolve(name), resource("/defaults/profiles/test-pki/" + name));
    }
    profile = new String(resource("/defaults/profiles/default.yaml"), StandardCharsets.UTF_8);
  }

  private static byte[] resource(String name) throws Exception {
    return ConfigFilesTest.class.getResourceAsStream(name).readAllBytes();
  }

  private VehicleProfile load(String text) throws Exception {
    Path file = dir.resolve("p.yaml");
    Files.writeString(file, text);
    return VehicleProfile.load(ConfigSource.file(file));
  }

  private String error(String text) {
    return assertThrows(ConfigException.class, () -> load(text)).getMessage();
  }

  @Test
  @DisplayName("the embedded default profile and rig load")
  void defaults() {
    VehicleProfile p = VehicleProfile.load(ConfigSource.embedded(VehicleProfile.EMBEDDED));
    assertEquals("444B524947563031", p.settings().vehicleIdHex());
    assertTrue(p.settings().verifier() instanceof VerifierSource.FromPassword);
    RigConfig rig = RigConfig.load(ConfigSource.embedded(RigConfig.EMBEDDED));
    assertEquals(RigConfig.Transport.VIRTUAL, rig.transport());
    assertEquals(RigConfig.BleMode.OFF, rig.ble());
    assertEquals("12345678", rig.device().orElseThrow().password());
  }

  @Test
  @DisplayName("unknown key, wrong type, bad hex, wrong length, missing file, bad duration")
  void mistakes() {
    String m = error(profile.replace("phase4: on", "phase4: on\nphase5: on"));
    assertTrue(m.contains("p.yaml: phase5: unknown key (expected one of:"), m);
    m = error(profile.replace("identifier: 444B524947563031", "identifier: [1, 2]"));
    assertTrue(m.contains("vehicle.identifier: expected a text value, got a list"), m);
    m = error(profile.replace("identifier: 444B524947563031", "identifier: 444B52494756303G"));
    assertTrue(m.contains("vehicle.identifier: expected hex digits"), m);
    m = error(profile.replace("brand: \"0001\"", "brand: \"000102\""));
    assertTrue(m.contains("vehicle.brand: expected 2 bytes (4 hex digits), got 3 bytes"), m);
    m = error(profile.replace("test-pki/vehicle.key.pem", "test-pki/nope.pem"));
    assertTrue(m.contains("pki.vehicleKey: cannot read") && m.contains("nope.pem"), m);
    m = error(profile.replace("backend: on", "backend: on\ntimers:\n  T_OwnerPairing: soon"));
    assertTrue(m.contains("timers.T_OwnerPairing: 'soon' is not a duration"), m);
    // Issue 15 item 7: a bare number is refused with both readings; a typo lists every timer.
    m = error(profile.replace("backend: on", "backend: on\ntimers:\n  T_OwnerPairing: 50"));
    assertTrue(m.contains("timers.T_OwnerPairing: '50' has no unit: write 50ms or 50s"), m);
    m = error(profile.replace("backend: on", "backend: on\ntimers:\n  T_Nope: 3s"));
    assertTrue(m.contains("timers.T_Nope: unknown timer"), m);
    assertTrue(m.contains("T_PairingModeTimeout") && m.contains("T_KtsDelay"), m);
    m = error(profile.replace("password: \"12345678\"", "password: \"1234\""));
    assertTrue(m.contains("verifier.password: expected 8 digits"), m);
    m = error(profile.replace("test-pki/vehicle.key.pem", "test-pki/vehicle.crt.pem"));
    assertTrue(m.contains("pki.vehicleKey") && m.contains("not a P-256 private key"), m);
    m = error("vehicle: [");
    assertTrue(m.contains("not valid YAML"), m);
    for (String line : Stream.of(m).toList()) {
      assertEquals(1, line.lines().count());
    }
  }

  @Test
  @DisplayName("K must match the vehicle key and carry the identifier as CN (§8.4)")
  void vehicleCertificateChecks() {
    String m =
        error(profile.replace("identifier: 444B524947563031", "identifier: 444B524947563032"));
    assertTrue(
        m.contains(
            "K's subject CN is 444B524947563031, expected the vehicle identifier 444B524947563032"),
        m);
    m = error(profile.replace("test-pki/vehicle.key.pem", "test-pki/devx-enc.key.pem"));
    assertTrue(m.contains("K's public key does not match pki.vehicleKey"), m);
  }

  @Test
  @DisplayName("a provisioned verifier (w0/L) and an absent one")
  void verifierForms() throws Exception {
    String provisioned =
        profile.replace(
            "  password: \"12345678\"\n",
            "  w0: "
                + dev.dkrig.iso7816.Hex.encode(Vectors.hex("17.2", "w0"))
                + "\n  L: "
                + dev.dkrig.iso7816.Hex.encode(Vectors.hex("17.2", "L"))
                + "\n  salt: 000102030405060708090A0B0C0D0E0F\n");
    assertTrue(load(provisioned).settings().verifier() instanceof VerifierSource.Provisioned);
    // Issue 15 item 4: the vehicle never runs scrypt for a provisioned verifier; a large N is the
    // device's business (it answers 6A88 if it cannot afford it).
    String heavy = provisioned.replace("  N: 32768\n", "  N: 1073741824\n");
    assertTrue(heavy.contains("N: 1073741824"));
    assertTrue(load(heavy).settings().verifier() instanceof VerifierSource.Provisioned);
    String absent = profile.substring(0, profile.indexOf("verifier:")) + "phase4: on\n";
    assertTrue(load(absent).settings().verifier() instanceof VerifierSource.Absent);
  }

  @Test
  @DisplayName("keys load from PKCS#12; a wrong password is named as such")
  void pkcs12() throws Exception {
    EcKeyPair pem = EcKeyPair.fromPrivate(Vectors.hex("key.vehicle.SK"));
    AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
    parameters.init(new ECGenParameterSpec("secp256r1"));
    PrivateKey key =
        KeyFactory.getInstance("EC")
            .generatePrivate(
                new ECPrivateKeySpec(
                    pem.privateKey(), parameters.getParameterSpec(ECParameterSpec.class)));
    Certificate k =
        CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(Vectors.hex("cert.K")));
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry("vehicle", key, "secret".toCharArray(), new Certificate[] {k});
    try (OutputStream out = Files.newOutputStream(dir.resolve("vehicle.p12"))) {
      store.store(out, "secret".toCharArray());
    }
    String p12 =
        profile
            .replace(
                "vehicleKey: test-pki/vehicle.key.pem",
                "vehicleKey: {pkcs12: vehicle.p12, password: secret}")
            .replace(
                "vehicleCertificate: test-pki/vehicle.crt.pem",
                "vehicleCertificate: {pkcs12: vehicle.p12, password: secret}");
    VehicleProfile loaded = load(p12);
    assertEquals(pem.privateKey(), loaded.settings().vehicleKey().privateKey());
    assertArrayEquals(Vectors.hex("cert.K"), loaded.settings().vehicleCertificate().encoded());
    String m = error(p12.replace("password: secret}", "password: wrong}"));
    assertTrue(m.contains("wrong PKCS#12 password"), m);
    assertTrue(BigInteger.ONE.signum() > 0);
  }

  @Test
  @DisplayName("rig mistakes: transport, ble mode, device password, quirk name")
  void rigMistakes() throws Exception {
    String rig =
        new String(resource("/defaults/rigs/virtual.yaml"), StandardCharsets.UTF_8)
            .replace("test-pki/", dir.resolve("rigpki").toString() + "/")
            .replace(
                "../profiles/" + dir.resolve("rigpki") + "/",
                dir.resolve("test-pki").toString() + "/");
    Files.createDirectories(dir.resolve("rigpki"));
    for (String name :
        new String[] {
          "device-oem-ca.key.pem",
          "device-oem-ca.crt.pem",
          "instance-ca.key.pem",
          "instance-ca.crt.pem",
          "zz2.key.pem"
        }) {
      Files.write(dir.resolve("rigpki").resolve(name), resource("/defaults/rigs/test-pki/" + name));
    }
    Path file = dir.resolve("rig.yaml");
    Files.writeString(file, rig);
    RigConfig.load(ConfigSource.file(file));
    Files.writeString(file, rig.replace("transport: virtual", "transport: carrier-pigeon"));
    String m =
        assertThrows(ConfigException.class, () -> RigConfig.load(ConfigSource.file(file)))
            .getMessage();
    assertTrue(m.contains("transport: expected"), m);
    Files.writeString(file, rig.replace("ble: off", "ble: maybe"));
    m =
        assertThrows(ConfigException.class, () -> RigConfig.load(ConfigSource.file(file)))
            .getMessage();
    assertTrue(m.contains("ble: expected off, on or optional, got 'maybe'"), m);
    Files.writeString(
        file, rig.replace("password: \"12345678\"", "password: \"12345678\"\n  quirks: [sleepy]"));
    m =
        assertThrows(ConfigException.class, () -> RigConfig.load(ConfigSource.file(file)))
            .getMessage();
    assertTrue(m.contains("device.quirks: unknown device quirk 'sleepy'"), m);
    Files.writeString(
        file,
        rig.replace("password: \"12345678\"", "password: \"12345678\"\n  streamCapacity: 4096"));
    assertEquals(
        4096, RigConfig.load(ConfigSource.file(file)).device().orElseThrow().streamCapacity());
    for (String capacity : new String[] {"4095", "8193", "big"}) {
      Files.writeString(
          file,
          rig.replace(
              "password: \"12345678\"", "password: \"12345678\"\n  streamCapacity: " + capacity));
      m =
          assertThrows(ConfigException.class, () -> RigConfig.load(ConfigSource.file(file)))
              .getMessage();
      assertTrue(
          m.startsWith(file + ": device.streamCapacity: expected an integer 4096..8192, got "), m);
    }
  }
}
