package dev.dkrig.conformance;

import dev.dkrig.ble.Advertiser;
import dev.dkrig.ccc.StatusWord;
import dev.dkrig.iso7816.CommandApdu;
import dev.dkrig.iso7816.Hex;
import dev.dkrig.iso7816.ResponseApdu;
import dev.dkrig.pairing.DkRecord;
import dev.dkrig.pairing.OwnerPairing;
import dev.dkrig.pairing.PairingOutcome;
import dev.dkrig.pairing.Result;
import dev.dkrig.pairing.RunListener;
import dev.dkrig.pairing.Step;
import dev.dkrig.pairing.StepResult;
import dev.dkrig.time.RigClock;
import dev.dkrig.transport.NfcTransport;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One run of one scenario: the steps as they happen, the APDUs behind them, and the checks every
 * scenario shares (a status word, the session dropped, no key created, the DK intact, a clean
 * pairing). A scenario's {@link ConformanceScenario.Play} calls these; {@link #vehicle()} gives the
 * conforming steps.
 */
public final class ScenarioRun {
  /** §3.5, §3.6 with §18.10: a CLA 84 command without session keys, or a state violation. */
  static final int SESSION_GONE = StatusWord.CONDITIONS_NOT_SATISFIED;

  private final ConformanceScenario scenario;
  private final String label;
  private final ScenarioContext context;
  private final Map<String, Long> parameters;
  private final ScriptedVehicle vehicle;
  private final List<ScenarioStep> steps = new ArrayList<>();
  private final List<Exchange> exchanges = new ArrayList<>();
  private DeviceKnowledge knowledge;
  private boolean benchFailed;

  ScenarioRun(
      ConformanceScenario scenario,
      String label,
      ScenarioContext context,
      DeviceKnowledge knowledge,
      Map<String, Long> parameters) {
    this.scenario = scenario;
    this.label = label;
    this.context = context;
    this.knowledge = knowledge;
    this.parameters = Map.copyOf(parameters);
    this.vehicle = new ScriptedVehicle(this, context);
  }

  public ScriptedVehicle vehicle() {
    return vehicle;
  }

  public DeviceKnowledge knowledge() {
    return knowledge;
  }

  /** A scenario parameter: the suite entry's value, else its default. */
  public long parameter(String name) {
    Long value = parameters.get(name);
    if (value != null) {
      return value;
    }
    return scenario
        .parameter(name)
        .orElseThrow(() -> new IllegalArgumentException(scenario.name() + " has no " + name))
        .defaultValue();
  }

  // ---------------------------------------------------------------- the step machinery

  /** A step body: it sends through the {@link StepContext} and may stop the scenario. */
  @FunctionalInterface
  public interface StepBody<T> {
    T run(StepContext step) throws InterruptedException;
  }

  /**
   * Runs a step whose failure ends the scenario (set-up): a refusal or a bench fault is recorded
   * and thrown on.
   */
  public <T> T step(StepKind kind, String name, StepBody<T> body) throws InterruptedException {
    return run(kind, name, body, true);
  }

  /**
   * Runs a check: a FAIL is recorded and the scenario goes on to its next check; a bench fault
   * (ERROR) still ends it.
   */
  public <T> Optional<T> check(StepKind kind, String name, StepBody<T> body)
      throws InterruptedException {
    return Optional.ofNullable(run(kind, name, body, false));
  }

  private <T> T run(StepKind kind, String name, StepBody<T> body, boolean stopOnFail)
      throws InterruptedException {
    Instant start = clock().now();
    StepContext step = new StepContext(this, name);
    context.listener().stepStarted(label, name);
    try {
      T value = body.run(step);
      finish(kind, step, step.result(), step.detailText(), start);
      return value;
    } catch (ScenarioStop stop) {
      finish(kind, step, stop.result(), stop.getMessage(), start);
      if (stop.result() == Result.ERROR) {
        benchFailed = true;
      }
      if (stopOnFail || stop.result() == Result.ERROR) {
        throw stop;
      }
      return null;
    } catch (InterruptedException e) {
      finish(kind, step, Result.ERROR, "interrupted by the operator", start);
      benchFailed = true;
      throw e;
    }
  }

  private void finish(
      StepKind kind, StepContext step, Result result, String detail, Instant start) {
    ScenarioStep record =
        new ScenarioStep(step.name(), kind, result, detail, step.lastSw(), start, clock().now());
    steps.add(record);
    context.listener().stepFinished(label, record);
  }

  /** A bug in dkrig ended the scenario: ERROR, and no clean-up on a bench in an unknown state. */
  void internalError(RuntimeException e) {
    addAtOnce("internal error", StepKind.RECOVERY, Result.ERROR, "internal error in dkrig: " + e);
    benchFailed = true;
  }

  /** A stop thrown between steps (not by one) still decides the verdict. */
  void stoppedOutsideAStep(ScenarioStop stop) {
    boolean recorded =
        steps.stream()
            .anyMatch(s -> s.result() == stop.result() && s.detail().equals(stop.getMessage()));
    if (!recorded) {
      addAtOnce("scenario stopped", StepKind.SETUP, stop.result(), stop.getMessage());
      if (stop.result() == Result.ERROR) {
        benchFailed = true;
      }
    }
  }

  /** The clean pairing that was not run, and why. */
  void skipRecovery(String why) {
    addAtOnce(
        "clean owner pairing (phases 1-3) after the scenario",
        StepKind.RECOVERY,
        Result.SKIPPED,
        why);
  }

  /** A step the runner records outside any step body: no status word, no duration. */
  private void addAtOnce(String name, StepKind kind, Result result, String detail) {
    Instant now = clock().now();
    steps.add(
        new ScenarioStep(name, kind, result, detail, java.util.OptionalInt.empty(), now, now));
  }

  void record(Exchange exchange) {
    exchanges.add(exchange);
  }

  RigClock clock() {
    return context.clock();
  }

  NfcTransport transport() {
    return context.transport();
  }

  ScenarioContext context() {
    return context;
  }

  boolean benchFailed() {
    return benchFailed;
  }

  List<ScenarioStep> steps() {
    return steps;
  }

  List<Exchange> exchanges() {
    return exchanges;
  }

  // ---------------------------------------------------------------- shared checks

  /**
   * The deviation: sends what {@code send} builds and requires {@code expected}. A FAIL names what
   * the device answered instead: {@code AUTH1 with a bad vehicle signature answered 9000 (success),
   * expected 6A88 (§11.4 ...)}.
   */
  public ResponseApdu deviation(
      String action, int expected, String rule, StepBody<ResponseApdu> send)
      throws InterruptedException {
    return expect(StepKind.DEVIATION, action, expected, rule, send);
  }

  /** A further reaction the contract requires, judged by its status word. */
  public ResponseApdu reaction(
      String action, int expected, String rule, StepBody<ResponseApdu> send)
      throws InterruptedException {
    return expect(StepKind.REACTION, action, expected, rule, send);
  }

  private ResponseApdu expect(
      StepKind kind, String action, int expected, String rule, StepBody<ResponseApdu> send)
      throws InterruptedException {
    return check(
            kind,
            action,
            step -> {
              ResponseApdu response = send.run(step);
              judge(step, action, response, expected, rule);
              return response;
            })
        .orElse(null);
  }

  static void judge(
      StepContext step, String action, ResponseApdu response, int expected, String rule) {
    if (response.sw() == expected) {
      step.detail("answered " + StatusWord.describe(response.sw()) + " as required (" + rule + ")");
    } else {
      step.fail(
          action
              + " answered "
              + StatusWord.describe(response.sw())
              + ", expected "
              + Hex.u16(expected)
              + " ("
              + rule
              + ")");
    }
  }

  /**
   * The session of the refused command is gone (§3.5: both sides drop the session keys after any
   * status word other than 9000/61XX; §3.6 Reset): a command that continues it, under the old keys
   * where it is protected, must be answered {@code 6985} (§18.10: CLA 84 without keys, or the state
   * check).
   *
   * @param probe what is sent, e.g. "GET DATA 7F26 under the keys of the refused session"
   * @param after what should have ended the session, e.g. "the refused 10 01"
   */
  public void sessionDropped(String probe, String after, StepBody<ResponseApdu> send)
      throws InterruptedException {
    check(
        StepKind.REACTION,
        "session dropped: " + probe,
        step -> {
          ResponseApdu response = send.run(step);
          if (response.sw() == SESSION_GONE) {
            step.detail(
                "answered 6985: nothing of the session survived "
                    + after
                    + " (§3.5, §3.6, §18.10)");
          } else {
            step.fail(
                probe
                    + " answered "
                    + StatusWord.describe(response.sw())
                    + ", expected 6985: the device kept the session after "
                    + after
                    + " (§3.5, §3.6 Reset)");
          }
          return response;
        });
  }

  /**
   * The vehicle's own abort after a failure (§2, §10.2), recorded as INFO: the scenario judged the
   * device already; the abort only closes the session as a car would.
   */
  public void abort(int code) throws InterruptedException {
    if (!vehicle.anythingSelected()) {
      return;
    }
    check(
        StepKind.RECOVERY,
        "abort " + vehicle.abortHex(code) + " (the vehicle's reaction, §2)",
        step -> {
          ResponseApdu response = vehicle.sendAbort(step, code);
          step.info("abort answered " + StatusWord.describe(response.sw()));
          return response;
        });
  }

  /**
   * No Digital Key was created by the refused pairing (§8.1: a DK is committed only by {@code 11
   * 11}). After an NFC reset the vehicle selects the applet: {@code 6A82} means no DK at all
   * (§18.16); otherwise AUTH0 for this vehicle must find none ({@code 6A88}), or the DK it finds
   * must be the one of the suite's earlier clean pairing (AUTH1 signed by its endpoint key).
   */
  public void noKeyCreated() throws InterruptedException {
    check(
        StepKind.REACTION,
        "no key created",
        step -> {
          vehicle.reselect(step);
          ResponseApdu select = step.send(dev.dkrig.ccc.fw.FrameworkCommands.selectApplet());
          if (select.sw() == StatusWord.NOT_FOUND) {
            step.detail("SELECT applet answered 6A82: the device holds no committed DK (§18.16)");
            return select;
          }
          if (select.sw() != StatusWord.SUCCESS) {
            step.fail(
                "SELECT applet after the refused pairing answered "
                    + StatusWord.describe(select.sw())
                    + ", expected 6A82 (no DK) or 9000 (§3.5)");
            return select;
          }
          vehicle.appletSelected();
          ScriptedVehicle.Applet applet = vehicle.parseAppletSelect(step, select, knownVersion());
          ScriptedVehicle.Auth0Outcome auth0 = vehicle.auth0(step, applet, false);
          if (auth0.response().sw() == StatusWord.REFERENCED_DATA) {
            step.detail("AUTH0 answered 6A88: the device holds no DK for this vehicle (§11.2)");
            vehicle.endTransaction(step, false);
            return auth0.response();
          }
          if (auth0.response().sw() != StatusWord.SUCCESS) {
            step.fail(
                "AUTH0 after the refused pairing answered "
                    + StatusWord.describe(auth0.response().sw())
                    + ", expected 6A88 (no DK for this vehicle) or 9000");
            return auth0.response();
          }
          Optional<DeviceKnowledge.KnownKey> earlier = knowledge.key();
          if (earlier.isPresent()) {
            boolean same = vehicle.auth1SignedBy(step, auth0, earlier.get());
            if (same) {
              step.detail(
                  "the device still holds the DK "
                      + earlier.get().dkIdentifier()
                      + " of the earlier clean pairing, no new one");
            } else {
              step.fail(
                  "the device holds a DK for this vehicle whose endpoint key is not the one of"
                      + " the earlier clean pairing: the refused pairing created a key (§8.1)");
            }
          } else if (knowledge.empty()) {
            step.fail(
                "SELECT applet and AUTH0 answered 9000 after the refused pairing: the device"
                    + " holds a DK for this vehicle, expected none (§8.1: only 11 11 commits a DK)");
          } else {
            step.error(
                "the device holds a DK for this vehicle that this suite did not create: delete it"
                    + " on the device and run again");
          }
          vehicle.endTransaction(step, false);
          return auth0.response();
        });
  }

  /**
   * The device's DK survived the refused transaction: a clean standard transaction (SELECT applet,
   * AUTH0, AUTH1 with the endpoint signature checked against the DK's key, CONTROL FLOW 01 00)
   * passes (§11).
   */
  public void keyStillWorks(DeviceKnowledge.KnownKey key) throws InterruptedException {
    check(
        StepKind.REACTION,
        "the DK still works: a clean standard transaction",
        step -> {
          vehicle.reselect(step);
          ScriptedVehicle.Applet applet = vehicle.selectApplet(step, key.agreedVersion());
          ScriptedVehicle.Auth0Outcome auth0 = vehicle.auth0(step, applet, true);
          vehicle.auth1(step, auth0, key);
          vehicle.endTransaction(step, true);
          step.detail(
              "SELECT applet, AUTH0, AUTH1 (endpoint signature of DK "
                  + key.dkIdentifier()
                  + " valid) and CONTROL FLOW 01 00 all 9000");
          return null;
        });
  }

  private int knownVersion() {
    return knowledge
        .key()
        .map(DeviceKnowledge.KnownKey::agreedVersion)
        .orElse(vehicle.highestAppletVersion());
  }

  /**
   * A clean owner pairing, phases 1 to 3, by the rig's conforming vehicle ({@link OwnerPairing}):
   * as set-up (the device gets a DK; a failure ends the scenario) or as the recovery check.
   *
   * @return the DK the device now holds
   */
  public Optional<DeviceKnowledge.KnownKey> cleanPairing(StepKind kind)
      throws InterruptedException {
    String name =
        kind == StepKind.SETUP
            ? "clean owner pairing (phases 1-3): the device gets a DK"
            : "clean owner pairing (phases 1-3) after the scenario";
    return Optional.ofNullable(
        run(
            kind,
            name,
            step -> {
              PairingOutcome outcome = pair(name);
              Optional<StepResult> problem = outcome.firstProblem();
              if (outcome.internalError().isPresent()) {
                step.error("internal error in the clean pairing: " + outcome.internalError().get());
                return null;
              }
              if (problem.isPresent()) {
                knowledge = DeviceKnowledge.unknown();
                String cause =
                    "clean pairing "
                        + (kind == StepKind.SETUP ? "before" : "after")
                        + " the deviation: "
                        + problem.get().step().id()
                        + " "
                        + problem.get().result()
                        + ": "
                        + problem.get().detail();
                if (problem.get().result() == Result.ERROR) {
                  throw ScenarioStop.error(cause, null);
                }
                if (kind == StepKind.SETUP) {
                  throw step.stop(cause);
                }
                step.fail(cause);
                return null;
              }
              DkRecord dk = outcome.dk().orElseThrow();
              DeviceKnowledge.KnownKey key =
                  new DeviceKnowledge.KnownKey(
                      dk.dkId().hex(), dk.endpointPublicKey(), dk.agreedVersion());
              knowledge = DeviceKnowledge.holding(key);
              step.detail("P1.1 to P3.7 PASS; DK " + dk.dkId() + " " + dk.state());
              return key;
            },
            true));
  }

  private PairingOutcome pair(String stepName) {
    vehicle.forgetSession();
    RunListener evidence =
        new RunListener() {
          @Override
          public void exchange(
              Step step,
              CommandApdu command,
              ResponseApdu response,
              Instant sent,
              Instant received) {
            record(new Exchange(stepName, step.id(), command, response, sent, received));
          }

          @Override
          public void waiting(Step step, String instruction, Instant deadline) {
            context.listener().waiting(instruction);
          }
        };
    OwnerPairing pairing =
        new OwnerPairing(
            context.vehicle().withPhase4(false),
            context.transport(),
            Advertiser.disabled("BLE advertising is not part of the conformance scenarios"),
            context.clock(),
            context.timers(),
            context.draws(),
            context.state(),
            evidence);
    try {
      return pairing.run();
    } finally {
      vehicle.afterPairing();
    }
  }
}
