package dev.dkrig.transport.pcsc;

import dev.dkrig.time.RigClock;
import dev.dkrig.transport.TransportException;
import dev.dkrig.transport.acr122u.Acr122u;
import dev.dkrig.transport.acr122u.EscapeCodes;
import dev.dkrig.transport.acr122u.PiccOperatingParameter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import javax.smartcardio.CardTerminal;

/**
 * What {@code dkrig doctor} asks an ACR122U, reading only (nothing on the reader changes): the
 * firmware ({@code FF 00 48}), which also shows whether escape commands work, and the PICC
 * operating parameter as read ({@code FF 00 50}). The commands travel as a run sends them ({@link
 * PcscReaderControl}: no RAW direct connection while a card is present).
 *
 * @param firmware the firmware text, empty when it could not be read
 * @param escapeRefusal empty when escape commands work, else why not
 * @param piccOperatingParameter as read, empty when it could not be read
 */
public record Acr122uProbe(
    String firmware,
    Optional<String> escapeRefusal,
    Optional<PiccOperatingParameter> piccOperatingParameter) {

  /** Probes the reader {@code name} among {@code terminals}; empty when it is not listed. */
  public static Optional<Acr122uProbe> of(
      Supplier<List<CardTerminal>> terminals, String name, Map<String, String> environment) {
    Optional<CardTerminal> terminal =
        terminals.get().stream().filter(t -> t.getName().equals(name)).findFirst();
    return terminal.map(t -> probe(t, environment));
  }

  static Acr122uProbe probe(CardTerminal terminal, Map<String, String> environment) {
    Acr122u reader =
        new Acr122u(
            new PcscReaderControl(terminal, () -> null),
            EscapeCodes.fromEnvironment(environment).value(),
            RigClock.system());
    String firmware;
    try {
      firmware = reader.firmwareVersion().text();
    } catch (TransportException e) {
      return new Acr122uProbe("", Optional.of(e.getMessage()), Optional.empty());
    }
    try {
      return new Acr122uProbe(
          firmware, Optional.empty(), Optional.of(reader.piccOperatingParameter()));
    } catch (TransportException e) {
      return new Acr122uProbe(firmware, Optional.empty(), Optional.empty());
    }
  }

  /** {@code firmware ACR122U207; escape commands work; PICC operating parameter FF (...)}. */
  public String summary() {
    return (firmware.isEmpty() ? "firmware unread" : "firmware " + firmware)
        + "; "
        + escapeRefusal.map(why -> "escape commands refused: " + why).orElse("escape commands work")
        + piccOperatingParameter.map(p -> "; PICC operating parameter " + p).orElse("");
  }
}
