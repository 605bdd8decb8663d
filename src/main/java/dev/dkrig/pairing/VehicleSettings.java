package dev.dkrig.pairing;

import dev.dkrig.ccc.EcKeyPair;
import dev.dkrig.ccc.kcd.DeviceConfiguration;
import dev.dkrig.ccc.kcd.EndpointCreationData;
import dev.dkrig.ccc.kcd.KeyCreationStream;
import dev.dkrig.ccc.kcd.MailboxMapping;
import dev.dkrig.ccc.pki.CccCertificate;
import dev.dkrig.ccc.pki.TrustAnchor;
import dev.dkrig.iso7816.Hex;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.math.ec.ECPoint;

/**
 * Everything the vehicle role needs, resolved from a vehicle profile (identity, keys, versions,
 * creation data, BLE parameters, verifier, switches). Secrets are not shown by {@link #toString()}.
 *
 * @param vehicleIdentifier 8 bytes (§1)
 * @param brand 2 bytes (§1, D6)
 * @param ignitionOn P1.1's input
 * @param intermediateCertificate the optional 7F4C
 * @param creation option groups, key slot, mailboxes, immobiliser slot (§7.2, §7.4)
 * @param ble IRK, identity address, SPSM (§7.5, §14)
 * @param zz2PublicKey the KTS signing key (§12.4)
 * @param devxEncKey the vehicle's receipt decryption key (§12.4)
 * @param phase4 whether to run phase 4 (§2.4)
 * @param backend whether the backend notification of P3.7 is enabled
 */
public record VehicleSettings(
    byte[] vehicleIdentifier,
    byte[] brand,
    boolean ignitionOn,
    List<Integer> spake2Versions,
    List<Integer> appletVersions,
    EcKeyPair vehicleKey,
    CccCertificate vehicleCertificate,
    Optional<CccCertificate> intermediateCertificate,
    List<TrustAnchor> trustAnchors,
    boolean checkValidity,
    CreationParameters creation,
    BleParameters ble,
    ECPoint zz2PublicKey,
    EcKeyPair devxEncKey,
    VerifierSource verifier,
    boolean phase4,
    boolean backend) {

  public VehicleSettings {
    vehicleIdentifier = vehicleIdentifier.clone();
    brand = brand.clone();
    spake2Versions = List.copyOf(spake2Versions);
    appletVersions = List.copyOf(appletVersions);
    trustAnchors = List.copyOf(trustAnchors);
  }

  @Override
  public byte[] vehicleIdentifier() {
    return vehicleIdentifier.clone();
  }

  @Override
  public byte[] brand() {
    return brand.clone();
  }

  public String vehicleIdHex() {
    return Hex.encode(vehicleIdentifier);
  }

  public VehicleSettings withVerifier(VerifierSource source) {
    return new VehicleSettings(
        vehicleIdentifier,
        brand,
        ignitionOn,
        spake2Versions,
        appletVersions,
        vehicleKey,
        vehicleCertificate,
        intermediateCertificate,
        trustAnchors,
        checkValidity,
        creation,
        ble,
        zz2PublicKey,
        devxEncKey,
        source,
        phase4,
        backend);
  }

  public VehicleSettings withPhase4(boolean enabled) {
    return new VehicleSettings(
        vehicleIdentifier,
        brand,
        ignitionOn,
        spake2Versions,
        appletVersions,
        vehicleKey,
        vehicleCertificate,
        intermediateCertificate,
        trustAnchors,
        checkValidity,
        creation,
        ble,
        zz2PublicKey,
        devxEncKey,
        verifier,
        enabled,
        backend);
  }

  /** §7.2: the endpoint creation data (7F4A) this vehicle sends for the agreed applet version. */
  public EndpointCreationData endpointCreationData(int appletVersion) {
    return new EndpointCreationData(
        vehicleIdentifier(),
        creation.optionGroup1(),
        creation.optionGroup2(),
        appletVersion,
        vehicleKey.publicBytes(),
        creation.initialKeySlot(),
        List.of(),
        creation.confidentialMailboxSize(),
        creation.privateMailboxSize(),
        Optional.empty());
  }

  /** §7.5: the device configuration (7F4E) from the BLE parameters. */
  public DeviceConfiguration deviceConfiguration() {
    return DeviceConfiguration.of(
        ble.irk(), ble.addressType(), ble.identityAddress(), ble.supported());
  }

  /** §7.1: the transaction-1 stream around {@code creationData}. */
  public KeyCreationStream creationStream(EndpointCreationData creationData) {
    return new KeyCreationStream(
        creationData,
        vehicleCertificate.encoded(),
        intermediateCertificate.map(CccCertificate::encoded),
        MailboxMapping.of(creationData, creation.immobiliserOffset(), creation.immobiliserLength()),
        deviceConfiguration());
  }

  /** §7.2 and §7.4 values besides the identifier, version and vehicle key. */
  public record CreationParameters(
      byte[] optionGroup1,
      byte[] optionGroup2,
      byte[] initialKeySlot,
      int confidentialMailboxSize,
      int privateMailboxSize,
      int immobiliserOffset,
      int immobiliserLength) {

    public CreationParameters {
      optionGroup1 = optionGroup1.clone();
      optionGroup2 = optionGroup2.clone();
      initialKeySlot = initialKeySlot.clone();
    }

    @Override
    public byte[] optionGroup1() {
      return optionGroup1.clone();
    }

    @Override
    public byte[] optionGroup2() {
      return optionGroup2.clone();
    }

    @Override
    public byte[] initialKeySlot() {
      return initialKeySlot.clone();
    }
  }

  /** §7.5 7F49 values and the §14.2 SPSM. */
  public record BleParameters(
      boolean supported, byte[] irk, int addressType, byte[] identityAddress, int spsm) {
    public BleParameters {
      irk = irk.clone();
      identityAddress = identityAddress.clone();
    }

    @Override
    public byte[] irk() {
      return irk.clone();
    }

    @Override
    public byte[] identityAddress() {
      return identityAddress.clone();
    }

    @Override
    public String toString() {
      return "BleParameters[irk=<redacted>, address="
          + (addressType == 0 ? "public " : "random ")
          + Hex.encode(identityAddress)
          + ", spsm="
          + spsm
          + "]";
    }
  }

  @Override
  public String toString() {
    return "VehicleSettings[vehicle=" + vehicleIdHex() + ", brand=" + Hex.encode(brand) + "]";
  }
}
