package dev.dkrig.benchmarks;

import dev.dkrig.ccc.sm.ChannelKind;
import dev.dkrig.ccc.sm.SecureChannel;
import dev.dkrig.ccc.sm.SessionKeys;
import dev.dkrig.dump.DumpWriter;
import dev.dkrig.dump.RecordingTransport;
import dev.dkrig.iso7816.CommandApdu;
import dev.dkrig.iso7816.ContactlessCard;
import dev.dkrig.iso7816.Hex;
import dev.dkrig.iso7816.ResponseApdu;
import dev.dkrig.iso7816.Tlv;
import dev.dkrig.pairing.RunListener;
import dev.dkrig.pairing.Step;
import dev.dkrig.report.ApduLog;
import dev.dkrig.report.EventsLog;
import dev.dkrig.report.EvidenceTransport;
import dev.dkrig.report.PcapngCapture;
import dev.dkrig.report.RunContext;
import dev.dkrig.report.TraceLog;
import dev.dkrig.report.WireListener;
import dev.dkrig.testing.Vectors;
import dev.dkrig.time.RigClock;
import dev.dkrig.transport.NfcTransport;
import dev.dkrig.transport.VirtualNfcTransport;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Issue 10: the rig's own cost per APDU, piece by piece, with no pcscd and no device time. The card
 * answers from memory; the transport stack is the one a recorded run uses ({@link
 * RecordingTransport} over the in-process transport), and the listeners are every report a run can
 * write (APDU log, trace, events, pcapng), writing to a sink that discards. Plus the TLV codec on
 * the contract's 600-byte key-creation stream and each secure channel on a full WRITE DATA chunk.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(1)
public class RigOverheadBenchmark {
  private static final byte[] ANSWER = Hex.decode("5A04010101005C0401010100D401029000");
  private static final CommandApdu SELECT =
      CommandApdu.parse(Hex.decode("00A404000DA000000809434343444B46763100"));

  private NfcTransport bare;
  private NfcTransport stack;
  private RunListener listeners;
  private RigClock clock;

  private byte[] stream;
  private List<Tlv> parsed;

  private SessionKeys keys;
  private SecureChannel vehicleFramework;
  private SecureChannel deviceFramework;
  private SecureChannel vehicleApplet;
  private SecureChannel deviceApplet;
  private byte[] chunk;
  private byte[] answer;

  @Setup(Level.Trial)
  public void setUp() {
    clock = RigClock.system();
    ContactlessCard card =
        new ContactlessCard() {
          @Override
          public void activate() {}

          @Override
          public byte[] process(byte[] command) {
            return ANSWER;
          }

          @Override
          public void deactivate() {}
        };
    bare = new VirtualNfcTransport(card, () -> true, clock, Duration.ofSeconds(5));
    bare.startPolling();
    present(bare);
    PrintWriter discard = new PrintWriter(Writer.nullWriter());
    // As Bench.prepare wires a run: the evidence decorator outermost, the writers on its context.
    RunContext wire = RunContext.forPairing();
    stack =
        EvidenceTransport.wrap(
            new RecordingTransport(
                new VirtualNfcTransport(card, () -> true, clock, Duration.ofSeconds(5)),
                new DumpWriter(discard, clock.now()),
                clock),
            wire,
            clock);
    stack.startPolling();
    present(stack);
    ApduLogRing ring = new ApduLogRing();
    TraceLog trace = new TraceLog(discard, List.of("benchmark"));
    PcapngCapture pcapng =
        new PcapngCapture(OutputStream.nullOutputStream(), "dkrig", List.of(), "bench");
    wire.listen(ring);
    wire.listen(trace);
    wire.listen(pcapng);
    listeners =
        RunListener.all(
            List.of(
                wire.pairingSteps(),
                ring,
                trace,
                new EventsLog(discard, List.of("benchmark")),
                pcapng));

    stream = Vectors.hex("kcd.stream");
    parsed = Tlv.parseAll(stream);

    keys =
        new SessionKeys(new byte[16], Hex.decode("000102030405060708090A0B0C0D0E0F"), new byte[16]);
    chunk = java.util.Arrays.copyOf(stream, 239);
    answer = new byte[0];
    openChannels();
  }

  private static void present(NfcTransport transport) {
    try {
      if (!transport.awaitTarget(Duration.ofSeconds(1))) {
        throw new IllegalStateException("the in-memory card did not come up");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Fresh channels (the counters are one byte, §6.1): every 250 round trips. */
  private void openChannels() {
    vehicleFramework = SecureChannel.open(ChannelKind.FRAMEWORK, keys);
    deviceFramework = SecureChannel.open(ChannelKind.FRAMEWORK, keys);
    vehicleApplet = SecureChannel.open(ChannelKind.APPLET, keys);
    deviceApplet = SecureChannel.open(ChannelKind.APPLET, keys);
  }

  /** The bare in-process exchange: command out, the card's bytes back, parsed. */
  @Benchmark
  public ResponseApdu transportBare() {
    return bare.transmit(SELECT);
  }

  /** The same exchange through the recording and evidence decorators and every report writer. */
  @Benchmark
  public ResponseApdu transportFullStack() {
    Instant sent = clock.now();
    ResponseApdu response = stack.transmit(SELECT);
    listeners.exchange(Step.P2_1, SELECT, response, sent, clock.now());
    return response;
  }

  @Benchmark
  public List<Tlv> tlvParse600() {
    return Tlv.parseAll(stream);
  }

  @Benchmark
  public byte[] tlvEncode600() {
    return Tlv.encodeAll(parsed);
  }

  /**
   * Vehicle wraps a 239-byte WRITE DATA chunk; device checks and unwraps it; both ends of R-MAC.
   */
  @Benchmark
  public void frameworkChannelRoundTrip(Blackhole hole) {
    if (vehicleFramework.counter() > 250) {
      openChannels();
    }
    CommandApdu command = vehicleFramework.protectCommand(0xD4, 0x00, 0x00, chunk);
    hole.consume(deviceFramework.unprotectCommand(command));
    ResponseApdu response = deviceFramework.protectResponse(answer, 0x9000);
    hole.consume(vehicleFramework.unprotectResponse(response));
  }

  /** The same on the DK applet channel (EXCHANGE-sized chunk). */
  @Benchmark
  public void appletChannelRoundTrip(Blackhole hole) {
    if (vehicleApplet.counter() > 250) {
      openChannels();
    }
    CommandApdu command = vehicleApplet.protectCommand(0xC9, 0x00, 0x00, chunk);
    hole.consume(deviceApplet.unprotectCommand(command));
    ResponseApdu response = deviceApplet.protectResponse(answer, 0x9000);
    hole.consume(vehicleApplet.unprotectResponse(response));
  }

  /** An APDU log that keeps a bounded window, so a long benchmark measures cost, not growth. */
  private static final class ApduLogRing implements RunListener, WireListener {
    private ApduLog log = new ApduLog();
    private int n;

    @Override
    public void exchange(
        RunContext.Label step,
        CommandApdu command,
        ResponseApdu response,
        Instant sent,
        Instant received) {
      if (++n % 1024 == 0) {
        log = new ApduLog();
      }
      log.exchange(step, command, response, sent, received);
    }
  }
}
