package dev.dkrig.bench;

import dev.dkrig.ccc.CccException;
import dev.dkrig.ccc.DkProfile;
import dev.dkrig.ccc.pki.TrustAnchor;
import dev.dkrig.device.DeviceQuirk;
import dev.dkrig.device.DeviceSettings;
import dev.dkrig.time.TimerName;
import dev.dkrig.transport.pcsc.PcscTransport;
import dev.dkrig.transport.pn532.EcpFrame;
import dev.dkrig.transport.pn532.MaxRetries;
import dev.dkrig.transport.pn532.Pn532UartSettings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A bench set-up file ({@code rigs/*.yaml}): which transport plays the pad's reader, whether BLE
 * advertises, timer overrides, and for the virtual transport the virtual device itself.
 */
public record RigConfig(
    ConfigSource source,
    byte[] bytes,
    Transport transport,
    BleMode ble,
    Map<TimerName, Duration> timers,
    Optional<DeviceSettings> device,
    Optional<String> reader,
    List<String> readerIgnore,
    Optional<PcscTransport.Acr122uOptions> acr122u,
    Optional<Pn532UartSettings> pn532,
    Optional<String> bleAdapter,
    Duration tapDelay) {

  public static final String EMBEDDED = "rigs/virtual.yaml";

  /** The environment's BLE adapter name, over the rig's {@code bleAdapter}. */
  public static final String ENV_BLE_ADAPTER = "DKRIG_BLE_ADAPTER";

  /**
   * The BLE adapter a pairing advertises on when {@code --ble-adapter} does not name one: {@code
   * DKRIG_BLE_ADAPTER} when it is set and not blank (a CI job may define every variable empty),
   * else the rig's {@code bleAdapter}. The run, its check before the first APDU and {@code doctor}
   * all read it here.
   */
  public Optional<String> bleAdapter(Map<String, String> environment) {
    return Optional.ofNullable(environment.get(ENV_BLE_ADAPTER))
        .filter(name -> !name.isBlank())
        .or(this::bleAdapter);
  }

  /** The reader behind the pad. */
  public enum Transport {
    /** dkrig's own virtual device, in process. */
    VIRTUAL,
    /** A PC/SC reader through pcscd (javax.smartcardio): an ACR122U, or vpcd in CI. */
    PCSC,
    /** A PN532 board on a serial line (jSerialComm), or the PN532 emulator on a pty in CI. */
    PN532_UART
  }

  /** {@code ble: off | on | optional} (optional: a missing adapter is a warning). */
  public enum BleMode {
    OFF,
    ON,
    OPTIONAL
  }

  public static RigConfig load(ConfigSource source) {
    byte[] bytes = ConfigNode.read(source);
    ConfigNode root = ConfigNode.parse(source, bytes);
    if (root.has("role")) {
      // A phone rig (issue 19) given where the vehicle's rig goes.
      throw root.error(
          root.child("role"),
          "a rig with a role is a phone rig: use it with dkrig phone --rig, not as the vehicle's"
              + " bench");
    }
    root.allowOnly(
        "transport",
        "ble",
        "bleAdapter",
        "timers",
        "device",
        "reader",
        "readerIgnore",
        "acr122u",
        "pn532");
    String transportName = root.string("transport");
    Transport transport =
        switch (transportName) {
          case "virtual" -> Transport.VIRTUAL;
          case "pcsc" -> Transport.PCSC;
          case "pn532-uart" -> Transport.PN532_UART;
          default ->
              throw root.error(
                  root.child("transport"),
                  "expected virtual, pcsc or pn532-uart, got '" + transportName + "'");
        };
    if (transport != Transport.PCSC && (root.has("reader") || root.has("readerIgnore"))) {
      throw root.error(root.child("reader"), "only a pcsc transport names a reader");
    }
    Optional<String> reader = root.optionalString("reader");
    List<String> readerIgnore = root.has("readerIgnore") ? root.strings("readerIgnore") : List.of();
    BleMode ble = bleMode(root);
    Optional<String> bleAdapter = root.optionalString("bleAdapter");
    Map<TimerName, Duration> timers = VehicleProfile.timers(root);
    Optional<DeviceSettings> device = Optional.empty();
    Duration tapDelay = Duration.ZERO;
    if (transport == Transport.VIRTUAL) {
      ConfigNode deviceNode = root.object("device");
      device = Optional.of(device(deviceNode));
      // Issue 20: the phone is laid on the pad this long after the reader first polls.
      tapDelay = deviceNode.has("tapDelay") ? deviceNode.duration("tapDelay") : Duration.ZERO;
    } else if (root.has("device")) {
      throw root.error(root.child("device"), "only a virtual transport has a device section");
    }
    Optional<PcscTransport.Acr122uOptions> acr122u = Optional.empty();
    if (root.has("acr122u")) {
      if (transport != Transport.PCSC) {
        throw root.error(root.child("acr122u"), "only a pcsc transport has an ACR122U");
      }
      acr122u = Optional.of(acr122u(root.object("acr122u")));
    } else if (transport == Transport.PCSC) {
      // An ACR122U found on a pcsc rig gets its extras unless the rig says otherwise.
      acr122u = Optional.of(new PcscTransport.Acr122uOptions(true, true, Optional.empty()));
    }
    Optional<Pn532UartSettings> pn532 = Optional.empty();
    if (transport == Transport.PN532_UART) {
      pn532 = Optional.of(pn532(root.object("pn532")));
    } else if (root.has("pn532")) {
      throw root.error(root.child("pn532"), "only a pn532-uart transport has a pn532 section");
    }
    return new RigConfig(
        source,
        bytes,
        transport,
        ble,
        timers,
        device,
        reader,
        readerIgnore,
        acr122u,
        pn532,
        bleAdapter,
        tapDelay);
  }

  /**
   * {@code acr122u: {indicator, fieldReset, ecp: off | {manufacturer, location, readerGroupId}}}.
   */
  private static PcscTransport.Acr122uOptions acr122u(ConfigNode node) {
    node.allowOnly("indicator", "fieldReset", "ecp");
    return new PcscTransport.Acr122uOptions(
        node.bool("indicator", true), node.bool("fieldReset", true), ecp(node));
  }

  /** {@code pn532: {port, baudRate, ackTimeout, commandTimeout, maxRetries, pollInterval, ...}}. */
  private static Pn532UartSettings pn532(ConfigNode node) {
    node.allowOnly(
        "port",
        "baudRate",
        "ackTimeout",
        "commandTimeout",
        "maxRetries",
        "pollInterval",
        "fieldOff",
        "ecp");
    try {
      Pn532UartSettings settings = Pn532UartSettings.of(node.string("port"), DkProfile.T_APDU);
      if (node.has("baudRate")) {
        settings = settings.withBaudRate((int) node.integer("baudRate", 9600, 921600));
      }
      if (node.has("ackTimeout") || node.has("commandTimeout")) {
        settings =
            settings.withBoardTimeouts(
                node.has("ackTimeout") ? node.duration("ackTimeout") : settings.ackTimeout(),
                node.has("commandTimeout")
                    ? node.duration("commandTimeout")
                    : settings.commandTimeout());
      }
      if (node.has("maxRetries") || node.has("pollInterval")) {
        MaxRetries retries = settings.maxRetries();
        if (node.has("maxRetries")) {
          ConfigNode r = node.object("maxRetries").allowOnly("atr", "psl", "passiveActivation");
          retries =
              new MaxRetries(
                  (int) r.integer("atr", 0, 0xFE),
                  (int) r.integer("psl", 0, 0xFE),
                  (int) r.integer("passiveActivation", 0, 0xFE));
        }
        settings =
            settings.withPolling(
                retries,
                node.has("pollInterval") ? node.duration("pollInterval") : settings.pollInterval());
      }
      if (node.has("fieldOff")) {
        settings = settings.withFieldOff(node.duration("fieldOff"));
      }
      Optional<EcpFrame> ecp = ecp(node);
      if (ecp.isPresent()) {
        settings = settings.withEcp(ecp);
      }
      return settings;
    } catch (IllegalArgumentException e) {
      throw node.error(e.getMessage());
    }
  }

  /**
   * {@code ecp: off | {manufacturer, location, readerGroupId}}, shared by the ACR122U and the PN532
   * sections: empty when absent or off.
   */
  private static Optional<EcpFrame> ecp(ConfigNode node) {
    if (!node.has("ecp") || isOff(node, "ecp")) {
      return Optional.empty();
    }
    ConfigNode e = node.object("ecp").allowOnly("manufacturer", "location", "readerGroupId");
    byte[] tci =
        EcpFrame.carTci(
            (int) e.integer("manufacturer", 0, 0xFFF), (int) e.integer("location", 0, 0xF));
    return Optional.of(
        e.has("readerGroupId")
            ? EcpFrame.carPairing(EcpFrame.DEFAULT_FLAGS, tci, e.hex("readerGroupId", 8))
            : EcpFrame.carPairing(EcpFrame.DEFAULT_FLAGS, tci));
  }

  private static boolean isOff(ConfigNode node, String key) {
    try {
      return !node.bool(key, false);
    } catch (ConfigException notASwitch) {
      return false;
    }
  }

  private static BleMode bleMode(ConfigNode root) {
    if (!root.has("ble")) {
      return BleMode.OFF;
    }
    String text = root.string("ble");
    return switch (text) {
      case "off", "false" -> BleMode.OFF;
      case "on", "true" -> BleMode.ON;
      case "optional" -> BleMode.OPTIONAL;
      default ->
          throw root.error(root.child("ble"), "expected off, on or optional, got '" + text + "'");
    };
  }

  /** The virtual device of a rig (password, versions, PKI, simulated KTS). */
  static DeviceSettings device(ConfigNode node) {
    node.allowOnly(
        "password",
        "versions",
        "pki",
        "kts",
        "keyCreationDelay",
        "checkValidity",
        "quirks",
        "streamCapacity",
        "tapDelay");
    String password = null;
    if (node.has("password")) {
      password = node.string("password");
      if (!password.matches("[0-9]{8}")) {
        throw node.error(
            node.child("password"),
            "expected 8 digits 0-9 (quote it: \"12345678\"), or leave it out for a device without a password");
      }
    }
    List<Integer> spake2 = DkProfile.DEVICE_SPAKE2_VERSIONS;
    List<Integer> applet = DkProfile.DEVICE_APPLET_VERSIONS;
    if (node.has("versions")) {
      ConfigNode versions = node.object("versions").allowOnly("spake2", "applet");
      spake2 = VehicleProfile.versions(versions, "spake2");
      applet = VehicleProfile.versions(versions, "applet");
    }
    ConfigNode pki =
        node.object("pki")
            .allowOnly(
                "deviceOemCaKey",
                "deviceOemCaCertificate",
                "instanceCaKey",
                "instanceCaCertificate",
                "trustAnchor");
    ConfigNode kts =
        node.object("kts").allowOnly("zz2Key", "devxEncPublicKey", "delay", "uiBundle");
    byte[] ui = kts.optionalString("uiBundle").orElse("").getBytes(StandardCharsets.UTF_8);
    try {
      return new DeviceSettings(
          password,
          spake2,
          applet,
          PkiFiles.privateKey(pki, "deviceOemCaKey"),
          PkiFiles.certificate(pki, "deviceOemCaCertificate"),
          PkiFiles.privateKey(pki, "instanceCaKey"),
          PkiFiles.certificate(pki, "instanceCaCertificate"),
          TrustAnchor.of(PkiFiles.certificate(pki, "trustAnchor")),
          PkiFiles.privateKey(kts, "zz2Key"),
          dev.dkrig.ccc.P256.encode(PkiFiles.publicKey(kts, "devxEncPublicKey")),
          ui,
          kts.has("delay") ? kts.duration("delay") : Duration.ZERO,
          node.has("keyCreationDelay") ? node.duration("keyCreationDelay") : Duration.ZERO,
          node.bool("checkValidity", true),
          quirks(node),
          node.has("streamCapacity")
              ? (int)
                  node.integer(
                      "streamCapacity",
                      DkProfile.MIN_ACCEPTED_STREAM,
                      DkProfile.MAX_STREAM_CAPACITY)
              : DkProfile.MAX_STREAM_CAPACITY);
    } catch (IllegalArgumentException | CccException e) {
      throw node.error(e.getMessage());
    }
  }

  private static java.util.Set<DeviceQuirk> quirks(ConfigNode node) {
    java.util.Set<DeviceQuirk> out = java.util.EnumSet.noneOf(DeviceQuirk.class);
    if (node.has("quirks")) {
      for (String name : node.strings("quirks")) {
        try {
          out.add(DeviceQuirk.parse(name));
        } catch (IllegalArgumentException e) {
          throw node.error(node.child("quirks"), e.getMessage());
        }
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return "RigConfig[" + source.displayName() + ", " + transport + ", ble " + ble + "]";
  }
}
