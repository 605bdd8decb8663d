package dev.dkrig.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dkrig.ccc.EcKeyPair;
import dev.dkrig.ccc.P256;
import dev.dkrig.iso7816.Hex;
import dev.dkrig.testing.Vectors;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** T1 material (§17.4.1–17.4.3) and the device settings built from it. */
class DeviceSettingsTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "vehicle_oem_ca",
        "vehicle",
        "device_oem_ca",
        "instance_ca",
        "endpoint",
        "zz2",
        "devx_enc",
        "kts_eph"
      })
  void t1KeysAreDerivedFromTheirLabels(String label) {
    EcKeyPair key = T1Material.key(label);
    assertEquals(
        Hex.encode(Vectors.hex("key." + label + ".SK")),
        Hex.encode(P256.encodeScalar(key.privateKey())));
    assertEquals(Hex.encode(Vectors.hex("key." + label + ".PK")), Hex.encode(key.publicBytes()));
  }

  @Test
  void t1CertificatesAreTheContractDer() {
    assertEquals(Vectors.text("cert.VehicleOemCA"), T1Material.VEHICLE_OEM_CA_CERTIFICATE);
    assertEquals(Vectors.text("cert.K"), T1Material.VEHICLE_CERTIFICATE);
    assertEquals(Vectors.text("cert.F_DeviceOemCA"), T1Material.DEVICE_OEM_CA_CERTIFICATE);
    assertEquals(Vectors.text("cert.E_InstanceCA"), T1Material.INSTANCE_CA_CERTIFICATE);
  }

  @Test
  void t1SettingsFollowTheContractDefaults() {
    DeviceSettings settings = DeviceSettings.t1();
    assertEquals(List.of(0x0101, 0x0100), settings.spake2Versions());
    assertEquals(List.of(0x0101, 0x0100), settings.appletVersions());
    assertEquals(50, settings.uiBundle().length);
    assertTrue(settings.ktsDelay().isZero());
    assertTrue(settings.keyCreationDelay().isZero());
    assertTrue(settings.checkCertificateValidity());
    assertEquals(settings, DeviceSettings.t1());
  }

  @Test
  void versionListsAreKeptDescending() {
    DeviceSettings settings =
        DeviceSettings.t1().withVersions(List.of(0x0100, 0x0101), List.of(0x0100));
    assertEquals(List.of(0x0101, 0x0100), settings.spake2Versions());
    assertEquals(List.of(0x0100), settings.appletVersions());
  }

  @Test
  void toStringShowsNoSecret() {
    String text = DeviceSettings.t1().toString();
    assertFalse(text.contains(T1Material.PASSWORD), text);
    assertTrue(text.contains("password=<set>"), text);
    for (String label : List.of("device_oem_ca", "instance_ca", "zz2")) {
      assertFalse(text.contains(Hex.encode(Vectors.hex("key." + label + ".SK"))), label);
    }
    assertTrue(DeviceSettings.t1().withPassword(null).toString().contains("password=<none>"));
  }

  @Test
  void rejectsAPasswordThatIsNotEightDigits() {
    assertThrows(IllegalArgumentException.class, () -> DeviceSettings.t1().withPassword("1234"));
  }
}
