package dev.dkrig.conformance.vehicle;

import dev.dkrig.ccc.DkProfile;
import dev.dkrig.ccc.Ins;
import dev.dkrig.device.FrameworkState;
import dev.dkrig.device.VirtualDevice;
import dev.dkrig.iso7816.ContactlessCard;
import dev.dkrig.phone.PhoneRun;
import dev.dkrig.phone.ReactionWatch;
import dev.dkrig.phone.host.HostedPhone;
import dev.dkrig.phone.host.PhoneHost;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * One scenario's phone on the host ({@link PhoneHost}, the same hosts {@code dkrig phone} uses):
 * the phone run's card, plus what the suite needs around it. It tells the host when the device has
 * left the field by itself (the host takes it off the reader), counts the SPAKE2+ VERIFYs it
 * answers (§5.6), keeps the host's own failure for the scenario's verdict, and sees the vehicle's
 * next attempt begin: a SELECT framework outside transaction 2 once the reaction is judged ends
 * this scenario, and that command is answered by the next scenario's phone ({@link #handOver}), so
 * a vehicle that starts over at once (dkrig pair --repeat) loses nothing.
 */
final class ScenarioPhone implements ContactlessCard, HostedPhone {
  /** How long the next attempt's first command waits for the next scenario's phone. */
  private static final Duration HANDOVER_WAIT = Duration.ofSeconds(2);

  private static final byte[] SELECT_FRAMEWORK_HEADER = {0x00, (byte) Ins.SELECT, 0x04, 0x00};

  private final PhoneRun run;
  private final VirtualDevice device;
  private final ReactionWatch watch;
  private final CompletableFuture<Optional<ContactlessCard>> next = new CompletableFuture<>();
  private final Supplier<java.time.Instant> now;
  private boolean over;
  private boolean contact;
  private int verifies;
  private boolean fieldOn;
  private boolean leftField;
  private String hostFailure;

  ScenarioPhone(
      PhoneRun run, VirtualDevice device, ReactionWatch watch, Supplier<java.time.Instant> now) {
    this.run = run;
    this.device = device;
    this.watch = watch;
    this.now = now;
  }

  @Override
  public void activate() {
    synchronized (this) {
      fieldOn = true;
      if (over) {
        return;
      }
    }
    run.card().activate();
  }

  @Override
  public void deactivate() {
    synchronized (this) {
      fieldOn = false;
      if (over) {
        return;
      }
    }
    run.card().deactivate();
  }

  @Override
  public byte[] process(byte[] command) {
    boolean forward;
    synchronized (this) {
      if (!over && startsNewSession(command)) {
        synchronized (watch) {
          watch.newSession(now.get());
        }
        over = true;
        notifyAll();
      }
      forward = over;
      if (!forward) {
        contact = true;
        if (command != null && command.length > 1 && (command[1] & 0xFF) == Ins.SPAKE2_VERIFY) {
          verifies++;
        }
      }
    }
    if (forward) {
      byte[] answer = forwardToNext(command);
      synchronized (this) {
        // No next phone answered in time: no phone is on the pad, and the host takes this one off
        // (vpcd: out of the slot for a moment), rather than holding a silence vpcd would end.
        leftField = answer == null;
      }
      return answer;
    }
    byte[] response = run.card().process(command);
    synchronized (this) {
      leftField = response == null && device.hasLeftField();
    }
    return response;
  }

  @Override
  public ContactlessCard card() {
    return this;
  }

  /**
   * Whether the phone has just left the field: its device by itself ({@code
   * leave-field-mid-stream}), or no next phone answered the vehicle's next attempt in time.
   */
  @Override
  public synchronized boolean hasLeftField() {
    return leftField;
  }

  /** The host failed while this phone was in the field: the scenario ends ERROR with the cause. */
  @Override
  public void hostFailed(String cause) {
    synchronized (this) {
      if (hostFailure == null) {
        hostFailure = cause;
      }
      notifyAll();
    }
    run.hostFailed(cause);
  }

  /** Why the host's own transport failed, if it did while this phone was in the field. */
  synchronized Optional<String> hostFailure() {
    return Optional.ofNullable(hostFailure);
  }

  /** After the reaction (or while phase-4 polling is watched): a fresh SELECT framework. */
  private boolean startsNewSession(byte[] command) {
    boolean watched;
    synchronized (watch) {
      watched =
          watch.decided()
              || (watch.triggered()
                  && watch.reaction().place()
                      == dev.dkrig.phone.QuirkReactions.Place.POLLING_UNTIL_KTS_WAIT);
    }
    return watched
        && command != null
        && command.length >= 5 + DkProfile.FRAMEWORK_AID.length
        && Arrays.equals(Arrays.copyOfRange(command, 0, 4), SELECT_FRAMEWORK_HEADER)
        && Arrays.equals(
            Arrays.copyOfRange(command, 5, 5 + DkProfile.FRAMEWORK_AID.length),
            DkProfile.FRAMEWORK_AID)
        && device.frameworkState() != FrameworkState.AWAIT_TX2;
  }

  private byte[] forwardToNext(byte[] command) {
    try {
      Optional<ContactlessCard> card = next.get(HANDOVER_WAIT.toMillis(), TimeUnit.MILLISECONDS);
      return card.map(c -> c.process(command)).orElse(null);
    } catch (TimeoutException | ExecutionException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** The scenario is over: what still reaches this phone goes to {@code successor}, if any. */
  void handOver(Optional<ContactlessCard> successor) {
    synchronized (this) {
      over = true;
    }
    next.complete(successor);
  }

  /** Ends the scenario without a successor yet (the vehicle's attempt is over). */
  synchronized void end() {
    over = true;
  }

  /** Whether the vehicle's next attempt began (or the scenario was ended). */
  synchronized boolean over() {
    return over;
  }

  synchronized boolean contact() {
    return contact;
  }

  synchronized boolean fieldOn() {
    return fieldOn;
  }

  /** SPAKE2+ VERIFYs this phone answered: the vehicle's attempt counter rose by as many (§5.6). */
  synchronized int verifies() {
    return verifies;
  }

  /** Waits up to {@code millis} for the next attempt to begin. */
  synchronized void awaitOver(long millis) throws InterruptedException {
    if (!over) {
      wait(millis);
    }
  }
}
