package dev.dkrig.phone;

import dev.dkrig.device.VirtualDevice;
import dev.dkrig.iso7816.ContactlessCard;
import dev.dkrig.pairing.PairingOutcome;
import dev.dkrig.pairing.Step;
import dev.dkrig.pairing.StepResult;
import dev.dkrig.pairing.Verdict;
import dev.dkrig.time.RigClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pairing in the phone role (docs/phone-role.md): a host carries {@link #card()} (vpcd server,
 * PN532 target, an in-process reader in tests); every activation, command and deactivation is
 * logged as a {@link PhoneEvent} with the clock's time, answered by the virtual device and judged
 * as it comes. The run ends by itself (after P4.2.3; after P3.4 without phase 4; after a FAIL or
 * ERROR once the field has gone; with a device quirk after the vehicle's reaction), when a wait
 * runs out, when the host fails ({@link #hostFailed}) or when it is stopped ({@link #stop}).
 *
 * <p>Thread-safe: the host calls the card from its thread, {@link #await()} blocks another. The
 * {@link Listener} is called in event order, from the thread that caused the event, never while the
 * run's lock is held.
 */
public final class PhoneRun {
  private static final Logger LOG = LoggerFactory.getLogger(PhoneRun.class);

  /** How often {@link #await()} looks at the clock: deadlines are on the run's (injected) clock. */
  private static final long AWAIT_SLICE_MILLIS = 20;

  /** What a phone run tells its evidence as it goes. All methods default to doing nothing. */
  public interface Listener {
    default void fieldOn(Instant at) {}

    default void fieldOff(Instant at) {}

    /**
     * One APDU and the phone's answer.
     *
     * @param response data ‖ SW, or {@code null} when the phone stayed silent
     * @param step the catalogue step the command belongs to
     */
    default void apdu(Instant at, byte[] command, byte[] response, Duration answering, Step step) {}

    /** A step's result is known (all 42 are delivered by the end of the run). */
    default void stepEnded(StepResult result) {}
  }

  private final Object lock = new Object();
  private final Object delivery = new Object();
  private final ArrayDeque<Runnable> pending = new ArrayDeque<>();
  private final PhoneSettings settings;
  private final VirtualDevice device;
  private final RigClock clock;
  private final Listener listener;
  private final Instant start;
  private final List<PhoneEvent> events = new ArrayList<>();
  private final PhoneJudge judge;
  private final ContactlessCard card = new Card();
  private PhoneOutcome outcome;

  public PhoneRun(PhoneSettings settings, VirtualDevice device, RigClock clock, Listener listener) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.device = Objects.requireNonNull(device, "device");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.listener = listener == null ? new Listener() {} : listener;
    this.start = clock.now();
    this.judge = new PhoneJudge(settings, device, start);
  }

  /** The phone as a card in the vehicle's field: give it to a host. */
  public ContactlessCard card() {
    return card;
  }

  public PhoneSettings settings() {
    return settings;
  }

  /**
   * The phone's own transport failed (a board that stops answering, a socket that closed): ERROR in
   * the step in progress (P1.6.1 before the first contact), and the run ends.
   */
  public void hostFailed(String cause) {
    synchronized (lock) {
      Instant now = clock.now();
      events.add(new PhoneEvent.HostFailure(now, cause));
      if (outcome == null) {
        judge.hostFailed(now, cause);
        afterInput(now);
      }
    }
    deliver();
  }

  /**
   * Blocks until the run ends by itself (docs/phone-role.md, "Waits" and "The run ends by itself").
   * The waits are measured on the run's clock: a virtual clock moves them as it moves.
   */
  public PhoneOutcome await() throws InterruptedException {
    PhoneOutcome done;
    synchronized (lock) {
      while (outcome == null) {
        Instant now = clock.now();
        Optional<Instant> deadline = judge.deadline();
        if (deadline.isPresent() && !now.isBefore(deadline.get())) {
          judge.deadlinePassed(now);
          afterInput(now);
          continue;
        }
        lock.wait(AWAIT_SLICE_MILLIS);
      }
      done = outcome;
    }
    deliver();
    return done;
  }

  /**
   * Ends the run now (Ctrl-C, shutdown): what was seen is judged, the step in progress is ERROR
   * with {@code why}, the rest SKIPPED. Returns the outcome (the one already reached, if the run
   * had ended).
   */
  public PhoneOutcome stop(String why) {
    PhoneOutcome done;
    synchronized (lock) {
      if (outcome == null) {
        Instant now = clock.now();
        judge.stop(now, why);
        afterInput(now);
      }
      done = outcome;
    }
    deliver();
    return done;
  }

  /**
   * Whether the phone has left the field by itself (the device quirk {@code
   * leave-field-mid-stream}): its host takes it off the reader and brings it back after a while, as
   * a hand would ({@link VirtualDevice#hasLeftField()}).
   */
  public boolean hasLeftField() {
    return device.hasLeftField();
  }

  /** The outcome, once the run has ended. */
  public Optional<PhoneOutcome> outcome() {
    synchronized (lock) {
      return Optional.ofNullable(outcome);
    }
  }

  // ---- the card the host carries ----

  private final class Card implements ContactlessCard {
    @Override
    public void activate() {
      synchronized (lock) {
        device.activate();
        Instant now = clock.now();
        events.add(new PhoneEvent.FieldOn(now));
        pending.add(() -> listener.fieldOn(now));
        if (outcome == null) {
          judge.fieldOn(now);
          afterInput(now);
        }
      }
      deliver();
    }

    @Override
    public byte[] process(byte[] command) {
      byte[] response;
      synchronized (lock) {
        Instant before = clock.now();
        int failuresBefore = device.unexpectedFailures();
        response = device.process(command);
        Instant after = clock.now();
        Duration answering = Duration.between(before, after);
        PhoneEvent.Apdu apdu = new PhoneEvent.Apdu(after, command, response, answering);
        events.add(apdu);
        Step step =
            outcome == null
                ? judge.apdu(apdu, device.unexpectedFailures() != failuresBefore)
                : judge.stepInProgress();
        byte[] commandCopy = apdu.command();
        byte[] responseCopy = apdu.response();
        pending.add(() -> listener.apdu(after, commandCopy, responseCopy, answering, step));
        if (outcome == null) {
          afterInput(after);
        }
      }
      deliver();
      return response;
    }

    @Override
    public void deactivate() {
      synchronized (lock) {
        device.deactivate();
        Instant now = clock.now();
        events.add(new PhoneEvent.FieldOff(now));
        pending.add(() -> listener.fieldOff(now));
        if (outcome == null) {
          judge.fieldOff(now);
          afterInput(now);
        }
      }
      deliver();
    }
  }

  // ---- under the lock ----

  private void afterInput(Instant now) {
    for (StepResult result : judge.book().drainDecided()) {
      pending.add(() -> listener.stepEnded(result));
    }
    if (judge.ended()) {
      finish(now);
    }
  }

  private void finish(Instant now) {
    List<StepResult> results = judge.finish(now);
    for (StepResult result : judge.book().drainDecided()) {
      pending.add(() -> listener.stepEnded(result));
    }
    PairingOutcome pairing =
        new PairingOutcome(
            results,
            Verdict.of(results),
            List.of(),
            start,
            now,
            Optional.empty(),
            judge.internalError(),
            List.of());
    outcome = new PhoneOutcome(pairing, events, judge.notCompletedByDesign());
    lock.notifyAll();
  }

  /** Calls the listener outside the run's lock, in the order the events happened. */
  private void deliver() {
    synchronized (delivery) {
      while (true) {
        Runnable next;
        synchronized (lock) {
          next = pending.poll();
        }
        if (next == null) {
          return;
        }
        try {
          next.run();
        } catch (RuntimeException e) {
          LOG.error("phone run listener failed; the run goes on", e);
        }
      }
    }
  }
}
