package dev.dkrig.report;

import dev.dkrig.io.SafeText;
import dev.dkrig.pairing.PairingOutcome;
import dev.dkrig.pairing.Result;
import dev.dkrig.pairing.StepResult;
import dev.dkrig.time.Durations;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The console table: one line per step (id, title, result, duration, cause), then the verdict. */
public final class ConsoleReport {
  private static final int TITLE_WIDTH = 44;

  private ConsoleReport() {}

  public static void print(
      PairingOutcome outcome, Palette palette, boolean quiet, PrintWriter out) {
    print(outcome, Optional.empty(), palette, quiet, out);
  }

  /** The table, the verdict and, unless quiet, the host turnaround line (issue 10). */
  public static void print(
      PairingOutcome outcome,
      Optional<TurnaroundSummary> turnaround,
      Palette palette,
      boolean quiet,
      PrintWriter out) {
    print(outcome, turnaround, Optional.empty(), palette, quiet, out);
  }

  /**
   * The same, for a run a signal stopped: the verdict line says so ({@code Verdict: ERROR
   * (interrupted by SIGINT)}) and comes last, after the step lines printed so far.
   */
  public static void print(
      PairingOutcome outcome,
      Optional<TurnaroundSummary> turnaround,
      Optional<String> interruptedBy,
      Palette palette,
      boolean quiet,
      PrintWriter out) {
    if (!quiet) {
      for (StepResult r : outcome.results()) {
        out.println(line(r, palette));
      }
      out.println();
    }
    if (interruptedBy.isPresent()) {
      if (!quiet && turnaround.isPresent() && !turnaround.get().line().isEmpty()) {
        out.println(palette.dim(turnaround.get().line()));
      }
      String verdict = "Verdict: " + outcome.verdict().name();
      out.println(tally(outcome));
      out.println(
          palette.result(
              Result.valueOf(outcome.verdict().name()),
              palette.bold(verdict + " (interrupted by " + interruptedBy.get() + ")")));
      out.flush();
      return;
    }
    out.println(verdict(outcome, palette));
    if (!quiet && turnaround.isPresent() && !turnaround.get().line().isEmpty()) {
      out.println(palette.dim(turnaround.get().line()));
    }
    out.flush();
  }

  static String line(StepResult r, Palette palette) {
    String title = r.step().title();
    if (title.length() > TITLE_WIDTH) {
      title = title.substring(0, TITLE_WIDTH - 3) + "...";
    }
    String result = String.format(Locale.ROOT, "%-7s", r.result().name());
    String duration = String.format(Locale.ROOT, "%9s", Durations.format(r.duration()));
    String detail = SafeText.line(r.detail().replaceAll("[\\r\\n]+", " "));
    return String.format(Locale.ROOT, "%-9s %-" + TITLE_WIDTH + "s ", r.step().id(), title)
        + palette.result(r.result(), result)
        + " "
        + palette.dim(duration)
        + "  "
        + detail;
  }

  /** What ran before the signal: the step tally and the first problem. */
  private static String tally(PairingOutcome outcome) {
    String head =
        outcome.results().size()
            + " steps ("
            + counts(outcome)
            + ") in "
            + Durations.format(Duration.between(outcome.start(), outcome.end()));
    return outcome
        .firstProblem()
        .map(p -> head + "; first problem: " + p.step().id() + " " + p.result() + ": " + p.detail())
        .orElse(head);
  }

  private static String counts(PairingOutcome outcome) {
    Map<Result, Integer> counts = new EnumMap<>(Result.class);
    for (StepResult r : outcome.results()) {
      counts.merge(r.result(), 1, Integer::sum);
    }
    StringBuilder tally = new StringBuilder();
    for (Result kind : Result.values()) {
      if (tally.length() > 0) {
        tally.append(", ");
      }
      tally.append(counts.getOrDefault(kind, 0)).append(' ').append(kind.name());
    }
    return tally.toString();
  }

  static String verdict(PairingOutcome outcome, Palette palette) {
    String tally = counts(outcome);
    Result verdict = Result.valueOf(outcome.verdict().name());
    String head =
        palette.result(verdict, palette.bold("Verdict: " + outcome.verdict().name()))
            + "  "
            + outcome.results().size()
            + " steps ("
            + tally
            + ") in "
            + Durations.format(Duration.between(outcome.start(), outcome.end()));
    String withProblems =
        head
            + outcome.runProblems().stream()
                .map(problem -> System.lineSeparator() + "  run problem: " + problem)
                .reduce("", String::concat);
    return outcome
        .firstProblem()
        .map(
            p ->
                withProblems
                    + System.lineSeparator()
                    + "  first problem: "
                    + p.step().id()
                    + " "
                    + p.result()
                    + ": "
                    + SafeText.line(p.detail()))
        .orElse(withProblems);
  }
}
