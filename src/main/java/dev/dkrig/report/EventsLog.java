package dev.dkrig.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dkrig.pairing.HuEvent;
import dev.dkrig.pairing.RunListener;
import dev.dkrig.pairing.Step;
import dev.dkrig.pairing.StepResult;
import java.io.PrintWriter;
import java.time.Instant;

/**
 * {@code --events FILE}: one JSON object per line, flushed as it happens: the contract's §15 events
 * as they are, plus {@code StepBegin}, {@code StepEnd}, {@code AdvertisingStart} and {@code
 * AdvertisingStop}, each with {@code ts}.
 */
public final class EventsLog implements RunListener, StepLines {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final PrintWriter out;

  /** Opens with a {@code Preamble} line: what ran, where, with which files (issue 7). */
  public EventsLog(PrintWriter out, java.util.List<String> preamble) {
    this.out = out;
    ObjectNode node = JSON.createObjectNode();
    node.put("event", "Preamble");
    preamble.forEach(node.putArray("preamble")::add);
    write(node);
  }

  @Override
  public synchronized void stepStarted(Step step, Instant at) {
    stepBegins(at, step.id(), step.title());
  }

  @Override
  public synchronized void stepBegins(Instant at, String id, String title) {
    ObjectNode node = base("StepBegin", at);
    node.put("step", id);
    node.put("title", title);
    write(node);
  }

  @Override
  public synchronized void stepEnds(
      Instant at, String id, String result, String detail, java.util.Optional<String> sw) {
    ObjectNode node = base("StepEnd", at);
    node.put("step", id);
    node.put("result", result);
    node.put("detail", detail);
    sw.ifPresent(s -> node.put("sw", s));
    write(node);
  }

  /** Notes go into the trace and the pcapng; the events are the contract's and the steps. */
  @Override
  public void note(Instant at, String text) {}

  @Override
  public synchronized void stepFinished(StepResult r) {
    ObjectNode node = base("StepEnd", r.end());
    node.put("step", r.step().id());
    node.put("result", r.result().name());
    node.put("detail", r.detail());
    if (r.sw().isPresent()) {
      node.put("sw", r.swHex());
    }
    if (r.abort().isPresent()) {
      node.put("abort", r.abortHex());
      node.put("abortReason", r.abortReason().map(Enum::name).orElse(null));
    }
    r.timer().ifPresent(t -> node.put("timer", t));
    write(node);
  }

  @Override
  public synchronized void event(HuEvent event) {
    write(JsonReport.event(event));
  }

  @Override
  public synchronized void advertising(Instant at, boolean started, String detail) {
    ObjectNode node = base(started ? "AdvertisingStart" : "AdvertisingStop", at);
    node.put("detail", detail);
    write(node);
  }

  /** The run's verdict, the last line. */
  public synchronized void verdict(Instant at, String verdict, java.util.List<String> runProblems) {
    ObjectNode node = base("Verdict", at);
    node.put("verdict", verdict);
    if (!runProblems.isEmpty()) {
      runProblems.forEach(node.putArray("runProblems")::add);
    }
    write(node);
  }

  private static ObjectNode base(String name, Instant at) {
    ObjectNode node = JSON.createObjectNode();
    node.put("event", name);
    node.put("ts", Iso.format(at));
    return node;
  }

  private void write(ObjectNode node) {
    try {
      out.println(JSON.writeValueAsString(node));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    out.flush();
  }
}
