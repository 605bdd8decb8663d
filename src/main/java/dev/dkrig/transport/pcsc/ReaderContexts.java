package dev.dkrig.transport.pcsc;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import javax.smartcardio.CardTerminal;

/**
 * A PC/SC context of its own for each reader (issue 10). The JDK's provider opens one {@code
 * SCARDCONTEXT} per process, and pcsc-lite's client library holds a context's lock for the whole of
 * each {@code SCardTransmit}: two readers driven from one process take turns (measured 2.02x on two
 * vpcd readers). The provider's own terminal class keeps its context per terminal, though, so a
 * terminal made with a fresh context talks to its reader without waiting for the others.
 *
 * <p>This reaches into {@code sun.security.smartcardio} (the JVM needs {@code --add-opens
 * java.smartcardio/sun.security.smartcardio=ALL-UNNAMED}, which the launcher gives). Where that is
 * refused or the JDK differs, {@link #terminal} is empty and the caller keeps the shared context
 * (and dkrig runs each pad in a process of its own). The JDK offers no way to release a context, so
 * each reader's context is made once and kept for the process: pcsc-lite allows 16 per process.
 */
public final class ReaderContexts {
  private static final int SCARD_SCOPE_USER = 0;
  private static final int MAX_CONTEXTS = 15;

  private static final Map<String, CardTerminal> TERMINALS = new HashMap<>();
  private static Boolean available;
  private static String unavailableBecause = "";
  private static Method establish;
  private static Constructor<?> terminalImpl;

  private static volatile boolean enabled;

  private ReaderContexts() {}

  /**
   * Several pads in this process: from now on every PC/SC transport talks to its reader on that
   * reader's own context. Returns false (and changes nothing) when this JVM does not allow it.
   */
  public static boolean enable() {
    enabled = available();
    return enabled;
  }

  /** Whether {@link #enable} took effect. */
  public static boolean enabled() {
    return enabled;
  }

  /** Whether this JVM lets dkrig open a context per reader. */
  public static synchronized boolean available() {
    if (available == null) {
      try {
        Class<?> pcsc = Class.forName("sun.security.smartcardio.PCSC");
        establish = pcsc.getDeclaredMethod("SCardEstablishContext", int.class);
        establish.setAccessible(true);
        Class<?> terminal = Class.forName("sun.security.smartcardio.TerminalImpl");
        terminalImpl = terminal.getDeclaredConstructor(long.class, String.class);
        terminalImpl.setAccessible(true);
        available = true;
      } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
        available = false;
        unavailableBecause = e.toString();
      }
    }
    return available;
  }

  /** Why {@link #available} is false (for a bench note). */
  public static synchronized String unavailableBecause() {
    return unavailableBecause;
  }

  /**
   * The named reader on a context of its own, made on first use and kept; empty when this JVM does
   * not allow it (see the class comment) or the process holds too many contexts already.
   */
  public static synchronized Optional<CardTerminal> terminal(String readerName) {
    CardTerminal known = TERMINALS.get(readerName);
    if (known != null) {
      return Optional.of(known);
    }
    if (!available() || TERMINALS.size() >= MAX_CONTEXTS) {
      return Optional.empty();
    }
    try {
      long context = (long) establish.invoke(null, SCARD_SCOPE_USER);
      CardTerminal terminal = (CardTerminal) terminalImpl.newInstance(context, readerName);
      TERMINALS.put(readerName, terminal);
      return Optional.of(terminal);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
