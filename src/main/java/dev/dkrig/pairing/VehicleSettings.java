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
import java.util.Set;
import org.bouncycastle.math.ec.ECPoint;

/**
 * Everything the vehicle role needs, resolved from a vehicle profile (identity, keys, versions,
 * creation data, BLE parameters, verifier, switches). Secrets are not shown by {@link #toString()}.
 */
public final class VehicleSettings {
  // Grouped so that the settings stay one value with few fields (issue 17); the accessors are flat.
  private final Identity identity;
  private final Versions versions;
  private final Trust trust;
  private final CreationParameters creation;
  private final BleParameters ble;
  private final ReceiptKeys receiptKeys;
  private final VerifierSource verifier;
  private final Switches switches;

  public VehicleSettings(
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
    this.identity =
        new Identity(
            vehicleIdentifier.clone(),
            brand.clone(),
            vehicleKey,
            vehicleCertificate,
            intermediateCertificate);
    this.versions = new Versions(List.copyOf(spake2Versions), List.copyOf(appletVersions));
    this.trust = new Trust(List.copyOf(trustAnchors), checkValidity);
    this.creation = creation;
    this.ble = ble;
    this.receiptKeys = new ReceiptKeys(zz2PublicKey, devxEncKey);
    this.verifier = verifier;
    this.switches = new Switches(ignitionOn, phase4, backend, Set.of());
  }

  private VehicleSettings(VehicleSettings base, VerifierSource verifier, Switches switches) {
    this.identity = base.identity;
    this.versions = base.versions;
    this.trust = base.trust;
    this.creation = base.creation;
    this.ble = base.ble;
    this.receiptKeys = base.receiptKeys;
    this.verifier = verifier;
    this.switches = switches;
  }

  private record Identity(
      byte[] vehicleIdentifier,
      byte[] brand,
      EcKeyPair vehicleKey,
      CccCertificate vehicleCertificate,
      Optional<CccCertificate> intermediateCertificate) {}

  private record Versions(List<Integer> spake2, List<Integer> applet) {}

  private record Trust(List<TrustAnchor> anchors, boolean checkValidity) {}

  private record ReceiptKeys(ECPoint zz2PublicKey, EcKeyPair devxEncKey) {}

  private record Switches(
      boolean ignitionOn, boolean phase4, boolean backend, Set<VehicleQuirk> quirks) {}

  /** 8 bytes (§1). */
  public byte[] vehicleIdentifier() {
    return identity.vehicleIdentifier().clone();
  }

  /** 2 bytes (§1, D6). */
  public byte[] brand() {
    return identity.brand().clone();
  }

  /** P1.1's input. */
  public boolean ignitionOn() {
    return switches.ignitionOn();
  }

  public List<Integer> spake2Versions() {
    return versions.spake2();
  }

  public List<Integer> appletVersions() {
    return versions.applet();
  }

  public EcKeyPair vehicleKey() {
    return identity.vehicleKey();
  }

  public CccCertificate vehicleCertificate() {
    return identity.vehicleCertificate();
  }

  /** The optional 7F4C. */
  public Optional<CccCertificate> intermediateCertificate() {
    return identity.intermediateCertificate();
  }

  public List<TrustAnchor> trustAnchors() {
    return trust.anchors();
  }

  public boolean checkValidity() {
    return trust.checkValidity();
  }

  /** Option groups, key slot, mailboxes, immobiliser slot (§7.2, §7.4). */
  public CreationParameters creation() {
    return creation;
  }

  /** IRK, identity address, SPSM (§7.5, §14). */
  public BleParameters ble() {
    return ble;
  }

  /** The KTS signing key (§12.4). */
  public ECPoint zz2PublicKey() {
    return receiptKeys.zz2PublicKey();
  }

  /** The vehicle's receipt decryption key (§12.4). */
  public EcKeyPair devxEncKey() {
    return receiptKeys.devxEncKey();
  }

  public VerifierSource verifier() {
    return verifier;
  }

  /** Whether to run phase 4 (§2.4). */
  public boolean phase4() {
    return switches.phase4();
  }

  /** Whether the backend notification of P3.7 is enabled. */
  public boolean backend() {
    return switches.backend();
  }

  /**
   * How this vehicle breaks the contract on purpose ({@code --vehicle-quirk}); empty: it does not.
   */
  public Set<VehicleQuirk> quirks() {
    return switches.quirks();
  }

  public boolean has(VehicleQuirk quirk) {
    return switches.quirks().contains(quirk);
  }

  /** These settings with {@code quirks} (issue 19): the vehicle misbehaves by design. */
  public VehicleSettings withQuirks(Set<VehicleQuirk> quirks) {
    Set<VehicleQuirk> copy =
        quirks.isEmpty()
            ? Set.of()
            : java.util.Collections.unmodifiableSet(java.util.EnumSet.copyOf(quirks));
    return new VehicleSettings(
        this, verifier, new Switches(ignitionOn(), phase4(), backend(), copy));
  }

  public String vehicleIdHex() {
    return Hex.encode(identity.vehicleIdentifier());
  }

  public VehicleSettings withVerifier(VerifierSource source) {
    return new VehicleSettings(this, source, switches);
  }

  public VehicleSettings withPhase4(boolean enabled) {
    return new VehicleSettings(
        this, verifier, new Switches(ignitionOn(), enabled, backend(), quirks()));
  }

  /** §7.2: the endpoint creation data (7F4A) this vehicle sends for the agreed applet version. */
  public EndpointCreationData endpointCreationData(int appletVersion) {
    return new EndpointCreationData(
        vehicleIdentifier(),
        creation.optionGroup1(),
        creation.optionGroup2(),
        appletVersion,
        vehicleKey().publicBytes(),
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
        vehicleCertificate().encoded(),
        intermediateCertificate().map(CccCertificate::encoded),
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
    return "VehicleSettings[vehicle="
        + vehicleIdHex()
        + ", brand="
        + Hex.encode(identity.brand())
        + "]";
  }
}
