package dev.dkrig.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.dkrig.iso7816.CommandApdu;
import dev.dkrig.iso7816.ContactlessCard;
import dev.dkrig.pairing.Result;
import dev.dkrig.pairing.protocol.Failures;
import dev.dkrig.time.RigClock;
import dev.dkrig.time.VirtualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * §13 T_Apdu on the in-process virtual device: a late answer is the device's FAIL (TIMEOUT) unless
 * its own processor time and its deliberate delay fit T_Apdu, in which case the host made it late
 * (HOST_OVERLOADED, ERROR). The clock and the processor time are injected: no timing.
 */
class VirtualNfcTransportTest {
  private static final Duration T_APDU = Duration.ofSeconds(5);
  private static final CommandApdu REQUEST = CommandApdu.of(0x80, 0x30, 0x00, 0x00);

  /** A clock the test moves, that says it runs by itself as the system clock does. */
  private static final class HostClock implements RigClock {
    final VirtualClock time = new VirtualClock(Instant.parse("2026-12-07T12:00:00Z"));

    @Override
    public Instant now() {
      return time.now();
    }

    @Override
    public void sleep(Duration duration) {
      time.advance(duration);
    }
  }

  /** A card whose answer takes {@code took} on the clock, {@code work} of it on this thread. */
  private static final class TimedCard implements ContactlessCard {
    final AtomicLong processorNanos = new AtomicLong(1_000_000);
    private final Runnable elapse;
    private final Duration work;
    private final Optional<Duration> heldBack;

    TimedCard(Runnable elapse, Duration work, Optional<Duration> heldBack) {
      this.elapse = elapse;
      this.work = work;
      this.heldBack = heldBack;
    }

    @Override
    public void activate() {}

    @Override
    public byte[] process(byte[] command) {
      elapse.run();
      processorNanos.addAndGet(work.toNanos());
      return new byte[] {(byte) 0x90, 0x00};
    }

    @Override
    public void deactivate() {}

    @Override
    public Optional<Duration> heldBack() {
      return heldBack;
    }
  }

  private static TransportException late(Duration work, Optional<Duration> heldBack) {
    HostClock clock = new HostClock();
    TimedCard card = new TimedCard(() -> clock.time.advance(Duration.ofSeconds(7)), work, heldBack);
    VirtualNfcTransport reader =
        new VirtualNfcTransport(card, () -> true, clock, T_APDU, card.processorNanos::get);
    return exchange(reader);
  }

  private static TransportException exchange(VirtualNfcTransport reader) {
    try {
      assertTrue(reader.awaitTarget(Duration.ZERO));
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
    return assertThrows(TransportException.class, () -> reader.transmit(REQUEST));
  }

  @Test
  @DisplayName("7 s for 150 ms of the device's work: the host's lateness, ERROR without an abort")
  void lateByTheHost() {
    TransportException e = late(Duration.ofMillis(150), Optional.of(Duration.ZERO));
    assertEquals(TransportException.Kind.HOST_OVERLOADED, e.kind());
    assertTrue(e.getMessage().contains("after 7000 ms, past T_Apdu (5000 ms)"), e.getMessage());
    assertTrue(e.getMessage().contains("from 150 ms of its own"), e.getMessage());
    assertEquals(Result.ERROR, Failures.resultOf(e.kind()));
    assertEquals(Optional.empty(), Failures.abortOf(e.kind()));
  }

  @Test
  @DisplayName("slower-than-t-apdu holds its answer back 6.5 s: still the device's FAIL")
  void lateByTheDevice() {
    TransportException e = late(Duration.ofMillis(150), Optional.of(Duration.ofMillis(6500)));
    assertEquals(TransportException.Kind.TIMEOUT, e.kind());
    assertEquals(Result.FAIL, Failures.resultOf(e.kind()));
  }

  @Test
  @DisplayName("a device whose own work is longer than T_Apdu: FAIL")
  void deviceWorkOverTApdu() {
    assertEquals(
        TransportException.Kind.TIMEOUT,
        late(Duration.ofMillis(5500), Optional.of(Duration.ZERO)).kind());
  }

  @Test
  @DisplayName("a card that does not tell its deliberate delay: FAIL, as before")
  void cardTellsNothing() {
    assertEquals(
        TransportException.Kind.TIMEOUT, late(Duration.ofMillis(150), Optional.empty()).kind());
  }

  @Test
  @DisplayName("processor time unknown (no schedstat): FAIL, as before")
  void processorTimeUnknown() {
    HostClock clock = new HostClock();
    TimedCard card =
        new TimedCard(
            () -> clock.time.advance(Duration.ofSeconds(7)),
            Duration.ofMillis(150),
            Optional.of(Duration.ZERO));
    VirtualNfcTransport reader = new VirtualNfcTransport(card, () -> true, clock, T_APDU, () -> -1);
    assertEquals(TransportException.Kind.TIMEOUT, exchange(reader).kind());
  }

  @Test
  @DisplayName("a virtual clock measures no host: FAIL, the processor time never read")
  void virtualClock() {
    VirtualClock clock = new VirtualClock(Instant.parse("2026-12-07T12:00:00Z"));
    AtomicInteger reads = new AtomicInteger();
    TimedCard card =
        new TimedCard(
            () -> clock.advance(Duration.ofSeconds(7)),
            Duration.ofMillis(150),
            Optional.of(Duration.ZERO));
    VirtualNfcTransport reader =
        new VirtualNfcTransport(
            card, () -> true, clock, T_APDU, () -> reads.incrementAndGet() * 1_000_000L);
    assertEquals(TransportException.Kind.TIMEOUT, exchange(reader).kind());
    assertEquals(0, reads.get());
  }

  @Test
  @DisplayName("an answer within T_Apdu is delivered")
  void inTime() throws Exception {
    HostClock clock = new HostClock();
    TimedCard card =
        new TimedCard(
            () -> clock.time.advance(Duration.ofSeconds(4)),
            Duration.ofMillis(150),
            Optional.of(Duration.ZERO));
    VirtualNfcTransport reader =
        new VirtualNfcTransport(card, () -> true, clock, T_APDU, card.processorNanos::get);
    assertTrue(reader.awaitTarget(Duration.ZERO));
    assertEquals(0x9000, reader.transmit(REQUEST).sw());
  }

  @Test
  @DisplayName("schedstat: the first field is the thread's processor time in ns")
  void schedstat() {
    assertEquals(791565L, ThreadProcessorTime.parse("791565 161595 2\n"));
    assertEquals(-1L, ThreadProcessorTime.parse(""));
    assertEquals(-1L, ThreadProcessorTime.parse("x 1 2"));
    assertEquals(-1L, ThreadProcessorTime.parse("1 2"));
    assumeTrue(Files.isReadable(Path.of("/proc/thread-self/schedstat")), "Linux schedstat");
    long before = ThreadProcessorTime.ofCurrentThread();
    assertTrue(before > 0, "processor time " + before);
    long spin = 0;
    for (int i = 0; i < 1_000_000; i++) {
      spin += Long.numberOfTrailingZeros(i + spin);
    }
    assertTrue(ThreadProcessorTime.ofCurrentThread() >= before, "monotonic " + spin);
  }
}
