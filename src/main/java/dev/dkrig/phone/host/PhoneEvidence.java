package dev.dkrig.phone.host;

import dev.dkrig.iso7816.CommandApdu;
import dev.dkrig.iso7816.Hex;
import dev.dkrig.iso7816.Iso7816Exception;
import dev.dkrig.iso7816.ResponseApdu;
import dev.dkrig.pairing.HuEvent;
import dev.dkrig.pairing.RunListener;
import dev.dkrig.pairing.Step;
import dev.dkrig.pairing.StepResult;
import dev.dkrig.phone.PhoneRun;
import dev.dkrig.report.ApduLog;
import dev.dkrig.report.RunContext;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a phone run tells its evidence, in the terms {@code pair}'s writers take
 * (docs/phone-role.md, "Evidence"): each APDU as an exchange whose command is the vehicle's and
 * whose answer is the phone's ({@code >>} and {@code <<} read as in a vehicle's trace), under the
 * step it belongs to; every field-off and activation as a field event in the capture and an event
 * line; each abort the vehicle sends as an event; each step's result as it is known. The trace, the
 * capture and the APDU log hear the wire through {@link #context()}; everything else through the
 * run listener given.
 */
public final class PhoneEvidence implements PhoneRun.Listener {
  private final RunContext context = RunContext.fedByListener();
  private final RunListener wire = context.pairingSteps();
  private final ApduLog apdus = new ApduLog();
  private volatile RunListener listener = new RunListener() {};

  public PhoneEvidence() {
    context.listen(apdus);
  }

  /** Where the trace and the capture listen ({@code ReportOutputs.open}). */
  public RunContext context() {
    return context;
  }

  /** The APDUs per step, for the JSON and HTML reports. */
  public ApduLog apdus() {
    return apdus;
  }

  /** The run's other listeners: the streaming files, the console. */
  public PhoneEvidence listener(RunListener others) {
    this.listener = others;
    return this;
  }

  /**
   * The pairing's files are about to be finished: what reaches the phone from now on (the field
   * going off after the run ended) is no longer written anywhere.
   */
  public void detach() {
    listener = new RunListener() {};
  }

  /** A line for the trace, the capture and the console ({@code -v}): link notes of the host. */
  public void note(Instant at, String text) {
    listener.note(at, text);
  }

  @Override
  public void fieldOn(Instant at) {
    context.field(at, true);
    listener.event(new HuEvent("FieldOn", at, Map.of()));
  }

  @Override
  public void fieldOff(Instant at) {
    context.field(at, false);
    listener.event(new HuEvent("FieldOff", at, Map.of()));
  }

  @Override
  public void apdu(Instant at, byte[] command, byte[] response, Duration answering, Step step) {
    Instant sent = at.minus(answering);
    ResponseApdu answer = response == null || response.length < 2 ? null : parse(response);
    CommandApdu parsed = wellFormed(command);
    if (parsed != null) {
      wire.exchange(step, parsed, answer, sent, at);
      listener.exchange(step, parsed, answer, sent, at);
    } else {
      context.step(RunContext.Label.of(step));
      wire.rawExchange(command, answer, sent, at);
      listener.rawExchange(command, answer, sent, at);
    }
    abort(at, command, step);
  }

  @Override
  public void stepEnded(StepResult result) {
    listener.stepFinished(result);
  }

  /** An abort from the vehicle ({@code 80 3C 12 XX} or {@code 80 3C 00 XX}) is an event. */
  private void abort(Instant at, byte[] command, Step step) {
    if (command.length == 4
        && (command[0] & 0xFF) == 0x80
        && (command[1] & 0xFF) == 0x3C
        && ((command[2] & 0xFF) == 0x12 || command[2] == 0x00)) {
      Map<String, String> payload = new LinkedHashMap<>();
      payload.put("code", Hex.encode(Arrays.copyOfRange(command, 2, 4)));
      payload.put("step", step.id());
      listener.event(new HuEvent("AbortReceived", at, payload));
    }
  }

  /** The command as a short APDU when its bytes are exactly one; null otherwise (raw). */
  private static CommandApdu wellFormed(byte[] command) {
    try {
      CommandApdu parsed = CommandApdu.parse(command);
      return Arrays.equals(parsed.bytes(), command) ? parsed : null;
    } catch (Iso7816Exception e) {
      return null;
    }
  }

  private static ResponseApdu parse(byte[] response) {
    return ResponseApdu.parse(response);
  }
}
