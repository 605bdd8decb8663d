package dev.dkrig.report;

import dev.dkrig.io.SafeText;
import dev.dkrig.iso7816.CommandApdu;
import dev.dkrig.iso7816.Hex;
import dev.dkrig.iso7816.ResponseApdu;
import dev.dkrig.pairing.HuEvent;
import dev.dkrig.pairing.RunListener;
import dev.dkrig.pairing.Step;
import dev.dkrig.pairing.StepResult;
import dev.dkrig.time.Durations;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The human APDU trace ({@code --trace FILE}, or stderr with {@code --debug}), in the form lab
 * engineers know from apdu4j: {@code >> 80300000 31 5B02... 00} and {@code << 5041... 9000 (1.2
 * ms)}, each line stamped and tagged with its step, the plaintext of a secure channel annotated
 * under the APDU that carried it, bench notes and events as {@code #} lines. Flushed line by line,
 * so a trace survives any abort.
 */
public final class TraceLog implements RunListener, WireListener, StepLines {
  private final PrintWriter out;

  public TraceLog(PrintWriter out, List<String> preamble) {
    this.out = out;
    for (String line : preamble) {
      out.println("# " + SafeText.line(line));
    }
    out.flush();
  }

  @Override
  public synchronized void stepStarted(Step step, Instant at) {
    stepBegins(at, step.id(), step.title());
  }

  @Override
  public synchronized void stepFinished(StepResult result) {
    Step step = result.step();
    stepEnds(
        result.end(), step.id(), result.result().toString(), result.detail(), Optional.empty());
  }

  @Override
  public synchronized void stepBegins(Instant at, String id, String title) {
    line(at, id, "# step " + id + " " + title);
  }

  @Override
  public synchronized void stepEnds(
      Instant at, String id, String result, String detail, Optional<String> sw) {
    line(at, id, "# " + id + " " + result + ": " + detail);
  }

  @Override
  public synchronized void exchange(
      RunContext.Label step,
      CommandApdu command,
      ResponseApdu response,
      Instant sent,
      Instant received) {
    exchange(step.id(), command.toString(), response, sent, received);
  }

  @Override
  public synchronized void rawExchange(
      RunContext.Label step,
      byte[] command,
      ResponseApdu response,
      Instant sent,
      Instant received) {
    exchange(step.id(), Hex.encode(command) + " (raw)", response, sent, received);
  }

  private void exchange(
      String step, String command, ResponseApdu response, Instant sent, Instant received) {
    line(sent, step, ">> " + command);
    String took = Durations.format(Duration.between(sent, received));
    line(
        received,
        step,
        response == null ? "<< (none) (" + took + ")" : "<< " + response + " (" + took + ")");
  }

  @Override
  public synchronized void plaintext(Step step, boolean command, String hex) {
    out.println(
        "                         "
            + pad(step.id())
            + (command ? "   plain >> " : "   plain << ")
            + (hex.isEmpty() ? "(empty)" : hex));
    out.flush();
  }

  @Override
  public synchronized void event(HuEvent event) {
    line(event.ts(), "", "# event " + event.name() + " " + event.payload());
  }

  @Override
  public synchronized void note(Instant at, String text) {
    line(at, "", "# " + text);
  }

  @Override
  public synchronized void advertising(Instant at, boolean started, String detail) {
    line(at, "", "# BLE advertising " + (started ? "started: " : "stopped: ") + detail);
  }

  /** Only reached with {@code --reveal-secrets} (the run emits no secret otherwise). */
  @Override
  public synchronized void secret(Step step, String name, byte[] value) {
    out.println(
        "                         "
            + pad(step.id())
            + "   SECRET "
            + name
            + " = "
            + dev.dkrig.iso7816.Hex.encode(value));
    out.flush();
  }

  /** Lines written after the run (the verdict). */
  public synchronized void comment(String text) {
    out.println("# " + SafeText.line(text));
    out.flush();
  }

  private void line(Instant at, Step step, String text) {
    line(at, step == null ? "" : step.id(), text);
  }

  private void line(Instant at, String step, String text) {
    out.println(Iso.format(at) + " " + pad(step) + " " + SafeText.line(text));
    out.flush();
  }

  private static String pad(String id) {
    return String.format(java.util.Locale.ROOT, "%-8s", id);
  }
}
