package dev.dkrig.pairing;

import dev.dkrig.iso7816.CommandApdu;
import dev.dkrig.iso7816.ResponseApdu;
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

  /**
   * Bytes that are not a well-formed short APDU crossed the reader ({@code dkrig apdu --raw}, to
   * see how a device answers a wrong Lc or an extended length).
   *
   * @param response null when the exchange failed (tag lost, timeout)
   */
  default void rawExchange(byte[] command, ResponseApdu response, Instant sent, Instant received) {}

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

  /**
   * The plaintext inside a secure channel, for the trace's annotation under the wrapped APDU: what
   * the vehicle protected ({@code command}) or what a protected response decrypted to, in hex, with
   * the vehicle's own secrets in it (the BLE IRK) shown as {@code [IRK ****]} unless the operator
   * asked for them ({@code --reveal-secrets}).
   */
  default void plaintext(Step step, boolean command, String hex) {}

  /** BLE advertising started or stopped (§14), with what was advertised or why it stopped. */
  default void advertising(Instant at, boolean started, String detail) {}

  /**
   * A secret the run derived (w0, SPAKE2+ and session keys), emitted only when the operator asked
   * for them with {@code --reveal-secrets}; never otherwise.
   */
  default void secret(Step step, String name, byte[] value) {}

  /** The reader turned its field off and on (the contract's NFC reset, §3.2). */
  default void nfcReset(Instant at) {}

  /**
   * The rig's own latency before {@code next} left: from the previous response's arrival, less the
   * deliberate waits in between (issue 10). Comes just before that command's {@link #exchange}.
   */
  default void turnaround(Step step, CommandApdu next, java.time.Duration host) {}

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
      public void rawExchange(
          byte[] command, ResponseApdu response, Instant sent, Instant received) {
        listeners.forEach(l -> l.rawExchange(command, response, sent, received));
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

      @Override
      public void plaintext(Step step, boolean command, String hex) {
        listeners.forEach(l -> l.plaintext(step, command, hex));
      }

      @Override
      public void advertising(Instant at, boolean started, String detail) {
        listeners.forEach(l -> l.advertising(at, started, detail));
      }

      @Override
      public void nfcReset(Instant at) {
        listeners.forEach(l -> l.nfcReset(at));
      }

      @Override
      public void secret(Step step, String name, byte[] value) {
        listeners.forEach(l -> l.secret(step, name, value));
      }

      @Override
      public void turnaround(Step step, CommandApdu next, java.time.Duration host) {
        listeners.forEach(l -> l.turnaround(step, next, host));
      }
    };
  }
}
