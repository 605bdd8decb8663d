package dev.dkrig.report;

import dev.dkrig.pairing.Step;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The run's host turnaround (issue 10) as the reports show it: order statistics over every measured
 * exchange, per step, and the slowest exchanges by name.
 */
public record TurnaroundSummary(
    DurationStats all, Map<Step, DurationStats> perStep, List<Slow> slowest) {

  /** One slow exchange: its 1-based APDU number, step, command name and host time. */
  public record Slow(int apdu, Step step, String command, Duration host) {}

  private static final int SLOWEST = 3;

  public static TurnaroundSummary of(ApduLog log) {
    List<ApduLog.Turnaround> measured = log.turnarounds();
    ApduNames names = new ApduNames();
    Map<ApduLog.Entry, String> named = new IdentityHashMap<>();
    log.entries().forEach(e -> named.put(e, names.next(e.command())));
    Map<Step, List<Duration>> byStep = new EnumMap<>(Step.class);
    List<Duration> all = new ArrayList<>();
    for (ApduLog.Turnaround t : measured) {
      all.add(t.host());
      byStep.computeIfAbsent(t.entry().step(), s -> new ArrayList<>()).add(t.host());
    }
    Map<Step, DurationStats> perStep = new EnumMap<>(Step.class);
    byStep.forEach((step, values) -> perStep.put(step, new DurationStats(values)));
    List<Slow> slowest =
        measured.stream()
            .sorted(Comparator.comparing(ApduLog.Turnaround::host).reversed())
            .limit(SLOWEST)
            .map(t -> new Slow(t.index() + 1, t.entry().step(), named.get(t.entry()), t.host()))
            .toList();
    return new TurnaroundSummary(new DurationStats(all), perStep, slowest);
  }

  /** One line for the console, or empty when nothing was measured. */
  public String line() {
    if (all.isEmpty()) {
      return "";
    }
    StringBuilder s =
        new StringBuilder("Host turnaround over ")
            .append(all.count())
            .append(" exchanges: median ")
            .append(DurationStats.ms(all.median()))
            .append(", p99 ")
            .append(DurationStats.ms(all.percentile(99)))
            .append(", max ")
            .append(DurationStats.ms(all.max()));
    if (!slowest.isEmpty()) {
      s.append("; slowest:");
      String sep = " ";
      for (Slow slow : slowest) {
        s.append(sep)
            .append('#')
            .append(slow.apdu())
            .append(' ')
            .append(slow.step().id())
            .append(' ')
            .append(slow.command())
            .append(' ')
            .append(DurationStats.ms(slow.host()));
        sep = ", ";
      }
    }
    return s.toString();
  }
}
