package dev.dkrig.transport.pcsc;

import dev.dkrig.iso7816.Hex;
import dev.dkrig.transport.TransportException;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import javax.smartcardio.Card;
import javax.smartcardio.CardException;
import javax.smartcardio.CardTerminal;
import javax.smartcardio.TerminalFactory;

/**
 * javax.smartcardio as the rig uses it (see notes on pcscd): a factory made with {@code
 * getInstance("PC/SC", null)} so a missing library is a visible error, not an empty list; the JDK's
 * silent GET RESPONSE and 6Cxx re-sends switched off; PC/SC error codes turned into the contract's
 * distinct bench failures (§18.18).
 */
public final class Pcsc {
  static {
    // §3.2: the vehicle sends every APDU itself. The JDK reads these once, when its channel class
    // loads; the launcher passes them too.
    System.setProperty("sun.security.smartcardio.t0GetResponse", "false");
    System.setProperty("sun.security.smartcardio.t1GetResponse", "false");
  }

  private Pcsc() {}

  /**
   * The PC/SC terminal factory.
   *
   * @throws TransportException SERVICE_DOWN when Java finds no PC/SC library
   */
  public static TerminalFactory factory() {
    try {
      return TerminalFactory.getInstance("PC/SC", null);
    } catch (NoSuchAlgorithmException e) {
      if (code(e).equals("SCARD_E_NO_SERVICE")) {
        throw new TransportException(
            TransportException.Kind.SERVICE_DOWN,
            "pcscd is not running (start it: systemctl start pcscd, or pcscd as root; dkrig doctor"
                + " checks the bench)",
            e);
      }
      Throwable root = e;
      while (root.getCause() != null) {
        root = root.getCause();
      }
      throw new TransportException(
          TransportException.Kind.SERVICE_DOWN,
          "Java cannot use PC/SC ("
              + root.getMessage()
              + "): install libpcsclite1, or point -Dsun.security.smartcardio.library at"
              + " libpcsclite.so.1",
          e);
    }
  }

  /** A reader with its card state and ATR, as {@code dkrig readers} shows it. */
  public record ReaderInfo(String name, boolean cardPresent, String atr) {
    public ReaderSelection.Reader asReader() {
      return new ReaderSelection.Reader(name, cardPresent);
    }
  }

  /** Lists the readers; an empty list when pcscd runs with no reader. */
  public static List<CardTerminal> terminals(TerminalFactory factory) {
    try {
      return factory.terminals().list();
    } catch (CardException e) {
      if (code(e).equals("SCARD_E_NO_READERS_AVAILABLE")) {
        return List.of();
      }
      throw map(e, "listing readers");
    }
  }

  public static List<ReaderInfo> describe(List<CardTerminal> terminals, boolean withAtr) {
    List<ReaderInfo> out = new ArrayList<>();
    for (CardTerminal terminal : terminals) {
      boolean present;
      try {
        present = terminal.isCardPresent();
      } catch (CardException e) {
        present = false;
      }
      String atr = "";
      if (present && withAtr) {
        try {
          Card card = terminal.connect("*");
          atr = Hex.encode(card.getATR().getBytes());
        } catch (CardException | RuntimeException e) {
          atr = "(ATR unavailable: " + code(e) + ")";
        }
      }
      out.add(new ReaderInfo(terminal.getName(), present, atr));
    }
    return out;
  }

  /**
   * The PC/SC error name (e.g. {@code SCARD_W_REMOVED_CARD}) behind an exception, or its message.
   */
  public static String code(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String message = t.getMessage();
      if (message != null) {
        int at = message.indexOf("SCARD_");
        if (at >= 0) {
          int end = at;
          while (end < message.length()
              && (Character.isLetterOrDigit(message.charAt(end)) || message.charAt(end) == '_')) {
            end++;
          }
          return message.substring(at, end);
        }
      }
    }
    return String.valueOf(e.getMessage());
  }

  /** PC/SC failures as the bench failures the contract tells apart (§18.18). */
  public static TransportException map(Exception e, String during) {
    String code = code(e);
    TransportException.Kind kind =
        switch (code) {
          case "SCARD_W_REMOVED_CARD",
              "SCARD_E_NO_SMARTCARD",
              "SCARD_W_UNPOWERED_CARD",
              "SCARD_W_UNRESPONSIVE_CARD",
              "SCARD_W_RESET_CARD",
              // What the first exchange after a card left the field gets, before pcscd's
              // next presence poll reports the removal (measured with vpcd).
              "SCARD_E_NOT_TRANSACTED" ->
              TransportException.Kind.TAG_LOST;
          case "SCARD_E_READER_UNAVAILABLE",
              "SCARD_E_UNKNOWN_READER",
              "SCARD_E_NO_READERS_AVAILABLE" ->
              TransportException.Kind.READER_GONE;
          case "SCARD_E_NO_SERVICE", "SCARD_E_SERVICE_STOPPED", "SCARD_E_INVALID_HANDLE" ->
              TransportException.Kind.SERVICE_DOWN;
          case "SCARD_E_TIMEOUT" -> TransportException.Kind.TIMEOUT;
          default ->
              // The JDK throws these for a disconnected card, and for the empty answer a reader
              // returns when the card vanished mid-exchange (vpcd does).
              e instanceof IllegalStateException || e instanceof IllegalArgumentException
                  ? TransportException.Kind.TAG_LOST
                  : TransportException.Kind.IO;
        };
    String why =
        switch (kind) {
          case TAG_LOST -> "tag lost: the device left the field";
          case READER_GONE -> "the reader disappeared (unplugged?)";
          case SERVICE_DOWN -> "pcscd is not running or restarted (start pcscd; dkrig doctor)";
          case TIMEOUT -> "no response within the reader's timeout";
          default -> "PC/SC error";
        };
    return new TransportException(kind, why + " while " + during + " (" + code + ")", e);
  }
}
