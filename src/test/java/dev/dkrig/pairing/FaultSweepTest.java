package dev.dkrig.pairing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dkrig.ble.Advertiser;
import dev.dkrig.ble.AdvertisingData;
import dev.dkrig.ccc.Ins;
import dev.dkrig.iso7816.CommandApdu;
import dev.dkrig.iso7816.Hex;
import dev.dkrig.report.ApduLog;
import dev.dkrig.report.JsonReport;
import dev.dkrig.report.Preamble;
import dev.dkrig.report.RunMetadata;
import dev.dkrig.time.TimerName;
import dev.dkrig.transport.FaultInjectingTransport;
import dev.dkrig.transport.FaultInjectingTransport.Fault;
import dev.dkrig.transport.NfcTransport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9: every fault kind at every exchange of a default pairing ends as the contract prescribes
 * (§2, §13, §18.18). The expectations are rules over the fault-free run's exchanges (which step
 * sent them, whether the contract retries them), not a table; a few known cases are pinned down
 * exactly below the sweep.
 *
 * <p>Every run is in-process: the default profile's vehicle against the virtual device on a virtual
 * clock with seeded draws, T_Apdu 5 s.
 */
class FaultSweepTest {
  private static final Duration T_APDU = Duration.ofSeconds(5);
  private static final List<String> KINDS =
      List.of(
          "tag-lost",
          "timeout",
          "truncate",
          "flip-byte",
          "wrong-sw",
          "duplicate",
          "delay:200ms",
          "delay:6s");

  @TempDir static Path states;
  private static final AtomicInteger RUNS = new AtomicInteger();

  /** The exchanges of the fault-free default pairing, in order. */
  private static List<Exchange> baseline;

  /** Outcomes of the sweep, computed in parallel once (each run is independent). */
  private static final ConcurrentHashMap<String, FaultyRun> SWEEP = new ConcurrentHashMap<>();

  /** One C-APDU of the fault-free run: its number (from 1), the step that sent it, the command. */
  record Exchange(int n, Step step, CommandApdu command) {
    boolean isSelect() {
      return command.ins() == Ins.SELECT;
    }

    /** §2, §18.7, §18.18: the SELECTs the contract retries after a refusal or a lost tag. */
    boolean retriedSelect() {
      return isSelect() && (step == Step.P2_1 || step == Step.P2_5);
    }

    /** §12.2, §18.18: SELECT, AUTH0 and AUTH1 of a phase-4 poll restart the poll on a lost tag. */
    boolean phase4Poll() {
      return step == Step.P4_1 || step == Step.P4_2;
    }

    /** Where the contract records a retry of this exchange. */
    Step recoveryStep() {
      return phase4Poll() ? Step.P4_1 : step;
    }

    /** The step itself, or its parse sub-step when a SELECT's answer is malformed (§18.5). */
    Set<Step> sensibleSteps() {
      return switch (step) {
        case P2_1 -> Set.of(Step.P2_1, Step.P2_1A);
        case P3_1 -> Set.of(Step.P3_1, Step.P3_1A);
        default -> Set.of(step);
      };
    }

    /** The abort family of the application selected at this step: framework 12, applet 00. */
    String abortPrefix() {
      return step.phase() == 2 ? "12" : "00";
    }

    @Override
    public String toString() {
      return n + " " + step.id() + " " + Ins.name(command);
    }
  }

  /** A run with faults, and everything the properties look at. */
  record FaultyRun(
      List<Fault> faults,
      Scenario scenario,
      PairingOutcome outcome,
      FaultInjectingTransport transport,
      RecordingAdvertiser ble,
      RecordingStops stops,
      ObjectNode json,
      Throwable escaped) {
    StepResult result(Step step) {
      return outcome.result(step);
    }

    String describe() {
      if (escaped != null) {
        return faults + ": exception escaped run(): " + escaped;
      }
      return faults
          + ": "
          + outcome.verdict()
          + " "
          + outcome
              .firstProblem()
              .map(
                  r ->
                      r.step().id()
                          + " "
                          + r.result()
                          + " abort "
                          + r.abortHex()
                          + ": "
                          + r.detail())
              .orElse("(no problem)")
          + "; injected "
          + transport.injected();
    }
  }

  @BeforeAll
  static void sweep() {
    FaultyRun clean = run(List.of());
    assertEquals(Verdict.PASS, clean.outcome().verdict(), clean::describe);
    List<Exchange> exchanges = new ArrayList<>();
    List<ApduLog.Entry> entries = clean.scenario().apdus.entries();
    for (int i = 0; i < entries.size(); i++) {
      exchanges.add(new Exchange(i + 1, entries.get(i).step(), entries.get(i).command()));
    }
    baseline = List.copyOf(exchanges);
    assertEquals(clean.transport().exchanges(), baseline.size());
    // One case past the last exchange: the fault never fires.
    KINDS.stream()
        .flatMap(
            kind -> IntStream.rangeClosed(1, baseline.size() + 1).mapToObj(n -> kind + "@" + n))
        .toList()
        .parallelStream()
        .forEach(spec -> SWEEP.put(spec, run(List.of(Fault.parse(spec)))));
  }

  static FaultyRun run(List<Fault> faults) {
    Path directory = states.resolve("run-" + RUNS.incrementAndGet());
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Scenario s = new Scenario(directory).timer(TimerName.T_Apdu, T_APDU);
    RecordingAdvertiser ble = new RecordingAdvertiser();
    RecordingStops stops = new RecordingStops();
    s.advertiser = ble;
    FaultInjectingTransport[] transport = new FaultInjectingTransport[1];
    s.wrapTransport =
        reader -> {
          transport[0] =
              FaultInjectingTransport.wrap(
                  stops.watch(reader), faults, s.clock, T_APDU, text -> s.notes.add(text));
          return transport[0];
        };
    PairingOutcome outcome = null;
    Throwable escaped = null;
    try {
      outcome = s.run();
    } catch (RuntimeException | Error e) {
      escaped = e;
    }
    ObjectNode json =
        outcome == null
            ? null
            : JsonReport.render(
                outcome,
                new RunMetadata(
                    "test",
                    "test",
                    Optional.empty(),
                    null,
                    null,
                    transport[0].description(),
                    Preamble.none()),
                s.apdus);
    return new FaultyRun(faults, s, outcome, transport[0], ble, stops, json, escaped);
  }

  // ------------------------------------------------------------------ the sweep

  @TestFactory
  @DisplayName("every fault kind at every exchange of a default pairing")
  Stream<DynamicContainer> sweepEveryKindAtEveryExchange() {
    return KINDS.stream()
        .map(
            kind ->
                DynamicContainer.dynamicContainer(
                    kind,
                    IntStream.rangeClosed(1, baseline.size() + 1)
                        .mapToObj(
                            n ->
                                DynamicTest.dynamicTest(
                                    kind + "@" + n + describeExchange(n),
                                    () -> check(SWEEP.get(kind + "@" + n))))));
  }

  private static String describeExchange(int n) {
    return n <= baseline.size() ? " (" + baseline.get(n - 1) + ")" : " (after the last exchange)";
  }

  /** The properties every faulted run has, then the contract's outcome for the fault. */
  private static void check(FaultyRun run) {
    assertNotNull(run, "the sweep ran this case");
    invariants(run);
    Fault fault = run.faults().get(0);
    int n = fault.exchange();
    if (n > baseline.size()) {
      assertEquals(Verdict.PASS, run.outcome().verdict(), run::describe);
      assertTrue(run.transport().injected().isEmpty(), run::describe);
      return;
    }
    assertFalse(run.transport().injected().isEmpty(), () -> "fault injected: " + run.describe());
    Exchange e = baseline.get(n - 1);
    switch (fault.kind()) {
      case TAG_LOST -> {
        if (e.retriedSelect() || e.phase4Poll()) {
          recovered(run, e.recoveryStep(), "tag lost");
        } else {
          problemAt(run, e.sensibleSteps(), Result.ERROR);
          StepResult r = run.outcome().firstProblem().orElseThrow();
          assertTrue(r.abort().isEmpty(), () -> "no abort after a lost tag: " + run.describe());
          assertTrue(r.detail().contains("tag lost"), run::describe);
        }
      }
      case TIMEOUT -> timedOut(run, e);
      case DELAY -> {
        if (fault.delay().compareTo(T_APDU) >= 0) {
          timedOut(run, e);
        } else {
          assertEquals(Verdict.PASS, run.outcome().verdict(), run::describe);
          Duration took = run.scenario().apdus.entries().get(n - 1).duration();
          assertTrue(took.compareTo(fault.delay()) >= 0, () -> "the report shows " + took);
        }
      }
      case WRONG_SW -> {
        if (e.retriedSelect() && e.step() == Step.P2_1) {
          recovered(run, e.recoveryStep(), "6F00");
        } else if (e.retriedSelect()) {
          // The device answered 9000 and entered TX2; only the vehicle saw 6F00. The retry's NFC
          // reset ends TX2 on the device (§3.6), so the session is gone: GET DATA 7F26 is refused.
          StepResult r = problemAt(run, Set.of(Step.P2_5), Result.FAIL);
          assertEquals("6985", r.swHex(), run::describe);
          assertEquals("1200", r.abortHex(), run::describe);
        } else {
          StepResult r = problemAt(run, e.sensibleSteps(), Result.FAIL);
          assertEquals("6F00", r.swHex(), run::describe);
          abortUnlessSelect(run, r, e, "00");
        }
      }
      case TRUNCATE -> {
        StepResult r = problemAt(run, e.sensibleSteps(), Result.FAIL);
        assertEquals(e.abortPrefix() + "00", r.abortHex(), run::describe);
      }
      case FLIP_BYTE -> {
        if (e.isSelect()) {
          // The last byte of a SELECT answer is D4 (P2.1: not ready, retried; transaction 2:
          // not evaluated, §18.14) or a version other than the agreed one (§4): no failure.
          assertEquals(Verdict.PASS, run.outcome().verdict(), run::describe);
          if (e.retriedSelect() && e.step() == Step.P2_1) {
            recovered(run, Step.P2_1, "D4 = FD");
          }
        } else {
          StepResult r = problemAt(run, e.sensibleSteps(), Result.FAIL);
          assertTrue(
              Set.of("00", "09", "0C").contains(r.abortHex().substring(2))
                  && r.abortHex().startsWith(e.abortPrefix()),
              run::describe);
        }
      }
      case DUPLICATE -> {
        if (n == baseline.size()) {
          assertEquals(Verdict.PASS, run.outcome().verdict(), "no exchange to replay into");
        } else {
          Exchange next = baseline.get(n);
          StepResult r = problemAt(run, next.sensibleSteps(), Result.FAIL);
          assertEquals(next.abortPrefix() + "00", r.abortHex(), run::describe);
        }
      }
    }
  }

  /** Never an internal error or an escaped exception; complete records; everything stopped. */
  private static void invariants(FaultyRun run) {
    if (run.escaped() != null) {
      fail(run.describe(), run.escaped());
    }
    PairingOutcome outcome = run.outcome();
    assertTrue(
        outcome.internalError().isEmpty(),
        () ->
            "internal error (exit 70): " + outcome.internalError().get() + " in " + run.describe());
    assertEquals(
        Step.catalogue(),
        outcome.results().stream().map(StepResult::step).toList(),
        "one result per step");
    outcome
        .results()
        .forEach(r -> assertNotNull(r.result(), () -> r.step().id() + " has a result"));
    assertEquals(Verdict.of(outcome.results()), outcome.verdict());
    assertEquals(1, run.ble().starts.get(), "advertising started once");
    assertFalse(run.ble().advertising(), () -> "advertising stopped: " + run.describe());
    assertTrue(run.stops().stopPolling.get() > 0, () -> "polling stopped: " + run.describe());
    assertFalse(run.scenario().reader.polling(), () -> "polling stopped: " + run.describe());
    JsonNode json = run.json();
    assertEquals(outcome.verdict().name(), json.path("verdict").asText());
    assertEquals(Step.catalogue().size(), json.path("steps").size());
    assertFalse(JsonReport.text(run.json()).isBlank());
    if (outcome.verdict() == Verdict.PASS) {
      assertEquals(DkState.RECEIPT_VERIFIED, outcome.dk().orElseThrow().state(), run::describe);
    } else {
      skippedAfterProblem(run);
    }
  }

  /** §2: after the first FAIL or ERROR every later step is SKIPPED (P2.4's sub-steps share it). */
  private static void skippedAfterProblem(FaultyRun run) {
    StepResult first = run.outcome().firstProblem().orElseThrow(() -> new AssertionError("?"));
    for (StepResult r : run.outcome().results()) {
      if (r.step().ordinal() <= first.step().ordinal() || !r.step().gating()) {
        continue;
      }
      boolean shared =
          first.step() == Step.P2_4
              && r.step().id().startsWith("P2.4.")
              && r.result() == first.result();
      assertTrue(
          shared || r.result() == Result.SKIPPED,
          () -> r.step().id() + " " + r.result() + " after " + run.describe());
    }
  }

  /** The contract retried and the run passed; the retried step's record says what happened. */
  private static void recovered(FaultyRun run, Step step, String cause) {
    assertEquals(Verdict.PASS, run.outcome().verdict(), run::describe);
    String detail = run.result(step).detail();
    assertTrue(
        detail.contains(cause) && (detail.contains("after 2") || detail.contains("restarted")),
        () -> step.id() + " record shows the recovery: " + detail + " in " + run.describe());
  }

  private static StepResult problemAt(FaultyRun run, Set<Step> steps, Result expected) {
    StepResult r =
        run.outcome()
            .firstProblem()
            .orElseThrow(() -> new AssertionError("expected " + expected + ": " + run.describe()));
    assertTrue(steps.contains(r.step()), () -> "at " + steps + ": " + run.describe());
    assertEquals(expected, r.result(), run::describe);
    return r;
  }

  /** T_Apdu expiry: FAIL at the step, abort 04 when an application was selected (§10.2, §13). */
  private static void timedOut(FaultyRun run, Exchange e) {
    StepResult r = problemAt(run, e.sensibleSteps(), Result.FAIL);
    assertTrue(r.detail().contains("T_Apdu"), run::describe);
    abortUnlessSelect(run, r, e, "04");
  }

  /** A SELECT that was not answered 9000 leaves nothing selected, so no abort goes out (§2). */
  private static void abortUnlessSelect(FaultyRun run, StepResult r, Exchange e, String code) {
    if (e.isSelect()) {
      assertTrue(r.abort().isEmpty(), run::describe);
    } else {
      assertEquals(e.abortPrefix() + code, r.abortHex(), run::describe);
    }
  }

  // ------------------------------------------------------------------ known cases, exactly

  private static FaultyRun swept(String kind, int n) {
    return SWEEP.get(kind + "@" + n);
  }

  private static int exchangeOf(Step step, int ins) {
    return baseline.stream()
        .filter(e -> e.step() == step && e.command().ins() == ins)
        .findFirst()
        .orElseThrow()
        .n();
  }

  private static String lastHeader(FaultyRun run) {
    List<ApduLog.Entry> entries = run.scenario().apdus.entries();
    return Hex.encode(entries.get(entries.size() - 1).command().header());
  }

  @Test
  @DisplayName("flip-byte on the VERIFY response: M2 wrong, P2.3 FAIL, abort 12 09")
  void flippedM2() {
    FaultyRun run = swept("flip-byte", exchangeOf(Step.P2_3, Ins.SPAKE2_VERIFY));
    StepResult r = run.result(Step.P2_3);
    assertEquals(Result.FAIL, r.result(), run::describe);
    assertEquals("1209", r.abortHex());
    assertEquals("803C1209", lastHeader(run));
  }

  @Test
  @DisplayName("truncate on the VERIFY response: malformed, P2.3 FAIL, abort 12 00")
  void truncatedVerify() {
    FaultyRun run = swept("truncate", exchangeOf(Step.P2_3, Ins.SPAKE2_VERIFY));
    assertEquals(Result.FAIL, run.result(Step.P2_3).result());
    assertEquals("1200", run.result(Step.P2_3).abortHex());
  }

  @Test
  @DisplayName("flip-byte on X and on the AUTH0 point: invalid point, abort 0C (§5.3)")
  void flippedPoints() {
    assertEquals(
        "120C",
        swept("flip-byte", exchangeOf(Step.P2_3, Ins.SPAKE2_REQUEST)).result(Step.P2_3).abortHex());
    assertEquals(
        "000C", swept("flip-byte", exchangeOf(Step.P3_3, Ins.AUTH0)).result(Step.P3_3).abortHex());
    assertEquals(
        "000C", swept("flip-byte", exchangeOf(Step.P4_1, Ins.AUTH0)).result(Step.P4_1).abortHex());
  }

  @Test
  @DisplayName("tag-lost on exchange 1: P2.1 polls again and the run PASSes, P2.1 says so")
  void tagLostOnFirstSelect() {
    FaultyRun run = swept("tag-lost", 1);
    assertEquals(Verdict.PASS, run.outcome().verdict(), run::describe);
    assertTrue(run.result(Step.P2_1).detail().contains("tag lost"), run.result(Step.P2_1).detail());
    assertEquals("00A40400", Hex.encode(run.scenario().apdus.entries().get(1).command().header()));
  }

  @Test
  @DisplayName("tag-lost on a WRITE DATA: P2.4 ERROR, no abort, verdict ERROR (§18.18)")
  void tagLostInCreationData() {
    FaultyRun run = swept("tag-lost", exchangeOf(Step.P2_4, Ins.WRITE_DATA));
    assertEquals(Verdict.ERROR, run.outcome().verdict());
    assertEquals(Result.ERROR, run.result(Step.P2_4).result());
    assertTrue(run.result(Step.P2_4).abort().isEmpty());
  }

  @Test
  @DisplayName("timeout and delay:6s on VERIFY: P2.3 FAIL, abort 12 04 after T_Apdu")
  void silentVersusLate() {
    int verify = exchangeOf(Step.P2_3, Ins.SPAKE2_VERIFY);
    for (String kind : List.of("timeout", "delay:6s")) {
      FaultyRun run = swept(kind, verify);
      assertEquals("1204", run.result(Step.P2_3).abortHex(), run::describe);
      assertEquals(
          T_APDU,
          run.scenario().apdus.entries().get(verify - 1).duration(),
          "the exchange lasted T_Apdu on the virtual clock");
    }
    assertEquals(
        4, swept("delay:6s", verify).scenario().virtualDevice.lastFrameworkAbort().getAsInt());
  }

  @Test
  @DisplayName(
      "transaction-2 SELECT: a lost tag is retried and PASSes; a 6F00 the device never sent is"
          + " retried too, but the device had entered TX2, so P2.5 FAILs (§3.6, §18.7)")
  void transaction2Select() {
    int select = exchangeOf(Step.P2_5, Ins.SELECT);
    FaultyRun lost = swept("tag-lost", select);
    assertEquals(Verdict.PASS, lost.outcome().verdict(), lost::describe);
    assertTrue(lost.result(Step.P2_5).detail().contains("after 2 SELECTs"));
    FaultyRun wrong = swept("wrong-sw", select);
    assertEquals(Result.FAIL, wrong.result(Step.P2_5).result(), wrong::describe);
    assertTrue(wrong.result(Step.P2_5).detail().startsWith("GET DATA 7F26: 6985"), wrong::describe);
    assertTrue(wrong.scenario().notes.stream().anyMatch(n -> n.contains("6F00")), "retried");
  }

  @Test
  @DisplayName("tag-lost in a phase-4 poll: the poll restarts and the receipt is verified")
  void tagLostInPhase4Poll() {
    FaultyRun run = swept("tag-lost", exchangeOf(Step.P4_2, Ins.AUTH1));
    assertEquals(Verdict.PASS, run.outcome().verdict(), run::describe);
    assertTrue(run.result(Step.P4_1).detail().contains("tag lost"), run.result(Step.P4_1).detail());
  }

  @Test
  @DisplayName("several faults in one run: a retried SELECT, then a delay, then a flipped R-MAC")
  void combined() {
    int firstWrite = exchangeOf(Step.P2_4, Ins.WRITE_DATA);
    // The lost tag costs one extra SELECT, so every later exchange moves up by one.
    FaultyRun run =
        run(
            Fault.parseAll(
                List.of("tag-lost@1", "delay:200ms@3", "flip-byte@" + (firstWrite + 1))));
    assertEquals(Result.PASS, run.result(Step.P2_1).result());
    assertEquals(Result.FAIL, run.result(Step.P2_4).result(), run::describe);
    assertEquals("1200", run.result(Step.P2_4).abortHex());
    assertEquals(3, run.transport().injected().size(), run.transport().injected()::toString);
    assertTrue(run.scenario().notes.stream().anyMatch(n -> n.startsWith("injected fault")));
    assertTrue(run.transport().description().contains("tag-lost@1"));
  }

  // ------------------------------------------------------------------ recording doubles

  /** An enabled advertiser that counts starts and stops. */
  static final class RecordingAdvertiser implements Advertiser {
    final AtomicInteger starts = new AtomicInteger();
    final AtomicInteger stopsWhileAdvertising = new AtomicInteger();
    private volatile boolean advertising;

    @Override
    public boolean enabled() {
      return true;
    }

    @Override
    public void start(AdvertisingData data) {
      starts.incrementAndGet();
      advertising = true;
    }

    @Override
    public void stop() {
      if (advertising) {
        stopsWhileAdvertising.incrementAndGet();
      }
      advertising = false;
    }

    @Override
    public boolean advertising() {
      return advertising;
    }
  }

  /** Counts stopPolling on the reader under the decorator. */
  static final class RecordingStops {
    final AtomicInteger stopPolling = new AtomicInteger();

    NfcTransport watch(NfcTransport reader) {
      return new NfcTransport() {
        @Override
        public String description() {
          return reader.description();
        }

        @Override
        public void startPolling() {
          reader.startPolling();
        }

        @Override
        public boolean awaitTarget(Duration wait) throws InterruptedException {
          return reader.awaitTarget(wait);
        }

        @Override
        public dev.dkrig.iso7816.ResponseApdu transmit(CommandApdu command) {
          return reader.transmit(command);
        }

        @Override
        public void reset() {
          reader.reset();
        }

        @Override
        public void stopPolling() {
          stopPolling.incrementAndGet();
          reader.stopPolling();
        }

        @Override
        public void close() {
          reader.close();
        }
      };
    }
  }
}
