package dev.dkrig.emulate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dkrig.testing.Pcscd;
import dev.dkrig.testing.Poll;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The card server across real pcscd lifetimes: started before pcscd, and through a pcscd restart.
 * This JVM never opens a PC/SC context (a restart would kill it for good), so it may restart pcscd
 * freely; vpcd's ATR polls and power-on prove that pcscd found the card.
 */
class VpcdCardServerIT {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final AtomicInteger unreachable = new AtomicInteger();
  private final AtomicInteger atrPolls = new AtomicInteger();
  private final AtomicInteger powerOns = new AtomicInteger();

  @Test
  @DisplayName(
      "Started before pcscd: retries, connects when pcscd comes up, and again after a restart")
  void followsPcscd() throws Exception {
    Pcscd pcscd = Pcscd.standalone();
    RecordingCard card = RecordingCard.answering("9000");
    try (VpcdCardServer server =
        VpcdCardServer.builder(card)
            .port(Pcscd.PORT_0)
            .maxBackoff(Duration.ofMillis(100))
            .listener(new Counting())
            .build()
            .start()) {
      Poll.until(WAIT, () -> unreachable.get() >= 2, "connection attempts while pcscd is down");
      assertEquals(0, server.insertions());

      pcscd.start();
      Poll.until(WAIT, () -> powerOns.get() >= 1, "pcscd powers the card up");
      assertEquals(1, server.insertions());
      int polls = atrPolls.get();
      Poll.until(WAIT, () -> atrPolls.get() > polls + 2, "pcscd keeps polling the card");

      pcscd.stop();
      Poll.until(WAIT, () -> !server.isInserted(), "the card notices pcscd is gone");
      int attempts = unreachable.get();
      Poll.until(WAIT, () -> unreachable.get() > attempts, "retries while pcscd is down");

      int powered = powerOns.get();
      pcscd.start();
      Poll.until(WAIT, () -> powerOns.get() > powered, "the restarted pcscd powers the card up");
      assertEquals(2, server.insertions());
    } finally {
      pcscd.stop();
    }
  }

  private final class Counting implements VpcdCardServer.Listener {
    @Override
    public void unreachable(VpcdEndpoint endpoint, IOException cause, int attempt) {
      unreachable.incrementAndGet();
    }

    @Override
    public void control(int code) {
      if (code == VpcdCardServer.GET_ATR) {
        atrPolls.incrementAndGet();
      } else if (code == VpcdCardServer.POWER_ON) {
        powerOns.incrementAndGet();
      }
    }
  }
}
