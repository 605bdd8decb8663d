package dev.dkrig.phone.host;

import dev.dkrig.bench.Bench;
import dev.dkrig.bench.ConfigException;
import dev.dkrig.bench.ConfigNames;
import dev.dkrig.bench.ConfigSource;
import dev.dkrig.bench.PhoneRig;
import dev.dkrig.device.DeviceQuirk;
import dev.dkrig.device.DeviceSettings;
import dev.dkrig.device.VirtualDevice;
import dev.dkrig.emulate.VpcdEndpoint;
import dev.dkrig.phone.PhoneRun;
import dev.dkrig.phone.PhoneSettings;
import dev.dkrig.random.Draws;
import dev.dkrig.random.SecureDraws;
import dev.dkrig.random.SeededDraws;
import dev.dkrig.random.TestModeDraws;
import dev.dkrig.report.Preamble;
import dev.dkrig.report.RunMetadata;
import dev.dkrig.time.FixedClock;
import dev.dkrig.time.RigClock;
import dev.dkrig.time.TimerName;
import dev.dkrig.version.BuildInfo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A phone rig and the command line turned into what {@code dkrig phone} runs: the judge's settings
 * (the rig's {@code phone:} section, then {@code --timer} and {@code --phase4-wait}), the host that
 * carries the phone to the vehicle, and one fresh virtual device per pairing. Configuration
 * problems surface as {@link ConfigException} before anything touches the vpcd slot or the board.
 */
public final class PhoneBench {

  /**
   * What the command line asks for.
   *
   * @param vpcd {@code --vpcd}'s address (the default one when given without a value)
   * @param timers {@code --timer}, which wins over the rig's {@code phone.timers}
   * @param seed {@code --seed}; with {@code testMode}, only behind {@code --insecure-randomness}
   */
  public record Request(
      Optional<Path> rig,
      Optional<String> vpcd,
      Optional<String> serialPort,
      Map<TimerName, Duration> timers,
      Optional<Duration> phase4Wait,
      boolean noPhase4,
      Optional<DeviceQuirk> quirk,
      Optional<String> devicePassword,
      Optional<String> dut,
      OptionalLong seed,
      boolean testMode,
      Preamble preamble) {
    public Request {
      timers = Map.copyOf(timers);
    }
  }

  private final Request request;
  private final PhoneRig rig;
  private final PhoneSettings settings;
  private final DeviceSettings device;

  private PhoneBench(Request request, PhoneRig rig, PhoneSettings settings, DeviceSettings device) {
    this.request = request;
    this.rig = rig;
    this.settings = settings;
    this.device = device;
  }

  /**
   * Loads the rig ({@code --rig}, or the embedded vpcd rig) and checks what can be checked before
   * the first contact.
   *
   * @throws ConfigException naming the file and the key
   */
  public static PhoneBench load(Request request) {
    ConfigSource source =
        request
            .rig()
            .map(ConfigNames.fromEnvironment()::rig)
            .orElse(ConfigSource.embedded(PhoneRig.EMBEDDED_VPCD));
    PhoneRig rig = PhoneRig.load(source);
    Map<String, Duration> timers = new LinkedHashMap<>();
    rig.timers().forEach((name, value) -> timers.put(name.name(), value));
    request.timers().forEach((name, value) -> timers.put(name.name(), value));
    PhoneSettings settings;
    try {
      settings =
          new PhoneSettings(
              timers,
              request.phase4Wait().or(rig::phase4Wait).orElse(PhoneSettings.DEFAULT_PHASE4_WAIT),
              !request.noPhase4(),
              request.quirk());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(source.displayName() + ": " + e.getMessage());
    }
    DeviceSettings device = rig.device();
    if (request.devicePassword().isPresent()) {
      device = device.withPassword(request.devicePassword().get());
    }
    if (request.quirk().isPresent()) {
      device = device.withQuirks(Set.of(request.quirk().get()));
    }
    return new PhoneBench(request, rig, settings, device);
  }

  public PhoneRig rig() {
    return rig;
  }

  public PhoneSettings settings() {
    return settings;
  }

  /** The phone's device settings: the rig's, with {@code --device-password} and the quirk. */
  public DeviceSettings device() {
    return device;
  }

  /** The serial port a PN532 rig's host opens ({@code --serial-port}, else the rig's). */
  public Optional<String> serialPort() {
    return rig.transport() == PhoneRig.Transport.PN532_UART
        ? request.serialPort().or(() -> rig.pn532().map(p -> p.port()))
        : Optional.empty();
  }

  /**
   * The host the rig names: vpcd at {@code --vpcd}'s address or the rig's, or the rig's PN532 on
   * {@code --serial-port} or the rig's port.
   *
   * @param notes one line each time the link changes
   * @throws IllegalArgumentException for a vpcd address that does not parse
   */
  public PhoneHost host(Consumer<String> notes) {
    return switch (rig.transport()) {
      case VPCD ->
          new VpcdPhoneHost(VpcdEndpoint.parse(request.vpcd().or(rig::vpcd).orElse("")), notes);
      case PN532_UART -> {
        var serial = rig.pn532().orElseThrow();
        yield new Pn532PhoneHost(request.serialPort().map(serial::withPort).orElse(serial), notes);
      }
    };
  }

  /**
   * The next pairing: a fresh virtual device (its DK store empty, as a phone that has never met
   * this vehicle), the run's clock the system's.
   */
  public PhoneRun newRun(PhoneRun.Listener listener) {
    boolean test = request.testMode();
    Draws draws =
        test
            ? new TestModeDraws()
            : request.seed().isPresent()
                ? new SeededDraws(request.seed().getAsLong())
                : SecureDraws.system();
    VirtualDevice phone =
        new VirtualDevice(
            device,
            draws,
            test ? new FixedClock(Bench.TEST_DEVICE_TIME) : RigClock.system(),
            test ? new FixedClock(Bench.TEST_KTS_TIME) : RigClock.system());
    return new PhoneRun(settings, phone, RigClock.system(), listener);
  }

  /** The metadata of a phone run: the DUT is the vehicle, the "reader" is where the phone sits. */
  public RunMetadata metadata(String host) {
    return new RunMetadata(
        BuildInfo.version(),
        BuildInfo.commit(),
        request.dut(),
        RunMetadata.FileRef.of(rig.source().displayName(), rig.bytes()),
        null,
        host,
        request.preamble(),
        Set.of(),
        RunMetadata.Role.PHONE);
  }

  /** Metadata for a run whose rig could not be loaded. */
  public static RunMetadata metadataWithoutFiles(Request request) {
    return new RunMetadata(
        BuildInfo.version(),
        BuildInfo.commit(),
        request.dut(),
        null,
        null,
        "(not opened)",
        request.preamble(),
        Set.of(),
        RunMetadata.Role.PHONE);
  }
}
