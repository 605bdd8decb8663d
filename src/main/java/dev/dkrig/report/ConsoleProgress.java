package dev.dkrig.report;

import dev.dkrig.io.SafeText;
import dev.dkrig.iso7816.CommandApdu;
import dev.dkrig.iso7816.ResponseApdu;
import dev.dkrig.pairing.HuEvent;
import dev.dkrig.pairing.RunListener;
import dev.dkrig.pairing.Step;
import dev.dkrig.time.Durations;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;

/**
 * What the operator sees while a run goes on, on stderr: the current step on a terminal, bench
 * notes and events with {@code -v}, the APDU trace with {@code --debug}. Results go to stdout.
 */
public final class ConsoleProgress implements RunListener {
  private final PrintWriter err;
  private final boolean terminal;
  private final int verbosity;
  private final boolean trace;
  private boolean statusShown;

  public ConsoleProgress(PrintWriter err, boolean terminal, int verbosity, boolean trace) {
    this.err = err;
    this.terminal = terminal;
    this.verbosity = verbosity;
    this.trace = trace;
  }

  @Override
  public synchronized void stepStarted(Step step, Instant at) {
    if (terminal && verbosity >= 0) {
      status("  ... " + step.id() + " " + step.title());
    }
  }

  @Override
  public synchronized void event(HuEvent event) {
    if (verbosity > 0) {
      println("  event " + event.name() + " " + event.payload());
    }
  }

  @Override
  public synchronized void note(Instant at, String text) {
    if (verbosity > 0) {
      println("  note  " + text);
    }
  }

  @Override
  public synchronized void exchange(
      Step step, CommandApdu command, ResponseApdu response, Instant sent, Instant received) {
    if (!trace) {
      return;
    }
    println(">> " + command);
    String took = Durations.format(Duration.between(sent, received));
    println(
        response == null
            ? "<< (no response) (" + took + ")"
            : "<< " + response + " (" + took + ")");
  }

  @Override
  public synchronized void waiting(Step step, String instruction, Instant deadline) {
    if (terminal && verbosity >= 0) {
      long left = Math.max(0, Duration.between(Instant.now(), deadline).toSeconds());
      status(
          "  "
              + step.id()
              + " waiting: "
              + instruction
              + String.format(java.util.Locale.ROOT, " (%d:%02d left)", left / 60, left % 60));
    } else if (verbosity > 0 && !announced.equals(instruction)) {
      println("  " + step.id() + " waiting: " + instruction);
    }
    announced = instruction;
  }

  private String announced = "";

  @Override
  public synchronized void waitingOver() {
    announced = "";
  }

  /**
   * Replaces the status line. It is printed with the terminal's auto-wrap off (DECAWM, {@code ESC
   * [?7l}, on again right after): on a terminal narrower than the line, a wrapped line would leave
   * its first rows behind at each redraw ({@code \r} returns only to the last row), and the
   * countdown of a wait would fill the screen; clipped at the margin, it stays one row.
   */
  private void status(String text) {
    err.print("\r\u001B[K" + NO_WRAP + text + WRAP);
    err.flush();
    statusShown = true;
  }

  static final String NO_WRAP = "\u001B[?7l";
  static final String WRAP = "\u001B[?7h";

  /** Clears the status line before results are printed. */
  public synchronized void finish() {
    if (statusShown) {
      err.print("\r\u001B[K");
      err.flush();
      statusShown = false;
    }
  }

  private void println(String text) {
    if (statusShown) {
      err.print("\r\u001B[K");
      statusShown = false;
    }
    err.println(SafeText.line(text));
    err.flush();
  }
}
