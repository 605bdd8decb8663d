package dev.dkrig.pairing.protocol;

import dev.dkrig.iso7816.CommandApdu;
import dev.dkrig.iso7816.ResponseApdu;
import java.util.function.UnaryOperator;

/**
 * How the protocol kernel reaches the device: the role's own link, which records, times and shows
 * each APDU and turns a bench failure into its own {@link StepFailure} (usually through {@link
 * Failures#transport}). The kernel never touches a transport itself.
 *
 * <p>A scripted vehicle alters what the kernel sends by wrapping its wire ({@link #altering}), or
 * builds its own command from the kernel's pieces ({@link VehicleSession#protect}, the {@code ccc}
 * codecs) and sends it with {@link #send}.
 */
@FunctionalInterface
public interface Wire {
  /** Sends one command and returns the answer, whatever its status word. */
  ResponseApdu send(CommandApdu command);

  /**
   * The plaintext of a protected command ({@code command} true) or of a whole protected response,
   * for the role's listeners. Nothing by default.
   */
  default void plaintext(boolean command, byte[] plaintext) {}

  /** A derived secret, by its contract name; the role decides whether anyone may see it. */
  default void secret(String name, byte[] value) {}

  /** This wire with every command passed through {@code alter} first (a scripted deviation). */
  default Wire altering(UnaryOperator<CommandApdu> alter) {
    Wire inner = this;
    return new Wire() {
      @Override
      public ResponseApdu send(CommandApdu command) {
        return inner.send(alter.apply(command));
      }

      @Override
      public void plaintext(boolean command, byte[] plaintext) {
        inner.plaintext(command, plaintext);
      }

      @Override
      public void secret(String name, byte[] value) {
        inner.secret(name, value);
      }
    };
  }
}
