package dev.dkrig.ble.bluez;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dkrig.ble.VehicleIdentity;
import dev.dkrig.ble.bluez.BluezHostFiles.Reading;
import dev.dkrig.iso7816.Hex;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * §14.1's address rule against what BlueZ can be told: main.conf Privacy and the adapter's identity
 * file (no D-Bus property names the advertising address).
 */
class AdvertisedAddressTest {
  static final String ADDRESS = "00:1A:7D:DA:71:13";

  /** T1's vehicle IRK (§17.4). */
  static final byte[] IRK = Hex.decode("8899AABBCCDDEEFF0011223344556677");

  static final VehicleIdentity VEHICLE =
      new VehicleIdentity(IRK, 0, Hex.decode(ADDRESS.replace(":", "")));

  @TempDir Path root;

  BluezHostFiles files(String mainConf, String identity) throws Exception {
    if (mainConf != null) {
      Path conf = root.resolve(BluezHostFiles.MAIN_CONF);
      Files.createDirectories(conf.getParent());
      Files.writeString(conf, mainConf);
    }
    if (identity != null) {
      Path file = root.resolve(BluezHostFiles.STORAGE).resolve(ADDRESS).resolve("identity");
      Files.createDirectories(file.getParent());
      Files.writeString(file, identity);
    }
    return new BluezHostFiles(root);
  }

  AdvertisedAddress address(BluezHostFiles files, Optional<VehicleIdentity> vehicle) {
    return AdvertisedAddress.of(
        ADDRESS, "public", files.privacy(), files.identityResolvingKey(ADDRESS), vehicle);
  }

  @Test
  void mainConfPrivacyIsReadFromTheGeneralGroupOnly() throws Exception {
    BluezHostFiles files =
        files(
            "# Privacy = device\n[Policy]\nPrivacy = network\n[General]\n#Privacy = off\n"
                + "  Privacy = Device  \n",
            null);
    Reading<String> privacy = files.privacy();
    assertEquals("device", ((Reading.Found<String>) privacy).value());
  }

  @Test
  void theIdentityFileIrk() throws Exception {
    BluezHostFiles files = files(null, "[General]\nIdentityResolvingKey=" + Hex.encode(IRK) + "\n");
    Reading<byte[]> irk = files.identityResolvingKey(ADDRESS);
    assertArrayEquals(IRK, ((Reading.Found<byte[]>) irk).value());
    assertInstanceOf(Reading.Absent.class, files.identityResolvingKey("11:22:33:44:55:66"));
    assertInstanceOf(
        Reading.Unreadable.class,
        files(null, "[General]\nIdentityResolvingKey=1234\n").identityResolvingKey(ADDRESS));
  }

  @Test
  void privacyOffMeansTheIdentityAddress() throws Exception {
    AdvertisedAddress a = address(files(null, null), Optional.of(VEHICLE));
    assertEquals(AdvertisedAddress.Kind.IDENTITY, a.kind());
    assertTrue(a.asContracted());
    assertEquals(
        "identity address 00:1A:7D:DA:71:13 (public): BlueZ privacy off (main.conf Privacy unset"
            + " (off))",
        a.text());
    assertEquals(
        AdvertisedAddress.Kind.IDENTITY,
        address(files("[General]\nPrivacy = off\n", null), Optional.empty()).kind());
  }

  @Test
  void privacyDeviceWithTheVehicleIrk() throws Exception {
    AdvertisedAddress a =
        address(
            files(
                "[General]\nPrivacy = device\n",
                "[General]\nIdentityResolvingKey=" + Hex.encode(IRK)),
            Optional.of(VEHICLE));
    assertEquals(AdvertisedAddress.Kind.RESOLVABLE_PRIVATE_VEHICLE_IRK, a.kind());
    assertTrue(a.asContracted());
    assertTrue(a.text().startsWith("resolvable private address from the vehicle IRK"), a.text());
  }

  @Test
  void privacyWithBluetoothdsOwnIrkIsNotWhatTheDeviceCanResolve() throws Exception {
    AdvertisedAddress a =
        address(
            files(
                "[General]\nPrivacy = network\n",
                "[General]\nIdentityResolvingKey=00112233445566778899AABBCCDDEEFF\n"),
            Optional.of(VEHICLE));
    assertEquals(AdvertisedAddress.Kind.RESOLVABLE_PRIVATE_OTHER_IRK, a.kind());
    assertTrue(a.text().contains("the device cannot resolve it"), a.text());
  }

  @Test
  void privacyOnButNothingToCompareWith() throws Exception {
    AdvertisedAddress a = address(files("[General]\nPrivacy = on\n", null), Optional.of(VEHICLE));
    assertEquals(AdvertisedAddress.Kind.RESOLVABLE_PRIVATE_UNVERIFIED, a.kind());
    assertTrue(a.text().contains("has no IdentityResolvingKey"), a.text());
  }

  @Test
  void limitedPrivacyShowsTheIdentityWhileDiscoverable() throws Exception {
    AdvertisedAddress a =
        address(files("[General]\nPrivacy = limited-device\n", null), Optional.empty());
    assertEquals(AdvertisedAddress.Kind.IDENTITY, a.kind());
  }

  @Test
  void anAdapterAddressOtherThan7F49sIsSaid() throws Exception {
    VehicleIdentity other = new VehicleIdentity(IRK, 1, Hex.decode("C0FFEE000001"));
    AdvertisedAddress a = address(files(null, null), Optional.of(other));
    assertTrue(
        a.text()
            .endsWith(
                "; 7F49 announces C0:FF:EE:00:00:01 (random), so the device will not recognise the"
                    + " vehicle by address"),
        a.text());
  }
}
