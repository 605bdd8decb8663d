package dev.dkrig.conformance.vehicle;

import dev.dkrig.iso7816.CommandApdu;
import dev.dkrig.iso7816.Iso7816Exception;
import dev.dkrig.iso7816.ResponseApdu;
import dev.dkrig.pairing.RunListener;
import dev.dkrig.pairing.Step;
import dev.dkrig.report.RunContext;
import java.time.Instant;

/**
 * Where a scenario's APDUs and field events go for the evidence ({@code --report-dir}: trace,
 * capture, events): the suite's {@link RunContext}, fed as a pairing's listener feeds it.
 */
public interface ScenarioWire {

  /**
   * One command and the phone's answer.
   *
   * @param response data ‖ SW, or null when the phone stayed silent
   */
  void apdu(Step step, byte[] command, byte[] response, Instant sent, Instant received);

  /** The field went off: an NFC reset in the capture. */
  void fieldOff(Instant at);

  static ScenarioWire none() {
    return new ScenarioWire() {
      @Override
      public void apdu(
          Step step, byte[] command, byte[] response, Instant sent, Instant received) {}

      @Override
      public void fieldOff(Instant at) {}
    };
  }

  /** Into a context made with {@link RunContext#fedByListener()}. */
  static ScenarioWire of(RunContext context) {
    RunListener feed = context.pairingSteps();
    return new ScenarioWire() {
      @Override
      public void apdu(Step step, byte[] command, byte[] response, Instant sent, Instant received) {
        ResponseApdu answer = null;
        try {
          answer = response == null ? null : ResponseApdu.parse(response);
        } catch (Iso7816Exception | IllegalArgumentException e) {
          answer = null;
        }
        try {
          feed.exchange(step, CommandApdu.parse(command), answer, sent, received);
        } catch (Iso7816Exception | IllegalArgumentException e) {
          feed.rawExchange(command, answer, sent, received);
        }
      }

      @Override
      public void fieldOff(Instant at) {
        feed.nfcReset(at);
      }
    };
  }
}
