package dev.dkrig.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.dkrig.iso7816.CommandApdu;
import dev.dkrig.iso7816.ResponseApdu;
import dev.dkrig.pairing.RunListener;
import dev.dkrig.pairing.Step;
import dev.dkrig.time.VirtualClock;
import dev.dkrig.transport.NfcTransport;
import dev.dkrig.transport.TransportException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Issue 17 item 3: the evidence is a decorator on the wire. What the transport carried reaches the
 * trace, pcapng and APDU log under the step the run context names, timed on the run's clock, in the
 * order the listeners of a pairing would have written it.
 */
class EvidenceTransportTest {
  private static final Instant START = Instant.parse("2026-11-27T12:00:00Z");
  private static final CommandApdu SELECT =
      CommandApdu.parse("00A404000DA000000809434343444B46763100");
  private static final CommandApdu ABORT = CommandApdu.of(0x80, 0x3C, 0x12, 0x00);

  private final VirtualClock clock = new VirtualClock(START);
  private final List<String> wire = new ArrayList<>();

  /** A reader whose answers take 2 ms; a command with INS 3C loses the tag. */
  private final NfcTransport reader =
      new NfcTransport() {
        @Override
        public String description() {
          return "test reader";
        }

        @Override
        public void startPolling() {}

        @Override
        public boolean awaitTarget(Duration wait) {
          return true;
        }

        @Override
        public ResponseApdu transmit(CommandApdu command) {
          clock.advance(Duration.ofMillis(2));
          wire.add("transmit " + command.ins());
          if (command.ins() == 0x3C) {
            throw new TransportException(TransportException.Kind.TAG_LOST, "gone");
          }
          return ResponseApdu.parse(new byte[] {(byte) 0x90, 0x00});
        }

        @Override
        public ResponseApdu transmitRaw(byte[] apdu) {
          wire.add("raw " + apdu.length);
          return ResponseApdu.parse(new byte[] {0x67, 0x00});
        }

        @Override
        public void reset() {
          wire.add("reset");
        }

        @Override
        public void stopPolling() {}

        @Override
        public void close() {}
      };

  /** Everything a writer hears, as text. */
  private final class Heard implements WireListener {
    final List<String> lines = new ArrayList<>();

    @Override
    public void exchange(
        RunContext.Label step,
        CommandApdu command,
        ResponseApdu response,
        Instant sent,
        Instant received) {
      lines.add(
          step.id()
              + " "
              + command.ins()
              + " -> "
              + (response == null ? "none" : Integer.toHexString(response.sw()))
              + " "
              + Duration.between(START, sent).toMillis()
              + ".."
              + Duration.between(START, received).toMillis()
              + " ms"
              + (step.step() == null ? "" : " " + step.step().name()));
    }

    @Override
    public void rawExchange(
        RunContext.Label step,
        byte[] command,
        ResponseApdu response,
        Instant sent,
        Instant received) {
      lines.add(step.id() + " raw " + command.length + " -> " + Integer.toHexString(response.sw()));
    }

    @Override
    public void fieldReset(Instant at) {
      lines.add("field reset");
    }
  }

  private final Heard heard = new Heard();

  /** The test reader under the evidence decorator, {@link #heard} listening. */
  private NfcTransport wired(RunContext context) {
    context.listen(heard);
    return EvidenceTransport.wrap(reader, context, clock);
  }

  @Test
  @DisplayName("a named step labels the exchanges that follow; each is timed around the wire")
  void namedStepsLabelExchanges() {
    RunContext context = RunContext.named();
    NfcTransport transport = wired(context);

    context.step(RunContext.Label.of("s1"));
    transport.transmit(SELECT);
    context.step(RunContext.Label.of("s2"));
    transport.transmit(SELECT);
    transport.reset();

    assertEquals(
        List.of("s1 164 -> 9000 0..2 ms", "s2 164 -> 9000 2..4 ms", "field reset"), heard.lines);
    assertEquals(List.of("transmit 164", "transmit 164", "reset"), wire);
  }

  @Test
  @DisplayName("a lost tag goes down with no response and reaches the caller unchanged")
  void failedExchangeIsRecordedAndRethrown() {
    RunContext context = RunContext.named();
    NfcTransport transport = wired(context);
    context.step(RunContext.Label.of("s3"));

    TransportException lost =
        assertThrows(TransportException.class, () -> transport.transmit(ABORT));

    assertEquals(TransportException.Kind.TAG_LOST, lost.kind());
    assertEquals(List.of("s3 60 -> none 0..2 ms"), heard.lines);
  }

  @Test
  @DisplayName("raw bytes go to the reader's own transmitRaw and down as a raw exchange")
  void rawExchange() {
    byte[] bytes = {0x00, (byte) 0xA4, 0x04, 0x00, 0x05, 0x01};

    ResponseApdu response = wired(RunContext.named()).transmitRaw(bytes);

    assertEquals(0x6700, response.sw());
    assertEquals(List.of("raw 6"), wire);
    assertEquals(List.of(" raw 6 -> 6700"), heard.lines);
  }

  @Test
  @DisplayName(
      "a pairing names each exchange's step after the wire: the exchange waits for that name")
  void pairingNamesTheStepAfterTheExchange() {
    RunContext context = RunContext.forPairing();
    RunListener steps = context.pairingSteps();
    NfcTransport transport = wired(context);

    ResponseApdu response = transport.transmit(SELECT);
    assertEquals(List.of(), heard.lines, "not written before the pairing names its step");
    steps.exchange(Step.P2_1, SELECT, response, START, clock.now());
    assertEquals(List.of("P2.1 164 -> 9000 0..2 ms P2_1"), heard.lines);

    transport.transmit(SELECT);
    transport.reset();
    assertEquals(
        List.of("P2.1 164 -> 9000 0..2 ms P2_1", "P2.1 164 -> 9000 2..4 ms P2_1", "field reset"),
        heard.lines,
        "an exchange never named goes down under the last step before the next event");
  }

  @Test
  @DisplayName(
      "pair: the trace's lines stay in the listeners' order (plaintext, APDU, response plaintext)")
  void traceOrderInAPairing() {
    StringWriter text = new StringWriter();
    TraceLog trace = new TraceLog(new PrintWriter(text), List.of());
    RunContext context = RunContext.forPairing();
    context.listen(trace);
    RunListener listener = RunListener.all(List.of(context.pairingSteps(), trace));
    NfcTransport transport = EvidenceTransport.wrap(reader, context, clock);

    listener.stepStarted(Step.P2_3, clock.now());
    listener.plaintext(Step.P2_3, true, "AABB");
    Instant sent = clock.now();
    ResponseApdu response = transport.transmit(SELECT);
    listener.exchange(Step.P2_3, SELECT, response, sent, clock.now());
    listener.plaintext(Step.P2_3, false, "CC");

    List<String> lines = text.toString().lines().map(String::strip).toList();
    assertEquals(5, lines.size(), text.toString());
    assertEquals(
        "2026-11-27T12:00:00.000Z P2.3     # step P2.3 " + Step.P2_3.title(), lines.get(0));
    assertEquals("P2.3       plain >> AABB", lines.get(1));
    assertEquals(
        "2026-11-27T12:00:00.000Z P2.3     >> 00A40400 0D A000000809434343444B467631 00",
        lines.get(2));
    assertEquals("2026-11-27T12:00:00.002Z P2.3     << 9000 (2 ms)", lines.get(3));
    assertEquals("P2.3       plain << CC", lines.get(4));
  }

  @Test
  @DisplayName("the APDU log keeps the pairing's step and the command as sent")
  void apduLogFromTheWire() {
    ApduLog log = new ApduLog();
    RunContext context = RunContext.forPairing();
    context.listen(log);
    NfcTransport transport = EvidenceTransport.wrap(reader, context, clock);

    ResponseApdu response = transport.transmit(SELECT);
    context.pairingSteps().exchange(Step.P2_1, SELECT, response, START, clock.now());

    ApduLog.Entry entry = log.entries().get(0);
    assertEquals(Step.P2_1, entry.step());
    assertSame(SELECT, entry.command());
    assertArrayEquals(response.bytes(), entry.response().bytes());
    assertEquals(Duration.ofMillis(2), entry.duration());
  }

  /** A writer whose disk is full. */
  private static final class Broken implements RunListener, WireListener {
    int calls;

    @Override
    public void exchange(
        RunContext.Label step,
        CommandApdu command,
        ResponseApdu response,
        Instant sent,
        Instant received) {
      calls++;
      throw new java.io.UncheckedIOException(new java.io.IOException("No space left on device"));
    }
  }

  @Test
  @DisplayName(
      "a writer that fails goes quiet with one message; the exchange still reaches the vehicle")
  void failingWriterNeverBreaksTheTransport() {
    RunContext context = RunContext.named();
    StringWriter err = new StringWriter();
    Broken broken = new Broken();
    GuardedListener guarded = new GuardedListener("trace", broken, new PrintWriter(err));
    context.listen(guarded);
    NfcTransport transport = EvidenceTransport.wrap(reader, context, clock);

    assertEquals(0x9000, transport.transmit(SELECT).sw());
    assertEquals(0x9000, transport.transmit(SELECT).sw());

    assertEquals(1, broken.calls);
    assertEquals(true, guarded.failed());
    assertEquals(
        "dkrig: the trace stopped being written: java.io.IOException: No space left on device",
        err.toString().strip());
  }
}
