package dev.dkrig.conformance;

import dev.dkrig.bench.ConfigException;
import dev.dkrig.ccc.CccException;
import dev.dkrig.ccc.DkProfile;
import dev.dkrig.ccc.spake2.ScryptParameters;
import dev.dkrig.ccc.spake2.Verifier;
import dev.dkrig.pairing.VehicleSettings;
import dev.dkrig.pairing.VerifierSource;
import dev.dkrig.random.Draws;
import dev.dkrig.transport.NfcTransport;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs a suite against the device under test: every round ({@code repeat} × {@code --repeat}),
 * every entry, every repetition of an entry, one {@link ScenarioResult} each. A virtual device
 * starts each scenario fresh unless the entry says {@code fresh: false}; on a real device the
 * operator is asked to delete the key instead, and the suite remembers which DK its last clean
 * pairing left so "no key created" stays decidable (§8.1).
 *
 * <p>After a scenario's own steps the runner sends the vehicle's abort if a session is still
 * selected and runs the clean owner pairing (phases 1 to 3) that shows the device recovered;
 * neither happens after a bench failure.
 */
public final class SuiteRunner {
  private final Suite suite;
  private final SuiteBench bench;
  private final Operator operator;
  private final SuiteListener listener;
  private final int repeat;

  /**
   * @param repeat {@code --repeat}: multiplies the suite's own repeat
   */
  public SuiteRunner(
      Suite suite, SuiteBench bench, Operator operator, SuiteListener listener, int repeat) {
    if (repeat < 1) {
      throw new IllegalArgumentException("repeat must be at least 1");
    }
    this.suite = suite;
    this.bench = bench;
    this.operator = operator;
    this.listener = listener;
    this.repeat = repeat;
  }

  /**
   * The suite's vehicle needs a verifier it may use for many SPAKE2+ runs: one derived from the
   * profile's password (§18.20). A provisioned verifier keeps a persistent attempt counter that a
   * suite would exhaust (§5.6, §18.9).
   *
   * @throws ConfigException naming the profile's verifier
   */
  public static void requirePasswordVerifier(VehicleSettings vehicle, String profile) {
    if (!(vehicle.verifier() instanceof VerifierSource.FromPassword)) {
      throw new ConfigException(
          profile
              + ": verifier: a suite needs the pairing password ({password: DIGITS}, §18.20):"
              + " its scenarios run SPAKE2+ many times, which a provisioned verifier's attempt"
              + " counter does not allow (§5.6)");
    }
  }

  /** Runs the suite. Never throws for what a device or the bench does; ends early on Ctrl-C. */
  public SuiteOutcome run() {
    Instant start = bench.clock().now();
    List<ScenarioResult> results = new ArrayList<>();
    Optional<Throwable> internal = Optional.empty();
    boolean interrupted = false;
    Verifier verifier = verifier();
    Map<String, Integer> total = totals();
    Map<String, Integer> seen = new HashMap<>();
    DeviceKnowledge knowledge = DeviceKnowledge.unknown();
    int rounds = suite.repeat() * repeat;
    outer:
    for (int round = 0; round < rounds; round++) {
      for (Suite.Entry entry : suite.entries()) {
        try {
          if (entry instanceof Suite.PromptEntry prompt) {
            tellOperator(prompt.text(), null);
            continue;
          }
          Suite.ScenarioEntry run = (Suite.ScenarioEntry) entry;
          for (int k = 0; k < run.repeat(); k++) {
            String name = run.scenario().name();
            int n = seen.merge(name, 1, Integer::sum);
            String label = total.get(name) > 1 ? name + " #" + n : name;
            NfcTransport transport;
            if (bench.virtualDevice()) {
              boolean fresh = run.fresh() || results.isEmpty();
              transport = bench.transport(fresh);
              if (fresh) {
                knowledge = DeviceKnowledge.freshDevice();
                listener.note(label + ": a fresh virtual device");
              }
            } else {
              transport = bench.transport(false);
              if (run.fresh()) {
                tellOperator(suite.deleteKeyPrompt(), run.scenario());
                knowledge = knowledge.afterDeletePrompt();
              }
              if (run.prompt().isPresent()) {
                tellOperator(run.prompt().get(), run.scenario());
              }
            }
            ScenarioContext context =
                new ScenarioContext(
                    transport,
                    bench.vehicle(),
                    verifier,
                    bench.draws(),
                    bench.clock(),
                    bench.timers(),
                    bench.state(),
                    listener);
            Played played = play(run, label, context, knowledge);
            knowledge = played.run().knowledge();
            results.add(played.result());
            listener.scenarioFinished(played.result());
            if (played.internal().isPresent() && internal.isEmpty()) {
              internal = played.internal();
            }
            if (played.interrupted() || Thread.currentThread().isInterrupted()) {
              interrupted = true;
              break outer;
            }
          }
        } catch (InterruptedException e) {
          interrupted = true;
          break outer;
        }
      }
    }
    bench.close();
    return new SuiteOutcome(
        suite, repeat, results, start, bench.clock().now(), interrupted, internal);
  }

  private record Played(
      ScenarioRun run, ScenarioResult result, boolean interrupted, Optional<Throwable> internal) {}

  private Played play(
      Suite.ScenarioEntry entry, String label, ScenarioContext context, DeviceKnowledge knowledge) {
    ConformanceScenario scenario = entry.scenario();
    ScenarioRun run = new ScenarioRun(scenario, label, context, knowledge, entry.parameters());
    Instant start = context.clock().now();
    listener.scenarioStarted(label, scenario);
    boolean interrupted = false;
    Optional<Throwable> internal = Optional.empty();
    try {
      scenario.play().play(run);
    } catch (ScenarioStop stop) {
      run.stoppedOutsideAStep(stop);
    } catch (InterruptedException e) {
      interrupted = true;
    } catch (RuntimeException e) {
      internal = Optional.of(e);
      run.internalError(e);
    }
    if (interrupted || run.benchFailed() || internal.isPresent()) {
      run.skipRecovery(
          interrupted
              ? "not run: interrupted by the operator"
              : internal.isPresent()
                  ? "not run: internal error in dkrig"
                  : "not run: the bench failed");
    } else {
      try {
        run.abort(DkProfile.ABORT_UNSPECIFIED);
        run.cleanPairing(StepKind.RECOVERY);
      } catch (ScenarioStop stop) {
        // A bench failure during the clean-up, recorded by its step.
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    ScenarioResult result =
        ScenarioResult.of(
            scenario, label, run.steps(), run.exchanges(), start, context.clock().now());
    return new Played(run, result, interrupted, internal);
  }

  private void tellOperator(String text, ConformanceScenario next) throws InterruptedException {
    String filled =
        text.replace("{vehicle}", bench.vehicle().vehicleIdHex())
            .replace("{scenario}", next == null ? "" : next.name());
    if (bench.virtualDevice()) {
      listener.note("prompt not shown (virtual device): " + filled);
      return;
    }
    operator.prompt(filled);
  }

  /** How often each scenario runs in the whole suite, for the {@code #n} labels. */
  private Map<String, Integer> totals() {
    Map<String, Integer> total = new HashMap<>();
    for (Suite.Entry entry : suite.entries()) {
      if (entry instanceof Suite.ScenarioEntry run) {
        total.merge(run.scenario().name(), run.repeat() * suite.repeat() * repeat, Integer::sum);
      }
    }
    return total;
  }

  /** The rig plays the OEM server once per suite run (§18.20); the device derives w0 itself. */
  private Verifier verifier() {
    VerifierSource.FromPassword source = (VerifierSource.FromPassword) bench.vehicle().verifier();
    byte[] salt =
        source
            .salt()
            .orElseGet(() -> bench.draws().bytes(Draws.Names.VERIFIER_SALT, DkProfile.SALT_LENGTH));
    try {
      return Verifier.provision(
              source.password(), new ScryptParameters(salt, source.n(), source.r(), source.p()))
          .validate();
    } catch (CccException | IllegalArgumentException e) {
      throw new ConfigException("the profile's verifier: " + e.getMessage(), e);
    }
  }
}
