package dev.dkrig.bench;

import dev.dkrig.ccc.CccException;
import dev.dkrig.ccc.DkProfile;
import dev.dkrig.ccc.pki.CccCertificate;
import dev.dkrig.ccc.pki.TrustAnchor;
import dev.dkrig.ccc.pki.VehicleCertificateCheck;
import dev.dkrig.ccc.spake2.ScryptParameters;
import dev.dkrig.ccc.spake2.Verifier;
import dev.dkrig.iso7816.Bytes;
import dev.dkrig.iso7816.Hex;
import dev.dkrig.pairing.VehicleSettings;
import dev.dkrig.pairing.VerifierSource;
import dev.dkrig.time.TimerName;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A vehicle profile file ({@code profiles/*.yaml}): identity, keys, versions, creation data, BLE
 * parameters, verifier, timers. Every mistake is reported with the file and the field, before the
 * run (exit 4).
 */
public record VehicleProfile(
    ConfigSource source,
    byte[] digestSource,
    VehicleSettings settings,
    Map<TimerName, Duration> timers) {

  public static final String EMBEDDED = "profiles/default.yaml";

  public static VehicleProfile load(ConfigSource source) {
    byte[] bytes = ConfigNode.read(source);
    // Issue 20: a single pairing's profile is parsed at launch while picocli starts; the same file
    // with the same bytes is taken from there.
    VehicleProfile ahead = LaunchAhead.profile(source, bytes);
    return ahead != null ? ahead : parse(source, bytes);
  }

  /** The profile in these bytes of {@code source}. */
  static VehicleProfile parse(ConfigSource source, byte[] bytes) {
    ConfigNode root = ConfigNode.parse(source, bytes);
    root.allowOnly(
        "vehicle",
        "versions",
        "creationData",
        "ble",
        "pki",
        "kts",
        "verifier",
        "timers",
        "phase4",
        "backend");

    ConfigNode vehicle = root.object("vehicle").allowOnly("identifier", "brand", "ignition");
    byte[] identifier = vehicle.hex("identifier", 8);
    byte[] brand = vehicle.hex("brand", 2);
    boolean ignition = ignitionOn(root);

    List<Integer> spake2 = DkProfile.VEHICLE_SPAKE2_VERSIONS;
    List<Integer> applet = DkProfile.VEHICLE_APPLET_VERSIONS;
    if (root.has("versions")) {
      ConfigNode versions = root.object("versions").allowOnly("spake2", "applet");
      spake2 = versions(versions, "spake2");
      applet = versions(versions, "applet");
    }

    ConfigNode creation =
        root.object("creationData")
            .allowOnly(
                "optionGroup1",
                "optionGroup2",
                "initialKeySlot",
                "confidentialMailboxSize",
                "privateMailboxSize",
                "immobiliserSlot");
    ConfigNode slot = creation.object("immobiliserSlot").allowOnly("offset", "length");
    int confidential = (int) creation.integer("confidentialMailboxSize", 1, 65535);
    int offset = (int) slot.integer("offset", 0, 65535);
    int length = (int) slot.integer("length", 0, 65535);
    if (offset + length > confidential) {
      throw slot.error(
          "the immobiliser slot (offset "
              + offset
              + ", length "
              + length
              + ") must lie inside the confidential mailbox ("
              + confidential
              + " bytes)");
    }
    VehicleSettings.CreationParameters creationParameters =
        new VehicleSettings.CreationParameters(
            creation.hex("optionGroup1", 1),
            creation.hex("optionGroup2", 1),
            creation.hex("initialKeySlot", 8),
            confidential,
            (int) creation.integer("privateMailboxSize", 1, 65535),
            offset,
            length);

    ConfigNode ble =
        root.object("ble").allowOnly("supported", "irk", "addressType", "identityAddress", "spsm");
    String addressType = ble.string("addressType");
    int type =
        switch (addressType) {
          case "public" -> 0x00;
          case "random-static", "random" -> 0x01;
          default ->
              throw ble.error(
                  ble.child("addressType"),
                  "expected public or random-static, got '" + addressType + "'");
        };
    VehicleSettings.BleParameters bleParameters =
        new VehicleSettings.BleParameters(
            ble.bool("supported", true),
            ble.hex("irk", 16),
            type,
            ble.hex("identityAddress", 6),
            (int) ble.integer("spsm", 1, 0xFFFF));

    ConfigNode pki =
        root.object("pki")
            .allowOnly(
                "vehicleKey",
                "vehicleCertificate",
                "intermediateCertificate",
                "trustAnchors",
                "checkValidity");
    var vehicleKey = PkiFiles.privateKey(pki, "vehicleKey");
    CccCertificate certificate = PkiFiles.certificate(pki, "vehicleCertificate");
    if (!java.util.Arrays.equals(certificate.publicKey(), vehicleKey.publicBytes())) {
      throw pki.error(
          pki.child("vehicleCertificate"), "K's public key does not match pki.vehicleKey");
    }
    String expectedCn = Hex.encode(identifier);
    if (!certificate.subjectCommonName().map(expectedCn::equals).orElse(false)) {
      throw pki.error(
          pki.child("vehicleCertificate"),
          "K's subject CN is "
              + certificate.subjectCommonName().orElse("(none)")
              + ", expected the vehicle identifier "
              + expectedCn
              + " (§8.4)");
    }
    Optional<CccCertificate> intermediate =
        pki.has("intermediateCertificate")
            ? Optional.of(PkiFiles.certificate(pki, "intermediateCertificate"))
            : Optional.empty();
    List<TrustAnchor> anchors = new ArrayList<>();
    for (CccCertificate anchor : PkiFiles.certificates(pki, "trustAnchors")) {
      anchors.add(TrustAnchor.of(anchor));
    }

    ConfigNode kts = root.object("kts").allowOnly("zz2PublicKey", "devxEncKey");

    VerifierSource verifier = verifier(root);

    Map<TimerName, Duration> timers = timers(root);

    VehicleSettings settings =
        new VehicleSettings(
            identifier,
            brand,
            ignition,
            spake2,
            applet,
            vehicleKey,
            certificate,
            intermediate,
            anchors,
            pki.bool("checkValidity", true),
            creationParameters,
            bleParameters,
            PkiFiles.publicKey(kts, "zz2PublicKey"),
            PkiFiles.privateKey(kts, "devxEncKey"),
            verifier,
            root.bool("phase4", true),
            root.bool("backend", true));
    return new VehicleProfile(source, bytes, settings, timers);
  }

  /**
   * K against its issuer among the profile's intermediate and trust anchors, and (unless {@code
   * pki.checkValidity: false}) its dates at the run's clock {@code now}: a K a device must refuse
   * is the profile's mistake, found before the run (exit 4), not a P2.4 FAIL blaming the phone.
   */
  public void checkVehicleCertificate(Instant now) {
    try {
      VehicleCertificateCheck.checkOwn(
          settings.vehicleCertificate(),
          settings.intermediateCertificate(),
          settings.trustAnchors(),
          now,
          settings.checkValidity());
    } catch (CccException e) {
      CccCertificate k = settings.vehicleCertificate();
      throw new ConfigException(
          source.displayName()
              + ": pki.vehicleCertificate: K does not verify: "
              + e.getMessage()
              + " (K valid "
              + k.notBefore()
              + " to "
              + k.notAfter()
              + (settings.checkValidity()
                  ? "; pki.checkValidity: false accepts an expired K on purpose)"
                  : ")"));
    }
  }

  static List<Integer> versions(ConfigNode node, String key) {
    List<Integer> out = new ArrayList<>();
    for (String text : node.strings(key)) {
      String clean = text.replace(".", "").trim();
      if (!clean.matches("[0-9A-Fa-f]{4}")) {
        throw node.error(
            node.child(key),
            "expected versions as 4 hex digits such as \"0101\", got '" + text + "'");
      }
      out.add(Bytes.u16(Hex.decode(clean), 0));
    }
    if (out.isEmpty()) {
      throw node.error(node.child(key), "expected at least one version");
    }
    return List.copyOf(out);
  }

  static VerifierSource verifier(ConfigNode root) {
    if (!root.has("verifier")) {
      return new VerifierSource.Absent(root.source().displayName() + " provisions no verifier");
    }
    ConfigNode node =
        root.object("verifier").allowOnly("password", "salt", "N", "r", "p", "w0", "L");
    long n = node.has("N") ? node.integer("N", 2, (1L << 32) - 1) : 32768;
    int r = node.has("r") ? (int) node.integer("r", 1, 65535) : 8;
    int p = node.has("p") ? (int) node.integer("p", 1, 65535) : 1;
    if (Long.bitCount(n) != 1) {
      throw node.error(node.child("N"), "expected a power of two, got " + n);
    }
    if (node.has("password")) {
      if (node.has("w0") || node.has("L")) {
        throw node.error(
            "give either password (test profiles) or w0 and L (a provisioned verifier), not both");
      }
      String password = node.string("password");
      if (!password.matches("[0-9]{8}")) {
        throw node.error(node.child("password"), "expected 8 digits 0-9 (quote it: \"12345678\")");
      }
      Optional<byte[]> salt =
          node.has("salt") ? Optional.of(node.hex("salt", 16)) : Optional.empty();
      // The rig runs scrypt itself for a password (§18.20): refuse a cost it could not afford, or
      // that a device would refuse (§18.11), before the run. A provisioned verifier (w0/L) is
      // never derived here, so its N is the device's business alone.
      Optional<String> tooCostly =
          new ScryptParameters(new byte[DkProfile.SALT_LENGTH], n, r, p).costProblem();
      if (tooCostly.isPresent()) {
        throw node.error(node.child("N"), tooCostly.get());
      }
      return new VerifierSource.FromPassword(password, salt, n, r, p);
    }
    if (!node.has("w0") || !node.has("L") || !node.has("salt")) {
      throw node.error(
          "expected either password, or w0, L and salt (as printed by dkrig verifier)");
    }
    Verifier verifier =
        new Verifier(
            node.hex("w0", 32),
            node.hex("L", 65),
            new ScryptParameters(node.hex("salt", 16), n, r, p));
    try {
      return new VerifierSource.Provisioned(verifier.validate());
    } catch (CccException e) {
      // An invalid verifier is P1.4's to report (ERROR, then PP-03), not a configuration error.
      return new VerifierSource.Absent(
          "invalid verifier in " + root.source().displayName() + ": " + e.getMessage());
    }
  }

  static Map<TimerName, Duration> timers(ConfigNode root) {
    Map<TimerName, Duration> out = new EnumMap<>(TimerName.class);
    if (!root.has("timers")) {
      return out;
    }
    ConfigNode node = root.object("timers");
    for (Map.Entry<String, String> e : node.entries().entrySet()) {
      TimerName name;
      try {
        name = TimerName.parse(e.getKey());
      } catch (IllegalArgumentException ex) {
        throw node.error(
            node.child(e.getKey()), "unknown timer (the §13 timers: " + TimerName.known() + ")");
      }
      Duration value = node.duration(e.getKey());
      if (value.isZero() && !name.mayBeZero()) {
        // At 0 the timer expires at once: the run would FAIL the device for the file's setting.
        throw node.error(node.child(e.getKey()), "must be more than 0");
      }
      out.put(name, value);
    }
    return out;
  }

  @Override
  public String toString() {
    return "VehicleProfile[" + source.displayName() + "]";
  }

  /** {@code vehicle.ignition}: whether P1.1 finds the ignition on (default true). */
  static boolean ignitionOn(ConfigNode root) {
    return !root.has("vehicle") || root.object("vehicle").bool("ignition", true);
  }
}
