package dev.dkrig.phone.host;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dkrig.iso7816.ContactlessCard;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The card a host serves: the field passes from one phone to the next. */
class RunSwitchTest {

  /** A phone that logs what reaches it and answers {@code 9000}, or as told. */
  private static final class Phone implements HostedPhone, ContactlessCard {
    final List<String> log = new ArrayList<>();
    final List<String> failures = new ArrayList<>();
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(0);
    boolean leaves;

    @Override
    public ContactlessCard card() {
      return this;
    }

    @Override
    public boolean hasLeftField() {
      return leaves;
    }

    @Override
    public void hostFailed(String cause) {
      failures.add(cause);
    }

    @Override
    public synchronized void activate() {
      log.add("on");
    }

    @Override
    public byte[] process(byte[] command) {
      entered.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      synchronized (this) {
        log.add("apdu");
      }
      return leaves ? null : new byte[] {(byte) 0x90, 0x00};
    }

    @Override
    public synchronized void deactivate() {
      log.add("off");
    }
  }

  @Test
  @DisplayName("silent before the first phone; the next phone is activated when the field is on")
  void handsTheFieldOver() {
    RunSwitch cards = new RunSwitch();
    cards.activate();
    assertNull(cards.process(new byte[] {0, (byte) 0xA4, 4, 0}));
    Phone first = new Phone();
    cards.switchTo(first);
    assertArrayEquals(new byte[] {(byte) 0x90, 0x00}, cards.process(new byte[] {1}));
    Phone second = new Phone();
    cards.switchTo(second);
    cards.process(new byte[] {2});
    cards.deactivate();
    assertEquals(List.of("on", "apdu"), first.log);
    assertEquals(List.of("on", "apdu", "off"), second.log);
    cards.failed("board gone");
    assertEquals(List.of("board gone"), second.failures);
    assertEquals(List.of(), first.failures);
  }

  @Test
  @DisplayName("a phone that leaves the field has the host take it off, once per leaving")
  void leaving() {
    AtomicInteger taken = new AtomicInteger();
    RunSwitch cards = new RunSwitch(taken::incrementAndGet);
    Phone phone = new Phone();
    cards.switchTo(phone);
    cards.process(new byte[] {1});
    assertEquals(0, taken.get());
    phone.leaves = true;
    assertNull(cards.process(new byte[] {1}));
    assertEquals(1, taken.get());
  }

  @Test
  @DisplayName(
      "a command still being answered (a slow phone) does not hold up the switch to the next"
          + " phone")
  void answersOutsideTheLock() throws Exception {
    RunSwitch cards = new RunSwitch();
    cards.activate();
    Phone slow = new Phone();
    slow.release = new CountDownLatch(1);
    cards.switchTo(slow);
    CompletableFuture<byte[]> answer =
        CompletableFuture.supplyAsync(() -> cards.process(new byte[] {1}));
    assertTrue(slow.entered.await(10, TimeUnit.SECONDS));
    Phone next = new Phone();
    CompletableFuture<Void> switched = CompletableFuture.runAsync(() -> cards.switchTo(next));
    try {
      switched.get(10, TimeUnit.SECONDS);
      assertEquals(
          List.of("on"), next.log, "the next phone took the field while the slow answered");
    } finally {
      slow.release.countDown();
    }
    assertArrayEquals(new byte[] {(byte) 0x90, 0x00}, answer.get(10, TimeUnit.SECONDS));
  }
}
