package dev.dkrig.transport.pn532;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dkrig.ccc.DkProfile;
import dev.dkrig.emulate.Pn532Emulator.Fault;
import dev.dkrig.emulate.Pn532TargetEmulator;
import dev.dkrig.iso7816.Bytes;
import dev.dkrig.iso7816.ContactlessCard;
import dev.dkrig.iso7816.Hex;
import dev.dkrig.testing.Pn532PtyBench;
import dev.dkrig.testing.SocatPty;
import dev.dkrig.testing.Vectors;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The phone's PN532 driver in card emulation against the PN532 target emulator over a socat pty
 * pair; the test plays the vehicle's reader on the emulator's RF side, without vpcd.
 */
@Timeout(60)
class Pn532CardEmulationTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir Path dir;

  private final List<AutoCloseable> open = new ArrayList<>();
  private final TestField field = new TestField();
  private final Events events = new Events();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  @Test
  @DisplayName("TgInitAsTarget: PICC only, ATQA 0004, NFCID1 08 + 3 random bytes, SAK 20, no Tk")
  void armingParameters() throws Exception {
    Pn532CardEmulation emulation = start(Pn532TargetEmulator.Options.defaults(), Duration.ZERO);
    assertEquals("PN532 v1.6 (ISO 14443-A, ISO 14443-B, ISO 18092)", emulation.firmware());
    byte[] uid = new byte[3];
    new SplittableRandom(7).nextBytes(uid);
    assertEquals(
        "04" + "0400" + Hex.encode(uid) + "20" + "00".repeat(18) + "00".repeat(10) + "00" + "00",
        Hex.encode(emulation.initParameters()));
    assertTrue(
        !Hex.encode(emulation.initParameters()).equals(Hex.encode(emulation.initParameters())),
        "a new NFCID1 at every arming");
  }

  @Test
  @DisplayName("the T1 transcript through the board, every NFC reset a release and a re-arming")
  void t1Transcript() throws Exception {
    ContactlessCard device = Pn532PtyBench.t1Device();
    Pn532CardEmulation emulation = start(Pn532TargetEmulator.Options.defaults(), Duration.ZERO);
    emulation.serve(device, events);
    ContactlessCard reader = field.awaitArmed();
    events.expect("armed");
    reader.activate();
    int resets = 0;
    for (Vectors.Exchange exchange : Vectors.transcript()) {
      if (exchange.note().startsWith("P4.1 SELECT applet")) {
        reset(reader);
        resets++;
      }
      byte[] response = reader.process(exchange.command());
      assertEquals(
          Hex.encode(exchange.response()), Hex.encode(response), "R-APDU of " + exchange.note());
      if (exchange.note().contains("then NFC reset")) {
        reset(reader);
        resets++;
      }
    }
    assertTrue(resets >= 2, "the transcript holds NFC resets: " + resets);
    List<String> seen = events.drain();
    assertEquals(
        resets, seen.stream().filter(e -> e.startsWith("released")).count(), seen.toString());
    assertTrue(
        seen.contains("released TgGetData: 29 (target released)"),
        "a field-off is the chip's status 29: " + seen);
    assertEquals(resets + 1, seen.stream().filter(e -> e.equals("activated")).count(), "" + seen);
  }

  @Test
  @DisplayName(
      "MI both ways: a 300-byte command in two TgGetData parts, a 602-byte answer in three")
  void chaining() throws Exception {
    byte[] command = new byte[300];
    for (int i = 0; i < command.length; i++) {
      command[i] = (byte) i;
    }
    byte[] longAnswer = new byte[602];
    for (int i = 0; i < longAnswer.length; i++) {
      longAnswer[i] = (byte) (i * 7);
    }
    List<byte[]> received = java.util.Collections.synchronizedList(new ArrayList<>());
    ContactlessCard card =
        new Card(
            apdu -> {
              received.add(apdu);
              return apdu.length == 300 ? longAnswer : Bytes.of(0x90, 0x00);
            });
    Pn532CardEmulation emulation = start(Pn532TargetEmulator.Options.defaults(), Duration.ZERO);
    emulation.serve(card, events);
    ContactlessCard reader = field.awaitArmed();
    reader.activate();
    assertArrayEquals(longAnswer, reader.process(command));
    assertArrayEquals(command, received.get(0));
    assertEquals("9000", Hex.encode(reader.process(Bytes.of(0x00, 0xA4, 0x04, 0x00))));
  }

  @Test
  @DisplayName("a 20-byte part size: a 300-byte command in 15 MI parts arrives whole")
  void manyParts() throws Exception {
    byte[] command = new byte[300];
    command[299] = 0x42;
    List<byte[]> received = java.util.Collections.synchronizedList(new ArrayList<>());
    ContactlessCard card =
        new Card(
            apdu -> {
              received.add(apdu);
              return Bytes.of(0x90, 0x00);
            });
    Pn532CardEmulation emulation =
        start(Pn532TargetEmulator.Options.defaults().withMaxDataIn(20), Duration.ZERO);
    emulation.serve(card, events);
    ContactlessCard reader = field.awaitArmed();
    reader.activate();
    assertEquals("9000", Hex.encode(reader.process(command)));
    assertArrayEquals(command, received.get(0));
  }

  @Test
  @DisplayName("field lost: the card is deactivated, the board re-armed, the next activation works")
  void fieldLossAndRearm() throws Exception {
    Card card = new Card(apdu -> Bytes.of(0x90, 0x00));
    Pn532CardEmulation emulation = start(Pn532TargetEmulator.Options.defaults(), Duration.ZERO);
    emulation.serve(card, events);
    ContactlessCard reader = field.awaitArmed();
    reader.activate();
    assertEquals("9000", Hex.encode(reader.process(Bytes.of(0x00, 0xA4, 0x04, 0x00))));
    reader.deactivate();
    events.expect("armed", "activated", "released TgGetData: 29 (target released)", "armed");
    assertEquals(List.of("activate", ">> 00A40400", "deactivate"), card.log());
    reader.activate();
    assertEquals("9000", Hex.encode(reader.process(Bytes.of(0x00, 0xB0, 0x00, 0x00))));
    events.expect("activated");
    assertEquals(
        List.of("activate", ">> 00A40400", "deactivate", "activate", ">> 00B00000"), card.log());
  }

  @Test
  @DisplayName("a silent card: the reader gets nothing, the activation is dropped and re-armed")
  void silentCard() throws Exception {
    Card card = new Card(apdu -> apdu[1] == (byte) 0xB0 ? null : Bytes.of(0x90, 0x00));
    Pn532CardEmulation emulation =
        start(
            Pn532TargetEmulator.Options.defaults().withAnswerLimit(Duration.ofSeconds(2)),
            Duration.ZERO);
    emulation.serve(card, events);
    ContactlessCard reader = field.awaitArmed();
    reader.activate();
    assertNull(reader.process(Bytes.of(0x00, 0xB0, 0x00, 0x00)));
    events.expect(
        "armed", "activated", "released the card stayed silent; the activation was dropped");
    events.expect("armed");
    reader.deactivate();
    reader.activate();
    assertEquals("9000", Hex.encode(reader.process(Bytes.of(0x00, 0xA4, 0x04, 0x00))));
  }

  @Test
  @DisplayName("a reader that waits: the board proves it is alive between commands")
  void idleChecks() throws Exception {
    Card card = new Card(apdu -> Bytes.of(0x90, 0x00));
    Pn532CardEmulation emulation =
        start(Pn532TargetEmulator.Options.defaults(), Duration.ofMillis(300));
    emulation.serve(card, events);
    ContactlessCard reader = field.awaitArmed();
    reader.activate();
    assertEquals("9000", Hex.encode(reader.process(Bytes.of(0x00, 0xA4, 0x04, 0x00))));
    Thread.sleep(1200);
    assertEquals("9000", Hex.encode(reader.process(Bytes.of(0x00, 0xB0, 0x00, 0x00))));
    events.expect("armed", "activated");
    assertEquals(List.of(), events.drain(), "no release while the reader waits");
  }

  @Test
  @DisplayName("the board goes silent while serving: failed, within the ACK timeout")
  void boardGoesSilent() throws Exception {
    Card card = new Card(apdu -> Bytes.of(0x90, 0x00));
    Pn532CardEmulation emulation =
        start(
            Pn532TargetEmulator.Options.defaults()
                .withFaults(Fault.on(Fault.Kind.SILENT, Pn532Command.TG_GET_DATA, 2)),
            Duration.ZERO);
    emulation.serve(card, events);
    ContactlessCard reader = field.awaitArmed();
    reader.activate();
    reader.process(Bytes.of(0x00, 0xA4, 0x04, 0x00));
    events.expect("armed", "activated");
    String failed = events.next();
    assertTrue(
        failed.startsWith("failed the PN532 on ")
            && failed.endsWith(
                "did not acknowledge TgGetData within 1000 ms: is it powered,"
                    + " in HSU mode (both mode switches 0), wired TX to RX and RX to TX, at 115200"
                    + " baud?"),
        failed);
    assertTrue(emulation.awaitStop(WAIT));
    assertEquals(List.of("activate", ">> 00A40400", "deactivate"), card.log());
  }

  @Test
  @DisplayName("the serial port goes away while the board is armed: failed, naming the port")
  void portGoesAway() throws Exception {
    Card card = new Card(apdu -> Bytes.of(0x90, 0x00));
    Pn532TargetEmulator.Options options = Pn532TargetEmulator.Options.defaults();
    SocatPty pty = SocatPty.start(dir);
    open.add(pty);
    Pn532TargetEmulator emulator =
        Pn532TargetEmulator.serve(pty.device().toString(), field, options);
    open.add(emulator);
    Pn532CardEmulation emulation =
        Pn532CardEmulation.open(
            settings(pty), JSerialCommLink::open, new SplittableRandom(7), Duration.ofSeconds(10));
    open.add(emulation);
    emulation.serve(card, events);
    field.awaitArmed();
    events.expect("armed");
    pty.close();
    String failed = events.next();
    assertTrue(failed.startsWith("failed the PN532's serial port " + pty.host()), failed);
    assertTrue(emulation.awaitStop(WAIT));
  }

  @Test
  @DisplayName("close() aborts a waiting TgInitAsTarget: the card leaves the field, nothing fails")
  void closeAbortsArming() throws Exception {
    Card card = new Card(apdu -> Bytes.of(0x90, 0x00));
    Pn532CardEmulation emulation = start(Pn532TargetEmulator.Options.defaults(), Duration.ZERO);
    emulation.serve(card, events);
    field.awaitArmed();
    events.expect("armed");
    long started = System.nanoTime();
    emulation.close();
    assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(3), "close is quick");
    assertTrue(emulation.awaitStop(Duration.ZERO));
    assertEquals("disarmed", field.events.poll(5, TimeUnit.SECONDS));
    assertEquals(List.of(), events.drain());
    assertEquals(List.of(), card.log());
  }

  @Test
  @DisplayName(
      "close() during an activation: the card is deactivated, InRelease ends the emulation")
  void closeWhileActive() throws Exception {
    Card card = new Card(apdu -> Bytes.of(0x90, 0x00));
    Pn532CardEmulation emulation =
        start(
            Pn532TargetEmulator.Options.defaults().withAnswerLimit(Duration.ofSeconds(1)),
            Duration.ZERO);
    emulation.serve(card, events);
    ContactlessCard reader = field.awaitArmed();
    reader.activate();
    assertEquals("9000", Hex.encode(reader.process(Bytes.of(0x00, 0xA4, 0x04, 0x00))));
    events.expect("armed", "activated");
    emulation.close();
    assertEquals("disarmed", field.events.poll(5, TimeUnit.SECONDS));
    assertEquals(List.of("activate", ">> 00A40400", "deactivate"), card.log());
    assertNull(reader.process(Bytes.of(0x00, 0xB0, 0x00, 0x00)), "nobody answers the reader");
    assertEquals(List.of(), events.drain());
  }

  @Test
  @DisplayName("a port that does not exist, a board that does not answer: named errors from open")
  void openFailures() throws Exception {
    Pn532Exception missing =
        assertThrows(
            Pn532Exception.class,
            () ->
                Pn532CardEmulation.open(
                    Pn532UartSettings.of(dir.resolve("nothing").toString(), DkProfile.T_APDU)));
    assertEquals(Pn532Exception.Reason.PORT_UNAVAILABLE, missing.reason());
    assertTrue(missing.getMessage().startsWith("no serial port " + dir.resolve("nothing")));
    SocatPty pty = SocatPty.start(dir.resolve("silent"));
    open.add(pty);
    Pn532Exception silent =
        assertThrows(Pn532Exception.class, () -> Pn532CardEmulation.open(settings(pty)));
    assertEquals(Pn532Exception.Reason.BOARD_SILENT, silent.reason());
  }

  // ------------------------------------------------------------------ helpers

  private Pn532CardEmulation start(Pn532TargetEmulator.Options options, Duration idleCheck)
      throws Exception {
    SocatPty pty = SocatPty.start(dir);
    open.add(pty);
    open.add(Pn532TargetEmulator.serve(pty.device().toString(), field, options));
    Pn532CardEmulation emulation =
        Pn532CardEmulation.open(
            settings(pty),
            JSerialCommLink::open,
            new SplittableRandom(7),
            idleCheck.isZero() ? Pn532CardEmulation.DEFAULT_IDLE_CHECK : idleCheck);
    open.add(emulation);
    return emulation;
  }

  private static Pn532UartSettings settings(SocatPty pty) {
    return Pn532UartSettings.of(pty.host().toString(), DkProfile.T_APDU)
        .withBoardTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(2));
  }

  /** An NFC reset as the reader does it: field off, field on, and the phone armed again. */
  private void reset(ContactlessCard reader) throws InterruptedException {
    reader.deactivate();
    reader.activate();
  }

  /** The reader's field: hands the test the board's card. */
  private static final class TestField implements Pn532TargetEmulator.Field {
    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    private volatile ContactlessCard card;

    @Override
    public void armed(ContactlessCard value, byte[] historicalBytes) {
      if (card == null) {
        card = value;
        events.add("armed " + Hex.encode(historicalBytes));
      }
    }

    @Override
    public void disarmed() {
      events.add("disarmed");
    }

    @Override
    public void close() {}

    ContactlessCard awaitArmed() throws InterruptedException {
      assertEquals("armed ", events.poll(WAIT.toSeconds(), TimeUnit.SECONDS));
      assertNotNull(card);
      return card;
    }
  }

  /** The listener's calls, in order. */
  private static final class Events implements Pn532CardEmulation.Listener {
    private final BlockingQueue<String> queue = new LinkedBlockingQueue<>();

    @Override
    public void armed() {
      queue.add("armed");
    }

    @Override
    public void activated() {
      queue.add("activated");
    }

    @Override
    public void released(String why) {
      queue.add("released " + why);
    }

    @Override
    public void failed(String cause) {
      queue.add("failed " + cause);
    }

    String next() throws InterruptedException {
      String event = queue.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertNotNull(event, "no listener call within " + WAIT);
      return event;
    }

    void expect(String... expected) throws InterruptedException {
      for (String event : expected) {
        assertEquals(event, next());
      }
    }

    List<String> drain() {
      List<String> all = new ArrayList<>();
      queue.drainTo(all);
      return all;
    }
  }

  /** A card answering with a function of the command, logging what it was asked. */
  private static final class Card implements ContactlessCard {
    private final java.util.function.Function<byte[], byte[]> answer;
    private final List<String> log = new ArrayList<>();

    Card(java.util.function.Function<byte[], byte[]> answer) {
      this.answer = answer;
    }

    @Override
    public synchronized void activate() {
      log.add("activate");
    }

    @Override
    public synchronized byte[] process(byte[] command) {
      log.add(">> " + Hex.encode(command));
      return answer.apply(command);
    }

    @Override
    public synchronized void deactivate() {
      log.add("deactivate");
    }

    synchronized List<String> log() {
      return List.copyOf(log);
    }
  }
}
