package dev.dkrig.testing;

import dev.dkrig.iso7816.CommandApdu;
import dev.dkrig.iso7816.ResponseApdu;
import dev.dkrig.transport.NfcTransport;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A reader for unit tests: a device is always in the field and answers from a script; the commands
 * it was sent are kept. Real readers are for the ITs.
 */
public final class ScriptedReader implements NfcTransport {
  /** The answers, first out first; an exchange with none left fails the test. */
  public final Deque<ResponseApdu> answers = new ArrayDeque<>();

  /** What the reader was sent, in order. */
  public final List<CommandApdu> sent = new ArrayList<>();

  @Override
  public String description() {
    return "scripted reader";
  }

  @Override
  public void startPolling() {}

  @Override
  public boolean awaitTarget(Duration wait) {
    return true;
  }

  @Override
  public ResponseApdu transmit(CommandApdu command) {
    sent.add(command);
    if (answers.isEmpty()) {
      throw new AssertionError("no scripted answer left for " + command);
    }
    return answers.removeFirst();
  }

  @Override
  public void reset() {}

  @Override
  public void stopPolling() {}

  @Override
  public void close() {}
}
