package dev.dkrig.phone;

import dev.dkrig.bench.ConfigSource;
import dev.dkrig.bench.VehicleProfile;
import dev.dkrig.ble.Advertiser;
import dev.dkrig.device.DeviceQuirk;
import dev.dkrig.device.DeviceSettings;
import dev.dkrig.device.VirtualDevice;
import dev.dkrig.pairing.OwnerPairing;
import dev.dkrig.pairing.PairingOutcome;
import dev.dkrig.pairing.RunListener;
import dev.dkrig.pairing.Step;
import dev.dkrig.pairing.StepResult;
import dev.dkrig.pairing.VehicleQuirk;
import dev.dkrig.pairing.VehicleSettings;
import dev.dkrig.pairing.VerifierSource;
import dev.dkrig.random.SecureDraws;
import dev.dkrig.state.StateStore;
import dev.dkrig.time.TimerName;
import dev.dkrig.time.VirtualClock;
import dev.dkrig.transport.VirtualNfcTransport;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * dkrig's own vehicle ({@link OwnerPairing} over a {@link VirtualNfcTransport}) against the phone
 * role's card, the vehicle in its own thread, both on one virtual clock: the phone's outcome and
 * the vehicle's, for the same pairing. Unit-test wiring only.
 */
final class PhoneBench {
  static final Instant START = Instant.parse("2026-11-27T12:00:00Z");

  final VirtualClock clock = new VirtualClock(START);
  final Map<TimerName, Duration> vehicleTimers = new EnumMap<>(TimerName.class);
  final Set<VehicleQuirk> vehicleQuirks = EnumSet.noneOf(VehicleQuirk.class);
  final List<String> heard = Collections.synchronizedList(new ArrayList<>());
  final Path stateDirectory;
  DeviceSettings device = DeviceSettings.t1();
  PhoneSettings phone = PhoneSettings.defaults();
  boolean phase4 = true;
  PhoneOutcome phoneOutcome;
  PairingOutcome vehicleOutcome;

  PhoneBench(Path stateDirectory) {
    this.stateDirectory = stateDirectory;
    vehicleTimers.put(TimerName.T_KtsPollInterval, Duration.ofMillis(50));
  }

  PhoneBench deviceQuirk(DeviceQuirk quirk) {
    device = device.withQuirks(Set.of(quirk));
    phone = phone.withQuirk(quirk);
    return this;
  }

  PhoneBench vehicleQuirk(VehicleQuirk quirk) {
    vehicleQuirks.add(quirk);
    return this;
  }

  PhoneBench withoutPhase4() {
    phase4 = false;
    phone = phone.withoutPhase4();
    return this;
  }

  PhoneBench run() throws Exception {
    VirtualDevice virtualDevice = new VirtualDevice(device, SecureDraws.seeded(7), clock, clock);
    PhoneRun run =
        new PhoneRun(
            phone,
            virtualDevice,
            clock,
            new PhoneRun.Listener() {
              @Override
              public void stepEnded(StepResult result) {
                heard.add(result.step().id() + " " + result.result());
              }
            });
    VehicleSettings vehicle =
        VehicleProfile.load(ConfigSource.embedded(VehicleProfile.EMBEDDED))
            .settings()
            .withVerifier(new VerifierSource.FromPassword("12345678", Optional.empty(), 4096, 8, 1))
            .withPhase4(phase4)
            .withQuirks(vehicleQuirks);
    VirtualNfcTransport reader =
        new VirtualNfcTransport(
            run.card(),
            () -> true,
            clock,
            vehicleTimers.getOrDefault(TimerName.T_Apdu, Duration.ofSeconds(5)));
    OwnerPairing pairing =
        new OwnerPairing(
            vehicle,
            reader,
            Advertiser.disabled(),
            clock,
            vehicleTimers,
            SecureDraws.seeded(11),
            new StateStore(stateDirectory),
            new RunListener() {});
    ExecutorService vehicleThread = Executors.newSingleThreadExecutor();
    try {
      Future<PairingOutcome> vehicleRun = vehicleThread.submit(pairing::run);
      phoneOutcome = run.await();
      vehicleOutcome = vehicleRun.get(60, TimeUnit.SECONDS);
    } finally {
      vehicleThread.shutdownNow();
    }
    return this;
  }

  StepResult phone(Step step) {
    return phoneOutcome.result(step);
  }

  /** {@code P2.3 FAIL: detail} for assertion messages. */
  String describe() {
    StringBuilder out = new StringBuilder("phone:\n");
    for (StepResult r : phoneOutcome.results()) {
      out.append("  ").append(r.step().id()).append(' ').append(r.result());
      out.append(": ").append(r.detail()).append('\n');
    }
    out.append("vehicle: ").append(vehicleOutcome.verdict());
    vehicleOutcome
        .firstProblem()
        .ifPresent(p -> out.append(" at ").append(p.step().id()).append(": ").append(p.detail()));
    return out.toString();
  }
}
