package dev.dkrig.dump;

import dev.dkrig.iso7816.CommandApdu;
import dev.dkrig.iso7816.Hex;
import dev.dkrig.iso7816.ResponseApdu;
import dev.dkrig.pairing.PairingOutcome;
import dev.dkrig.pairing.StepResult;
import dev.dkrig.transport.TransportException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code --dump FILE}: a line-oriented record of a run that {@code dkrig replay} can re-run: the
 * seed, the configuration digests and timers, every transport event with its time (targets found or
 * not, NFC resets, each command and its response or failure), each read of the protocol clock, and
 * the step results. Lines are flushed as they are written.
 */
public final class DumpWriter {
  public static final String FORMAT = "dkrig-dump/1";

  private final PrintWriter out;
  private final Instant start;

  public DumpWriter(PrintWriter out, Instant start) {
    this.out = out;
    this.start = start;
  }

  /**
   * The header: the warning, where the run's randomness comes from (a {@code --seed}, §18.2 test
   * mode, or {@code draws recorded}: each draw follows as a {@code draw} line), the files and their
   * digests, the timers.
   */
  public synchronized void header(
      java.util.OptionalLong seed,
      boolean testMode,
      List<String> preamble,
      Map<String, String> files,
      Map<String, Duration> timers,
      boolean ble,
      boolean phase4) {
    out.println("# " + FORMAT);
    out.println(
        "# SECRET: this dump holds the values the run drew (or its seed); with it anyone can"
            + " recompute every session key of this run, Kpersistent included. Keep it with the"
            + " lab's confidential records; do not hand it out with the evidence.");
    for (String line : preamble) {
      out.println("# " + line);
    }
    if (testMode) {
      out.println("test-mode on");
    } else if (seed.isPresent()) {
      out.println("seed " + seed.getAsLong());
    } else {
      out.println("draws recorded");
    }
    out.println("start " + start);
    files.forEach((what, ref) -> out.println(what + " " + ref));
    timers.forEach((name, value) -> out.println("timer " + name + " " + value.toNanos()));
    out.println("ble " + (ble ? "on" : "off"));
    out.println("phase4 " + (phase4 ? "on" : "off"));
    out.flush();
  }

  /** One random draw of the vehicle (a run without seed or test mode), for replay. */
  public synchronized void draw(String name, byte[] value) {
    out.println("draw " + name + " " + Hex.encode(value));
    out.flush();
  }

  synchronized void target(Instant at, boolean found) {
    line(at, "target " + (found ? "yes" : "no"));
  }

  synchronized void reset(Instant at) {
    line(at, "reset");
  }

  synchronized void command(Instant at, CommandApdu command) {
    line(at, ">> " + Hex.encode(command.bytes()));
  }

  synchronized void response(Instant at, ResponseApdu response) {
    line(at, "<< " + Hex.encode(response.bytes()));
  }

  synchronized void failure(Instant at, TransportException e) {
    line(at, "!! " + e.kind().name() + " " + oneLine(e.getMessage()));
  }

  synchronized void clockRead(Instant at, Instant value) {
    line(at, "clock " + value);
  }

  /** The results, for replay to compare with. */
  public synchronized void results(PairingOutcome outcome) {
    for (StepResult r : outcome.results()) {
      out.println("result " + r.step().id() + " " + result(r));
    }
    out.println("verdict " + outcome.verdict());
    out.flush();
  }

  /**
   * What a {@code result} line records of a step after its id; {@link Replay} compares the replayed
   * step with the same text, so the two cannot drift apart.
   */
  static String result(StepResult r) {
    return r.result()
        + " sw="
        + (r.sw().isPresent() ? r.swHex() : "-")
        + " abort="
        + (r.abort().isPresent() ? r.abortHex() : "-");
  }

  private void line(Instant at, String text) {
    double ms = Duration.between(start, at).toNanos() / 1e6;
    out.println(String.format(Locale.ROOT, "+%.3f %s", ms, text));
    out.flush();
  }

  private static String oneLine(String text) {
    return text == null ? "" : text.replaceAll("[\\r\\n]+", " ");
  }
}
