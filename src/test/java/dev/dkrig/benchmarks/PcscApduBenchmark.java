package dev.dkrig.benchmarks;

import dev.dkrig.emulate.VpcdCardServer;
import dev.dkrig.iso7816.CommandApdu;
import dev.dkrig.iso7816.ContactlessCard;
import dev.dkrig.iso7816.Hex;
import dev.dkrig.iso7816.ResponseApdu;
import dev.dkrig.pairing.RunListener;
import dev.dkrig.pairing.Step;
import dev.dkrig.report.ApduLog;
import dev.dkrig.report.EvidenceTransport;
import dev.dkrig.report.RunContext;
import dev.dkrig.testing.Pcscd;
import dev.dkrig.testing.Poll;
import dev.dkrig.time.RigClock;
import dev.dkrig.time.TimerName;
import dev.dkrig.time.Timers;
import dev.dkrig.transport.pcsc.PcscTransport;
import dev.dkrig.transport.pcsc.ReaderSelection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.smartcardio.Card;
import javax.smartcardio.CardChannel;
import javax.smartcardio.CommandAPDU;
import javax.smartcardio.TerminalFactory;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 4: the rig's per-APDU cost against a bare javax.smartcardio transmit loop, on the same vpcd
 * card through the same pcscd, in one run. The card answers at once, so the difference is the rig's
 * own work per APDU: its transport (T_Apdu, error mapping, response parsing), the timer check and
 * the listener fan-out that feeds reports. Needs root (it starts pcscd).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 10, time = 2)
@Fork(1)
public class PcscApduBenchmark {
  /** A SELECT-sized command and a typical 20-byte answer. */
  private static final byte[] COMMAND = Hex.decode("00A404000DA000000809434343444B46763100");

  private static final byte[] ANSWER = Hex.decode("5A04010101005C0401010100D401029000");

  private VpcdCardServer server;
  private CardChannel bare;
  private PcscTransport rig;
  private CommandApdu rigCommand;
  private Timers timers;
  private RunListener listeners;
  private dev.dkrig.transport.NfcTransport wired;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    Pcscd.shared();
    ContactlessCard echo =
        new ContactlessCard() {
          @Override
          public void activate() {}

          @Override
          public byte[] process(byte[] command) {
            return ANSWER.clone();
          }

          @Override
          public void deactivate() {}
        };
    server = VpcdCardServer.builder(echo).port(Pcscd.PORT_0).build().start();
    var terminal =
        TerminalFactory.getInstance("PC/SC", null).terminals().getTerminal(Pcscd.READER_0);
    Poll.until(Duration.ofSeconds(20), () -> present(terminal), "the vpcd card to appear");
    Card card = terminal.connect("*");
    bare = card.getBasicChannel();
    rig =
        new PcscTransport(
            new ReaderSelection(Optional.of(Pcscd.READER_0), List.of()),
            Duration.ofSeconds(5),
            RigClock.system());
    rig.startPolling();
    rig.awaitTarget(Duration.ofSeconds(5));
    rigCommand = CommandApdu.parse(COMMAND);
    timers = new Timers(RigClock.system(), Map.of());
    timers.start(TimerName.T_OwnerPairing);
    timers.start(TimerName.T_PairingModeTimeout);
  }

  private static boolean present(javax.smartcardio.CardTerminal terminal) {
    try {
      return terminal.isCardPresent();
    } catch (javax.smartcardio.CardException e) {
      return false;
    }
  }

  /** A run logs about 30 APDUs; a fresh log per iteration keeps millions of them from piling up. */
  @Setup(Level.Iteration)
  public void freshLog() {
    ApduLog log = new ApduLog();
    RunContext wire = RunContext.forPairing();
    wire.listen(log);
    wired = EvidenceTransport.wrap(rig, wire, RigClock.system());
    listeners = RunListener.all(List.of(wire.pairingSteps(), log, new RunListener() {}));
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    rig.close();
    server.close();
  }

  /** javax.smartcardio alone: what any PC/SC tool pays per APDU. */
  @Benchmark
  public Object bareTransmit() throws Exception {
    return bare.transmit(new CommandAPDU(COMMAND));
  }

  /** The rig's path for one APDU, as OwnerPairing sends it, through the evidence decorator. */
  @Benchmark
  public Object rigTransmit() {
    timers.firstExpired(TimerName.T_OwnerPairing, TimerName.T_PairingModeTimeout);
    Instant sent = Instant.now();
    ResponseApdu response = wired.transmit(rigCommand);
    listeners.exchange(Step.P2_1, rigCommand, response, sent, Instant.now());
    return response;
  }
}
