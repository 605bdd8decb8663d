package dev.dkrig.report;

import dev.dkrig.iso7816.CommandApdu;
import dev.dkrig.iso7816.ResponseApdu;
import dev.dkrig.pairing.HuEvent;
import dev.dkrig.pairing.RunListener;
import dev.dkrig.pairing.Step;
import dev.dkrig.pairing.StepResult;
import java.io.PrintWriter;
import java.time.Instant;

/**
 * An output listener that cannot break a run: its first failure is reported and it goes quiet. A
 * writer that also hears the wire ({@link WireListener}) is guarded on both sides by one flag, so a
 * failing trace never reaches the transport that feeds it.
 */
final class GuardedListener implements RunListener, WireListener {
  private final String what;
  private final RunListener inner;
  private final PrintWriter stderr;
  private boolean failed;

  GuardedListener(String what, RunListener inner, PrintWriter stderr) {
    this.what = what;
    this.inner = inner;
    this.stderr = stderr;
  }

  /** Whether a write failed: the file is incomplete. */
  boolean failed() {
    return failed;
  }

  String what() {
    return what;
  }

  private void call(Runnable action) {
    if (failed) {
      return;
    }
    try {
      action.run();
    } catch (RuntimeException e) {
      failed = true;
      stderr.println("dkrig: the " + what + " stopped being written: " + e.getMessage());
      stderr.flush();
    }
  }

  /** A generic step line or note, when the writer writes them ({@link StepLines}). */
  void lines(java.util.function.Consumer<StepLines> action) {
    if (inner instanceof StepLines lines) {
      call(() -> action.accept(lines));
    }
  }

  @Override
  public void stepStarted(Step step, Instant at) {
    call(() -> inner.stepStarted(step, at));
  }

  @Override
  public void stepFinished(StepResult result) {
    call(() -> inner.stepFinished(result));
  }

  @Override
  public void event(HuEvent event) {
    call(() -> inner.event(event));
  }

  @Override
  public void exchange(
      Step step, CommandApdu command, ResponseApdu response, Instant sent, Instant received) {
    call(() -> inner.exchange(step, command, response, sent, received));
  }

  @Override
  public void rawExchange(byte[] command, ResponseApdu response, Instant sent, Instant received) {
    call(() -> inner.rawExchange(command, response, sent, received));
  }

  @Override
  public void note(Instant at, String text) {
    call(() -> inner.note(at, text));
  }

  @Override
  public void plaintext(Step step, boolean command, String hex) {
    call(() -> inner.plaintext(step, command, hex));
  }

  @Override
  public void advertising(Instant at, boolean started, String detail) {
    call(() -> inner.advertising(at, started, detail));
  }

  @Override
  public void nfcReset(Instant at) {
    call(() -> inner.nfcReset(at));
  }

  @Override
  public void turnaround(Step step, dev.dkrig.iso7816.CommandApdu next, java.time.Duration host) {
    call(() -> inner.turnaround(step, next, host));
  }

  @Override
  public void secret(Step step, String name, byte[] value) {
    call(() -> inner.secret(step, name, value));
  }

  @Override
  public void exchange(
      RunContext.Label step,
      CommandApdu command,
      ResponseApdu response,
      Instant sent,
      Instant received) {
    if (inner instanceof WireListener wire) {
      call(() -> wire.exchange(step, command, response, sent, received));
    }
  }

  @Override
  public void rawExchange(
      RunContext.Label step,
      byte[] command,
      ResponseApdu response,
      Instant sent,
      Instant received) {
    if (inner instanceof WireListener wire) {
      call(() -> wire.rawExchange(step, command, response, sent, received));
    }
  }

  @Override
  public void fieldReset(Instant at) {
    if (inner instanceof WireListener wire) {
      call(() -> wire.fieldReset(at));
    }
  }
}
