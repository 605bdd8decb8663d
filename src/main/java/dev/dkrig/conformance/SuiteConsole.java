package dev.dkrig.conformance;

import dev.dkrig.pairing.Result;
import dev.dkrig.pairing.Verdict;
import dev.dkrig.report.Palette;
import dev.dkrig.time.Durations;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The console of a suite run: one block per scenario run as it finishes (verdict, cause, then its
 * steps), and at the end a summary table with one line per scenario and the suite verdict. Waits
 * and notes go to stderr. Meaning is never in colour alone.
 */
public final class SuiteConsole implements SuiteListener {
  private static final int NAME_WIDTH = 34;

  private final PrintWriter out;
  private final PrintWriter err;
  private final Palette palette;
  private final boolean quiet;
  private final boolean verbose;

  /**
   * @param quiet only the verdict line of each scenario run and the suite verdict
   * @param verbose bench notes on stderr (fresh devices, skipped prompts)
   */
  public SuiteConsole(
      PrintWriter out, PrintWriter err, Palette palette, boolean quiet, boolean verbose) {
    this.out = out;
    this.err = err;
    this.palette = palette;
    this.quiet = quiet;
    this.verbose = verbose;
  }

  @Override
  public void scenarioStarted(String label, ConformanceScenario scenario) {
    if (verbose) {
      err.println("dkrig suite: " + label + ": " + scenario.deviation());
      err.flush();
    }
  }

  @Override
  public void scenarioFinished(ScenarioResult r) {
    out.println(headline(r));
    if (!quiet) {
      for (ScenarioStep step : r.steps()) {
        out.println(stepLine(step));
      }
      out.println();
    }
    out.flush();
  }

  @Override
  public void waiting(String instruction) {
    err.println("dkrig suite: waiting: " + instruction);
    err.flush();
  }

  @Override
  public void note(String text) {
    if (verbose) {
      err.println("dkrig suite: " + text);
      err.flush();
    }
  }

  String headline(ScenarioResult r) {
    return String.format(Locale.ROOT, "%-" + NAME_WIDTH + "s ", r.label())
        + palette.result(result(r.verdict()), String.format(Locale.ROOT, "%-5s", r.verdict()))
        + " "
        + palette.dim(String.format(Locale.ROOT, "%9s", Durations.format(r.duration())))
        + r.cause().map(c -> "  " + c).orElse("");
  }

  String stepLine(ScenarioStep step) {
    return "  "
        + String.format(Locale.ROOT, "%-9s ", step.kind().label())
        + palette.result(step.result(), String.format(Locale.ROOT, "%-7s", step.result()))
        + " "
        + step.name()
        + (step.detail().isEmpty() ? "" : ": " + withoutAction(step));
  }

  /** A FAIL's detail repeats what was sent, for the headline; the step line has it already. */
  private static String withoutAction(ScenarioStep step) {
    String action = step.name().replaceFirst("^session dropped: ", "");
    String detail = step.detail();
    return detail.startsWith(action + " ") ? detail.substring(action.length() + 1) : detail;
  }

  /** The summary table and the suite verdict. */
  public void summary(SuiteOutcome outcome) {
    Map<String, int[]> rows = new LinkedHashMap<>();
    Map<String, String> causes = new LinkedHashMap<>();
    for (ScenarioResult r : outcome.results()) {
      int[] counts = rows.computeIfAbsent(r.scenario().name(), k -> new int[4]);
      counts[0]++;
      counts[1 + r.verdict().ordinal()]++;
      if (r.cause().isPresent()) {
        causes.putIfAbsent(
            r.scenario().name(),
            (r.label().equals(r.scenario().name()) ? "" : r.label() + ": ") + r.cause().get());
      }
    }
    if (!quiet && !rows.isEmpty()) {
      out.println(
          String.format(
              Locale.ROOT,
              "%-" + NAME_WIDTH + "s %4s %4s %4s %5s  %s",
              "Scenario",
              "Runs",
              "PASS",
              "FAIL",
              "ERROR",
              "First problem"));
      for (Map.Entry<String, int[]> row : rows.entrySet()) {
        int[] c = row.getValue();
        out.println(
            String.format(
                    Locale.ROOT,
                    "%-" + NAME_WIDTH + "s %4d %4d %4d %5d  ",
                    row.getKey(),
                    c[0],
                    c[1],
                    c[2],
                    c[3])
                + causes.getOrDefault(row.getKey(), ""));
      }
      out.println();
    }
    out.println(verdictLine(outcome));
    out.flush();
  }

  String verdictLine(SuiteOutcome outcome) {
    Verdict verdict = outcome.verdict();
    List<String> tally = new java.util.ArrayList<>();
    for (Verdict v : Verdict.values()) {
      tally.add(outcome.count(v) + " " + v.name());
    }
    return palette.bold("Suite " + outcome.suite().name() + ": ")
        + palette.result(result(verdict), verdict.name())
        + " ("
        + outcome.results().size()
        + " scenario run(s): "
        + String.join(", ", tally)
        + (outcome.interrupted() ? "; interrupted" : "")
        + ") in "
        + Durations.format(java.time.Duration.between(outcome.start(), outcome.end()));
  }

  private static Result result(Verdict verdict) {
    return Result.valueOf(verdict.name());
  }
}
