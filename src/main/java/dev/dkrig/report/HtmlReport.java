package dev.dkrig.report;

import dev.dkrig.ccc.StatusWord;
import dev.dkrig.iso7816.Hex;
import dev.dkrig.pairing.HuEvent;
import dev.dkrig.pairing.PairingOutcome;
import dev.dkrig.pairing.Result;
import dev.dkrig.pairing.Step;
import dev.dkrig.pairing.StepResult;
import dev.dkrig.time.Durations;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code report.html}: one self-contained page (no network, no scripts) to send to a colleague: the
 * verdict, the step table, a timing chart per step and per APDU, the decoded APDUs, the events and
 * the preamble. Renders results; never re-derives them.
 */
public final class HtmlReport {
  private static final int CHART_WIDTH = 900;

  private HtmlReport() {}

  public static String render(PairingOutcome outcome, RunMetadata meta, ApduLog apdus) {
    StringBuilder h = new StringBuilder(64 * 1024);
    Duration total = Duration.between(outcome.start(), outcome.end());
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<title>dkrig ")
        .append(esc(outcome.verdict().name()))
        .append(meta.dut().map(d -> " - " + esc(d)).orElse(""))
        .append("</title><style>")
        .append(CSS)
        .append("</style></head><body>\n");
    h.append("<header><h1>dkrig owner pairing")
        .append(meta.role() == RunMetadata.Role.PHONE ? " (phone role: judging the vehicle)" : "")
        .append(" <span class=\"badge ")
        .append(outcome.verdict().name().toLowerCase(Locale.ROOT))
        .append("\">")
        .append(outcome.verdict())
        .append("</span></h1>\n<p class=\"meta\">")
        .append(esc(meta.dut().map(d -> "DUT " + d + " · ").orElse("")))
        .append(esc(meta.reader()))
        .append(" · ")
        .append(esc(Iso.format(outcome.start())))
        .append(" · ")
        .append(esc(Durations.format(total)))
        .append("</p>\n");
    outcome
        .firstProblem()
        .ifPresent(
            p ->
                h.append("<p class=\"problem\">First problem: <b>")
                    .append(esc(p.step().id()))
                    .append(" ")
                    .append(p.result())
                    .append("</b>: ")
                    .append(esc(p.detail()))
                    .append("</p>\n"));
    for (String problem : outcome.runProblems()) {
      h.append("<p class=\"problem\">Run problem: ").append(esc(problem)).append("</p>\n");
    }
    h.append("</header>\n");

    h.append(
            "<h2>Steps</h2>\n<table class=\"steps\"><tr><th>step</th><th>title</th><th>result</th>")
        .append("<th>duration</th><th>detail</th><th>SW</th><th>abort</th></tr>\n");
    for (StepResult r : outcome.results()) {
      h.append("<tr class=\"")
          .append(r.result().name().toLowerCase(Locale.ROOT))
          .append("\"><td><a href=\"#")
          .append(anchor(r.step()))
          .append("\">")
          .append(esc(r.step().id()))
          .append("</a></td><td>")
          .append(esc(r.step().title()))
          .append("</td><td class=\"result\">")
          .append(r.result())
          .append("</td><td class=\"num\">")
          .append(esc(Durations.format(r.duration())))
          .append("</td><td>")
          .append(esc(r.detail()))
          .append(r.timer().map(t -> " <i>(timer " + esc(t) + ")</i>").orElse(""))
          .append("</td><td>")
          .append(r.sw().isPresent() ? esc(r.swHex()) : "")
          .append("</td><td>")
          .append(
              r.abort().isPresent()
                  ? esc(r.abortHex() + " " + r.abortReason().map(Enum::name).orElse(""))
                  : "")
          .append("</td></tr>\n");
    }
    h.append("</table>\n");

    h.append("<h2>Timing per step</h2>\n").append(stepChart(outcome));
    List<ApduLog.Entry> all = apdus.entries();
    h.append("<h2>Timing per APDU</h2>\n").append(apduChart(all));
    h.append(turnaround(TurnaroundSummary.of(apdus)));

    h.append("<h2>APDUs</h2>\n");
    Map<Step, List<ApduLog.Entry>> byStep = apdus.byStep();
    ApduNames names = new ApduNames();
    Map<ApduLog.Entry, String> named = new java.util.IdentityHashMap<>();
    all.forEach(e -> named.put(e, names.next(e.command())));
    for (StepResult r : outcome.results()) {
      List<ApduLog.Entry> entries = byStep.get(r.step());
      if (entries == null) {
        continue;
      }
      h.append("<h3 id=\"")
          .append(anchor(r.step()))
          .append("\">")
          .append(esc(r.step().id() + " " + r.step().title()))
          .append(" <span class=\"")
          .append(r.result().name().toLowerCase(Locale.ROOT))
          .append("\">")
          .append(r.result())
          .append(
              "</span></h3>\n<table class=\"apdus\"><tr><th>#</th><th>command</th><th>C-APDU</th>")
          .append("<th>R-APDU</th><th>SW</th><th>time</th><th title=\"host turnaround before")
          .append(" this command\">host</th></tr>\n");
      for (ApduLog.Entry e : entries) {
        int index = all.indexOf(e);
        int number = index + 1;
        h.append("<tr><td class=\"num\">")
            .append(number)
            .append("</td><td>")
            .append(esc(named.get(e)))
            .append("</td><td class=\"hex\">")
            .append(esc(e.command().toString()))
            .append(plain(apdus.commandPlaintext(index)))
            .append("</td><td class=\"hex\">")
            .append(
                e.response() == null ? "<i>no answer</i>" : esc(Hex.encode(e.response().data())))
            .append(plain(apdus.responsePlaintext(index)))
            .append("</td><td>")
            .append(e.response() == null ? "" : esc(StatusWord.describe(e.response().sw())))
            .append("</td><td class=\"num\">")
            .append(esc(Durations.format(e.duration())))
            .append("</td><td class=\"num\">")
            .append(apdus.turnaround(index).map(d -> esc(Durations.format(d))).orElse(""))
            .append("</td></tr>\n");
      }
      h.append("</table>\n");
    }

    h.append("<h2>Events</h2>\n<ul class=\"events\">\n");
    for (HuEvent event : outcome.events()) {
      h.append("<li><code>")
          .append(esc(Iso.format(event.ts())))
          .append("</code> <b>")
          .append(esc(event.name()))
          .append("</b> ")
          .append(esc(event.payload().toString()))
          .append("</li>\n");
    }
    h.append("</ul>\n<h2>Preamble</h2>\n<pre class=\"preamble\">");
    for (String line : meta.preambleLines()) {
      h.append(esc(line)).append('\n');
    }
    h.append("</pre>\n<footer>dkrig ")
        .append(esc(meta.toolVersion()))
        .append(
            " · report schema dkrig-report/1 · no network resources</footer>\n</body></html>\n");
    return h.toString();
  }

  private static String stepChart(PairingOutcome outcome) {
    double total = Math.max(1, Duration.between(outcome.start(), outcome.end()).toNanos());
    List<StepResult> shown =
        outcome.results().stream().filter(r -> r.result() != Result.SKIPPED).toList();
    int row = 16;
    int labels = 90;
    StringBuilder s = new StringBuilder();
    s.append("<svg class=\"chart\" width=\"")
        .append(CHART_WIDTH + labels + 10)
        .append("\" height=\"")
        .append(shown.size() * row + 24)
        .append("\" role=\"img\" aria-label=\"timing per step\">");
    int y = 0;
    for (StepResult r : shown) {
      double x0 = Duration.between(outcome.start(), r.start()).toNanos() / total * CHART_WIDTH;
      double width = Math.max(1.5, r.duration().toNanos() / total * CHART_WIDTH);
      s.append(
          String.format(
              Locale.ROOT,
              "<text x=\"0\" y=\"%d\" class=\"label\">%s</text><rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" class=\"bar %s\"><title>%s %s %s</title></rect>",
              y + 12,
              esc(r.step().id()),
              labels + x0,
              y + 2,
              width,
              row - 4,
              r.result().name().toLowerCase(Locale.ROOT),
              esc(r.step().id()),
              r.result(),
              esc(Durations.format(r.duration()))));
      y += row;
    }
    s.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%d\" y=\"%d\" class=\"label\">0</text><text x=\"%d\" y=\"%d\" class=\"label\" text-anchor=\"end\">%s</text>",
            labels,
            y + 16,
            labels + CHART_WIDTH,
            y + 16,
            esc(Durations.format(Duration.ofNanos((long) total)))));
    return s.append("</svg>\n").toString();
  }

  private static String apduChart(List<ApduLog.Entry> entries) {
    if (entries.isEmpty()) {
      return "<p>No APDU was exchanged.</p>\n";
    }
    double longest = entries.stream().mapToLong(e -> e.duration().toNanos()).max().orElse(1);
    int row = 14;
    int labels = 190;
    StringBuilder s = new StringBuilder();
    s.append("<svg class=\"chart\" width=\"")
        .append(CHART_WIDTH + labels + 80)
        .append("\" height=\"")
        .append(entries.size() * row + 8)
        .append("\" role=\"img\" aria-label=\"timing per APDU\">");
    int y = 0;
    int n = 1;
    ApduNames names = new ApduNames();
    for (ApduLog.Entry e : entries) {
      double width =
          Math.max(1.5, e.duration().toNanos() / Math.max(1, longest) * CHART_WIDTH * 0.9);
      String label = n + " " + e.step().id() + " " + names.next(e.command());
      s.append(
          String.format(
              Locale.ROOT,
              "<text x=\"0\" y=\"%d\" class=\"label\">%s</text><rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" class=\"bar %s\"/><text x=\"%.1f\" y=\"%d\" class=\"label\">%s</text>",
              y + 11,
              esc(label),
              labels,
              y + 2,
              width,
              row - 4,
              e.response() == null
                  ? "error"
                  : e.response().isSuccess() || e.response().isMoreData() ? "pass" : "fail",
              labels + width + 4,
              y + 11,
              esc(Durations.format(e.duration()))));
      y += row;
      n++;
    }
    return s.append("</svg>\n").toString();
  }

  private static String anchor(Step step) {
    return "step-" + step.id().replace('.', '-');
  }

  /** The rig's own latency between exchanges (issue 10), with the slowest named. */
  private static String turnaround(TurnaroundSummary summary) {
    StringBuilder s = new StringBuilder("<h2>Host turnaround</h2>\n");
    if (summary.all().isEmpty()) {
      return s.append("<p>No exchange followed another.</p>\n").toString();
    }
    DurationStats all = summary.all();
    s.append("<p>From a response's arrival to the next command's departure, less the deliberate")
        .append(" waits (polls, resets, timers): the time the rig adds. Over ")
        .append(all.count())
        .append(" exchanges: median <b>")
        .append(esc(DurationStats.ms(all.median())))
        .append("</b>, p90 ")
        .append(esc(DurationStats.ms(all.percentile(90))))
        .append(", p99 <b>")
        .append(esc(DurationStats.ms(all.percentile(99))))
        .append("</b>, max ")
        .append(esc(DurationStats.ms(all.max())))
        .append(", total ")
        .append(esc(DurationStats.ms(all.total())))
        .append(".</p>\n<table class=\"slowest\"><tr><th>slowest</th><th>step</th>")
        .append("<th>command</th><th>host</th></tr>\n");
    for (TurnaroundSummary.Slow slow : summary.slowest()) {
      s.append("<tr><td class=\"num\">#")
          .append(slow.apdu())
          .append("</td><td>")
          .append(esc(slow.step().id()))
          .append("</td><td>")
          .append(esc(slow.command()))
          .append("</td><td class=\"num\">")
          .append(esc(DurationStats.ms(slow.host())))
          .append("</td></tr>\n");
    }
    return s.append("</table>\n").toString();
  }

  /** The secure channel's plaintext under the wrapped bytes, labelled. */
  private static String plain(java.util.Optional<String> plaintext) {
    return plaintext
        .map(p -> "<div class=\"plain\"><span>plaintext</span> " + esc(p) + "</div>")
        .orElse("");
  }

  static String esc(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (char c : text.toCharArray()) {
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  static final String CSS =
      "body{font:14px/1.4 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px;color:#1d2329}"
          + "h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #dde}"
          + "h3{font-size:14px;margin:18px 0 6px}.meta{color:#556;margin:0}.problem{background:#fff3f3;"
          + "border-left:4px solid #c62828;padding:6px 10px}.badge{padding:2px 10px;border-radius:4px;color:#fff}"
          + ".badge.pass,.badge.fail,.badge.error{color:#fff}.badge.pass{background:#2e7d32}"
          + ".badge.fail{background:#c62828}.badge.error{background:#8e24aa}"
          + "table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #eef;padding:3px 6px;"
          + "text-align:left;vertical-align:top}th{background:#f4f6fa}td.num{text-align:right;white-space:nowrap}"
          + "td.hex{font:12px ui-monospace,Menlo,monospace;word-break:break-all}"
          + "table.apdus{table-layout:fixed}table.apdus th:nth-child(1){width:32px}"
          + "table.apdus th:nth-child(2){width:150px}table.apdus th:nth-child(5){width:190px}"
          + "table.apdus th:nth-child(6),table.apdus th:nth-child(7){width:72px}"
          + "table.slowest{width:auto}td.nowrap{white-space:nowrap}"
          + ".plain{color:#2d5f8a;margin-top:3px}"
          + ".plain span{font:10px system-ui,sans-serif;text-transform:uppercase;color:#7890a8}"
          + "tr.pass td.result,span.pass{color:#2e7d32;font-weight:600}tr.fail td.result,span.fail{color:#c62828;"
          + "font-weight:700}tr.error td.result,span.error{color:#8e24aa;font-weight:700}tr.skipped{color:#889}"
          + "tr.info td.result,span.info{color:#00838f}.chart .label{font:11px ui-monospace,monospace;fill:#334}"
          + ".bar.pass{fill:#66bb6a}.bar.fail{fill:#e53935}.bar.error{fill:#ab47bc}.bar.info{fill:#26c6da}"
          + ".bar.skipped{fill:#ccc}.preamble{background:#f7f7fa;padding:8px;font-size:12px;overflow-x:auto}"
          + "footer{margin-top:30px;color:#889;font-size:12px}";
}
