package dev.dkrig.emulate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dkrig.bench.Bench;
import dev.dkrig.device.DeviceSettings;
import dev.dkrig.device.VirtualDevice;
import dev.dkrig.iso7816.Hex;
import dev.dkrig.random.TestModeDraws;
import dev.dkrig.testing.Poll;
import dev.dkrig.time.FixedClock;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The vpcd wire protocol of {@link VpcdCardServer} against a fake vpcd (no pcscd): control bytes,
 * ATR, APDU frames, silence, removal, vanishing and reconnection. The PC/SC path is {@link
 * VpcdCardServerPcscTest}.
 */
class VpcdCardServerTest {
  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final byte[] SELECT = Hex.decode("00A404000DA000000809434343444B46763100");

  private final List<AutoCloseable> open = new ArrayList<>();
  private final Events events = new Events();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable closeable : open) {
      closeable.close();
    }
    Poll.until(
        WAIT,
        () -> Thread.getAllStackTraces().keySet().stream().noneMatch(VpcdCardServerTest::ours),
        "the server threads end");
  }

  private static boolean ours(Thread thread) {
    return thread.isAlive() && thread.getName().startsWith("dkrig-vpcd-");
  }

  private FakeVpcd vpcd() throws IOException {
    return track(FakeVpcd.listen(0));
  }

  private VpcdCardServer serve(RecordingCard card, int port) {
    return serve(VpcdCardServer.builder(card).port(port));
  }

  private VpcdCardServer serve(VpcdCardServerBuilder builder) {
    return track(builder.listener(events).build()).start();
  }

  private <T extends AutoCloseable> T track(T closeable) {
    open.add(closeable);
    return closeable;
  }

  @Test
  @DisplayName("04 is answered with 3B 80 80 01 01 at any time, powered or not")
  void answersAtr() throws Exception {
    FakeVpcd vpcd = vpcd();
    RecordingCard card = RecordingCard.answering("9000");
    serve(card, vpcd.port());
    vpcd.accept(WAIT);
    assertEquals("3B80800101", Hex.encode(vpcd.atr()));
    vpcd.control(VpcdCardServer.POWER_ON);
    vpcd.transmit(SELECT);
    assertEquals("3B80800101", Hex.encode(vpcd.atr()));
    assertEquals("3B80800101", Hex.encode(vpcd.atr()));
  }

  @Test
  @DisplayName("00/01/02 drive deactivate/activate; the answer to the next 04 proves the order")
  void controlBytesDriveTheField() throws Exception {
    FakeVpcd vpcd = vpcd();
    RecordingCard card = RecordingCard.answering("9000");
    serve(card, vpcd.port());
    vpcd.accept(WAIT);
    vpcd.control(VpcdCardServer.POWER_ON);
    vpcd.atr();
    assertEquals(List.of("activate"), card.events());
    vpcd.control(VpcdCardServer.RESET);
    vpcd.atr();
    assertEquals(List.of("activate", "deactivate", "activate"), card.events());
    vpcd.control(VpcdCardServer.POWER_OFF);
    vpcd.control(VpcdCardServer.POWER_OFF);
    vpcd.atr();
    assertEquals(List.of("activate", "deactivate", "activate", "deactivate"), card.events());
    vpcd.control(VpcdCardServer.RESET);
    vpcd.atr();
    assertEquals(
        List.of("activate", "deactivate", "activate", "deactivate", "activate"), card.events());
  }

  @Test
  @DisplayName("An APDU frame is answered with data ‖ SW in one frame; counter and listener see it")
  void answersApdus() throws Exception {
    FakeVpcd vpcd = vpcd();
    RecordingCard card = RecordingCard.answering("5A04010101005C0401010100D401029000");
    VpcdCardServer server = serve(card, vpcd.port());
    vpcd.accept(WAIT);
    vpcd.control(VpcdCardServer.POWER_ON);
    assertEquals("5A04010101005C0401010100D401029000", Hex.encode(vpcd.transmit(SELECT)));
    assertEquals("5A04010101005C0401010100D401029000", Hex.encode(vpcd.transmit(SELECT)));
    assertEquals(2, server.apdusServed());
    assertEquals(List.of(Hex.encode(SELECT), Hex.encode(SELECT)), card.commands());
    // The listener hears of an answer once it has left.
    Poll.until(WAIT, () -> events.withoutControls().size() == 3, events::toString);
    assertEquals(
        List.of(
            "up",
            ">> " + Hex.encode(SELECT) + " << 5A04010101005C0401010100D401029000",
            ">> " + Hex.encode(SELECT) + " << 5A04010101005C0401010100D401029000"),
        events.withoutControls());
    assertTrue(server.isInserted());
  }

  private static VirtualDevice t1Device() {
    return new VirtualDevice(
        DeviceSettings.t1(),
        new TestModeDraws(),
        new FixedClock(Bench.TEST_DEVICE_TIME),
        new FixedClock(Bench.TEST_KTS_TIME));
  }

  @Test
  @DisplayName(
      "Issue 19: a one-byte frame that is no control byte (03, 05-FF) is a command: 6700, at once")
  void oneByteCommandIsAnswered() throws Exception {
    FakeVpcd vpcd = vpcd();
    VpcdCardServer server = serve(VpcdCardServer.builder(t1Device()).port(vpcd.port()));
    vpcd.accept(WAIT);
    vpcd.control(VpcdCardServer.POWER_ON);
    assertEquals("3B80800101", Hex.encode(vpcd.atr()));
    for (int b = 0x03; b <= 0xFF; b = b == 0x03 ? 0x05 : b + 1) {
      assertEquals("6700", Hex.encode(vpcd.transmit(new byte[] {(byte) b})), Hex.u8(b));
    }
    assertEquals(252, server.apdusServed());
    // The link goes on: the device still pairs.
    assertEquals("5A04010101005C0401010100D401029000", Hex.encode(vpcd.transmit(SELECT)));
  }

  @Test
  @DisplayName(
      "Issue 19: a zero-length frame (another vpcd than 3.3 may send one) is answered 6700")
  void zeroLengthFrameIsAnswered() throws Exception {
    FakeVpcd vpcd = vpcd();
    serve(VpcdCardServer.builder(t1Device()).port(vpcd.port()));
    vpcd.accept(WAIT);
    vpcd.control(VpcdCardServer.POWER_ON);
    assertEquals("6700", Hex.encode(vpcd.transmit(new byte[0])));
  }

  @Test
  @DisplayName(
      "Issue 19: vpcd silent after a frame waits on a command it never sent (zero-length, or 00-02"
          + " read as a control): answered once after the pending-command silence")
  void silentVpcdGetsItsAnswer() throws Exception {
    FakeVpcd vpcd = vpcd();
    RecordingCard card = RecordingCard.answering("6700");
    VpcdCardServer server =
        serve(
            VpcdCardServer.builder(card)
                .port(vpcd.port())
                .pendingCommandSilence(Duration.ofMillis(300)));
    vpcd.accept(WAIT);
    vpcd.control(VpcdCardServer.POWER_ON);
    vpcd.atr();
    // vpcd 3.3 puts nothing on the wire for a zero-length command, then waits for the answer.
    long asked = System.nanoTime();
    assertEquals("6700", Hex.encode(vpcd.receive()));
    long waitedMillis = (System.nanoTime() - asked) / 1_000_000;
    assertTrue(waitedMillis >= 250, "answered after " + waitedMillis + " ms");
    // A one-byte command 00 reads as a power-off: answered after the silence, card powered again.
    vpcd.control(VpcdCardServer.POWER_OFF);
    assertEquals("6700", Hex.encode(vpcd.receive()));
    vpcd.control(VpcdCardServer.RESET);
    assertEquals("6700", Hex.encode(vpcd.receive()));
    assertEquals(
        List.of(
            "activate",
            ">> ",
            "deactivate",
            "activate",
            ">> 00",
            "deactivate",
            "activate",
            ">> 02"),
        card.events());
    assertEquals(3, server.apdusServed());
    // Back-to-back zero-length commands: vpcd sends nothing between them, so silence after an
    // answer is the next one.
    assertEquals("6700", Hex.encode(vpcd.receive()));
    assertEquals(">> ", card.events().get(card.events().size() - 1));
    assertEquals(4, server.apdusServed());
  }

  @Test
  @DisplayName("Issue 19: controls followed by pcscd's polls (04 every 0.4 s) are never answered")
  void polledVpcdGetsNoExtraFrame() throws Exception {
    FakeVpcd vpcd = vpcd();
    RecordingCard card = RecordingCard.answering("9000");
    serve(
        VpcdCardServer.builder(card)
            .port(vpcd.port())
            .pendingCommandSilence(Duration.ofMillis(300)));
    vpcd.accept(WAIT);
    for (int control :
        new int[] {VpcdCardServer.POWER_ON, VpcdCardServer.RESET, VpcdCardServer.POWER_OFF}) {
      vpcd.control(control);
      for (int poll = 0; poll < 5; poll++) {
        Thread.sleep(100);
        assertEquals("3B80800101", Hex.encode(vpcd.atr()));
      }
    }
    assertEquals(List.of(), card.commands());
  }

  @Test
  @DisplayName(
      "A pcscd stalled past the silence after a real power-off gets an answer it never asked for;"
          + " vpcd takes it for its next 04, and the server drops that 04's answer: in step again")
  void unaskedAnswerIsRepaired() throws Exception {
    FakeVpcd vpcd = vpcd();
    RecordingCard card = RecordingCard.answering("6700");
    VpcdCardServer server =
        serve(
            VpcdCardServer.builder(card)
                .port(vpcd.port())
                .pendingCommandSilence(Duration.ofMillis(500)));
    vpcd.accept(WAIT);
    vpcd.control(VpcdCardServer.POWER_ON);
    vpcd.atr();
    // A real power-off, then pcscd stalls: the server answers a one-byte command 00 nobody sent.
    vpcd.control(VpcdCardServer.POWER_OFF);
    Thread.sleep(700);
    // As vpcd does: its next poll reads that stale answer as the ATR, at once.
    vpcd.control(VpcdCardServer.GET_ATR);
    assertEquals("6700", Hex.encode(vpcd.receive()));
    // The next poll comes 0.4 s later: its ATR is the answer it reads, not the first poll's.
    Thread.sleep(100);
    assertEquals("3B80800101", Hex.encode(vpcd.atr()));
    vpcd.control(VpcdCardServer.POWER_ON);
    assertEquals("3B80800101", Hex.encode(vpcd.atr()));
    assertEquals("6700", Hex.encode(vpcd.transmit(SELECT)));
    assertEquals(1, server.resynchronisations());
    assertEquals(List.of("00", Hex.encode(SELECT)), card.commands());
    Poll.until(WAIT, () -> events.has("desynchronised 04"), events::toString);
  }

  @Test
  @DisplayName(
      "An answer given on silence that vpcd did ask for is confirmed by its waiting: the next"
          + " command is answered after the hold, nothing is dropped")
  void askedAnswerIsConfirmed() throws Exception {
    FakeVpcd vpcd = vpcd();
    RecordingCard card = RecordingCard.answering("6700");
    VpcdCardServer server =
        serve(
            VpcdCardServer.builder(card)
                .port(vpcd.port())
                .pendingCommandSilence(Duration.ofMillis(300)));
    vpcd.accept(WAIT);
    vpcd.control(VpcdCardServer.POWER_ON);
    vpcd.atr();
    // A one-byte command 00: vpcd cannot tell it from a power-off, and waits.
    vpcd.control(VpcdCardServer.POWER_OFF);
    assertEquals("6700", Hex.encode(vpcd.receive()));
    long asked = System.nanoTime();
    assertEquals("6700", Hex.encode(vpcd.transmit(SELECT)));
    long heldMillis = (System.nanoTime() - asked) / 1_000_000;
    assertTrue(heldMillis >= 250, "answered after " + heldMillis + " ms");
    // Confirmed: the next one is answered at once.
    asked = System.nanoTime();
    assertEquals("3B80800101", Hex.encode(vpcd.atr()));
    assertTrue((System.nanoTime() - asked) / 1_000_000 < 250, "the ATR was held again");
    assertEquals(0, server.resynchronisations());
    assertEquals(List.of("00", Hex.encode(SELECT)), card.commands());
  }

  @Test
  @DisplayName("A silent card holds vpcd up to the silence limit, then the link drops; it returns")
  void silentCard() throws Exception {
    FakeVpcd vpcd = vpcd();
    RecordingCard card = new RecordingCard(command -> null);
    VpcdCardServer server =
        serve(VpcdCardServer.builder(card).port(vpcd.port()).silenceLimit(Duration.ofMillis(200)));
    vpcd.accept(WAIT);
    vpcd.control(VpcdCardServer.POWER_ON);
    long sent = System.nanoTime();
    vpcd.send(Hex.decode("80CA000000"));
    vpcd.awaitCardGone(WAIT);
    long heldMillis = (System.nanoTime() - sent) / 1_000_000;
    assertTrue(heldMillis >= 190, "held " + heldMillis + " ms");
    // linkDown comes after the card's deactivation.
    Poll.until(WAIT, () -> events.has("down SILENT"), events::toString);
    assertEquals(List.of("activate", ">> 80CA000000", "deactivate"), card.events());
    assertEquals(0, server.apdusServed());
    // The card is still on the pad: it comes back after its minimum absence.
    vpcd.accept(WAIT);
    assertEquals("3B80800101", Hex.encode(vpcd.atr()));
    assertEquals(2, server.insertions());
  }

  @Test
  @DisplayName("An empty answer or a card that throws counts as silence: never a zero-length frame")
  void emptyAnswerIsSilence() throws Exception {
    FakeVpcd vpcd = vpcd();
    RecordingCard card =
        new RecordingCard(
            command -> {
              if (command[1] == (byte) 0xCA) {
                return new byte[0];
              }
              throw new IllegalStateException("a broken card");
            });
    serve(VpcdCardServer.builder(card).port(vpcd.port()).silenceLimit(Duration.ofMillis(50)));
    vpcd.accept(WAIT);
    vpcd.send(Hex.decode("80CA000000"));
    vpcd.awaitCardGone(WAIT);
    vpcd.accept(WAIT);
    vpcd.send(Hex.decode("80CB000000"));
    vpcd.awaitCardGone(WAIT);
    vpcd.accept(WAIT);
    assertEquals("3B80800101", Hex.encode(vpcd.atr()));
  }

  @Test
  @DisplayName(
      "tapDelay (issue 20): the card stays off the reader that long after start, then arrives")
  void tapDelay() throws Exception {
    FakeVpcd vpcd = vpcd();
    RecordingCard card = RecordingCard.answering("9000");
    VpcdCardServer server =
        serve(VpcdCardServer.builder(card).port(vpcd.port()).tapDelay(Duration.ofMillis(1500)));
    assertFalse(server.isInserted());
    assertFalse(vpcd.acceptsWithin(Duration.ofMillis(1000)), "no card before the tap");
    vpcd.accept(WAIT);
    vpcd.control(VpcdCardServer.POWER_ON);
    assertEquals("9000", Hex.encode(vpcd.transmit(SELECT)));
    assertEquals(1, server.insertions());
    assertThrows(
        IllegalArgumentException.class,
        () -> VpcdCardServer.builder(card).tapDelay(Duration.ofMillis(-1)));
  }

  @Test
  @DisplayName("remove() resets the link and keeps the card out until insert()")
  void removeAndInsert() throws Exception {
    FakeVpcd vpcd = vpcd();
    RecordingCard card = RecordingCard.answering("9000");
    VpcdCardServer server = serve(card, vpcd.port());
    vpcd.accept(WAIT);
    vpcd.control(VpcdCardServer.POWER_ON);
    vpcd.atr();
    server.remove();
    assertFalse(server.isInserted());
    vpcd.awaitCardGone(WAIT);
    Poll.until(WAIT, () -> events.has("down REMOVED"), events::toString);
    assertTrue(card.events().contains("deactivate"), card.events().toString());
    // Longer than the minimum absence: only insert() brings it back.
    assertFalse(vpcd.acceptsWithin(VpcdCardServer.MIN_ABSENCE.plusMillis(500)));
    server.insert();
    vpcd.accept(WAIT);
    assertEquals("9000", Hex.encode(vpcd.transmit(SELECT)));
    assertEquals(2, server.insertions());
  }

  @Test
  @DisplayName(
      "vanishAfter(2, 100 ms): the card leaves after its second answer and comes back once")
  void vanishes() throws Exception {
    FakeVpcd vpcd = vpcd();
    RecordingCard card = RecordingCard.answering("9000");
    VpcdCardServer server = serve(card, vpcd.port());
    server.vanishAfter(2, Duration.ofMillis(100));
    vpcd.accept(WAIT);
    assertEquals("9000", Hex.encode(vpcd.transmit(SELECT)));
    assertEquals("9000", Hex.encode(vpcd.transmit(SELECT)));
    vpcd.awaitCardGone(WAIT);
    vpcd.accept(WAIT);
    for (int i = 0; i < 3; i++) {
      assertEquals("9000", Hex.encode(vpcd.transmit(SELECT)));
    }
    assertEquals(5, server.apdusServed());
    assertEquals(List.of("up", "down REMOVED", "up"), events.links());
  }

  @Test
  @DisplayName("Started before vpcd listens: retries with a backoff, then connects")
  void connectsWhenVpcdComesUp() throws Exception {
    int port = FakeVpcd.freePort();
    RecordingCard card = RecordingCard.answering("9000");
    VpcdCardServer server =
        serve(VpcdCardServer.builder(card).port(port).maxBackoff(Duration.ofMillis(100)));
    Poll.until(WAIT, () -> events.unreachable() >= 3, events::toString);
    assertFalse(server.isInserted());
    FakeVpcd vpcd = track(FakeVpcd.listen(port));
    vpcd.accept(WAIT);
    assertEquals("3B80800101", Hex.encode(vpcd.atr()));
    assertEquals(1, server.insertions());
  }

  @Test
  @DisplayName("vpcd drops the card (pcscd stopped): the card is deactivated and reconnects")
  void reconnectsAfterVpcdCloses() throws Exception {
    FakeVpcd vpcd = vpcd();
    RecordingCard card = RecordingCard.answering("9000");
    VpcdCardServer server = serve(card, vpcd.port());
    vpcd.accept(WAIT);
    vpcd.control(VpcdCardServer.POWER_ON);
    vpcd.atr();
    vpcd.dropCard();
    Poll.until(WAIT, () -> events.has("down VPCD_CLOSED"), events::toString);
    assertEquals(List.of("activate", "deactivate"), card.events());
    vpcd.accept(WAIT);
    assertEquals("9000", Hex.encode(vpcd.transmit(SELECT)));
    assertEquals(2, server.insertions());
  }

  @Test
  @DisplayName(
      "close() stops the thread, deactivates the card, is idempotent; start() after is refused")
  void closes() throws Exception {
    FakeVpcd vpcd = vpcd();
    RecordingCard card = RecordingCard.answering("9000");
    VpcdCardServer server = serve(card, vpcd.port());
    vpcd.accept(WAIT);
    vpcd.control(VpcdCardServer.POWER_ON);
    vpcd.atr();
    server.close();
    assertTrue(Thread.getAllStackTraces().keySet().stream().noneMatch(VpcdCardServerTest::ours));
    assertEquals(List.of("activate", "deactivate"), card.events());
    vpcd.awaitCardGone(WAIT);
    server.close();
    assertThrows(IllegalStateException.class, server::start);
    VpcdCardServer.builder(card).port(vpcd.port()).build().close();
  }

  @Test
  @DisplayName("Builder checks: ATR length, positive durations; vanishAfter needs at least 1")
  void checksSettings() {
    RecordingCard card = RecordingCard.answering("9000");
    VpcdCardServerBuilder builder = VpcdCardServer.builder(card);
    assertThrows(IllegalArgumentException.class, () -> builder.atr(new byte[1]));
    assertThrows(IllegalArgumentException.class, () -> builder.silenceLimit(Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> builder.maxBackoff(Duration.ofMillis(-1)));
    VpcdCardServer server = builder.atr(Hex.decode("3B8180018080")).build();
    assertArrayEquals(Hex.decode("3B8180018080"), server.atr());
    assertThrows(IllegalArgumentException.class, () -> server.vanishAfter(0));
    assertEquals(new VpcdEndpoint("127.0.0.1", 35963), server.endpoint());
    server.close();
  }

  /** What the listener saw, as short strings. */
  private static final class Events implements VpcdCardServer.Listener {
    private final List<String> seen = new ArrayList<>();
    private int unreachable;

    @Override
    public synchronized void linkUp(VpcdEndpoint endpoint) {
      seen.add("up");
    }

    @Override
    public synchronized void linkDown(VpcdEndpoint endpoint, VpcdCardServer.LinkEnd why) {
      seen.add("down " + why);
    }

    @Override
    public synchronized void unreachable(VpcdEndpoint endpoint, IOException cause, int attempt) {
      unreachable++;
    }

    @Override
    public synchronized void control(int code) {
      seen.add("control " + Hex.u8(code));
    }

    @Override
    public synchronized void apdu(byte[] command, byte[] response, long nanos) {
      seen.add(
          ">> "
              + Hex.encode(command)
              + " << "
              + (response == null ? "(silent)" : Hex.encode(response)));
    }

    @Override
    public synchronized void desynchronised(byte[] frame) {
      seen.add("desynchronised " + Hex.encode(frame));
    }

    synchronized boolean has(String event) {
      return seen.contains(event);
    }

    synchronized int unreachable() {
      return unreachable;
    }

    synchronized List<String> withoutControls() {
      return seen.stream().filter(e -> !e.startsWith("control")).toList();
    }

    synchronized List<String> links() {
      return seen.stream().filter(e -> e.startsWith("up") || e.startsWith("down")).toList();
    }

    @Override
    public synchronized String toString() {
      return seen + ", unreachable " + unreachable;
    }
  }
}
