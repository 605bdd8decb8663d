package dev.dkrig.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dkrig.pairing.PairingOutcome;
import dev.dkrig.pairing.Step;
import dev.dkrig.pairing.StepResult;
import dev.dkrig.time.Durations;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
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
 * in a child process count the same way. Memory stays constant over a soak: times go into
 * histograms, and the list of runs into a spool file read back when the summary is written.
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

    /**
     * A run from its outcome in memory, with the values its dkrig-report/1 JSON would give {@link
     * #fromReport} (times in whole milliseconds, step and turnaround times as the report rounds
     * them), so that a summary reads the same whether its runs ran here or in a pad's process.
     */
    public static Run of(
        int index,
        String label,
        Optional<String> directory,
        PairingOutcome outcome,
        RunMetadata meta,
        ApduLog apdus) {
      Map<Step, Duration> steps = new EnumMap<>(Step.class);
      List<Duration> host = new ArrayList<>();
      Optional<String> problem = Optional.empty();
      Map<Step, List<ApduLog.Entry>> byStep = apdus.byStep();
      List<ApduLog.Entry> all = apdus.entries();
      for (StepResult r : outcome.results()) {
        String result = r.result().name();
        if (!result.equals("SKIPPED")) {
          steps.put(r.step(), millis(DurationStats.millis(r.duration())));
        }
        if (problem.isEmpty() && (result.equals("FAIL") || result.equals("ERROR"))) {
          problem = Optional.of(r.step().id() + " " + result + ": " + r.detail());
        }
        for (ApduLog.Entry e : byStep.getOrDefault(r.step(), List.of())) {
          apdus
              .turnaround(indexOf(all, e))
              .ifPresent(d -> host.add(millis(DurationStats.millis(d))));
        }
      }
      Instant start = outcome.start().truncatedTo(ChronoUnit.MILLIS);
      Instant end = outcome.end().truncatedTo(ChronoUnit.MILLIS);
      return new Run(
          index,
          label,
          meta.reader(),
          directory,
          outcome.verdict().name(),
          start,
          end.isBefore(start) ? start : end,
          problem,
          steps,
          List.copyOf(host));
    }

    /**
     * A run that never started (its files could not be read), as its dkrig-report/1 JSON reads:
     * ERROR, no steps, the cause as its problem.
     */
    public static Run notRun(
        int index, String label, Optional<String> directory, RunMetadata meta, String error) {
      return new Run(
          index,
          label,
          meta.reader(),
          directory,
          "ERROR",
          Instant.EPOCH,
          Instant.EPOCH,
          Optional.of(error),
          Map.of(),
          List.of());
    }

    /** The same run under another number, label and folder (a pad's runs in the pads' summary). */
    public Run renumbered(int newIndex, String newLabel, Optional<String> newDirectory) {
      return new Run(
          newIndex, newLabel, reader, newDirectory, verdict, start, end, firstProblem, steps, host);
    }

    private static int indexOf(List<ApduLog.Entry> entries, ApduLog.Entry entry) {
      for (int i = 0; i < entries.size(); i++) {
        if (entries.get(i) == entry) {
          return i;
        }
      }
      return -1;
    }

    /** Reads a run back from its dkrig-report/1 JSON (a pad's process hands its run back so). */
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

  /** One line of the run list, as spooled. */
  public record Entry(
      int index,
      String label,
      String reader,
      Optional<String> directory,
      String verdict,
      Instant start,
      Duration duration,
      Optional<String> firstProblem) {}

  private final int parallel;
  private final int warmupRuns;
  private final Instant started;
  private Instant finished;
  private ResourceSampler resources = new ResourceSampler();
  private final Map<String, Integer> verdicts = new LinkedHashMap<>();
  private final Percentiles runTimes = new Percentiles();
  private final Percentiles host = new Percentiles();
  private final Percentiles warmHost = new Percentiles();
  private final Map<Step, Percentiles> steps = new EnumMap<>(Step.class);
  private final java.nio.file.Path spool;
  private final java.io.BufferedWriter spoolOut;
  private int runs;

  /**
   * @param parallel how many runs went side by side (pads, or {@code --parallel})
   * @param warmupRuns runs with an index up to this are the warm-up, left out of the "after
   *     warm-up" turnaround (0: none)
   */
  public CampaignSummary(int parallel, int warmupRuns, Instant started) {
    this.parallel = parallel;
    this.warmupRuns = warmupRuns;
    this.started = started;
    this.finished = started;
    for (String v : List.of("PASS", "FAIL", "ERROR")) {
      verdicts.put(v, 0);
    }
    try {
      spool = java.nio.file.Files.createTempFile("dkrig-runs-", ".jsonl");
      spool.toFile().deleteOnExit();
      spoolOut = java.nio.file.Files.newBufferedWriter(spool);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot create the run list's spool file", e);
    }
  }

  /** The warm-up of a soak of {@code n} runs: the first tenth, at least one (none for one run). */
  public static int warmupOf(int n) {
    return n < 2 ? 0 : Math.max(1, n / 10);
  }

  public synchronized void add(Run run) {
    runs++;
    verdicts.merge(run.verdict(), 1, Integer::sum);
    runTimes.record(run.duration());
    for (Duration d : run.host()) {
      host.record(d);
      if (run.index() > warmupRuns) {
        warmHost.record(d);
      }
    }
    run.steps().forEach((step, d) -> steps.computeIfAbsent(step, x -> new Percentiles()).record(d));
    ObjectNode line = JSON.createObjectNode();
    line.put("index", run.index());
    line.put("label", run.label());
    line.put("reader", run.reader());
    run.directory().ifPresent(d -> line.put("directory", d));
    line.put("verdict", run.verdict());
    line.put("start", run.start().toString());
    line.put("nanos", run.duration().toNanos());
    run.firstProblem().ifPresent(p -> line.put("firstProblem", p));
    try {
      spoolOut.write(
          JSON.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(line));
      spoolOut.newLine();
      spoolOut.flush();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot write the run list's spool file", e);
    }
  }

  /** The runs so far, in index order, read back from the spool. */
  public synchronized List<Entry> entries() {
    List<Entry> out = new ArrayList<>();
    try {
      for (String text : java.nio.file.Files.readAllLines(spool)) {
        JsonNode n = JSON.readTree(text);
        out.add(
            new Entry(
                n.path("index").asInt(),
                n.path("label").asText(),
                n.path("reader").asText(),
                n.has("directory") ? Optional.of(n.get("directory").asText()) : Optional.empty(),
                n.path("verdict").asText(),
                Instant.parse(n.path("start").asText()),
                Duration.ofNanos(n.path("nanos").asLong()),
                n.has("firstProblem")
                    ? Optional.of(n.get("firstProblem").asText())
                    : Optional.empty()));
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot read the run list's spool file", e);
    }
    out.sort(Comparator.comparingInt(Entry::index));
    return out;
  }

  /** Removes the spool file. */
  public synchronized void close() {
    try {
      spoolOut.close();
      java.nio.file.Files.deleteIfExists(spool);
    } catch (java.io.IOException e) {
      // A temporary file: deleteOnExit has it too.
    }
  }

  /** The process's footprint sampled between runs (in-process runs only). */
  public synchronized void resources(ResourceSampler sampler) {
    this.resources = sampler;
  }

  public synchronized void finish(Instant at) {
    finished = at;
  }

  public synchronized int size() {
    return runs;
  }

  public synchronized Map<String, Integer> verdicts() {
    return new LinkedHashMap<>(verdicts);
  }

  public synchronized Duration wall() {
    return Duration.between(started, finished);
  }

  /** Pairings per second of wall time. */
  public synchronized double throughput() {
    double seconds = wall().toNanos() / 1e9;
    return seconds <= 0 ? 0 : runs / seconds;
  }

  public Percentiles runTimes() {
    return runTimes;
  }

  public Percentiles turnaround() {
    return host;
  }

  public Percentiles turnaroundAfterWarmup() {
    return warmupRuns > 0 ? warmHost : host;
  }

  public synchronized Map<Step, Percentiles> stepTimes() {
    return new EnumMap<>(steps);
  }

  private String verdict() {
    return verdicts.get("FAIL") > 0
        ? "FAIL"
        : verdicts.get("ERROR") > 0 || runs == 0 ? "ERROR" : "PASS";
  }

  /** The summary's console lines. */
  public synchronized List<String> lines(boolean perStep) {
    return lines(perStep, true);
  }

  /** The figures, and with {@code problems} a line per run that did not pass. */
  private List<String> lines(boolean perStep, boolean problems) {
    List<String> out = new ArrayList<>();
    out.add(
        String.format(
            Locale.ROOT,
            "Summary: %d run(s): %d PASS, %d FAIL, %d ERROR in %s (%.2f pairings/s, %d side by"
                + " side)",
            runs,
            verdicts.get("PASS"),
            verdicts.get("FAIL"),
            verdicts.get("ERROR"),
            Durations.format(wall()),
            throughput(),
            parallel));
    if (!runTimes.isEmpty()) {
      out.add(
          "  run time         median "
              + Durations.format(runTimes.median())
              + ", p90 "
              + Durations.format(runTimes.percentile(90))
              + ", p99 "
              + Durations.format(runTimes.percentile(99))
              + ", max "
              + Durations.format(runTimes.max()));
    }
    if (!host.isEmpty()) {
      Percentiles warm = turnaroundAfterWarmup();
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
              + DurationStats.ms(warm.median())
              + ", p99 "
              + DurationStats.ms(warm.percentile(99)));
    }
    if (!resources.line().isEmpty()) {
      out.add("  " + resources.line());
    }
    if (perStep) {
      out.add("  step       median       p90       p99       max   (runs)");
      stepTimes()
          .forEach(
              (step, p) ->
                  out.add(
                      String.format(
                          Locale.ROOT,
                          "  %-8s %9s %9s %9s %9s   (%d)",
                          step.id(),
                          Durations.format(p.median()),
                          Durations.format(p.percentile(90)),
                          Durations.format(p.percentile(99)),
                          Durations.format(p.max()),
                          p.count())));
    }
    for (Entry e : problems ? entries() : List.<Entry>of()) {
      if (!e.verdict().equals("PASS")) {
        out.add(
            "  " + e.label() + " " + e.verdict() + e.firstProblem().map(p -> ": " + p).orElse(""));
      }
    }
    return out;
  }

  /** {@code summary.json} (dkrig-summary/1). */
  public synchronized ObjectNode json(RunMetadata meta) {
    ObjectNode root = JSON.createObjectNode();
    root.put("schema", SCHEMA);
    root.put("verdict", verdict());
    root.put("tool", meta.toolVersion() + " (" + meta.toolCommit() + ")");
    meta.dut().ifPresentOrElse(d -> root.put("dut", d), () -> root.putNull("dut"));
    root.put("command", "dkrig " + meta.preamble().commandLineText());
    root.put("runs", runs);
    ObjectNode counts = root.putObject("verdicts");
    verdicts.forEach(counts::put);
    root.put("sideBySide", parallel);
    root.put("start", Iso.format(started));
    root.put("end", Iso.format(finished));
    root.put("wallMs", DurationStats.millis(wall()));
    root.put("pairingsPerSecond", Math.round(throughput() * 1000) / 1000.0);
    root.put("percentilePrecision", "1%");
    root.set("runTime", stats(runTimes));
    root.set("turnaround", stats(host));
    root.put("warmupRuns", warmupRuns);
    root.set("turnaroundAfterWarmup", stats(turnaroundAfterWarmup()));
    ArrayNode samples = root.putArray("resources");
    for (ResourceSampler.Sample r : resources.samples()) {
      ObjectNode n = samples.addObject();
      n.put("afterRun", r.afterRun());
      n.put("heapBytes", r.heapBytes());
      n.put("threads", r.threads());
      n.put("fds", r.fds());
    }
    ObjectNode stepNode = root.putObject("steps");
    stepTimes().forEach((step, p) -> stepNode.set(step.id(), stats(p)));
    ArrayNode list = root.putArray("list");
    for (Entry e : entries()) {
      ObjectNode n = list.addObject();
      n.put("label", e.label());
      n.put("reader", e.reader());
      e.directory().ifPresent(d -> n.put("directory", d));
      n.put("verdict", e.verdict());
      n.put("start", Iso.format(e.start()));
      n.put("ms", DurationStats.millis(e.duration()));
      e.firstProblem().ifPresent(p -> n.put("firstProblem", p));
    }
    return root;
  }

  public static String text(ObjectNode node) {
    return JsonReport.text(node);
  }

  private static ObjectNode stats(Percentiles p) {
    ObjectNode n = JSON.createObjectNode();
    n.put("count", p.count());
    n.put("medianMs", DurationStats.millis(p.median()));
    n.put("p90Ms", DurationStats.millis(p.percentile(90)));
    n.put("p99Ms", DurationStats.millis(p.percentile(99)));
    n.put("maxMs", DurationStats.millis(p.max()));
    return n;
  }

  /** {@code summary.html}: the verdict counts, the figures, and a link to every run's page. */
  public synchronized String html(RunMetadata meta) {
    StringBuilder h = new StringBuilder(16 * 1024);
    String verdict = verdict();
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>dkrig ")
        .append(runs)
        .append(" runs ")
        .append(verdict)
        .append("</title><style>")
        .append(HtmlReport.CSS)
        .append("</style></head><body>\n<header><h1>dkrig: ")
        .append(runs)
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
    for (String line : lines(false, false)) {
      h.append(HtmlReport.esc(line)).append('\n');
    }
    h.append("</pre>\n<h2>Runs</h2>\n<table class=\"steps\"><tr><th>run</th><th>reader</th>")
        .append("<th>result</th><th>duration</th><th>first problem</th></tr>\n");
    for (Entry e : entries()) {
      h.append("<tr class=\"")
          .append(e.verdict().toLowerCase(Locale.ROOT))
          .append("\"><td class=\"nowrap\">");
      if (e.directory().isPresent()) {
        h.append("<a href=\"")
            .append(HtmlReport.esc(e.directory().get()))
            .append("/report.html\">")
            .append(HtmlReport.esc(e.label()))
            .append("</a>");
      } else {
        h.append(HtmlReport.esc(e.label()));
      }
      h.append("</td><td>")
          .append(HtmlReport.esc(e.reader()))
          .append("</td><td class=\"result\">")
          .append(HtmlReport.esc(e.verdict()))
          .append("</td><td class=\"num\">")
          .append(HtmlReport.esc(Durations.format(e.duration())))
          .append("</td><td>")
          .append(HtmlReport.esc(e.firstProblem().orElse("")))
          .append("</td></tr>\n");
    }
    h.append("</table>\n<h2>Time per step</h2>\n<table class=\"steps\"><tr><th>step</th>")
        .append("<th>median</th><th>p90</th><th>p99</th><th>max</th><th>runs</th></tr>\n");
    stepTimes()
        .forEach(
            (step, p) ->
                h.append("<tr><td>")
                    .append(HtmlReport.esc(step.id() + " " + step.title()))
                    .append("</td><td class=\"num\">")
                    .append(HtmlReport.esc(Durations.format(p.median())))
                    .append("</td><td class=\"num\">")
                    .append(HtmlReport.esc(Durations.format(p.percentile(90))))
                    .append("</td><td class=\"num\">")
                    .append(HtmlReport.esc(Durations.format(p.percentile(99))))
                    .append("</td><td class=\"num\">")
                    .append(HtmlReport.esc(Durations.format(p.max())))
                    .append("</td><td class=\"num\">")
                    .append(p.count())
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
