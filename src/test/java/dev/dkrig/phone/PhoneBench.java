package dev.dkrig.phone;

import dev.dkrig.bench.ConfigSource;
import dev.dkrig.bench.VehicleProfile;
import dev.dkrig.ble.Advertiser;
import dev.dkrig.device.DeviceQuirk;
import dev.dkrig.device.DeviceSettings;
import dev.dkrig.device.VirtualDevice;
import dev.dkrig.iso7816.ContactlessCard;
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
import java.util.function.UnaryOperator;

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

  /** Stands between the vehicle's reader and the phone's card (delays, a field lost). */
  UnaryOperator<ContactlessCard> between = card -> card;

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
            between.apply(run.card()),
            () -> !virtualDevice.hasLeftField(),
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
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      Future<PhoneOutcome> phoneRun = threads.submit(run::await);
      Future<PairingOutcome> vehicleRun = threads.submit(pairing::run);
      vehicleOutcome = vehicleRun.get(60, TimeUnit.SECONDS);
      reader.close();
      // The vehicle is done; the phone may still wait (phase 4, the reset after an abort): its
      // waits run on the virtual clock, which only the test moves now.
      for (int i = 0; i < 10_000 && !phoneRun.isDone(); i++) {
        clock.advance(Duration.ofMillis(100));
        Thread.sleep(1);
      }
      phoneOutcome = phoneRun.get(10, TimeUnit.SECONDS);
    } finally {
      threads.shutdownNow();
    }
    return this;
  }

  /** Puts {@code delay} on the clock before the phone sees each command {@code when} picks. */
  PhoneBench delayBefore(java.util.function.Predicate<byte[]> when, Duration delay) {
    UnaryOperator<ContactlessCard> previous = between;
    between =
        card ->
            new Forwarding(previous.apply(card)) {
              @Override
              public byte[] process(byte[] command) {
                if (when.test(command)) {
                  clock.advance(delay);
                }
                return super.process(command);
              }
            };
    return this;
  }

  /** A card that forwards everything; tests override what they change. */
  static class Forwarding implements ContactlessCard {
    private final ContactlessCard inner;

    Forwarding(ContactlessCard inner) {
      this.inner = inner;
    }

    @Override
    public void activate() {
      inner.activate();
    }

    @Override
    public byte[] process(byte[] command) {
      return inner.process(command);
    }

    @Override
    public void deactivate() {
      inner.deactivate();
    }
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
