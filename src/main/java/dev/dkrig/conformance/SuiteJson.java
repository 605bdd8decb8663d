package dev.dkrig.conformance;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dkrig.iso7816.Hex;
import dev.dkrig.pairing.Verdict;
import dev.dkrig.report.AtomicFiles;
import dev.dkrig.report.Iso;
import dev.dkrig.report.JsonReport;
import dev.dkrig.report.RunMetadata;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The JSON document of a suite run, schema {@code dkrig-suite/1}: verdict, tool, device under test,
 * suite, rig and profile with their digests, the quirks of a virtual device, a summary, and per
 * scenario run its verdict, cause, steps and the APDUs of each step. It renders results; it never
 * re-derives a verdict.
 */
public final class SuiteJson {
  public static final String SCHEMA = "dkrig-suite/1";
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private SuiteJson() {}

  public static ObjectNode render(SuiteOutcome outcome, RunMetadata meta, List<String> quirks) {
    ObjectNode root = header(meta, outcome.verdict().name(), outcome.suite());
    root.put("repeat", outcome.suite().repeat() * outcome.repeat());
    ArrayNode quirkList = root.putArray("deviceQuirks");
    quirks.forEach(quirkList::add);
    root.put("start", Iso.format(outcome.start()));
    root.put("end", Iso.format(outcome.end()));
    root.put("interrupted", outcome.interrupted());
    ObjectNode summary = root.putObject("summary");
    summary.put("runs", outcome.results().size());
    for (Verdict v : Verdict.values()) {
      summary.put(v.name(), outcome.count(v));
    }
    ArrayNode runs = root.putArray("scenarios");
    for (ScenarioResult r : outcome.results()) {
      ObjectNode s = runs.addObject();
      s.put("scenario", r.scenario().name());
      s.put("label", r.label());
      s.put("title", r.scenario().title());
      s.put("deviation", r.scenario().deviation());
      s.put("requiredReaction", r.scenario().requiredReaction());
      s.put("verdict", r.verdict().name());
      if (r.cause().isPresent()) {
        s.put("cause", r.cause().get());
      } else {
        s.putNull("cause");
      }
      s.put("start", Iso.format(r.start()));
      s.put("end", Iso.format(r.end()));
      ArrayNode steps = s.putArray("steps");
      for (ScenarioStep step : r.steps()) {
        ObjectNode n = steps.addObject();
        n.put("step", step.name());
        n.put("kind", step.kind().label());
        n.put("result", step.result().name());
        n.put("detail", step.detail());
        if (step.sw().isPresent()) {
          n.put("sw", step.swHex());
        }
        n.put("start", Iso.format(step.start()));
        n.put("end", Iso.format(step.end()));
        apdus(n, r.exchangesOf(step.name()));
      }
    }
    return root;
  }

  private static void apdus(ObjectNode node, List<Exchange> exchanges) {
    if (exchanges.isEmpty()) {
      return;
    }
    ArrayNode list = node.putArray("apdus");
    for (Exchange e : exchanges) {
      ObjectNode a = list.addObject();
      if (!e.substep().isEmpty()) {
        a.put("substep", e.substep());
      }
      a.put("c", Hex.encode(e.command().bytes()));
      if (e.response() != null) {
        a.put("r", Hex.encode(e.response().bytes()));
      } else {
        a.putNull("r");
      }
      a.put("ms", e.duration().toNanos() / 1_000_000.0);
    }
  }

  private static ObjectNode header(RunMetadata meta, String verdict, Suite suite) {
    ObjectNode root = JSON.createObjectNode();
    root.put("schema", SCHEMA);
    root.put("verdict", verdict);
    JsonReport.toolAndDut(root, meta);
    ObjectNode suiteNode = root.putObject("suite");
    RunMetadata.FileRef ref = RunMetadata.FileRef.of(suite.source().displayName(), suite.bytes());
    suiteNode.put("name", suite.name());
    suiteNode.put("path", ref.path());
    suiteNode.put("sha256", ref.sha256());
    JsonReport.file(root.putObject("rig"), meta.rig());
    JsonReport.file(root.putObject("profile"), meta.profile());
    root.put("reader", meta.reader());
    root.put("command", "dkrig " + meta.preamble().commandLineText());
    return root;
  }

  /**
   * The document with {@code "role"} after {@code "schema"}: {@code phone} for a vehicle
   * conformance suite ({@code suite --role phone}). A suite of the vehicle role names no role, as
   * before the phone role existed.
   */
  public static ObjectNode withRole(ObjectNode document, String role) {
    ObjectNode root = JSON.createObjectNode();
    root.set("schema", document.get("schema"));
    root.put("role", role);
    document.properties().forEach(e -> root.putIfAbsent(e.getKey(), e.getValue()));
    return root;
  }

  public static String text(ObjectNode document) {
    return JsonReport.text(document);
  }

  /** Writes atomically, so a reader never sees half a document. */
  public static void write(ObjectNode document, Path file) throws IOException {
    writeAtomically(text(document), file);
  }

  /**
   * Owner-only, as suite documents (JSON and JUnit XML) have been written since issue 8: they were
   * renamed from a temporary file of mode 0600.
   */
  static void writeAtomically(String text, Path file) throws IOException {
    AtomicFiles.write(file, text, true);
  }
}
