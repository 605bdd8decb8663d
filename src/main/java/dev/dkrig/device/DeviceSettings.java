package dev.dkrig.device;

import dev.dkrig.ccc.CccException;
import dev.dkrig.ccc.DkProfile;
import dev.dkrig.ccc.EcKeyPair;
import dev.dkrig.ccc.P256;
import dev.dkrig.ccc.fw.Versions;
import dev.dkrig.ccc.pki.CccCertificate;
import dev.dkrig.ccc.pki.TrustAnchor;
import dev.dkrig.iso7816.Hex;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What a {@link VirtualDevice} is made of: its pairing password, its version lists, its PKI (Device
 * OEM CA F, Instance CA E, the Vehicle OEM CA it trusts for K), the simulated KTS's keys and
 * receipt content, and the two delays a test may want. {@link #toString()} shows no secret.
 *
 * @param password the 8-digit pairing password, or {@code null} for a device without one (SELECT
 *     {@code D4 = 00}, REQUEST answered {@code 9484}, §3.3.1, §3.6)
 * @param spake2Versions the SELECT framework {@code 5A} list, kept in descending order (§3.3.1)
 * @param appletVersions the {@code 5C} lists of both SELECT responses, descending (§3.3.1, §3.4)
 * @param deviceOemCaKey the key of F (kept with F; the device never signs with it in v1)
 * @param deviceOemCaCertificate F, returned by GET DATA {@code 7F24}
 * @param instanceCaKey the key of E, which signs every endpoint certificate H (§8.1)
 * @param instanceCaCertificate E, returned by GET DATA {@code 7F22}
 * @param vehicleOemCa the trust anchor K must chain to (§7.7)
 * @param ktsSigningKey ZZ2, the simulated KTS's signing key (§12.3 step 7)
 * @param vehicleEncryptionPublicKey {@code Devx.Enc.PK}, 65 bytes (§12.3 step 3)
 * @param uiBundle the receipt's opaque uiBundle, 0–1024 bytes (§12.3 step 1)
 * @param ktsDelay T_KtsDelay on the KTS clock after P3.4 (§13, default 0)
 * @param keyCreationDelay how long after {@code 10 01} the key-creation status stays {@code 01} on
 *     the device clock (§8.1; default 0: created before the answer)
 * @param quirks named misbehaviours for conformance tests (empty: a device that follows the
 *     contract)
 * @param checkCertificateValidity whether K's validity period is checked against the device clock
 *     (§7.7 with §8.5 rule 6)
 * @param streamCapacity the longest WRITE DATA stream the device accepts, {@value
 *     DkProfile#MIN_ACCEPTED_STREAM}–{@value DkProfile#MAX_STREAM_CAPACITY} bytes (§18.22)
 */
public record DeviceSettings(
    String password,
    List<Integer> spake2Versions,
    List<Integer> appletVersions,
    EcKeyPair deviceOemCaKey,
    CccCertificate deviceOemCaCertificate,
    EcKeyPair instanceCaKey,
    CccCertificate instanceCaCertificate,
    TrustAnchor vehicleOemCa,
    EcKeyPair ktsSigningKey,
    byte[] vehicleEncryptionPublicKey,
    byte[] uiBundle,
    Duration ktsDelay,
    Duration keyCreationDelay,
    boolean checkCertificateValidity,
    Set<DeviceQuirk> quirks,
    int streamCapacity) {

  public DeviceSettings {
    if (password != null && !password.matches("[0-9]{8}")) {
      throw new IllegalArgumentException("the pairing password must be 8 digits 0-9 (§1)");
    }
    spake2Versions = descending(spake2Versions, "SPAKE2+ versions");
    appletVersions = descending(appletVersions, "applet versions");
    Objects.requireNonNull(deviceOemCaKey, "deviceOemCaKey");
    Objects.requireNonNull(deviceOemCaCertificate, "deviceOemCaCertificate");
    Objects.requireNonNull(instanceCaKey, "instanceCaKey");
    Objects.requireNonNull(instanceCaCertificate, "instanceCaCertificate");
    Objects.requireNonNull(vehicleOemCa, "vehicleOemCa");
    Objects.requireNonNull(ktsSigningKey, "ktsSigningKey");
    requireKeyOf(deviceOemCaKey, deviceOemCaCertificate, "F");
    requireKeyOf(instanceCaKey, instanceCaCertificate, "E");
    vehicleEncryptionPublicKey = vehicleEncryptionPublicKey.clone();
    try {
      P256.decodePoint(vehicleEncryptionPublicKey);
    } catch (CccException e) {
      throw new IllegalArgumentException("Devx.Enc.PK: " + e.getMessage(), e);
    }
    uiBundle = uiBundle.clone();
    if (uiBundle.length > DkProfile.MAX_UI_BUNDLE) {
      throw new IllegalArgumentException("uiBundle exceeds " + DkProfile.MAX_UI_BUNDLE + " bytes");
    }
    requireNotNegative(ktsDelay, "ktsDelay");
    requireNotNegative(keyCreationDelay, "keyCreationDelay");
    quirks = quirks.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(quirks));
    if (streamCapacity < DkProfile.MIN_ACCEPTED_STREAM
        || streamCapacity > DkProfile.MAX_STREAM_CAPACITY) {
      throw new IllegalArgumentException(
          "stream capacity must be "
              + DkProfile.MIN_ACCEPTED_STREAM
              + ".."
              + DkProfile.MAX_STREAM_CAPACITY
              + " bytes (§18.22), got "
              + streamCapacity);
    }
  }

  /**
   * The settings of the T1 transcript (§17.4): password {@code 12345678}, versions {@code 0101
   * 0100}, the T1 PKI and KTS keys, the T1 uiBundle, no delays, validity checks on (§18.2).
   */
  public static DeviceSettings t1() {
    return new DeviceSettings(
        T1Material.PASSWORD,
        DkProfile.DEVICE_SPAKE2_VERSIONS,
        DkProfile.DEVICE_APPLET_VERSIONS,
        T1Material.key(T1Material.KEY_DEVICE_OEM_CA),
        T1Material.deviceOemCaCertificate(),
        T1Material.key(T1Material.KEY_INSTANCE_CA),
        T1Material.instanceCaCertificate(),
        TrustAnchor.of(T1Material.vehicleOemCaCertificate()),
        T1Material.key(T1Material.KEY_ZZ2),
        T1Material.key(T1Material.KEY_DEVX_ENC).publicBytes(),
        T1Material.uiBundle(),
        DkProfile.T_KTS_DELAY,
        Duration.ZERO,
        DkProfile.PKI_CHECK_VALIDITY,
        Set.of(),
        DkProfile.MAX_STREAM_CAPACITY);
  }

  /** The same settings with another password, or none ({@code null}). */
  public DeviceSettings withPassword(String newPassword) {
    return new DeviceSettings(
        newPassword,
        spake2Versions,
        appletVersions,
        deviceOemCaKey,
        deviceOemCaCertificate,
        instanceCaKey,
        instanceCaCertificate,
        vehicleOemCa,
        ktsSigningKey,
        vehicleEncryptionPublicKey,
        uiBundle,
        ktsDelay,
        keyCreationDelay,
        checkCertificateValidity,
        quirks,
        streamCapacity);
  }

  /** The same settings with other version lists. */
  public DeviceSettings withVersions(List<Integer> newSpake2Versions, List<Integer> newApplet) {
    return new DeviceSettings(
        password,
        newSpake2Versions,
        newApplet,
        deviceOemCaKey,
        deviceOemCaCertificate,
        instanceCaKey,
        instanceCaCertificate,
        vehicleOemCa,
        ktsSigningKey,
        vehicleEncryptionPublicKey,
        uiBundle,
        ktsDelay,
        keyCreationDelay,
        checkCertificateValidity,
        quirks,
        streamCapacity);
  }

  /** The same settings with other delays for the KTS (T_KtsDelay) and for key creation. */
  public DeviceSettings withDelays(Duration newKtsDelay, Duration newKeyCreationDelay) {
    return new DeviceSettings(
        password,
        spake2Versions,
        appletVersions,
        deviceOemCaKey,
        deviceOemCaCertificate,
        instanceCaKey,
        instanceCaCertificate,
        vehicleOemCa,
        ktsSigningKey,
        vehicleEncryptionPublicKey,
        uiBundle,
        newKtsDelay,
        newKeyCreationDelay,
        checkCertificateValidity,
        quirks,
        streamCapacity);
  }

  /** The same settings with the validity check of K switched on or off (§8.5 rule 6). */
  public DeviceSettings withCertificateValidityCheck(boolean check) {
    return new DeviceSettings(
        password,
        spake2Versions,
        appletVersions,
        deviceOemCaKey,
        deviceOemCaCertificate,
        instanceCaKey,
        instanceCaCertificate,
        vehicleOemCa,
        ktsSigningKey,
        vehicleEncryptionPublicKey,
        uiBundle,
        ktsDelay,
        keyCreationDelay,
        check,
        quirks,
        streamCapacity);
  }

  /** The same settings with another Vehicle OEM CA trust anchor for K (§7.7). */
  public DeviceSettings withVehicleOemCa(TrustAnchor anchor) {
    return new DeviceSettings(
        password,
        spake2Versions,
        appletVersions,
        deviceOemCaKey,
        deviceOemCaCertificate,
        instanceCaKey,
        instanceCaCertificate,
        anchor,
        ktsSigningKey,
        vehicleEncryptionPublicKey,
        uiBundle,
        ktsDelay,
        keyCreationDelay,
        checkCertificateValidity,
        quirks,
        streamCapacity);
  }

  /** Whether a pairing password is present: SELECT framework {@code D4 = 02} (§3.3.1). */
  public boolean hasPassword() {
    return password != null;
  }

  @Override
  public byte[] vehicleEncryptionPublicKey() {
    return vehicleEncryptionPublicKey.clone();
  }

  @Override
  public byte[] uiBundle() {
    return uiBundle.clone();
  }

  /** The same settings with these quirks (conformance scenarios, issue 8; fault tests). */
  public DeviceSettings withQuirks(Set<DeviceQuirk> newQuirks) {
    return new DeviceSettings(
        password,
        spake2Versions,
        appletVersions,
        deviceOemCaKey,
        deviceOemCaCertificate,
        instanceCaKey,
        instanceCaCertificate,
        vehicleOemCa,
        ktsSigningKey,
        vehicleEncryptionPublicKey,
        uiBundle,
        ktsDelay,
        keyCreationDelay,
        checkCertificateValidity,
        newQuirks,
        streamCapacity);
  }

  /** The same settings with another creation-stream capacity (§18.22). */
  public DeviceSettings withStreamCapacity(int newStreamCapacity) {
    return new DeviceSettings(
        password,
        spake2Versions,
        appletVersions,
        deviceOemCaKey,
        deviceOemCaCertificate,
        instanceCaKey,
        instanceCaCertificate,
        vehicleOemCa,
        ktsSigningKey,
        vehicleEncryptionPublicKey,
        uiBundle,
        ktsDelay,
        keyCreationDelay,
        checkCertificateValidity,
        quirks,
        newStreamCapacity);
  }

  public boolean has(DeviceQuirk quirk) {
    return quirks.contains(quirk);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof DeviceSettings that
        && Objects.equals(password, that.password)
        && spake2Versions.equals(that.spake2Versions)
        && appletVersions.equals(that.appletVersions)
        && Arrays.equals(deviceOemCaKey.publicBytes(), that.deviceOemCaKey.publicBytes())
        && deviceOemCaCertificate.equals(that.deviceOemCaCertificate)
        && Arrays.equals(instanceCaKey.publicBytes(), that.instanceCaKey.publicBytes())
        && instanceCaCertificate.equals(that.instanceCaCertificate)
        && Arrays.equals(vehicleOemCa.publicKey(), that.vehicleOemCa.publicKey())
        && Arrays.equals(vehicleOemCa.subject(), that.vehicleOemCa.subject())
        && Arrays.equals(ktsSigningKey.publicBytes(), that.ktsSigningKey.publicBytes())
        && Arrays.equals(vehicleEncryptionPublicKey, that.vehicleEncryptionPublicKey)
        && Arrays.equals(uiBundle, that.uiBundle)
        && ktsDelay.equals(that.ktsDelay)
        && keyCreationDelay.equals(that.keyCreationDelay)
        && checkCertificateValidity == that.checkCertificateValidity
        && quirks.equals(that.quirks)
        && streamCapacity == that.streamCapacity;
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        spake2Versions,
        appletVersions,
        deviceOemCaCertificate,
        instanceCaCertificate,
        Arrays.hashCode(uiBundle),
        ktsDelay,
        keyCreationDelay,
        checkCertificateValidity,
        quirks,
        streamCapacity);
  }

  /** No password, no private key: engineering rule, settings end up in logs and reports. */
  @Override
  public String toString() {
    return "DeviceSettings[password="
        + (hasPassword() ? "<set>" : "<none>")
        + ", 5A="
        + Versions.format(spake2Versions)
        + ", 5C="
        + Versions.format(appletVersions)
        + ", F="
        + deviceOemCaCertificate
        + ", E="
        + instanceCaCertificate
        + ", vehicleOemCa="
        + vehicleOemCa
        + ", ZZ2.PK="
        + Hex.encode(ktsSigningKey.publicBytes())
        + ", Devx.Enc.PK="
        + Hex.encode(vehicleEncryptionPublicKey)
        + ", uiBundle="
        + uiBundle.length
        + " bytes, ktsDelay="
        + ktsDelay
        + ", keyCreationDelay="
        + keyCreationDelay
        + ", checkCertificateValidity="
        + checkCertificateValidity
        + ", streamCapacity="
        + streamCapacity
        + "]";
  }

  private static List<Integer> descending(List<Integer> versions, String what) {
    if (versions.isEmpty()) {
      throw new IllegalArgumentException(what + ": at least one version");
    }
    for (int version : versions) {
      if (version < 0 || version > 0xFFFF) {
        throw new IllegalArgumentException(what + ": version out of range: " + version);
      }
    }
    return versions.stream().distinct().sorted(Comparator.reverseOrder()).toList();
  }

  private static void requireKeyOf(EcKeyPair key, CccCertificate certificate, String name) {
    if (!Arrays.equals(key.publicBytes(), certificate.publicKey())) {
      throw new IllegalArgumentException(name + ": the key pair does not match the certificate");
    }
  }

  private static void requireNotNegative(Duration duration, String what) {
    if (duration == null || duration.isNegative()) {
      throw new IllegalArgumentException(what + " must be zero or positive");
    }
  }
}
