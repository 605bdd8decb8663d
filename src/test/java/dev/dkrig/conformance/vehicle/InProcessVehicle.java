package dev.dkrig.conformance.vehicle;

import dev.dkrig.bench.ConfigSource;
import dev.dkrig.bench.VehicleProfile;
import dev.dkrig.ble.Advertiser;
import dev.dkrig.pairing.OwnerPairing;
import dev.dkrig.pairing.PairingOutcome;
import dev.dkrig.pairing.RunListener;
import dev.dkrig.pairing.VehicleQuirk;
import dev.dkrig.pairing.VehicleSettings;
import dev.dkrig.pairing.VerifierSource;
import dev.dkrig.phone.host.HostedPhone;
import dev.dkrig.phone.host.PhoneHost;
import dev.dkrig.phone.host.RunSwitch;
import dev.dkrig.random.SecureDraws;
import dev.dkrig.state.StateStore;
import dev.dkrig.time.RigClock;
import dev.dkrig.time.TimerName;
import dev.dkrig.transport.VirtualNfcTransport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * dkrig's own vehicle in-process, as {@code dkrig pair --repeat N} plays it, and the host of the
 * suite's phone: an in-process reader whose card is the suite's phone of the moment. Unit-test
 * wiring only (the IT goes through pcscd and vpcd).
 */
final class InProcessVehicle implements PhoneHost {
  /** How long the phone stays away with {@code leave-field-mid-stream}, as on vpcd. */
  private static final Duration ABSENCE = Duration.ofSeconds(1);

  private final AtomicBoolean present = new AtomicBoolean(true);
  private final RunSwitch card = new RunSwitch(this::leaveField);
  private final List<PairingOutcome> outcomes = Collections.synchronizedList(new ArrayList<>());
  private final Thread thread;
  private volatile boolean closed;

  InProcessVehicle(Path state, Set<VehicleQuirk> quirks, Map<TimerName, Duration> timerValues) {
    VehicleSettings defaults =
        VehicleProfile.load(ConfigSource.embedded(VehicleProfile.EMBEDDED)).settings();
    VehicleSettings vehicle =
        defaults
            .withVerifier(new VerifierSource.FromPassword("12345678", Optional.empty(), 4096, 8, 1))
            .withQuirks(quirks);
    Map<TimerName, Duration> timers = new EnumMap<>(TimerName.class);
    timers.putAll(timerValues);
    RigClock clock = RigClock.system();
    StateStore store = new StateStore(state);
    thread =
        new Thread(
            () -> {
              long seed = 11;
              while (!closed) {
                VirtualNfcTransport reader =
                    new VirtualNfcTransport(
                        card,
                        present::get,
                        clock,
                        timers.getOrDefault(TimerName.T_Apdu, Duration.ofSeconds(5)));
                Advertiser advertiser = Advertiser.disabled();
                OwnerPairing pairing =
                    new OwnerPairing(
                        vehicle,
                        reader,
                        advertiser,
                        clock,
                        timers,
                        SecureDraws.seeded(seed++),
                        store,
                        new RunListener() {});
                try {
                  outcomes.add(pairing.run());
                } catch (RuntimeException e) {
                  if (!closed) {
                    throw e;
                  }
                } finally {
                  // As a bench closes its pad after each run: the field goes off.
                  reader.close();
                  advertiser.close();
                }
              }
            },
            "in-process-vehicle");
    thread.setDaemon(true);
    thread.start();
  }

  /** The vehicle's own reports, one per attempt. */
  List<PairingOutcome> outcomes() {
    synchronized (outcomes) {
      return List.copyOf(outcomes);
    }
  }

  @Override
  public void serve(HostedPhone next) {
    card.switchTo(next);
  }

  private void leaveField() {
    Duration absence = ABSENCE;
    present.set(false);
    Thread back =
        new Thread(
            () -> {
              try {
                Thread.sleep(absence.toMillis());
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              present.set(true);
            });
    back.setDaemon(true);
    back.start();
  }

  @Override
  public String description() {
    return "in-process vehicle";
  }

  @Override
  public void close() {
    closed = true;
    present.set(false);
    thread.interrupt();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
