package dev.dkrig.conformance.vehicle;

import dev.dkrig.ccc.DkProfile;
import dev.dkrig.conformance.Exchange;
import dev.dkrig.conformance.ScenarioResult;
import dev.dkrig.conformance.ScenarioStep;
import dev.dkrig.conformance.StepKind;
import dev.dkrig.conformance.SuiteListener;
import dev.dkrig.device.DeviceQuirk;
import dev.dkrig.device.VirtualDevice;
import dev.dkrig.io.SafeText;
import dev.dkrig.iso7816.CommandApdu;
import dev.dkrig.iso7816.Iso7816Exception;
import dev.dkrig.iso7816.ResponseApdu;
import dev.dkrig.pairing.Result;
import dev.dkrig.pairing.Step;
import dev.dkrig.pairing.StepResult;
import dev.dkrig.pairing.Verdict;
import dev.dkrig.phone.PhoneEvent;
import dev.dkrig.phone.PhoneOutcome;
import dev.dkrig.phone.PhoneRun;
import dev.dkrig.phone.PhoneSettings;
import dev.dkrig.phone.QuirkReactions;
import dev.dkrig.phone.ReactionWatch;
import dev.dkrig.phone.host.PhoneHost;
import dev.dkrig.time.Durations;
import dev.dkrig.time.RigClock;
import dev.dkrig.time.TimerName;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One scenario of the vehicle conformance suite: a {@link PhoneRun} with the scenario's quirk and
 * timers on the host, until the vehicle's attempt is over. Its verdict is the reaction's ({@link
 * ReactionWatch}), provided no step before the reaction FAILed: two steps, "the attempt up to the
 * reaction" (setup) and the reaction itself, with every APDU as evidence.
 *
 * <p>The attempt is over when the vehicle starts a new session after the reaction, or when the
 * reaction is judged (or the phone run has ended without one) and the field has stayed off for a
 * quiet period (the longer of 3 s and a given T_KtsPollInterval + tolerance + 1 s: no NFC reset
 * inside a pairing is that long). No attempt within the wait is ERROR.
 */
final class VehicleScenarioRun {
  /**
   * What a scenario left: its result, the SPAKE2+ VERIFYs the vehicle sent in it, and why the suite
   * cannot go on, if it cannot (the attempt limit, no attempt, the host's own transport failed).
   */
  record Finished(
      ScenarioResult result,
      int verifies,
      boolean attemptLimit,
      boolean noAttempt,
      Optional<String> hostFailure) {}

  private static final Duration POLL = Duration.ofMillis(20);
  private static final Duration MIN_QUIET = Duration.ofSeconds(3);
  private static final Duration LONGEST_ATTEMPT = Duration.ofMinutes(20);

  private final VehicleScenario scenario;
  private final Duration wait;
  private final PhoneSettings settings;
  private final PhoneHost host;
  private final RigClock clock;
  private final SuiteListener listener;
  private final ScenarioWire wire;
  private final ReactionWatch watch;
  private final PhoneRun run;
  private final ScenarioPhone phone;
  private final List<Exchange> exchanges = new ArrayList<>();
  private Instant lastActivity;
  private Instant start;

  VehicleScenarioRun(
      VehicleSuite.Entry entry,
      VehicleSuite suite,
      Map<String, Duration> overSuite,
      Optional<Duration> phase4Wait,
      Duration wait,
      VirtualDevice device,
      PhoneHost host,
      RigClock clock,
      SuiteListener listener,
      ScenarioWire wire) {
    this.scenario = entry.scenario();
    this.wait = wait;
    this.host = host;
    this.clock = clock;
    this.listener = listener;
    this.wire = wire;
    Map<String, Duration> timers = new LinkedHashMap<>(suite.timers());
    timers.putAll(entry.timers());
    timers.putAll(overSuite);
    this.settings =
        new PhoneSettings(
            timers,
            entry.phase4Wait().or(() -> phase4Wait).orElse(suite.phase4Wait()),
            true,
            Optional.of(scenario.quirk()));
    if (scenario.quirk() == DeviceQuirk.SLOWER_THAN_T_APDU) {
      settings
          .timer(TimerName.T_Apdu)
          .ifPresent(t -> device.slowAnswer(t.plus(PhoneSettings.tolerance(t)).plusSeconds(1)));
    }
    QuirkReactions.Reaction reaction = QuirkReactions.of(scenario.quirk()).orElseThrow();
    this.watch = new ReactionWatch(reaction, settings);
    this.run = new PhoneRun(settings, device, clock, new Tee());
    this.phone = new ScenarioPhone(run, device, watch, clock::now);
  }

  ScenarioPhone phone() {
    return phone;
  }

  /**
   * Puts the phone on the host and waits until the vehicle's attempt is over.
   *
   * @param previous the phone of the scenario before, which hands what still reaches it to this one
   */
  Finished play(Optional<ScenarioPhone> previous) throws InterruptedException {
    start = clock.now();
    lastActivity = start;
    listener.scenarioStarted(scenario.name(), scenario.asConformanceScenario());
    host.serve(phone);
    // The phone of the scenario before answers nothing more: what still reaches it (the vehicle's
    // next attempt) is this scenario's, now that this phone is on the host.
    previous.ifPresent(p -> p.handOver(Optional.of(phone)));
    Optional<String> trouble = Optional.empty();
    while (true) {
      if (Thread.currentThread().isInterrupted()) {
        throw new InterruptedException();
      }
      Instant now = clock.now();
      if (phone.over()) {
        break;
      }
      Optional<String> failed = phone.hostFailure();
      if (failed.isPresent()) {
        trouble = Optional.of("the phone's transport failed: " + failed.get());
        break;
      }
      boolean waiting;
      synchronized (watch) {
        Optional<Instant> deadline = watch.deadline();
        if (deadline.isPresent() && !now.isBefore(deadline.get())) {
          watch.deadlinePassed(now);
        }
        waiting = watch.deadline().isPresent();
      }
      boolean quietNow = !phone.fieldOn() && !now.isBefore(lastActivity().plus(quiet()));
      // The phone's run may end before the vehicle's attempt does (after a FAIL, or after the
      // reaction's NFC reset): the scenario follows the vehicle, not the run.
      if (!decided() && !waiting && run.outcome().isPresent() && quietNow) {
        break;
      }
      if (!phone.contact() && !now.isBefore(start.plus(wait))) {
        trouble =
            Optional.of(
                "no attempt from the vehicle within "
                    + Durations.compact(wait)
                    + " (--wait): start pairing mode on the head unit");
        break;
      }
      if (decided() && quietNow) {
        break;
      }
      if (!now.isBefore(start.plus(wait).plus(LONGEST_ATTEMPT))) {
        trouble = Optional.of("the vehicle's attempt did not end within " + LONGEST_ATTEMPT);
        break;
      }
      clock.sleep(POLL);
    }
    phone.end();
    PhoneOutcome outcome =
        run.outcome().orElseGet(() -> run.stop("the vehicle's attempt is over (suite)"));
    synchronized (watch) {
      watch.runEnded(clock.now());
    }
    return finish(outcome, trouble);
  }

  /** The result of a scenario cut short by Ctrl-C or SIGTERM. */
  ScenarioResult interrupted() {
    phone.end();
    run.stop("the suite was stopped");
    return notRun(scenario, start == null ? clock.now() : start, "interrupted");
  }

  /** A scenario the suite could not run, ERROR with why. */
  static ScenarioResult notRun(VehicleScenario scenario, Instant at, String why) {
    ScenarioStep step =
        new ScenarioStep(
            "not run",
            StepKind.SETUP,
            Result.ERROR,
            "not run: " + why,
            OptionalInt.empty(),
            at,
            at);
    return new ScenarioResult(
        scenario.asConformanceScenario(),
        scenario.name(),
        Verdict.ERROR,
        Optional.of("not run: " + why),
        List.of(step),
        List.of(),
        at,
        at);
  }

  // ---- the verdict ----

  private Finished finish(PhoneOutcome outcome, Optional<String> trouble) {
    Instant end = clock.now();
    Optional<ReactionWatch.Decision> decision;
    synchronized (watch) {
      decision = watch.decision();
    }
    boolean attemptLimit =
        outcome.events().stream()
            .anyMatch(
                e ->
                    e instanceof PhoneEvent.Apdu a
                        && isAbort(a.command(), 0x12, DkProfile.ABORT_ATTEMPT_LIMIT));
    String setupName = "the vehicle's attempt up to " + scenario.step().id();
    String reactionName = scenario.step().id() + " reaction: " + scenario.requiredReaction();
    ScenarioStep setup = setup(setupName, outcome, decision, trouble, attemptLimit, end);
    ScenarioStep reaction = reaction(reactionName, setup, decision, end);
    List<ScenarioStep> steps = List.of(setup, reaction);
    Result worst =
        steps.stream().anyMatch(s -> s.result() == Result.ERROR)
            ? Result.ERROR
            : steps.stream().anyMatch(s -> s.result() == Result.FAIL) ? Result.FAIL : Result.PASS;
    Optional<String> cause =
        steps.stream()
            .filter(s -> s.result() == worst && worst != Result.PASS)
            .findFirst()
            .map(ScenarioStep::detail);
    List<Exchange> named = new ArrayList<>();
    synchronized (exchanges) {
      for (Exchange e : exchanges) {
        named.add(
            new Exchange(
                e.step().equals("reaction") ? reactionName : setupName,
                e.substep(),
                e.command(),
                e.response(),
                e.sent(),
                e.received()));
      }
    }
    ScenarioResult result =
        new ScenarioResult(
            scenario.asConformanceScenario(),
            scenario.name(),
            Verdict.valueOf(worst.name()),
            cause,
            steps,
            named,
            start,
            end);
    for (ScenarioStep step : steps) {
      listener.stepStarted(scenario.name(), step.name());
      listener.stepFinished(scenario.name(), step);
    }
    listener.scenarioFinished(result);
    return new Finished(
        result, phone.verifies(), attemptLimit, !phone.contact(), phone.hostFailure());
  }

  private ScenarioStep setup(
      String name,
      PhoneOutcome outcome,
      Optional<ReactionWatch.Decision> decision,
      Optional<String> trouble,
      boolean attemptLimit,
      Instant end) {
    Instant until = decision.map(ReactionWatch.Decision::at).orElse(end);
    if (attemptLimit) {
      return step(
          name,
          StepKind.SETUP,
          Result.ERROR,
          "abort 12 0D: the vehicle's SPAKE2+ attempt limit was reached; "
              + VehicleSuiteRunner.REPROVISION,
          until);
    }
    if (trouble.isPresent() && (!phone.contact() || phone.hostFailure().isPresent())) {
      return step(name, StepKind.SETUP, Result.ERROR, trouble.get(), until);
    }
    int reactionIndex = Step.catalogue().indexOf(scenario.step());
    for (StepResult r : outcome.results()) {
      if (r.result() == Result.FAIL && Step.catalogue().indexOf(r.step()) < reactionIndex) {
        return step(
            name,
            StepKind.SETUP,
            Result.FAIL,
            "before the reaction: " + r.step().id() + " FAIL: " + r.detail(),
            until);
      }
    }
    return step(
        name,
        StepKind.SETUP,
        Result.PASS,
        exchangeCount()
            + " command(s) from the vehicle; the phone misbehaved as "
            + scenario.name()
            + " says",
        until);
  }

  private ScenarioStep reaction(
      String name, ScenarioStep setup, Optional<ReactionWatch.Decision> decision, Instant end) {
    if (setup.result() == Result.ERROR) {
      return step(name, StepKind.REACTION, Result.SKIPPED, "not judged: " + setup.detail(), end);
    }
    if (decision.isPresent()) {
      return step(
          name,
          StepKind.REACTION,
          decision.get().result(),
          decision.get().detail(),
          decision.get().at());
    }
    if (setup.result() == Result.FAIL) {
      return step(name, StepKind.REACTION, Result.SKIPPED, "not reached: " + setup.detail(), end);
    }
    boolean triggered;
    synchronized (watch) {
      triggered = watch.triggered();
    }
    return step(
        name,
        StepKind.REACTION,
        Result.ERROR,
        triggered
            ? "the vehicle's attempt ended before its reaction could be judged"
            : "the vehicle's attempt ended before the phone's misbehaviour ("
                + scenario.name()
                + ") came into play",
        end);
  }

  private ScenarioStep step(String name, StepKind kind, Result result, String detail, Instant at) {
    return new ScenarioStep(
        name, kind, result, SafeText.line(detail), OptionalInt.empty(), start, at);
  }

  private int exchangeCount() {
    synchronized (exchanges) {
      return exchanges.size();
    }
  }

  private boolean decided() {
    synchronized (watch) {
      return watch.decided();
    }
  }

  private synchronized Instant lastActivity() {
    return lastActivity;
  }

  private synchronized void active(Instant at) {
    lastActivity = at;
  }

  /** Longer than any NFC reset inside one pairing. */
  private Duration quiet() {
    return settings
        .timer(TimerName.T_KtsPollInterval)
        .map(t -> t.plus(PhoneSettings.tolerance(t)).plusSeconds(1))
        .filter(q -> q.compareTo(MIN_QUIET) > 0)
        .orElse(MIN_QUIET);
  }

  private static boolean isAbort(byte[] command, int p1, int code) {
    return command.length == 4
        && (command[0] & 0xFF) == 0x80
        && (command[1] & 0xFF) == 0x3C
        && (command[2] & 0xFF) == p1
        && (command[3] & 0xFF) == code;
  }

  /** Feeds the watch, the evidence and the scenario's exchanges, in event order. */
  private final class Tee implements PhoneRun.Listener {
    @Override
    public void fieldOn(Instant at) {
      synchronized (watch) {
        watch.fieldOn(at);
      }
      active(at);
    }

    @Override
    public void fieldOff(Instant at) {
      synchronized (watch) {
        watch.fieldOff(at);
      }
      wire.fieldOff(at);
      active(at);
    }

    @Override
    public void apdu(Instant at, byte[] command, byte[] response, Duration answering, Step step) {
      String part;
      synchronized (watch) {
        watch.apdu(new PhoneEvent.Apdu(at, command, response, answering));
        part = watch.triggered() ? "reaction" : "setup";
      }
      Instant sent = at.minus(answering);
      wire.apdu(step, command, response, sent, at);
      try {
        ResponseApdu answer = response == null ? null : ResponseApdu.parse(response);
        synchronized (exchanges) {
          exchanges.add(new Exchange(part, "", CommandApdu.parse(command), answer, sent, at));
        }
      } catch (Iso7816Exception | IllegalArgumentException e) {
        // Not an APDU: the trace and the capture hold it; the scenario's list holds APDUs only.
      }
      active(at);
    }
  }
}
