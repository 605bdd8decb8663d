package dev.dkrig.conformance;

import dev.dkrig.report.ReportOutputs;
import dev.dkrig.report.RunContext;
import dev.dkrig.time.RigClock;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code dkrig suite --report-dir DIR}: beside {@code suite.json}, one folder per scenario run with
 * its {@code trace.txt}, {@code capture.pcapng} and {@code events.jsonl}, written as the scenario
 * runs (the run's own writers, fed by the {@link dev.dkrig.report.EvidenceTransport} on the suite's
 * reader). The folder is the scenario's name ({@code DIR/sm-bad-cmac/}); a scenario the suite runs
 * more than once gets {@code .N} after it ({@code DIR/sm-bad-cmac.2/} for the run the console calls
 * {@code sm-bad-cmac #2}). Steps are numbered {@code s1}, {@code s2}, ... within a scenario, and
 * the APDUs of a step (a clean pairing's too) carry its number.
 */
public final class SuiteEvidence implements SuiteListener {
  public static final String TRACE = "trace.txt";
  public static final String PCAPNG = "capture.pcapng";
  public static final String EVENTS = "events.jsonl";

  private final Path dir;
  private final RunContext wire;
  private final RigClock clock;
  private final Supplier<List<String>> preamble;
  private final Supplier<String> reader;
  private final PrintWriter out;
  private final PrintWriter err;
  private final List<String> failures = new ArrayList<>();
  private ReportOutputs current;
  private int steps;

  /**
   * @param wire the context the suite's transports report to ({@link BenchSuiteBench})
   * @param preamble the suite's preamble lines (what ran, where), asked for at each scenario
   * @param reader the reader as reports name it, asked for at each scenario
   */
  public SuiteEvidence(
      Path dir,
      RunContext wire,
      RigClock clock,
      Supplier<List<String>> preamble,
      Supplier<String> reader,
      PrintWriter out,
      PrintWriter err) {
    this.dir = dir;
    this.wire = wire;
    this.clock = clock;
    this.preamble = preamble;
    this.reader = reader;
    this.out = out;
    this.err = err;
  }

  /** The folder of a scenario run inside the report folder, from its console label. */
  public static String folder(String label) {
    int mark = label.indexOf(" #");
    return mark < 0 ? label : label.substring(0, mark) + "." + label.substring(mark + 2);
  }

  @Override
  public void scenarioStarted(String label, ConformanceScenario scenario) {
    close();
    Path folder = dir.resolve(folder(label));
    current =
        new ReportOutputs(
                new ReportOutputs.Files(
                    Optional.empty(),
                    Optional.empty(),
                    Optional.of(folder.resolve(TRACE)),
                    Optional.of(folder.resolve(EVENTS)),
                    Optional.of(folder.resolve(PCAPNG)),
                    Optional.empty()),
                out,
                err)
            .option("--report-dir");
    List<String> lines = new ArrayList<>(preamble.get());
    lines.add("scenario " + label + ": " + scenario.title());
    current.open(lines, reader.get(), Optional.empty(), wire);
    steps = 0;
    wire.step(RunContext.Label.NONE);
  }

  @Override
  public void stepStarted(String label, String step) {
    if (current != null) {
      steps++;
      wire.step(RunContext.Label.of(id()));
      current.stepBegins(clock.now(), id(), step);
    }
  }

  @Override
  public void stepFinished(String label, ScenarioStep step) {
    if (current != null) {
      current.stepEnds(
          step.end(),
          id(),
          step.result().toString(),
          step.detail(),
          step.sw().isPresent() ? Optional.of(step.swHex()) : Optional.empty());
    }
  }

  @Override
  public void note(String text) {
    if (current != null) {
      current.note(clock.now(), text);
    }
  }

  @Override
  public void scenarioFinished(ScenarioResult result) {
    if (current == null) {
      return;
    }
    current.finish(
        result.end(),
        result.verdict().name(),
        "verdict " + result.verdict() + result.cause().map(c -> " (" + c + ")").orElse(""));
    failures.addAll(current.failures());
    current = null;
    wire.step(RunContext.Label.NONE);
  }

  /** Closes the files of a scenario that never finished (the suite stopped). Never throws. */
  public void close() {
    if (current != null) {
      current.close();
      failures.addAll(current.failures());
      current = null;
    }
  }

  /** What could not be written, over every scenario so far: the evidence is then incomplete. */
  public List<String> failures() {
    return List.copyOf(failures);
  }

  private String id() {
    return "s" + steps;
  }
}
