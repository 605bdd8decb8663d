package dev.dkrig.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dkrig.iso7816.CommandApdu;
import dev.dkrig.iso7816.ResponseApdu;
import dev.dkrig.time.VirtualClock;
import dev.dkrig.transport.FaultInjectingTransport.Fault;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Issue 9: what each injected fault does to exchange N, exactly, and how specs parse. */
class FaultInjectingTransportTest {
  private static final Duration T_APDU = Duration.ofSeconds(5);
  private static final Instant START = Instant.parse("2026-11-27T12:00:00Z");

  private final VirtualClock clock = new VirtualClock(START);
  private final ScriptedReader reader = new ScriptedReader();
  private final List<String> notes = new ArrayList<>();

  private FaultInjectingTransport wrap(String... specs) {
    return FaultInjectingTransport.wrap(
        reader, Fault.parseAll(List.of(specs)), clock, T_APDU, notes::add);
  }

  private static CommandApdu command(int n) {
    return CommandApdu.of(0x80, 0x3C, 0x01, n);
  }

  /** Exchange n answers {@code 0n 0n 9000}; {@code empty} answers a bare 9000. */
  private static class ScriptedReader implements NfcTransport {
    final List<CommandApdu> received = new ArrayList<>();
    int resets;
    boolean emptyAnswers;

    @Override
    public String description() {
      return "scripted reader";
    }

    @Override
    public void startPolling() {}

    @Override
    public boolean awaitTarget(Duration wait) {
      return true;
    }

    @Override
    public ResponseApdu transmit(CommandApdu command) {
      received.add(command);
      int n = command.p2();
      return emptyAnswers
          ? ResponseApdu.of(0x9000)
          : ResponseApdu.of(new byte[] {(byte) n, (byte) n}, 0x9000);
    }

    @Override
    public void reset() {
      resets++;
    }

    @Override
    public void stopPolling() {}

    @Override
    public void close() {}
  }

  @Test
  @DisplayName("without faults the decorator only counts exchanges")
  void passThrough() {
    FaultInjectingTransport t = wrap();
    for (int n = 1; n <= 3; n++) {
      assertEquals(ResponseApdu.parse("0" + n + "0" + n + "9000"), t.transmit(command(n)));
    }
    assertEquals(3, t.exchanges());
    assertEquals("scripted reader", t.description());
    assertTrue(t.injected().isEmpty());
    assertTrue(notes.isEmpty());
  }

  @Test
  @DisplayName("tag-lost: command N is not delivered, the device leaves the field until re-polled")
  void tagLost() throws InterruptedException {
    FaultInjectingTransport t = wrap("tag-lost@2");
    t.transmit(command(1));
    TransportException e = assertThrows(TransportException.class, () -> t.transmit(command(2)));
    assertEquals(TransportException.Kind.TAG_LOST, e.kind());
    assertTrue(e.getMessage().contains("tag-lost@2"), e.getMessage());
    assertEquals(1, reader.received.size(), "command 2 never reached the device");
    assertEquals(1, reader.resets, "the device saw a deactivation");
    assertEquals(
        TransportException.Kind.TAG_LOST,
        assertThrows(TransportException.class, () -> t.transmit(command(3))).kind());
    assertEquals(1, reader.received.size());
    assertTrue(t.awaitTarget(Duration.ofMillis(100)));
    assertEquals(ResponseApdu.parse("04049000"), t.transmit(command(4)));
    assertEquals(START, clock.now(), "a lost tag costs no time");
    assertEquals(
        List.of(
            "injected fault at exchange 2: tag-lost: command not delivered, the device leaves the field"),
        notes);
  }

  @Test
  @DisplayName("timeout: command N is not delivered, T_Apdu passes on the clock, then TIMEOUT")
  void timeout() {
    FaultInjectingTransport t = wrap("timeout@1");
    TransportException e = assertThrows(TransportException.class, () -> t.transmit(command(1)));
    assertEquals(TransportException.Kind.TIMEOUT, e.kind());
    assertTrue(e.getMessage().contains("T_Apdu (5000 ms)"), e.getMessage());
    assertTrue(reader.received.isEmpty());
    assertEquals(START.plus(T_APDU), clock.now());
    assertEquals(
        ResponseApdu.parse("02029000"), t.transmit(command(2)), "the device is still there");
  }

  @Test
  @DisplayName("delay under T_Apdu: delivered, the answer arrives that much later, unchanged")
  void shortDelay() {
    FaultInjectingTransport t = wrap("delay:200ms@1");
    assertEquals(ResponseApdu.parse("01019000"), t.transmit(command(1)));
    assertEquals(START.plus(Duration.ofMillis(200)), clock.now());
    assertEquals(1, reader.received.size());
  }

  @Test
  @DisplayName("delay reaching T_Apdu: delivered, but the reader gives up at T_Apdu (TIMEOUT)")
  void longDelay() {
    FaultInjectingTransport t = wrap("delay:6s@1");
    TransportException e = assertThrows(TransportException.class, () -> t.transmit(command(1)));
    assertEquals(TransportException.Kind.TIMEOUT, e.kind());
    assertEquals(1, reader.received.size(), "the device processed the command");
    assertEquals(START.plus(T_APDU), clock.now(), "the wait ends at T_Apdu, not at 6 s");
    assertTrue(e.getMessage().contains("delay:6s@1"), e.getMessage());
  }

  @Test
  @DisplayName("delays of one exchange add up: 3 s + 2.5 s pass T_Apdu")
  void delaysAddUp() {
    FaultInjectingTransport t = wrap("delay:3s@1", "delay:2500ms@1");
    assertEquals(
        TransportException.Kind.TIMEOUT,
        assertThrows(TransportException.class, () -> t.transmit(command(1))).kind());
  }

  @Test
  @DisplayName("truncate: the last data byte goes, the status word stays")
  void truncate() {
    FaultInjectingTransport t = wrap("truncate@1");
    assertEquals(ResponseApdu.parse("019000"), t.transmit(command(1)));
  }

  @Test
  @DisplayName("truncate of a bare status word: SW1 alone, a response without a status word")
  void truncateStatusWord() {
    reader.emptyAnswers = true;
    FaultInjectingTransport t = wrap("truncate@1");
    assertEquals(
        TransportException.Kind.BAD_RESPONSE,
        assertThrows(TransportException.class, () -> t.transmit(command(1))).kind());
  }

  @Test
  @DisplayName("flip-byte: the last data byte is inverted; without data, SW2 is")
  void flipByte() {
    assertEquals(ResponseApdu.parse("01FE9000"), wrap("flip-byte@1").transmit(command(1)));
    reader.emptyAnswers = true;
    assertEquals(ResponseApdu.parse("90FF"), wrap("flip-byte@1").transmit(command(1)));
  }

  @Test
  @DisplayName("wrong-sw: a bare 6F00, the data dropped")
  void wrongSw() {
    FaultInjectingTransport t = wrap("wrong-sw@2");
    t.transmit(command(1));
    assertEquals(ResponseApdu.of(0x6F00), t.transmit(command(2)));
    assertEquals(2, reader.received.size(), "the device processed the command");
  }

  @Test
  @DisplayName("duplicate: answer N again for N+1, command N+1 delivered and its answer lost")
  void duplicate() {
    FaultInjectingTransport t = wrap("duplicate@1");
    assertEquals(ResponseApdu.parse("01019000"), t.transmit(command(1)));
    assertEquals(ResponseApdu.parse("01019000"), t.transmit(command(2)));
    assertEquals(2, reader.received.size());
    assertEquals(ResponseApdu.parse("03039000"), t.transmit(command(3)));
  }

  @Test
  @DisplayName("duplicate then a fault on N+1: the replayed answer is the one faulted")
  void duplicateThenFlip() {
    FaultInjectingTransport t = wrap("duplicate@1", "flip-byte@2");
    t.transmit(command(1));
    assertEquals(ResponseApdu.parse("01FE9000"), t.transmit(command(2)));
  }

  @Test
  @DisplayName("duplicate before a lost tag: dropped, the next answer is the device's own")
  void duplicateDroppedWhenNextFails() throws InterruptedException {
    FaultInjectingTransport t = wrap("duplicate@1", "tag-lost@2");
    t.transmit(command(1));
    assertThrows(TransportException.class, () -> t.transmit(command(2)));
    t.awaitTarget(Duration.ZERO);
    assertEquals(ResponseApdu.parse("03039000"), t.transmit(command(3)));
  }

  @Test
  @DisplayName("response faults at one exchange apply in the order given")
  void order() {
    assertEquals(
        ResponseApdu.parse("FE9000"), wrap("truncate@1", "flip-byte@1").transmit(command(1)));
    assertEquals(
        ResponseApdu.parse("019000"), wrap("flip-byte@1", "truncate@1").transmit(command(1)));
  }

  @Test
  @DisplayName("failures of the wrapped reader pass through unchanged")
  void innerFailuresPassThrough() {
    NfcTransport broken =
        new ScriptedReader() {
          @Override
          public ResponseApdu transmit(CommandApdu command) {
            throw new TransportException(TransportException.Kind.READER_GONE, "unplugged");
          }
        };
    FaultInjectingTransport t =
        FaultInjectingTransport.wrap(
            broken, Fault.parseAll(List.of("flip-byte@1")), clock, T_APDU, notes::add);
    TransportException e = assertThrows(TransportException.class, () -> t.transmit(command(1)));
    assertEquals(TransportException.Kind.READER_GONE, e.kind());
    assertTrue(notes.isEmpty());
  }

  @Test
  @DisplayName("the description names the faults, so the report's reader field shows them")
  void description() {
    assertEquals(
        "scripted reader [injected faults: tag-lost@1, delay:200ms@3]",
        wrap("tag-lost@1", "delay:200ms@3").description());
  }

  @ParameterizedTest
  @CsvSource({
    "tag-lost@1, TAG_LOST, 1, 0",
    "timeout@12, TIMEOUT, 12, 0",
    "truncate@3, TRUNCATE, 3, 0",
    "flip-byte@30, FLIP_BYTE, 30, 0",
    "wrong-sw@4, WRONG_SW, 4, 0",
    "duplicate@5, DUPLICATE, 5, 0",
    "delay:200ms@6, DELAY, 6, 200",
    "delay:5s@7, DELAY, 7, 5000",
    "' Delay:1.5s @ 8 ', DELAY, 8, 1500",
  })
  @DisplayName("KIND@N parses, and its spec reads back as the same fault")
  void parses(String spec, Fault.Kind kind, int exchange, long delayMillis) {
    Fault fault = Fault.parse(spec);
    assertEquals(kind, fault.kind());
    assertEquals(exchange, fault.exchange());
    assertEquals(Duration.ofMillis(delayMillis), fault.delay());
    assertEquals(fault, Fault.parse(fault.spec()));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "tag-lost",
        "@3",
        "tag-lost@",
        "tag-lost@0",
        "tag-lost@-1",
        "tag-lost@x",
        "tag-lost@99999999999",
        "lost@3",
        "timeout:5s@3",
        "delay@3",
        "delay:@3",
        "delay:soon@3",
        "delay:0ms@3",
        "delay:0.4ms@3",
        "delay:-1s@3",
      })
  @DisplayName("a bad spec is refused with one line naming it")
  void refuses(String spec) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Fault.parse(spec));
    assertTrue(e.getMessage().startsWith("fault \"" + spec + "\": "), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
  }

  @Test
  @DisplayName("the same fault twice, or tag-lost and timeout on one exchange, are refused")
  void refusesConflicts() {
    assertEquals(
        "fault \"flip-byte@3\": given twice",
        assertThrows(
                IllegalArgumentException.class,
                () -> Fault.parseAll(List.of("flip-byte@3", "flip-byte@3")))
            .getMessage());
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () -> Fault.parseAll(List.of("tag-lost@3", "timeout@3")))
            .getMessage()
            .contains("choose one"));
    assertEquals(3, Fault.parseAll(List.of("tag-lost@3", "timeout@4", "flip-byte@3")).size());
  }

  @Test
  @DisplayName("an unknown kind lists the kinds")
  void unknownKindListsKinds() {
    assertEquals(
        "fault \"lost@3\": unknown kind \"lost\" (kinds: tag-lost, timeout, truncate, flip-byte,"
            + " wrong-sw, duplicate, delay:DURATION)",
        assertThrows(IllegalArgumentException.class, () -> Fault.parse("lost@3")).getMessage());
  }
}
