package dev.dkrig.pairing;

import dev.dkrig.ccc.CommandApdu;
import dev.dkrig.ccc.ResponseApdu;
import java.time.Instant;

/**
 * Everything a run reports as it happens. Reporters (console, JSON, events, pcapng) implement what
 * they need; the flow never knows who listens.
 */
public interface RunListener {

  default void stepStarted(Step step, Instant at) {}

  default void stepFinished(StepResult result) {}

  /** A §15 event was emitted. */
  default void event(HuEvent event) {}

  /**
   * One APDU crossed the reader.
   *
   * @param response null when the exchange failed (tag lost, timeout)
   */
  default void exchange(
      Step step, CommandApdu command, ResponseApdu response, Instant sent, Instant received) {}

  /** A bench action worth a line in traces: NFC reset, target found, advertising started. */
  default void note(Instant at, String text) {}

  /**
   * The run waits for the operator (a device to be presented, or kept on the pad).
   *
   * @param instruction exactly what to do, for the console
   * @param deadline when the wait ends (the timer that bounds it)
   */
  default void waiting(Step step, String instruction, Instant deadline) {}

  /** The wait is over (a device answered, or the run went on). */
  default void waitingOver() {}

  /** A listener that forwards to several. */
  static RunListener all(java.util.List<RunListener> listeners) {
    return new RunListener() {
      @Override
      public void stepStarted(Step step, Instant at) {
        listeners.forEach(l -> l.stepStarted(step, at));
      }

      @Override
      public void stepFinished(StepResult result) {
        listeners.forEach(l -> l.stepFinished(result));
      }

      @Override
      public void event(HuEvent event) {
        listeners.forEach(l -> l.event(event));
      }

      @Override
      public void exchange(
          Step step, CommandApdu command, ResponseApdu response, Instant sent, Instant received) {
        listeners.forEach(l -> l.exchange(step, command, response, sent, received));
      }

      @Override
      public void note(Instant at, String text) {
        listeners.forEach(l -> l.note(at, text));
      }

      @Override
      public void waiting(Step step, String instruction, Instant deadline) {
        listeners.forEach(l -> l.waiting(step, instruction, deadline));
      }

      @Override
      public void waitingOver() {
        listeners.forEach(RunListener::waitingOver);
      }
    };
  }
}
