package dev.dkrig.bench;

import dev.dkrig.ccc.DkProfile;
import dev.dkrig.device.DeviceSettings;
import dev.dkrig.time.TimerName;
import dev.dkrig.transport.pn532.Pn532UartSettings;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * A phone rig ({@code rigs/phone-*.yaml}, {@code role: phone}): how {@code dkrig phone} reaches the
 * vehicle under test, the phone it plays, and what it judges the vehicle against
 * (docs/phone-role.md, "Options"). The same strict rules as every rig: an unknown key, a missing
 * one or a bad value is a {@link ConfigException} naming the file and the key.
 *
 * <pre>
 * role: phone
 * transport: vpcd | pn532-uart
 * vpcd: 127.0.0.1:35963          # vpcd only: where the vpcd driver of the vehicle's pcscd listens
 * pn532: {port, ackTimeout, commandTimeout}   # pn532-uart only: the board in card emulation
 * device: {...}                  # the phone: as a virtual rig's device section
 * phone: {timers: {T_TxGap: 50ms, ...}, phase4Wait: 30s}
 * </pre>
 *
 * @param vpcd the vpcd address as written ({@code HOST:PORT}), for a vpcd rig that names one
 * @param pn532 the board's serial settings (115200 baud, the line of card emulation)
 * @param timers the vehicle's §13 timers to judge against ({@code phone.timers})
 * @param phase4Wait {@code phone.phase4Wait}, if given
 */
public record PhoneRig(
    ConfigSource source,
    byte[] bytes,
    Transport transport,
    Optional<String> vpcd,
    Optional<Pn532UartSettings> pn532,
    DeviceSettings device,
    Map<TimerName, Duration> timers,
    Optional<Duration> phase4Wait) {

  /** The phone rig {@code dkrig phone --vpcd} uses when no {@code --rig} is given. */
  public static final String EMBEDDED_VPCD = "rigs/phone-vpcd.yaml";

  /** The value of {@code role:} that makes a rig a phone rig. */
  public static final String ROLE = "phone";

  /** How the phone meets the vehicle's reader. */
  public enum Transport {
    /** A pcscd reader slot through the vsmartcard vpcd driver: a vehicle that speaks PC/SC. */
    VPCD("vpcd"),
    /** A PN532 board over UART in ISO 14443-4 card emulation, held to the car's pad. */
    PN532_UART("pn532-uart");

    private final String yamlName;

    Transport(String yamlName) {
      this.yamlName = yamlName;
    }

    /** The name as a rig file spells it. */
    public String yamlName() {
      return yamlName;
    }
  }

  public PhoneRig {
    bytes = bytes.clone();
    timers = Map.copyOf(timers);
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  public static PhoneRig load(ConfigSource source) {
    byte[] bytes = ConfigNode.read(source);
    ConfigNode root = ConfigNode.parse(source, bytes);
    if (!root.has("role")) {
      throw root.error(
          "not a phone rig (no 'role: phone'): dkrig phone takes a rig such as rigs/phone-vpcd.yaml"
              + " or rigs/phone-pn532.yaml; vehicle rigs go to dkrig pair");
    }
    String role = root.string("role");
    if (!role.equals(ROLE)) {
      throw root.error(root.child("role"), "expected phone, got '" + role + "'");
    }
    root.allowOnly("role", "transport", "vpcd", "pn532", "device", "phone");
    String name = root.string("transport");
    Transport transport =
        switch (name) {
          case "vpcd" -> Transport.VPCD;
          case "pn532-uart" -> Transport.PN532_UART;
          default ->
              throw root.error(
                  root.child("transport"),
                  "expected vpcd or pn532-uart for a phone rig, got '" + name + "'");
        };
    Optional<String> vpcd = root.optionalString("vpcd");
    if (vpcd.isPresent() && transport != Transport.VPCD) {
      throw root.error(root.child("vpcd"), "only a vpcd phone rig has a vpcd address");
    }
    Optional<Pn532UartSettings> pn532 = Optional.empty();
    if (transport == Transport.PN532_UART) {
      pn532 = Optional.of(pn532(root.object("pn532")));
    } else if (root.has("pn532")) {
      throw root.error(root.child("pn532"), "only a pn532-uart phone rig has a pn532 section");
    }
    Map<TimerName, Duration> timers = Map.of();
    Optional<Duration> phase4Wait = Optional.empty();
    if (root.has("phone")) {
      ConfigNode phone = root.object("phone").allowOnly("timers", "phase4Wait");
      timers = VehicleProfile.timers(phone);
      if (phone.has("phase4Wait")) {
        Duration wait = phone.duration("phase4Wait");
        if (wait.isZero() || wait.isNegative()) {
          throw phone.error(phone.child("phase4Wait"), "must be more than 0");
        }
        phase4Wait = Optional.of(wait);
      }
      for (Map.Entry<TimerName, Duration> timer : timers.entrySet()) {
        if (timer.getValue().isZero() || timer.getValue().isNegative()) {
          throw phone.error(
              phone.child("timers") + "." + timer.getKey().name(), "must be more than 0");
        }
      }
    }
    // Last: the device's files are read only once every key of the rig is known good.
    DeviceSettings device = RigConfig.device(root.object("device"));
    return new PhoneRig(source, bytes, transport, vpcd, pn532, device, timers, phase4Wait);
  }

  /**
   * {@code pn532: {port, ackTimeout, commandTimeout}}: the line of card emulation runs at the HSU's
   * 115200 baud, so there is no baud rate to set; T_Apdu bounds the parts of one chained exchange.
   */
  private static Pn532UartSettings pn532(ConfigNode node) {
    node.allowOnly("port", "ackTimeout", "commandTimeout");
    try {
      Pn532UartSettings settings = Pn532UartSettings.of(node.string("port"), DkProfile.T_APDU);
      if (node.has("ackTimeout") || node.has("commandTimeout")) {
        settings =
            settings.withBoardTimeouts(
                node.has("ackTimeout") ? node.duration("ackTimeout") : settings.ackTimeout(),
                node.has("commandTimeout")
                    ? node.duration("commandTimeout")
                    : settings.commandTimeout());
      }
      return settings;
    } catch (IllegalArgumentException e) {
      throw node.error(e.getMessage());
    }
  }

  @Override
  public String toString() {
    return "PhoneRig[" + source.displayName() + ", " + transport.yamlName() + "]";
  }
}
