package dev.dkrig.dump;

import dev.dkrig.ble.Advertiser;
import dev.dkrig.ble.AdvertisingData;
import dev.dkrig.pairing.OwnerPairing;
import dev.dkrig.pairing.PairingOutcome;
import dev.dkrig.pairing.RunListener;
import dev.dkrig.pairing.StepResult;
import dev.dkrig.pairing.VehicleSettings;
import dev.dkrig.pairing.VerifierSource;
import dev.dkrig.random.RecordedDraws;
import dev.dkrig.random.SeededDraws;
import dev.dkrig.random.TestModeDraws;
import dev.dkrig.state.StateStore;
import dev.dkrig.time.TimerName;
import dev.dkrig.time.VirtualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code dkrig replay}: the vehicle re-runs against the recorded responses with the recorded draws
 * (or seed), timers and clock readings, and must reach the same step results; otherwise the first
 * APDU where it went another way, or the first step whose result differs, is named.
 */
public final class Replay {
  private Replay() {}

  /**
   * @param divergence the first transport event the vehicle did not repeat
   * @param differences steps whose result, status word or abort differ from the recording
   */
  public record Result(
      PairingOutcome outcome, Optional<String> divergence, List<String> differences) {
    public boolean identical() {
      return divergence.isEmpty() && differences.isEmpty();
    }
  }

  public static Result run(
      Dump dump, VehicleSettings profile, Path stateDirectory, RunListener listener) {
    VirtualClock clock = new VirtualClock(dump.start());
    ReplayTransport transport = new ReplayTransport(dump, clock);
    Map<TimerName, Duration> timers = new EnumMap<>(TimerName.class);
    dump.timers().forEach((name, value) -> timers.put(TimerName.parse(name), value));
    VehicleSettings settings = profile.withPhase4(dump.phase4());
    if (dump.testMode()) {
      settings = settings.withVerifier(VerifierSource.forTestMode(settings.verifier()));
    }
    OwnerPairing pairing =
        new OwnerPairing(
            settings,
            transport,
            dump.ble() ? replayedAdvertiser() : Advertiser.disabled(),
            clock,
            new ReplayClock(dump.clockReads(), clock),
            timers,
            dump.testMode()
                ? new TestModeDraws()
                : dump.draws().isPresent()
                    ? new RecordedDraws(dump.draws().get())
                    : new SeededDraws(dump.seed()),
            new StateStore(stateDirectory),
            listener);
    PairingOutcome outcome = pairing.run();
    List<String> differences = new ArrayList<>();
    for (StepResult r : outcome.results()) {
      String recorded = dump.results().get(r.step().id());
      String replayed = DumpWriter.result(r);
      if (recorded == null) {
        differences.add(r.step().id() + ": not in the recording");
      } else if (!recorded.equals(replayed)) {
        differences.add(r.step().id() + ": recorded " + recorded + ", replayed " + replayed);
      }
    }
    Optional<String> divergence = transport.divergence();
    if (divergence.isEmpty() && !transport.exhausted()) {
      divergence = Optional.of("the vehicle stopped before the end of the recording");
    }
    return new Result(outcome, divergence, differences);
  }

  /** The recorded run advertised; its replay pretends to, without a BLE adapter. */
  private static Advertiser replayedAdvertiser() {
    return new Advertiser() {
      private boolean on;

      @Override
      public boolean enabled() {
        return true;
      }

      @Override
      public void start(AdvertisingData data) {
        on = true;
      }

      @Override
      public void stop() {
        on = false;
      }

      @Override
      public boolean advertising() {
        return on;
      }

      @Override
      public String describe() {
        return " (replayed)";
      }
    };
  }
}
