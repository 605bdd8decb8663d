package dev.dkrig.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dkrig.iso7816.CommandApdu;
import dev.dkrig.iso7816.ResponseApdu;
import dev.dkrig.testing.Poll;
import dev.dkrig.transport.NfcTransport;
import dev.dkrig.transport.WarmingTransport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Issue 20: the warm-up while the car waits, and what it must never do. */
class WarmUpTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @Test
  @DisplayName("every slice runs on its throwaway inputs without failing")
  void everySliceRuns() {
    WarmUp.runEachOnce();
  }

  @Test
  @DisplayName("DKRIG_WARMUP=off turns it off; anything else leaves it on")
  void switchedByEnvironment() {
    assertFalse(WarmUp.enabled(Map.of("DKRIG_WARMUP", "off")));
    assertFalse(WarmUp.enabled(Map.of("DKRIG_WARMUP", "OFF ")));
    assertTrue(WarmUp.enabled(Map.of()));
    assertTrue(WarmUp.enabled(Map.of("DKRIG_WARMUP", "on")));
  }

  @Test
  @DisplayName("a single pairing's warm-up runs from launch, and its bench takes that one")
  void startsAtLaunch() {
    WarmUp.startAtLaunch(Map.of("DKRIG_WARMUP", "off"));
    assertTrue(WarmUp.create().finished(), "off: nothing started at launch");
    WarmUp.startAtLaunch(Map.of());
    WarmUp claimed = WarmUp.create();
    try {
      Poll.until(WAIT, () -> claimed.slices() > 0, "running before any reader polled");
      assertNotSame(claimed, WarmUp.create(), "a second bench gets a warm-up of its own");
    } finally {
      claimed.stop();
      Poll.until(WAIT, claimed::finished, "stopped by its reader");
    }
  }

  /** A reader whose device arrives at the given poll; it notes each call. */
  private static final class PollingReader implements NfcTransport {
    final int arrivesAtPoll;
    final List<String> calls = new ArrayList<>();
    int polls;

    PollingReader(int arrivesAtPoll) {
      this.arrivesAtPoll = arrivesAtPoll;
    }

    @Override
    public String description() {
      return "test reader";
    }

    @Override
    public void startPolling() {}

    @Override
    public boolean awaitTarget(Duration wait) throws InterruptedException {
      polls++;
      Thread.sleep(20);
      return polls >= arrivesAtPoll;
    }

    @Override
    public ResponseApdu transmit(CommandApdu command) {
      calls.add("transmit");
      return ResponseApdu.of(0x9000);
    }

    @Override
    public void reset() {}

    @Override
    public void stopPolling() {}

    @Override
    public void close() {}
  }

  @Test
  @DisplayName(
      "it starts once a poll finds nothing, and has stopped at its next slice when a device is"
          + " there")
  void stopsWhenADeviceArrives() throws Exception {
    WarmUp warmUp = new WarmUp(Duration.ofSeconds(30));
    PollingReader reader = new PollingReader(3);
    NfcTransport transport = WarmingTransport.wrap(reader, warmUp);
    assertFalse(transport.awaitTarget(Duration.ofMillis(20)));
    assertEquals(0, warmUp.slices(), "no warm-up before a poll found nothing");
    assertTrue(warmUp.finished());
    assertFalse(transport.awaitTarget(Duration.ofMillis(20)));
    Poll.until(WAIT, () -> warmUp.slices() > 0, "the warm-up runs while the reader waits");
    assertTrue(transport.awaitTarget(Duration.ofMillis(20)));
    Poll.until(WAIT, warmUp::finished, "the warm-up thread ends after the device arrived");
    long after = warmUp.slices();
    Thread.sleep(50);
    assertEquals(after, warmUp.slices(), "no slice after the stop");
    transport.awaitTarget(Duration.ofMillis(20));
    Thread.sleep(50);
    assertEquals(after, warmUp.slices(), "a later poll does not start it again");
  }

  @Test
  @DisplayName("a device at the first poll: no warm-up at all")
  void deviceAtOnce() throws Exception {
    WarmUp warmUp = new WarmUp(Duration.ofSeconds(30));
    NfcTransport transport = WarmingTransport.wrap(new PollingReader(1), warmUp);
    assertTrue(transport.awaitTarget(Duration.ofMillis(20)));
    Thread.sleep(50);
    assertEquals(0, warmUp.slices());
  }

  @Test
  @DisplayName("it goes on pairing until the device is there, not for a fixed number of pairings")
  void warmsUntilStopped() {
    WarmUp warmUp = new WarmUp(Duration.ofSeconds(120));
    warmUp.start();
    try {
      // The first version stopped after 16 pairings and let the core idle until the tap.
      Poll.until(
          Duration.ofSeconds(100), () -> warmUp.pairings() > 20, "the warm-up keeps pairing");
      assertFalse(warmUp.finished());
    } finally {
      warmUp.stop();
    }
    Poll.until(WAIT, warmUp::finished, "the warm-up thread ends once stopped");
  }

  @Test
  @DisplayName("the warm-up spends at most its budget, then its thread ends")
  void budget() {
    WarmUp warmUp = new WarmUp(Duration.ofMillis(300));
    warmUp.start();
    Poll.until(WAIT, warmUp::finished, "the warm-up ends within its budget");
    assertTrue(warmUp.slices() > 0);
  }
}
