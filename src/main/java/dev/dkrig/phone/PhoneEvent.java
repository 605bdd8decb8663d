package dev.dkrig.phone;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What reached the phone, in order: the field going on and off, the APDUs, its own host failing.
 */
public sealed interface PhoneEvent
    permits PhoneEvent.FieldOn, PhoneEvent.FieldOff, PhoneEvent.Apdu, PhoneEvent.HostFailure {

  /** When it happened, on the run's clock. */
  Instant at();

  /** Field on and ISO-DEP activation (through vpcd: control byte {@code 01} or {@code 02}). */
  record FieldOn(Instant at) implements PhoneEvent {}

  /** Field off or deactivation (through vpcd: control byte {@code 00}). */
  record FieldOff(Instant at) implements PhoneEvent {}

  /**
   * One command from the vehicle and the phone's answer.
   *
   * @param command the bytes as they came (possibly malformed)
   * @param response data ‖ SW, or {@code null} when the phone stayed silent (not activated)
   * @param answering how long the phone took to answer, on the run's clock
   */
  record Apdu(Instant at, byte[] command, byte[] response, Duration answering)
      implements PhoneEvent {
    public Apdu {
      command = command == null ? new byte[0] : command.clone();
      response = response == null ? null : response.clone();
      Objects.requireNonNull(answering, "answering");
    }

    @Override
    public byte[] command() {
      return command.clone();
    }

    @Override
    public byte[] response() {
      return response == null ? null : response.clone();
    }

    /** The status word answered, or -1 when silent or shorter than two bytes. */
    public int sw() {
      if (response == null || response.length < 2) {
        return -1;
      }
      return ((response[response.length - 2] & 0xFF) << 8) | (response[response.length - 1] & 0xFF);
    }
  }

  /** The phone's own transport failed (a board that stops answering, a socket that closed). */
  record HostFailure(Instant at, String cause) implements PhoneEvent {}
}
