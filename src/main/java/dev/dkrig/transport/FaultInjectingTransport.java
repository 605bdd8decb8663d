package dev.dkrig.transport;

import dev.dkrig.iso7816.CommandApdu;
import dev.dkrig.iso7816.ResponseApdu;
import dev.dkrig.time.Durations;
import dev.dkrig.time.RigClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * A transport decorator that injects bench faults at chosen exchanges (issue 9, {@code
 * --inject-fault KIND@N}; STYLE lesson 2: cross-cutting behaviour is a decorator). Exchange N is
 * the N-th call of {@link #transmit} in the run, counted from 1: every C-APDU the vehicle sends,
 * GET RESPONSE, aborts and phase-4 transactions included. Reader pseudo-APDUs never pass through
 * {@link NfcTransport#transmit}, so they are not counted.
 *
 * <p>What each {@link Fault.Kind} does to exchange N, deterministically:
 *
 * <ul>
 *   <li>{@code tag-lost}: command N never reaches the device. The device leaves the field (the
 *       wrapped transport is reset, so the device sees a deactivation, as after a real loss), and
 *       the exchange ends with {@link TransportException.Kind#TAG_LOST}; further exchanges fail the
 *       same way until {@link #awaitTarget} finds the device again (§18.18: ERROR, or a retry where
 *       the contract retries).
 *   <li>{@code timeout}: command N never reaches the device, which stays in the field and silent:
 *       the exchange takes T_Apdu on the injected clock and ends with {@link
 *       TransportException.Kind#TIMEOUT} (§13, §18.18: FAIL, abort {@code 04}).
 *   <li>{@code truncate}: response N loses the last byte of its data field, its status word kept; a
 *       response without data is cut to SW1 alone, which the reader reports as a response without a
 *       status word ({@link TransportException.Kind#BAD_RESPONSE}). One byte is the hardest
 *       truncation to notice: it probes every length check (TLV lengths, R-MAC length, ciphertext
 *       blocks).
 *   <li>{@code flip-byte}: the last data byte of response N is inverted (XOR {@code FF}); in a
 *       response without data SW2 is inverted ({@code 9000} becomes {@code 90FF}). The last byte is
 *       content: an R-MAC byte, a point coordinate, M2, D4.
 *   <li>{@code wrong-sw}: response N becomes a bare {@code 6F00} (no precise diagnosis, a status
 *       word the contract never uses), data dropped as §3.5 shapes error answers: every step's
 *       handling of an unexpected status word.
 *   <li>{@code duplicate}: response N is delivered twice: as the answer to exchange N and again as
 *       the answer to exchange N+1. Command N+1 still reaches the device, whose real answer is lost
 *       (a reader or driver handing back a stale receive buffer). This probes what matters in a
 *       secure protocol, that the vehicle binds each answer to its command (the R-MAC chains on the
 *       MCV; every plain answer has its own shape); doubling a response in place would only repeat
 *       {@code truncate}'s length checks. When exchange N+1 does not complete, or never comes, the
 *       duplicate is dropped.
 *   <li>{@code delay:DURATION}: command N reaches the device, and its answer arrives DURATION later
 *       on the injected clock. A delay that reaches T_Apdu (together with the time the wrapped
 *       exchange took) becomes a timeout at T_Apdu: the device processed the command but the reader
 *       gave up, so the vehicle FAILs with abort {@code 04} while the device has moved on.
 * </ul>
 *
 * <p>Several faults may target one exchange: {@code tag-lost} and {@code timeout} end it (they
 * exclude each other), delays add up, and the response faults apply in the order given. A {@code
 * duplicate} replaces the answer of exchange N+1 before that exchange's own faults apply. Every
 * injection is announced through the notes sink, so traces say what was injected where. Failures of
 * the wrapped transport pass through unchanged.
 */
public final class FaultInjectingTransport implements DecoratingTransport {
  /** The status word {@code wrong-sw} answers with: ISO 7816-4 "no precise diagnosis". */
  public static final int WRONG_SW = 0x6F00;

  private final NfcTransport inner;
  private final List<Fault> faults;
  private final RigClock clock;
  private final Duration apduTimeout;
  private final Consumer<String> notes;
  private final List<String> injected = new ArrayList<>();
  private int exchanges;
  private boolean lost;
  private ResponseApdu duplicateForNext;

  private FaultInjectingTransport(
      NfcTransport inner,
      List<Fault> faults,
      RigClock clock,
      Duration apduTimeout,
      Consumer<String> notes) {
    this.inner = Objects.requireNonNull(inner, "inner");
    this.faults = List.copyOf(faults);
    this.clock = Objects.requireNonNull(clock, "clock");
    this.apduTimeout = Objects.requireNonNull(apduTimeout, "apduTimeout");
    this.notes = Objects.requireNonNull(notes, "notes");
  }

  /**
   * Wraps a transport.
   *
   * @param inner the real transport (PC/SC, PN532, virtual)
   * @param faults what to inject, from {@link Fault#parseAll}; may be empty (the decorator then
   *     only counts exchanges)
   * @param clock the run's clock: {@code timeout} and {@code delay} wait on it
   * @param apduTimeout the run's T_Apdu (§13)
   * @param notes where to announce each injection (the run's trace), e.g. {@code text ->
   *     listener.note(clock.now(), text)}
   */
  public static FaultInjectingTransport wrap(
      NfcTransport inner,
      List<Fault> faults,
      RigClock clock,
      Duration apduTimeout,
      Consumer<String> notes) {
    Fault.checkCombination(faults);
    return new FaultInjectingTransport(inner, faults, clock, apduTimeout, notes);
  }

  /** The wrapped transport (e.g. to show the verdict on an ACR122U's LEDs). */
  @Override
  public NfcTransport inner() {
    return inner;
  }

  public List<Fault> faults() {
    return faults;
  }

  /** How many exchanges the vehicle has started so far. */
  public int exchanges() {
    return exchanges;
  }

  /** One line per injection made so far, in order, as the notes sink received them. */
  public List<String> injected() {
    return List.copyOf(injected);
  }

  @Override
  public String description() {
    if (faults.isEmpty()) {
      return inner.description();
    }
    return inner.description()
        + " [injected faults: "
        + faults.stream().map(Fault::spec).collect(Collectors.joining(", "))
        + "]";
  }

  @Override
  public boolean awaitTarget(Duration wait) throws InterruptedException {
    boolean found = inner.awaitTarget(wait);
    if (found) {
      lost = false;
    }
    return found;
  }

  @Override
  public ResponseApdu transmit(CommandApdu command) {
    int n = ++exchanges;
    ResponseApdu duplicate = duplicateForNext;
    duplicateForNext = null;
    List<Fault> here = faults.stream().filter(f -> f.exchange() == n).toList();
    if (lost) {
      throw new TransportException(
          TransportException.Kind.TAG_LOST, "no device in the field since the injected tag-lost");
    }
    if (has(here, Fault.Kind.TAG_LOST)) {
      announce(n, Fault.Kind.TAG_LOST, "command not delivered, the device leaves the field");
      lost = true;
      inner.reset();
      throw new TransportException(TransportException.Kind.TAG_LOST, "injected: tag-lost@" + n);
    }
    if (has(here, Fault.Kind.TIMEOUT)) {
      announce(n, Fault.Kind.TIMEOUT, "command not delivered, the device stays silent");
      waitOn(apduTimeout);
      throw timeout(n, "timeout@" + n);
    }
    Instant sent = clock.now();
    ResponseApdu response = inner.transmit(command);
    if (duplicate != null) {
      announce(n, Fault.Kind.DUPLICATE, "answer replaced by the answer to exchange " + (n - 1));
      response = duplicate;
    }
    Duration delay =
        here.stream()
            .filter(f -> f.kind() == Fault.Kind.DELAY)
            .map(Fault::delay)
            .reduce(Duration.ZERO, Duration::plus);
    if (!delay.isZero()) {
      Duration took = Duration.between(sent, clock.now());
      if (took.plus(delay).compareTo(apduTimeout) >= 0) {
        announce(
            n,
            Fault.Kind.DELAY,
            "answer delayed by " + Durations.compact(delay) + ", past T_Apdu: the reader gives up");
        Duration left = apduTimeout.minus(took);
        if (!left.isNegative()) {
          waitOn(left);
        }
        throw timeout(n, "delay:" + Durations.compact(delay) + "@" + n);
      }
      announce(n, Fault.Kind.DELAY, "answer delayed by " + Durations.compact(delay));
      waitOn(delay);
    }
    for (Fault fault : here) {
      response =
          switch (fault.kind()) {
            case TRUNCATE -> truncate(n, response);
            case FLIP_BYTE -> flipByte(n, response);
            case WRONG_SW -> wrongSw(n, response);
            case DUPLICATE -> response;
            case TAG_LOST, TIMEOUT, DELAY -> response;
          };
    }
    if (has(here, Fault.Kind.DUPLICATE)) {
      announce(n, Fault.Kind.DUPLICATE, "this answer is delivered again for exchange " + (n + 1));
      duplicateForNext = response;
    }
    return response;
  }

  private ResponseApdu truncate(int n, ResponseApdu response) {
    byte[] data = response.data();
    if (data.length == 0) {
      announce(n, Fault.Kind.TRUNCATE, "answer cut to SW1 alone");
      throw new TransportException(
          TransportException.Kind.BAD_RESPONSE,
          "response of 1 byte(s) without a status word (injected: truncate@" + n + ")");
    }
    announce(n, Fault.Kind.TRUNCATE, "last data byte dropped");
    return ResponseApdu.of(Arrays.copyOf(data, data.length - 1), response.sw());
  }

  private ResponseApdu flipByte(int n, ResponseApdu response) {
    byte[] data = response.data();
    if (data.length == 0) {
      announce(n, Fault.Kind.FLIP_BYTE, "SW2 inverted");
      return ResponseApdu.of(response.sw() ^ 0x00FF);
    }
    data[data.length - 1] ^= (byte) 0xFF;
    announce(n, Fault.Kind.FLIP_BYTE, "last data byte inverted");
    return ResponseApdu.of(data, response.sw());
  }

  private ResponseApdu wrongSw(int n, ResponseApdu response) {
    announce(n, Fault.Kind.WRONG_SW, "answer replaced by a bare 6F00");
    return ResponseApdu.of(WRONG_SW);
  }

  private TransportException timeout(int n, String spec) {
    return new TransportException(
        TransportException.Kind.TIMEOUT,
        "no response within T_Apdu (" + apduTimeout.toMillis() + " ms) (injected: " + spec + ")");
  }

  /** Waits on the run's clock; an interrupt (Ctrl-C) ends the wait as an I/O failure. */
  private void waitOn(Duration duration) {
    try {
      clock.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TransportException(
          TransportException.Kind.IO, "interrupted during an injected fault's wait", e);
    }
  }

  private void announce(int n, Fault.Kind kind, String what) {
    String line = "injected fault at exchange " + n + ": " + kind.label() + ": " + what;
    injected.add(line);
    notes.accept(line);
  }

  private static boolean has(List<Fault> faults, Fault.Kind kind) {
    return faults.stream().anyMatch(f -> f.kind() == kind);
  }

  @Override
  public void reset() {
    lost = false;
    inner.reset();
  }

  /**
   * One fault to inject: {@code KIND@N} with N the exchange (from 1) and KIND one of {@code
   * tag-lost}, {@code timeout}, {@code truncate}, {@code flip-byte}, {@code wrong-sw}, {@code
   * duplicate}, {@code delay:DURATION} (DURATION as {@link Durations#parse} reads it: {@code
   * 200ms}, {@code 5s}). See {@link FaultInjectingTransport} for what each kind does.
   *
   * @param delay the delay of a {@code delay} fault, zero for the other kinds
   */
  public record Fault(Kind kind, int exchange, Duration delay) {
    private static final String USAGE =
        "expected KIND@N with N the exchange from 1 and KIND one of " + Kind.names();

    /** The kinds of fault, by their command-line names. */
    public enum Kind {
      TAG_LOST("tag-lost"),
      TIMEOUT("timeout"),
      TRUNCATE("truncate"),
      FLIP_BYTE("flip-byte"),
      WRONG_SW("wrong-sw"),
      DUPLICATE("duplicate"),
      DELAY("delay");

      private final String label;

      Kind(String label) {
        this.label = label;
      }

      public String label() {
        return label;
      }

      static String names() {
        return Arrays.stream(values())
            .map(k -> k == DELAY ? "delay:DURATION" : k.label)
            .collect(Collectors.joining(", "));
      }
    }

    public Fault {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(delay, "delay");
      if (exchange < 1) {
        throw new IllegalArgumentException("exchange numbers start at 1: " + exchange);
      }
      if ((kind == Kind.DELAY) == (delay.isZero() || delay.isNegative())) {
        throw new IllegalArgumentException(
            kind == Kind.DELAY ? "a delay must be positive" : kind.label + " takes no duration");
      }
    }

    public static Fault of(Kind kind, int exchange) {
      return new Fault(kind, exchange, Duration.ZERO);
    }

    public static Fault delay(Duration delay, int exchange) {
      return new Fault(Kind.DELAY, exchange, delay);
    }

    /**
     * Parses {@code KIND@N}.
     *
     * @throws IllegalArgumentException with a one-line message naming the spec and what was
     *     expected (the CLI's usage error, exit 2)
     */
    public static Fault parse(String spec) {
      String text = spec == null ? "" : spec.trim();
      int at = text.lastIndexOf('@');
      if (at <= 0 || at == text.length() - 1) {
        throw bad(spec, USAGE);
      }
      String kindText = text.substring(0, at).trim().toLowerCase(Locale.ROOT);
      String numberText = text.substring(at + 1).trim();
      int exchange;
      try {
        exchange = Integer.parseInt(numberText);
      } catch (NumberFormatException e) {
        throw bad(
            spec,
            numberText.matches("[0-9]+")
                ? "exchange " + numberText + " is too large (at most " + Integer.MAX_VALUE + ")"
                : "exchange \"" + numberText + "\" is not a whole number (" + USAGE + ")");
      }
      if (exchange < 1) {
        throw bad(spec, "exchange " + exchange + " is out of range: exchanges count from 1");
      }
      String argument = null;
      int colon = kindText.indexOf(':');
      if (colon >= 0) {
        argument = kindText.substring(colon + 1).trim();
        kindText = kindText.substring(0, colon).trim();
      }
      Kind kind = null;
      for (Kind k : Kind.values()) {
        if (k.label.equals(kindText)) {
          kind = k;
        }
      }
      if (kind == null) {
        throw bad(spec, "unknown kind \"" + kindText + "\" (kinds: " + Kind.names() + ")");
      }
      if (kind != Kind.DELAY) {
        if (argument != null) {
          throw bad(spec, kind.label + " takes no argument");
        }
        return of(kind, exchange);
      }
      if (argument == null || argument.isEmpty()) {
        throw bad(spec, "delay needs a duration, e.g. delay:200ms@" + exchange);
      }
      Duration delay;
      try {
        delay = Durations.parse(argument);
      } catch (IllegalArgumentException e) {
        throw bad(spec, e.getMessage());
      }
      if (delay.toMillis() < 1) {
        throw bad(spec, "a delay must be at least 1ms");
      }
      // Whole milliseconds, so that spec() reads back as the same fault.
      return delay(Duration.ofMillis(delay.toMillis()), exchange);
    }

    /**
     * Parses every spec of a repeated option and checks that they can be combined.
     *
     * @throws IllegalArgumentException one line, for the first bad spec or conflict
     */
    public static List<Fault> parseAll(Collection<String> specs) {
      List<Fault> out = new ArrayList<>();
      for (String spec : specs) {
        out.add(parse(spec));
      }
      checkCombination(out);
      return List.copyOf(out);
    }

    /** The same fault twice, or a tag loss and a timeout of one exchange, cannot be combined. */
    static void checkCombination(List<Fault> faults) {
      Set<Fault> seen = new HashSet<>();
      for (Fault fault : faults) {
        if (!seen.add(fault)) {
          throw bad(fault.spec(), "given twice");
        }
        if (fault.kind() == Kind.TAG_LOST && seen.contains(of(Kind.TIMEOUT, fault.exchange()))
            || fault.kind() == Kind.TIMEOUT && seen.contains(of(Kind.TAG_LOST, fault.exchange()))) {
          throw bad(
              fault.spec(),
              "tag-lost and timeout both end exchange " + fault.exchange() + "; choose one");
        }
      }
    }

    /** The canonical text, which {@link #parse} reads back. */
    public String spec() {
      return (kind == Kind.DELAY ? "delay:" + Durations.compact(delay) : kind.label)
          + "@"
          + exchange;
    }

    @Override
    public String toString() {
      return spec();
    }

    private static IllegalArgumentException bad(String spec, String why) {
      return new IllegalArgumentException("fault \"" + spec + "\": " + why);
    }
  }
}
