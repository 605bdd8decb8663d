package dev.dkrig.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dkrig.pairing.Step;
import dev.dkrig.time.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The summary at the top of many runs (issue 7, 9, 10): {@code --repeat N}, {@code --parallel K},
 * several pads. Each run is read back from its own JSON report, so a run in this process and a pad
 * in a child process count the same way. Keeps a few numbers per run, not the runs.
 */
public final class CampaignSummary {
  public static final String SCHEMA = "dkrig-summary/1";
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** One run as the summary keeps it. */
  public record Run(
      int index,
      String label,
      String reader,
      Optional<String> directory,
      String verdict,
      Instant start,
      Instant end,
      Optional<String> firstProblem,
      Map<Step, Duration> steps,
      List<Duration> host) {

    public Duration duration() {
      return Duration.between(start, end);
    }

    /** Reads a run back from its dkrig-report/1 JSON. */
    public static Run fromReport(
        int index, String label, Optional<String> directory, JsonNode report) {
      Map<Step, Duration> steps = new EnumMap<>(Step.class);
      List<Duration> host = new ArrayList<>();
      Optional<String> problem = Optional.empty();
      for (JsonNode s : report.path("steps")) {
        String result = s.path("result").asText();
        if (!result.equals("SKIPPED")) {
          try {
            steps.put(Step.byId(s.path("step").asText()), millis(s.path("ms").asDouble()));
          } catch (IllegalArgumentException e) {
            // A report from another catalogue version: the step is not ours to time.
          }
        }
        if (problem.isEmpty() && (result.equals("FAIL") || result.equals("ERROR"))) {
          problem =
              Optional.of(
                  s.path("step").asText() + " " + result + ": " + s.path("detail").asText());
        }
        for (JsonNode a : s.path("apdus")) {
          if (a.has("hostMs")) {
            host.add(millis(a.get("hostMs").asDouble()));
          }
        }
      }
      if (problem.isEmpty() && report.has("error")) {
        problem = Optional.of(report.get("error").asText());
      }
      Instant start = instant(report.path("start").asText(null));
      Instant end = instant(report.path("end").asText(null));
      return new Run(
          index,
          label,
          report.path("reader").asText(""),
          directory,
          report.path("verdict").asText("ERROR"),
          start,
          end.isBefore(start) ? start : end,
          problem,
          steps,
          List.copyOf(host));
    }

    private static Instant instant(String text) {
      return text == null ? Instant.EPOCH : Instant.parse(text);
    }

    private static Duration millis(double ms) {
      return Duration.ofNanos(Math.round(ms * 1e6));
    }
  }

  private final List<Run> runs = new ArrayList<>();
  private final int parallel;
  private final Instant started;
  private Instant finished;
  private ResourceSampler resources = new ResourceSampler();

  /**
   * @param parallel how many runs went side by side (pads, or {@code --parallel})
   */
  public CampaignSummary(int parallel, Instant started) {
    this.parallel = parallel;
    this.started = started;
    this.finished = started;
  }

  public synchronized void add(Run run) {
    runs.add(run);
  }

  /** The process's footprint sampled between runs (in-process runs only). */
  public synchronized void resources(ResourceSampler sampler) {
    this.resources = sampler;
  }

  public synchronized void finish(Instant at) {
    finished = at;
  }

  public synchronized List<Run> runs() {
    List<Run> sorted = new ArrayList<>(runs);
    sorted.sort(Comparator.comparingInt(Run::index));
    return sorted;
  }

  public synchronized Map<String, Integer> verdicts() {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (String v : List.of("PASS", "FAIL", "ERROR")) {
      counts.put(v, 0);
    }
    runs.forEach(r -> counts.merge(r.verdict(), 1, Integer::sum));
    return counts;
  }

  public synchronized Duration wall() {
    return Duration.between(started, finished);
  }

  /** Pairings per second of wall time. */
  public synchronized double throughput() {
    double seconds = wall().toNanos() / 1e9;
    return seconds <= 0 ? 0 : runs.size() / seconds;
  }

  /** The runs after the warm-up (the first tenth, at least one, when there are two or more). */
  public synchronized List<Run> warm() {
    List<Run> sorted = runs();
    if (sorted.size() < 2) {
      return sorted;
    }
    int skip = Math.max(1, sorted.size() / 10);
    return sorted.subList(skip, sorted.size());
  }

  public synchronized DurationStats runTimes() {
    return new DurationStats(runs.stream().map(Run::duration).toList());
  }

  public synchronized DurationStats turnaround(List<Run> which) {
    List<Duration> all = new ArrayList<>();
    which.forEach(r -> all.addAll(r.host()));
    return new DurationStats(all);
  }

  public synchronized Map<Step, DurationStats> stepTimes() {
    Map<Step, List<Duration>> values = new EnumMap<>(Step.class);
    for (Run r : runs) {
      r.steps().forEach((step, d) -> values.computeIfAbsent(step, s -> new ArrayList<>()).add(d));
    }
    Map<Step, DurationStats> out = new EnumMap<>(Step.class);
    values.forEach((step, list) -> out.put(step, new DurationStats(list)));
    return out;
  }

  /** The summary's console lines. */
  public synchronized List<String> lines(boolean perStep) {
    List<String> out = new ArrayList<>();
    Map<String, Integer> v = verdicts();
    out.add(
        String.format(
            Locale.ROOT,
            "Summary: %d run(s): %d PASS, %d FAIL, %d ERROR in %s (%.2f pairings/s, %d side by"
                + " side)",
            runs.size(),
            v.get("PASS"),
            v.get("FAIL"),
            v.get("ERROR"),
            Durations.format(wall()),
            throughput(),
            parallel));
    DurationStats times = runTimes();
    if (!times.isEmpty()) {
      out.add(
          "  run time         median "
              + Durations.format(times.median())
              + ", p90 "
              + Durations.format(times.percentile(90))
              + ", p99 "
              + Durations.format(times.percentile(99))
              + ", max "
              + Durations.format(times.max()));
    }
    DurationStats host = turnaround(runs());
    if (!host.isEmpty()) {
      DurationStats warmHost = turnaround(warm());
      out.add(
          "  host turnaround  median "
              + DurationStats.ms(host.median())
              + ", p99 "
              + DurationStats.ms(host.percentile(99))
              + ", max "
              + DurationStats.ms(host.max())
              + " over "
              + host.count()
              + " exchanges; after warm-up median "
              + DurationStats.ms(warmHost.median())
              + ", p99 "
              + DurationStats.ms(warmHost.percentile(99)));
    }
    if (!resources.line().isEmpty()) {
      out.add("  " + resources.line());
    }
    if (perStep) {
      out.add("  step       median       p90       p99       max   (runs)");
      stepTimes()
          .forEach(
              (step, s) ->
                  out.add(
                      String.format(
                          Locale.ROOT,
                          "  %-8s %9s %9s %9s %9s   (%d)",
                          step.id(),
                          Durations.format(s.median()),
                          Durations.format(s.percentile(90)),
                          Durations.format(s.percentile(99)),
                          Durations.format(s.max()),
                          s.count())));
    }
    for (Run r : runs()) {
      if (!r.verdict().equals("PASS")) {
        out.add(
            "  " + r.label() + " " + r.verdict() + r.firstProblem().map(p -> ": " + p).orElse(""));
      }
    }
    return out;
  }

  /** {@code summary.json} (dkrig-summary/1). */
  public synchronized ObjectNode json(RunMetadata meta) {
    ObjectNode root = JSON.createObjectNode();
    root.put("schema", SCHEMA);
    Map<String, Integer> v = verdicts();
    root.put(
        "verdict",
        v.get("FAIL") > 0 ? "FAIL" : v.get("ERROR") > 0 || runs.isEmpty() ? "ERROR" : "PASS");
    root.put("tool", meta.toolVersion() + " (" + meta.toolCommit() + ")");
    meta.dut().ifPresentOrElse(d -> root.put("dut", d), () -> root.putNull("dut"));
    root.put("command", "dkrig " + meta.preamble().commandLineText());
    root.put("runs", runs.size());
    ObjectNode counts = root.putObject("verdicts");
    v.forEach(counts::put);
    root.put("sideBySide", parallel);
    root.put("start", Iso.format(started));
    root.put("end", Iso.format(finished));
    root.put("wallMs", DurationStats.millis(wall()));
    root.put("pairingsPerSecond", Math.round(throughput() * 1000) / 1000.0);
    root.set("runTime", stats(runTimes()));
    root.set("turnaround", stats(turnaround(runs())));
    root.set("turnaroundAfterWarmup", stats(turnaround(warm())));
    ArrayNode samples = root.putArray("resources");
    for (ResourceSampler.Sample s : resources.samples()) {
      ObjectNode n = samples.addObject();
      n.put("afterRun", s.afterRun());
      n.put("heapBytes", s.heapBytes());
      n.put("threads", s.threads());
      n.put("fds", s.fds());
    }
    ObjectNode steps = root.putObject("steps");
    stepTimes().forEach((step, s) -> steps.set(step.id(), stats(s)));
    ArrayNode list = root.putArray("list");
    for (Run r : runs()) {
      ObjectNode n = list.addObject();
      n.put("label", r.label());
      n.put("reader", r.reader());
      r.directory().ifPresent(d -> n.put("directory", d));
      n.put("verdict", r.verdict());
      n.put("start", Iso.format(r.start()));
      n.put("ms", DurationStats.millis(r.duration()));
      r.firstProblem().ifPresent(p -> n.put("firstProblem", p));
    }
    return root;
  }

  public static String text(ObjectNode node) {
    try {
      return JSON.writeValueAsString(node) + "\n";
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ObjectNode stats(DurationStats s) {
    ObjectNode n = JSON.createObjectNode();
    n.put("count", s.count());
    n.put("medianMs", DurationStats.millis(s.median()));
    n.put("p90Ms", DurationStats.millis(s.percentile(90)));
    n.put("p99Ms", DurationStats.millis(s.percentile(99)));
    n.put("maxMs", DurationStats.millis(s.max()));
    return n;
  }

  /** {@code summary.html}: the verdict counts, the figures, and a link to every run's page. */
  public synchronized String html(RunMetadata meta) {
    StringBuilder h = new StringBuilder(16 * 1024);
    Map<String, Integer> v = verdicts();
    String verdict =
        v.get("FAIL") > 0 ? "FAIL" : v.get("ERROR") > 0 || runs.isEmpty() ? "ERROR" : "PASS";
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>dkrig ")
        .append(runs.size())
        .append(" runs ")
        .append(verdict)
        .append("</title><style>")
        .append(HtmlReport.CSS)
        .append("</style></head><body>\n<header><h1>dkrig: ")
        .append(runs.size())
        .append(" owner pairings <span class=\"badge ")
        .append(verdict.toLowerCase(Locale.ROOT))
        .append("\">")
        .append(verdict)
        .append("</span></h1>\n<p class=\"meta\">");
    meta.dut().ifPresent(d -> h.append(HtmlReport.esc("DUT " + d + " · ")));
    h.append(HtmlReport.esc(Iso.format(started)))
        .append(" · ")
        .append(HtmlReport.esc(Durations.format(wall())))
        .append(" · ")
        .append(parallel)
        .append(" side by side</p></header>\n<h2>Figures</h2>\n<pre class=\"preamble\">");
    for (String line : lines(false)) {
      h.append(HtmlReport.esc(line)).append('\n');
    }
    h.append("</pre>\n<h2>Runs</h2>\n<table class=\"steps\"><tr><th>run</th><th>reader</th>")
        .append("<th>result</th><th>duration</th><th>first problem</th></tr>\n");
    for (Run r : runs()) {
      h.append("<tr class=\"").append(r.verdict().toLowerCase(Locale.ROOT)).append("\"><td>");
      if (r.directory().isPresent()) {
        h.append("<a href=\"")
            .append(HtmlReport.esc(r.directory().get()))
            .append("/report.html\">")
            .append(HtmlReport.esc(r.label()))
            .append("</a>");
      } else {
        h.append(HtmlReport.esc(r.label()));
      }
      h.append("</td><td>")
          .append(HtmlReport.esc(r.reader()))
          .append("</td><td class=\"result\">")
          .append(HtmlReport.esc(r.verdict()))
          .append("</td><td class=\"num\">")
          .append(HtmlReport.esc(Durations.format(r.duration())))
          .append("</td><td>")
          .append(HtmlReport.esc(r.firstProblem().orElse("")))
          .append("</td></tr>\n");
    }
    h.append("</table>\n<h2>Time per step</h2>\n<table class=\"steps\"><tr><th>step</th>")
        .append("<th>median</th><th>p90</th><th>p99</th><th>max</th><th>runs</th></tr>\n");
    stepTimes()
        .forEach(
            (step, s) ->
                h.append("<tr><td>")
                    .append(HtmlReport.esc(step.id() + " " + step.title()))
                    .append("</td><td class=\"num\">")
                    .append(HtmlReport.esc(Durations.format(s.median())))
                    .append("</td><td class=\"num\">")
                    .append(HtmlReport.esc(Durations.format(s.percentile(90))))
                    .append("</td><td class=\"num\">")
                    .append(HtmlReport.esc(Durations.format(s.percentile(99))))
                    .append("</td><td class=\"num\">")
                    .append(HtmlReport.esc(Durations.format(s.max())))
                    .append("</td><td class=\"num\">")
                    .append(s.count())
                    .append("</td></tr>\n"));
    h.append("</table>\n<h2>Preamble</h2>\n<pre class=\"preamble\">");
    for (String line : meta.preambleLines()) {
      h.append(HtmlReport.esc(line)).append('\n');
    }
    h.append("</pre>\n<footer>dkrig ")
        .append(HtmlReport.esc(meta.toolVersion()))
        .append(" · ")
        .append(SCHEMA)
        .append(" · no network resources</footer>\n</body></html>\n");
    return h.toString();
  }
}
