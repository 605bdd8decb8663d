package dev.dkrig.conformance.vehicle;

import dev.dkrig.ccc.DkProfile;
import dev.dkrig.conformance.Operator;
import dev.dkrig.conformance.ScenarioResult;
import dev.dkrig.conformance.SuiteListener;
import dev.dkrig.conformance.SuiteOutcome;
import dev.dkrig.device.DeviceQuirk;
import dev.dkrig.device.VirtualDevice;
import dev.dkrig.phone.host.PhoneHost;
import dev.dkrig.time.Durations;
import dev.dkrig.time.RigClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Runs a vehicle conformance suite ({@code dkrig suite --role phone}): each scenario puts a phone
 * with its device quirk on the host, waits for the vehicle's next attempt and judges its reaction
 * ({@link VehicleScenarioRun}). Before each scenario the operator is told on stderr to (re)start
 * pairing mode on the head unit. The runner counts the SPAKE2+ VERIFYs the vehicle sent (§5.6: each
 * raises its attempt counter, success or not) and, before the seventh would leave the vehicle
 * locked, asks the operator to re-provision the vehicle's verifier; without a terminal the
 * remaining scenarios end ERROR with that instruction.
 */
public final class VehicleSuiteRunner {

  /**
   * How the suite is run.
   *
   * @param timers {@code --timer}: the vehicle's timers; they win over the suite file's
   * @param attemptWait {@code --wait}: how long to wait for each attempt (else the suite's)
   * @param freshVerifier {@code --fresh-verifier}: the vehicle derives a new verifier for every
   *     pairing (§18.20, dkrig pair with a password profile), so attempts are not counted
   * @param attemptsUsed {@code --attempts-used}: what the vehicle's counter holds at the start
   * @param interactive a terminal: the operator can confirm a re-provisioning
   * @param rigTimers the phone rig's {@code phone.timers}: over the suite file's, under {@code
   *     timers}
   * @param rigPhase4Wait the phone rig's {@code phone.phase4Wait}: over the suite's, under a
   *     scenario's own
   */
  public record Options(
      Map<String, Duration> timers,
      Optional<Duration> attemptWait,
      boolean freshVerifier,
      int attemptsUsed,
      boolean interactive,
      Map<String, Duration> rigTimers,
      Optional<Duration> rigPhase4Wait) {
    public Options(
        Map<String, Duration> timers,
        Optional<Duration> attemptWait,
        boolean freshVerifier,
        int attemptsUsed,
        boolean interactive) {
      this(
          timers,
          attemptWait,
          freshVerifier,
          attemptsUsed,
          interactive,
          Map.of(),
          Optional.empty());
    }

    public Options {
      timers = Map.copyOf(timers);
      rigTimers = Map.copyOf(rigTimers);
      if (attemptsUsed < 0 || attemptsUsed > DkProfile.SPAKE2_ATTEMPT_LIMIT) {
        throw new IllegalArgumentException(
            "attempts used must be 0.." + DkProfile.SPAKE2_ATTEMPT_LIMIT + ", not " + attemptsUsed);
      }
    }

    public static Options defaults() {
      return new Options(Map.of(), Optional.empty(), false, 0, false);
    }

    /** The same, with a phone rig's {@code phone:} section (as {@code dkrig phone --rig}). */
    public Options withRig(Map<String, Duration> timers, Optional<Duration> phase4Wait) {
      return new Options(
          this.timers, attemptWait, freshVerifier, attemptsUsed, interactive, timers, phase4Wait);
    }

    /** The timers that win over the suite file's: the rig's, then {@code --timer}'s. */
    Map<String, Duration> overSuite() {
      Map<String, Duration> over = new java.util.LinkedHashMap<>(rigTimers);
      over.putAll(timers);
      return over;
    }
  }

  /** The line that asks for a new verifier (§5.6). */
  public static final String REPROVISION =
      "re-provision the vehicle's SPAKE2+ verifier: its attempt counter would reach the limit of "
          + DkProfile.SPAKE2_ATTEMPT_LIMIT
          + " (§5.6)";

  private final VehicleSuite suite;
  private final PhoneHost host;
  private final Function<DeviceQuirk, VirtualDevice> phones;
  private final RigClock clock;
  private final Operator operator;
  private final SuiteListener listener;
  private final Options options;
  private final ScenarioWire wire;

  /**
   * @param phones a fresh virtual device with the quirk, for each scenario
   * @param wire where each scenario's APDUs and field events go (trace, capture)
   */
  public VehicleSuiteRunner(
      VehicleSuite suite,
      PhoneHost host,
      Function<DeviceQuirk, VirtualDevice> phones,
      RigClock clock,
      Operator operator,
      SuiteListener listener,
      Options options,
      ScenarioWire wire) {
    this.suite = suite;
    this.host = host;
    this.phones = phones;
    this.clock = clock;
    this.operator = operator;
    this.listener = listener;
    this.options = options;
    this.wire = wire;
  }

  public SuiteOutcome run() {
    Instant start = clock.now();
    List<ScenarioResult> results = new ArrayList<>();
    int attempts = options.attemptsUsed();
    Optional<String> stopped = Optional.empty();
    boolean interrupted = false;
    Optional<ScenarioPhone> previous = Optional.empty();
    Duration wait = options.attemptWait().orElse(suite.attemptWait());
    for (VehicleSuite.Entry entry : suite.entries()) {
      VehicleScenario scenario = entry.scenario();
      if (stopped.isEmpty() && !options.freshVerifier() && attempts >= limit()) {
        if (options.interactive()) {
          try {
            operator.prompt(
                "Re-provision the vehicle's SPAKE2+ verifier now: "
                    + attempts
                    + " attempts seen (§5.6)");
            attempts = 0;
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            interrupted = true;
            break;
          }
        } else {
          stopped = Optional.of(REPROVISION);
        }
      }
      if (stopped.isPresent()) {
        ScenarioResult notRun = VehicleScenarioRun.notRun(scenario, clock.now(), stopped.get());
        listener.scenarioStarted(scenario.name(), scenario.asConformanceScenario());
        listener.scenarioFinished(notRun);
        results.add(notRun);
        continue;
      }
      listener.waiting(
          suite.restartPrompt().replace("{scenario}", scenario.name())
              + " (waiting up to "
              + Durations.compact(wait)
              + " for the vehicle's attempt)");
      VehicleScenarioRun run =
          new VehicleScenarioRun(
              entry,
              suite,
              options.overSuite(),
              options.rigPhase4Wait(),
              wait,
              phones.apply(scenario.quirk()),
              host,
              clock,
              listener,
              wire);
      ScenarioPhone phone = run.phone();
      VehicleScenarioRun.Finished finished;
      try {
        finished = run.play(previous);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        results.add(run.interrupted());
        interrupted = true;
        previous = Optional.of(phone);
        break;
      }
      listener.waitingOver();
      results.add(finished.result());
      attempts += finished.verifies();
      if (finished.attemptLimit()) {
        stopped = Optional.of(REPROVISION);
      } else if (finished.hostFailure().isPresent()) {
        // The phone's own transport is gone: every later scenario would end the same way.
        stopped = Optional.of("the phone's transport failed: " + finished.hostFailure().get());
      } else if (finished.noAttempt()) {
        // Nobody restarts pairing mode: waiting the same time for every scenario helps no one.
        stopped =
            Optional.of(
                "the vehicle made no attempt in "
                    + scenario.name()
                    + " within "
                    + Durations.compact(wait));
      }
      previous = Optional.of(phone);
    }
    previous.ifPresent(p -> p.handOver(Optional.empty()));
    return new SuiteOutcome(
        suite.asSuite(), 1, results, start, clock.now(), interrupted, Optional.empty());
  }

  private static int limit() {
    return DkProfile.SPAKE2_ATTEMPT_LIMIT;
  }
}
