package dev.dkrig.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dkrig.iso7816.Hex;
import dev.dkrig.pairing.HuEvent;
import dev.dkrig.pairing.PairingOutcome;
import dev.dkrig.pairing.Step;
import dev.dkrig.pairing.StepResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The JSON report, schema {@code dkrig-report/1}: verdict, tool, DUT, rig and profile digests, one
 * record per catalogue step in order with the contract's fields plus title and the APDUs, and the
 * §15 events. It renders results; it never re-derives a verdict.
 */
public final class JsonReport {
  public static final String SCHEMA = "dkrig-report/1";
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private JsonReport() {}

  public static ObjectNode render(PairingOutcome outcome, RunMetadata meta, ApduLog apdus) {
    ObjectNode root = header(meta, outcome.verdict().name());
    root.put("start", Iso.format(outcome.start()));
    root.put("end", Iso.format(outcome.end()));
    ArrayNode problems = root.putArray("runProblems");
    outcome.runProblems().forEach(problems::add);
    Map<Step, List<ApduLog.Entry>> byStep = apdus.byStep();
    List<ApduLog.Entry> all = apdus.entries();
    TurnaroundSummary turnaround = TurnaroundSummary.of(apdus);
    ArrayNode steps = root.putArray("steps");
    for (StepResult r : outcome.results()) {
      ObjectNode s = steps.addObject();
      s.put("step", r.step().id());
      s.put("title", r.step().title());
      s.put("result", r.result().name());
      s.put("start", Iso.format(r.start()));
      s.put("end", Iso.format(r.end()));
      s.put("ms", DurationStats.millis(r.duration()));
      s.put("detail", r.detail());
      if (r.sw().isPresent()) {
        s.put("sw", r.swHex());
      }
      if (r.abort().isPresent()) {
        s.put("abort", r.abortHex());
        s.put("abortReason", r.abortReason().map(Enum::name).orElse(null));
      }
      r.timer().ifPresent(t -> s.put("timer", t));
      List<ApduLog.Entry> entries = byStep.get(r.step());
      if (entries != null) {
        ArrayNode list = s.putArray("apdus");
        for (ApduLog.Entry e : entries) {
          ObjectNode a = list.addObject();
          a.put("c", Hex.encode(e.command().bytes()));
          if (e.response() != null) {
            a.put("r", Hex.encode(e.response().bytes()));
          } else {
            a.putNull("r");
          }
          a.put("ms", e.duration().toNanos() / 1_000_000.0);
          int index = indexOf(all, e);
          apdus.turnaround(index).ifPresent(d -> a.put("hostMs", DurationStats.millis(d)));
        }
      }
      DurationStats host = turnaround.perStep().get(r.step());
      if (host != null) {
        ObjectNode t = s.putObject("turnaround");
        t.put("count", host.count());
        t.put("medianMs", DurationStats.millis(host.median()));
        t.put("maxMs", DurationStats.millis(host.max()));
      }
    }
    root.set("turnaround", turnaround(turnaround));
    ArrayNode events = root.putArray("events");
    for (HuEvent event : outcome.events()) {
      events.add(event(event));
    }
    Map<String, String> secrets = apdus.secrets();
    if (!secrets.isEmpty()) {
      root.put(
          "secretsWarning",
          "--reveal-secrets: this report holds session keys and derived secrets; keep it"
              + " confidential");
      ObjectNode node = root.putObject("secrets");
      new java.util.TreeMap<>(secrets).forEach(node::put);
    }
    return root;
  }

  /** A report for a run that never started (configuration or bench error found first). */
  public static ObjectNode notRun(RunMetadata meta, String verdict, String error) {
    ObjectNode root = header(meta, verdict);
    root.put("error", error);
    root.putArray("steps");
    root.putArray("events");
    return root;
  }

  public static ObjectNode event(HuEvent event) {
    ObjectNode node = JSON.createObjectNode();
    node.put("event", event.name());
    node.put("ts", Iso.format(event.ts()));
    event.payload().forEach(node::put);
    return node;
  }

  /**
   * The run's host turnaround: from a response's arrival to the next command's departure, less the
   * deliberate waits (issue 10).
   */
  static ObjectNode turnaround(TurnaroundSummary summary) {
    ObjectNode t = JSON.createObjectNode();
    DurationStats all = summary.all();
    t.put("count", all.count());
    t.put("medianMs", DurationStats.millis(all.median()));
    t.put("p90Ms", DurationStats.millis(all.percentile(90)));
    t.put("p99Ms", DurationStats.millis(all.percentile(99)));
    t.put("maxMs", DurationStats.millis(all.max()));
    t.put("totalMs", DurationStats.millis(all.total()));
    ArrayNode slowest = t.putArray("slowest");
    for (TurnaroundSummary.Slow slow : summary.slowest()) {
      ObjectNode s = slowest.addObject();
      s.put("apdu", slow.apdu());
      s.put("step", slow.step().id());
      s.put("command", slow.command());
      s.put("ms", DurationStats.millis(slow.host()));
    }
    return t;
  }

  private static int indexOf(List<ApduLog.Entry> entries, ApduLog.Entry entry) {
    for (int i = 0; i < entries.size(); i++) {
      if (entries.get(i) == entry) {
        return i;
      }
    }
    return -1;
  }

  private static ObjectNode header(RunMetadata meta, String verdict) {
    ObjectNode root = JSON.createObjectNode();
    root.put("schema", SCHEMA);
    if (meta.role() != RunMetadata.Role.VEHICLE) {
      // Issue 19: the verdicts are the phone's, about the vehicle under test (the DUT).
      root.put("role", meta.role().jsonName());
    }
    root.put("verdict", verdict);
    toolAndDut(root, meta);
    file(root.putObject("rig"), meta.rig());
    file(root.putObject("profile"), meta.profile());
    root.put("reader", meta.reader());
    if (!meta.vehicleQuirks().isEmpty()) {
      // Issue 19: dkrig's own vehicle broke the contract on purpose (--vehicle-quirk).
      meta.vehicleQuirkLines().forEach(root.putArray("vehicleQuirks")::add);
    }
    ObjectNode preamble = root.putObject("preamble");
    preamble.put("jarSha256", meta.preamble().jarSha256());
    preamble.put("java", meta.preamble().java());
    preamble.put("os", meta.preamble().os());
    preamble.put("command", "dkrig " + meta.preamble().commandLineText());
    ObjectNode environment = preamble.putObject("environment");
    meta.preamble().environment().forEach(environment::put);
    return root;
  }

  /** The {@code tool} object and the {@code dut} label, as every dkrig report starts. */
  public static void toolAndDut(ObjectNode root, RunMetadata meta) {
    ObjectNode tool = root.putObject("tool");
    tool.put("version", meta.toolVersion());
    tool.put("commit", meta.toolCommit());
    if (meta.dut().isPresent()) {
      root.put("dut", meta.dut().get());
    } else {
      root.putNull("dut");
    }
  }

  /** A rig or profile file by path and SHA-256, both null when it was not read. */
  public static void file(ObjectNode node, RunMetadata.FileRef ref) {
    if (ref == null) {
      node.putNull("path");
      node.putNull("sha256");
      return;
    }
    node.put("path", ref.path());
    node.put("sha256", ref.sha256());
  }

  public static String text(ObjectNode report) {
    try {
      return JSON.writeValueAsString(report) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Writes atomically, so a reader never sees half a report; owner-only when it holds revealed
   * secrets.
   */
  public static void write(ObjectNode report, Path file) throws IOException {
    AtomicFiles.write(file, text(report), report.has("secrets"));
  }
}
