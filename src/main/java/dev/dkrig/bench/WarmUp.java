package dev.dkrig.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dkrig.ble.Advertiser;
import dev.dkrig.ccc.StatusWord;
import dev.dkrig.ccc.spake2.ScryptParameters;
import dev.dkrig.ccc.spake2.Verifier;
import dev.dkrig.device.DeviceSettings;
import dev.dkrig.device.T1Material;
import dev.dkrig.device.VirtualDevice;
import dev.dkrig.iso7816.CommandApdu;
import dev.dkrig.iso7816.Hex;
import dev.dkrig.iso7816.ResponseApdu;
import dev.dkrig.pairing.DkRecord;
import dev.dkrig.pairing.OwnerPairing;
import dev.dkrig.pairing.RunListener;
import dev.dkrig.pairing.VehicleSettings;
import dev.dkrig.pairing.VehicleStore;
import dev.dkrig.pairing.VerifierSource;
import dev.dkrig.random.SeededDraws;
import dev.dkrig.report.ApduLog;
import dev.dkrig.report.EvidenceTransport;
import dev.dkrig.report.JsonReport;
import dev.dkrig.report.ReportOutputs;
import dev.dkrig.report.RunContext;
import dev.dkrig.state.StateStore;
import dev.dkrig.time.TimerName;
import dev.dkrig.time.VirtualClock;
import dev.dkrig.transport.DecoratingTransport;
import dev.dkrig.transport.NfcTransport;
import dev.dkrig.transport.VirtualNfcTransport;
import dev.dkrig.transport.WarmingTransport;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 20: while the car waits for the phone, a low-priority thread runs whole throwaway pairings
 * (dkrig's own vehicle against its virtual device, in memory, on a virtual clock), so the first
 * real exchanges meet loaded classes and compiled code on every path a pairing takes: the phases
 * and the kernel, SPAKE2+, the secure channels with GET RESPONSE chaining, certificate parsing and
 * chain checks, the attestation, the standard transactions, the receipt, the records' JSON and the
 * evidence writers (trace, pcapng, events, APDU log), opened as a run opens them but writing into
 * the null device. It goes on pairing after pairing until the device is there or its budget is
 * spent, and keeps eden roomy between two pairings ({@link EdenRoom}), so that the real pairing
 * meets neither an idle core nor a collection of the warm-up's garbage.
 *
 * <p>Inputs are the contract's public T1 test material (the embedded default profile's test PKI,
 * the T1 device) and a seeded generator of its own, never the run's keys or its random stream; its
 * DK records are serialised as the state store writes them, then dropped: nothing of it reaches a
 * disk (it starts at launch, so a process that ends at once must find nothing to clean up). Each
 * exchange is one slice; {@link #stop()} takes effect before the next one: the throwaway pairing
 * unwinds there. {@code DKRIG_WARMUP=off} turns it off.
 */
public final class WarmUp implements WarmingTransport.Warmer {
  private static final Logger LOG = LoggerFactory.getLogger(WarmUp.class);

  /** The most a warm-up runs: enough for the compilers, not a core burnt for a whole wait. */
  static final Duration BUDGET = Duration.ofSeconds(20);

  /** Its own seed: the warm-up's scalars are unrelated to any run's ("WARM"). */
  private static final long SEED = 0x5741524DL;

  /**
   * The throwaway verifier's scrypt cost: the code path is the run's, the memory is not worth
   * spending (the run's own derivation warms its loops).
   */
  private static final int SCRYPT_N = 16;

  private final Duration budget;
  private final AtomicLong slices = new AtomicLong();
  private final AtomicLong pairings = new AtomicLong();
  private volatile boolean stopped;
  private Thread thread;

  WarmUp(Duration budget) {
    this.budget = budget;
  }

  /** Started at launch of a single pairing ({@link #startAtLaunch}), until a bench claims it. */
  private static WarmUp early;

  /**
   * The warm-up for a run's reader: a single pairing's, running since launch; otherwise a new one,
   * which {@link WarmingTransport} starts when a poll finds nothing. The reader stops it when the
   * device is there.
   */
  public static synchronized WarmUp create() {
    WarmUp claimed = early;
    early = null;
    return claimed == null ? new WarmUp(BUDGET) : claimed;
  }

  /**
   * At launch of a single pairing: the warm-up starts now, beside picocli and the profile ahead,
   * rather than once a poll finds nothing, so that a device already there meets warmer code. Does
   * nothing when {@code DKRIG_WARMUP=off}.
   */
  public static synchronized void startAtLaunch(Map<String, String> environment) {
    if (early == null && enabled(environment)) {
      early = new WarmUp(BUDGET);
      early.start();
    }
  }

  /** False when {@code DKRIG_WARMUP=off} (comparisons without it). */
  public static boolean enabled(Map<String, String> environment) {
    return !"off".equalsIgnoreCase(environment.getOrDefault("DKRIG_WARMUP", "on").strip());
  }

  @Override
  public synchronized void start() {
    if (stopped || thread != null) {
      return;
    }
    thread = new Thread(this::run, "dkrig-warmup");
    thread.setDaemon(true);
    thread.setPriority(Thread.MIN_PRIORITY);
    thread.start();
  }

  @Override
  public void stop() {
    stopped = true;
  }

  @Override
  public synchronized boolean started() {
    return thread != null;
  }

  /** How many slices ran so far. */
  long slices() {
    return slices.get();
  }

  /** How many throwaway pairings ended so far. */
  long pairings() {
    return pairings.get();
  }

  /** Whether the thread has ended (never started counts as ended). */
  synchronized boolean finished() {
    return thread == null || !thread.isAlive();
  }

  /** One whole throwaway pairing on this thread; it must pass (tests). */
  static void runEachOnce() {
    Work work = new Work();
    String verdict = work.pairing(() -> true);
    if (!verdict.equals("PASS")) {
      throw new IllegalStateException("the warm-up's pairing ended " + verdict);
    }
    work.report();
  }

  private void run() {
    long end = System.nanoTime() + budget.toNanos();
    BooleanSupplier proceed =
        () -> {
          if (stopped || System.nanoTime() >= end) {
            return false;
          }
          slices.incrementAndGet();
          return true;
        };
    try {
      Work work = new Work();
      // Making the bench (the profile, the test PKI, the verifier) is the first slice.
      slices.incrementAndGet();
      // Until the device is there (or the budget is spent): the compilers finish what the first
      // pairings queued, the caches stay filled with the pairing's code and data, and the core the
      // real pairing will run on never idles into its slow first millisecond.
      while (proceed.getAsBoolean()) {
        work.pairing(proceed);
        if (stopped) {
          // The device is there: the report and eden's care would take the other core (and
          // eden's first look loads the JDK's management classes) while the run exchanges.
          break;
        }
        work.report();
        pairings.incrementAndGet();
        EdenRoom.keep(EdenRoom.RESERVE, proceed);
      }
    } catch (RuntimeException | Error e) {
      // A warm-up must never disturb the run: its failure is only noted (an Error too: running
      // from launch, it must not print a stack trace into the run's console).
      LOG.debug("warm-up failed: {}", e.toString());
    }
  }

  /** What a stopped warm-up throws from inside its pairing, to unwind it at once. */
  private static final class Stopped extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Stopped() {
      super("warm-up stopped", null, false, false);
    }
  }

  /** The throwaway bench the pairings run on, made on the warm-up thread. */
  private static final class Work {
    private static final PrintWriter NOWHERE = new PrintWriter(Writer.nullWriter());

    /** The null device, where there is one to write to. */
    private static final Optional<Path> SINK =
        Optional.of(Path.of("/dev/null"))
            .filter(p -> Files.isWritable(p) && !Files.isRegularFile(p));

    /** The evidence files a run streams, all into the null device (or not written at all). */
    private static final ReportOutputs.Files SINK_FILES =
        new ReportOutputs.Files(
            Optional.empty(), Optional.empty(), SINK, SINK, SINK, Optional.empty());

    private final VehicleSettings vehicle;
    private final DeviceSettings device = DeviceSettings.t1();
    private final Map<TimerName, Duration> timers = new EnumMap<>(TimerName.class);

    private int pairings;

    Work() {
      Verifier verifier =
          Verifier.provision(
              T1Material.PASSWORD,
              new ScryptParameters(Hex.decode(T1Material.SCRYPT_SALT), SCRYPT_N, 1, 1));
      // Parsed here, never taken from the launch's work ahead: that one is the run's.
      ConfigSource embedded = ConfigSource.embedded(VehicleProfile.EMBEDDED);
      vehicle =
          VehicleProfile.parse(embedded, ConfigNode.read(embedded))
              .settings()
              .withVerifier(new VerifierSource.Provisioned(verifier));
      timers.put(TimerName.T_KtsPollInterval, Duration.ofMillis(50));
    }

    /** One pairing; {@code proceed} is asked before every exchange. Returns the verdict. */
    String pairing(BooleanSupplier proceed) {
      pairings++;
      VirtualClock clock = new VirtualClock(T1Material.VEHICLE_CLOCK);
      SeededDraws draws = new SeededDraws(SEED + pairings);
      VirtualDevice phone = new VirtualDevice(device, draws, clock, clock);
      NfcTransport reader =
          new Stoppable(
              new VirtualNfcTransport(phone, () -> true, clock, TimerName.T_Apdu.defaultValue()),
              proceed);
      RunContext wire = RunContext.forPairing();
      ApduLog apdus = new ApduLog();
      wire.listen(apdus);
      // The trace, events and pcapng as a run's outputs open them: into files, so that the real
      // run's writers meet compiled code down to the file channel; the file is the null device.
      ReportOutputs outputs = new ReportOutputs(SINK_FILES, NOWHERE, NOWHERE);
      RunListener files =
          outputs.open(
              List.of("dkrig warm-up"),
              "none",
              SINK.isEmpty() ? Optional.of(NOWHERE) : Optional.empty(),
              wire);
      OwnerPairing pairing =
          new OwnerPairing(
              vehicle,
              EvidenceTransport.wrap(reader, wire, clock),
              Advertiser.disabled(),
              clock,
              timers,
              draws,
              NO_STATE,
              RunListener.all(List.of(wire.pairingSteps(), apdus, files)));
      String verdict;
      try {
        verdict = pairing.run().verdict().toString();
      } finally {
        outputs.close();
      }
      return verdict;
    }

    /** A small report as the JSON renderer writes one. */
    void report() {
      ObjectNode node = JsonNodeFactory.instance.objectNode();
      node.put("schema", JsonReport.SCHEMA);
      node.put("command", Hex.encode(T1Material.vehicleIdentifier()));
      node.put("status", StatusWord.describe(StatusWord.SUCCESS));
      node.putArray("steps").addObject().put("id", "P2.3").put("result", "PASS");
      JsonReport.text(node);
    }
  }

  /**
   * The state of the warm-up's pairings: records serialised as the state store does, then dropped.
   */
  private static final VehicleStore NO_STATE =
      new VehicleStore() {
        @Override
        public int attempts(Verifier verifier) {
          return 0;
        }

        @Override
        public OptionalInt reserveAttempt(Verifier verifier, int limit, Instant at) {
          return OptionalInt.of(1);
        }

        @Override
        public void flush() {}

        @Override
        public void save(DkRecord record, Object origin) {
          StateStore.serialized(record);
        }

        @Override
        public void delete(DkRecord record) {}
      };

  /** The throwaway reader: before every poll and exchange it asks whether to go on. */
  private record Stoppable(NfcTransport inner, BooleanSupplier proceed)
      implements DecoratingTransport {
    @Override
    public boolean awaitTarget(Duration wait) throws InterruptedException {
      if (!proceed.getAsBoolean()) {
        throw new Stopped();
      }
      return inner.awaitTarget(wait);
    }

    @Override
    public ResponseApdu transmit(CommandApdu command) {
      if (!proceed.getAsBoolean()) {
        throw new Stopped();
      }
      return inner.transmit(command);
    }
  }
}
