package dev.dkrig.conformance;

import dev.dkrig.bench.ConfigSource;
import dev.dkrig.bench.VehicleProfile;
import dev.dkrig.device.DeviceQuirk;
import dev.dkrig.device.DeviceSettings;
import dev.dkrig.device.VirtualDevice;
import dev.dkrig.pairing.VehicleSettings;
import dev.dkrig.pairing.VerifierSource;
import dev.dkrig.random.Draws;
import dev.dkrig.random.SecureDraws;
import dev.dkrig.state.StateStore;
import dev.dkrig.time.RigClock;
import dev.dkrig.time.TimerName;
import dev.dkrig.time.VirtualClock;
import dev.dkrig.transport.NfcTransport;
import dev.dkrig.transport.VirtualNfcTransport;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A suite bench in memory: the vehicle of the default profile with a test-cost verifier (N = 4096)
 * against the T1 virtual device with the given quirks, on a virtual clock with seeded draws. Each
 * fresh scenario gets a new device seeded alike, so runs are reproducible.
 */
final class InMemorySuiteBench implements SuiteBench {
  static final Instant START = Instant.parse("2026-11-27T12:00:00Z");

  private final VirtualClock clock = new VirtualClock(START);
  private final Draws draws = SecureDraws.seeded(11);
  private final DeviceSettings device;
  private final VehicleSettings vehicle;
  private final StateStore state;
  private final Map<TimerName, Duration> timers = new EnumMap<>(TimerName.class);
  private VirtualDevice current;
  private VirtualNfcTransport transport;
  int devicesMade;

  /** The device leaves the field after this many presence checks of the reader (a lost tag). */
  int vanishAfter = Integer.MAX_VALUE;

  private int presenceChecks;

  InMemorySuiteBench(Path stateDirectory, Set<DeviceQuirk> quirks) {
    this(stateDirectory, quirks, DeviceSettings.t1().streamCapacity());
  }

  /**
   * A bench whose device accepts creation-data streams of {@code streamCapacity} bytes (§18.22).
   */
  InMemorySuiteBench(Path stateDirectory, Set<DeviceQuirk> quirks, int streamCapacity) {
    this.device = DeviceSettings.t1().withQuirks(quirks).withStreamCapacity(streamCapacity);
    this.vehicle =
        VehicleProfile.load(ConfigSource.embedded(VehicleProfile.EMBEDDED))
            .settings()
            .withVerifier(
                new VerifierSource.FromPassword("12345678", Optional.empty(), 4096, 8, 1));
    this.state = new StateStore(stateDirectory);
  }

  VirtualDevice device() {
    return current;
  }

  @Override
  public VehicleSettings vehicle() {
    return vehicle;
  }

  @Override
  public Map<TimerName, Duration> timers() {
    return timers;
  }

  @Override
  public Draws draws() {
    return draws;
  }

  @Override
  public RigClock clock() {
    return clock;
  }

  @Override
  public StateStore state() {
    return state;
  }

  @Override
  public boolean virtualDevice() {
    return true;
  }

  @Override
  public NfcTransport transport(boolean fresh) {
    if (transport == null || fresh) {
      current = new VirtualDevice(device, SecureDraws.seeded(7), clock, clock);
      presenceChecks = 0;
      transport =
          new VirtualNfcTransport(
              current, () -> ++presenceChecks <= vanishAfter, clock, Duration.ofSeconds(5));
      devicesMade++;
    }
    return transport;
  }

  @Override
  public String reader() {
    return "in-memory virtual reader";
  }

  @Override
  public void close() {
    if (transport != null) {
      transport.close();
    }
  }
}
