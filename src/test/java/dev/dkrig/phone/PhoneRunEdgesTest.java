package dev.dkrig.phone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dkrig.device.DeviceQuirk;
import dev.dkrig.device.DeviceSettings;
import dev.dkrig.device.VirtualDevice;
import dev.dkrig.iso7816.Hex;
import dev.dkrig.pairing.Result;
import dev.dkrig.pairing.Step;
import dev.dkrig.pairing.StepResult;
import dev.dkrig.pairing.Verdict;
import dev.dkrig.random.SecureDraws;
import dev.dkrig.time.VirtualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The phone run's edges, driven by hand on a virtual clock: waits, host failure, stop. */
class PhoneRunEdgesTest {
  private static final byte[] SELECT_FRAMEWORK =
      Hex.decode("00A404000DA000000809434343444B46763100");

  private final VirtualClock clock = new VirtualClock(Instant.parse("2026-11-27T12:00:00Z"));
  private final List<String> heard = new ArrayList<>();
  private final ExecutorService waiter = Executors.newSingleThreadExecutor();

  @AfterEach
  void stopWaiter() {
    waiter.shutdownNow();
  }

  private PhoneRun run(PhoneSettings settings) {
    VirtualDevice device =
        new VirtualDevice(DeviceSettings.t1(), SecureDraws.seeded(7), clock, clock);
    return new PhoneRun(
        settings,
        device,
        clock,
        new PhoneRun.Listener() {
          @Override
          public void fieldOn(Instant at) {
            heard.add("on");
          }

          @Override
          public void fieldOff(Instant at) {
            heard.add("off");
          }

          @Override
          public void apdu(
              Instant at, byte[] command, byte[] response, Duration answering, Step step) {
            heard.add(Hex.encode(command).substring(0, 8) + " " + step.id());
          }

          @Override
          public void stepEnded(StepResult result) {
            heard.add(result.step().id() + " " + result.result());
          }
        });
  }

  @Test
  void noFirstContactIsAnErrorOfP161AfterTheWaitAndNotBefore() throws Exception {
    PhoneRun run = run(PhoneSettings.defaults());
    Future<PhoneOutcome> outcome = waiter.submit(run::await);
    clock.advance(Duration.ofSeconds(299));
    Thread.sleep(100);
    assertFalse(outcome.isDone(), "the phone waits 300 s for its first contact");
    clock.advance(Duration.ofSeconds(2));
    PhoneOutcome done = outcome.get(10, TimeUnit.SECONDS);
    assertEquals(Verdict.ERROR, done.verdict());
    StepResult p161 = done.result(Step.P1_6_1);
    assertEquals(Result.ERROR, p161.result());
    assertTrue(p161.detail().startsWith("no first contact within 301.00 s"), p161.detail());
    assertEquals(Result.ERROR, done.result(Step.P1_6).result());
    assertEquals(Result.SKIPPED, done.result(Step.P2_1).result());
    assertEquals(42, done.results().size());
  }

  @Test
  void theFirstContactWaitIsAGivenTPairingModeTimeoutWithItsTolerance() throws Exception {
    PhoneRun run =
        run(PhoneSettings.defaults().withTimer("T_PairingModeTimeout", Duration.ofSeconds(10)));
    Future<PhoneOutcome> outcome = waiter.submit(run::await);
    clock.advance(Duration.ofMillis(10_900));
    Thread.sleep(100);
    assertFalse(outcome.isDone());
    clock.advance(Duration.ofMillis(200));
    assertEquals(Result.ERROR, outcome.get(10, TimeUnit.SECONDS).result(Step.P1_6_1).result());
  }

  @Test
  void aHostFailureIsAnErrorOfTheStepInProgressAndEndsTheRun() throws Exception {
    PhoneRun run = run(PhoneSettings.defaults());
    run.card().activate();
    byte[] answer = run.card().process(SELECT_FRAMEWORK);
    assertEquals("9000", Hex.encode(answer).substring(Hex.encode(answer).length() - 4));
    run.hostFailed("PN532 stopped answering");
    PhoneOutcome done = run.await();
    assertEquals(Verdict.ERROR, done.verdict());
    StepResult p21a = done.result(Step.P2_1A);
    assertEquals(Result.ERROR, p21a.result());
    assertEquals("the phone's transport failed: PN532 stopped answering", p21a.detail());
    assertEquals(Result.PASS, done.result(Step.P1_6_1).result());
    assertEquals(Result.SKIPPED, done.result(Step.P2_2).result());
    assertTrue(done.events().get(done.events().size() - 1) instanceof PhoneEvent.HostFailure);
  }

  @Test
  void aHostFailureBeforeTheFirstContactIsAnErrorOfP161() throws Exception {
    PhoneRun run = run(PhoneSettings.defaults());
    run.hostFailed("vpcd socket closed");
    assertEquals(Result.ERROR, run.await().result(Step.P1_6_1).result());
  }

  @Test
  void stopJudgesWhatWasSeenAndSkipsTheRest() {
    PhoneRun run = run(PhoneSettings.defaults());
    run.card().activate();
    run.card().process(SELECT_FRAMEWORK);
    PhoneOutcome done = run.stop("Ctrl-C");
    assertEquals(Result.ERROR, done.result(Step.P2_1A).result());
    assertEquals("interrupted: Ctrl-C", done.result(Step.P2_1A).detail());
    assertEquals("not reached: interrupted (Ctrl-C)", done.result(Step.P3_1).detail());
    assertTrue(run.outcome().isPresent());
  }

  @Test
  void theListenerHearsEventsInOrderWithTheStepOfEachApdu() {
    PhoneRun run = run(PhoneSettings.defaults());
    run.card().activate();
    run.card().process(SELECT_FRAMEWORK);
    run.card().deactivate();
    assertEquals(
        List.of("on", "00A40400 P2.1", "P1.6.1 PASS", "P1.6.2 INFO", "P1.6 PASS", "off"),
        heard.subList(0, 6));
    // The field lost right after a well-formed SELECT response FAILs P2.1a (§2.2, §3.2).
    PhoneOutcome done = run.outcome().orElseThrow();
    assertEquals(Result.FAIL, done.result(Step.P2_1A).result());
    assertTrue(done.result(Step.P2_1A).detail().startsWith("field lost after SELECT framework"));
  }

  @Test
  void otherSelectsAndAResetBeforeTheSelectFrameworkAreNoFieldLoss() {
    PhoneRun run = run(PhoneSettings.defaults());
    run.card().activate();
    byte[] ppse = run.card().process(Hex.decode("00A404000E325041592E5359532E444446303100"));
    assertEquals("6A82", Hex.encode(ppse));
    run.card().deactivate();
    assertTrue(run.outcome().isEmpty(), "the run goes on after a reader's PPSE and reset");
    run.card().activate();
    run.card().process(SELECT_FRAMEWORK);
    PhoneOutcome done = run.stop("test over");
    assertEquals(Result.PASS, done.result(Step.P1_6_1).result());
    assertEquals(Result.ERROR, done.result(Step.P2_1A).result());
  }

  @Test
  void aCommandWithoutAnActivationIsNoFirstContact() {
    PhoneRun run = run(PhoneSettings.defaults());
    assertEquals(null, run.card().process(SELECT_FRAMEWORK));
    PhoneOutcome done = run.stop("test over");
    assertEquals(Result.ERROR, done.result(Step.P1_6_1).result());
    assertEquals("interrupted: test over", done.result(Step.P1_6_1).detail());
  }

  @Test
  void thePhoneTakesOnlyTheQuirksAVehicleCanReactTo() {
    // The three of before and the ten of the vehicle conformance suite (issue 19 item 4).
    assertEquals(List.copyOf(DeviceQuirk.PHONE_ROLE), PhoneSettings.acceptedQuirks());
    assertEquals(13, PhoneSettings.acceptedQuirks().size());
    IllegalArgumentException refused =
        assertThrows(
            IllegalArgumentException.class,
            () -> PhoneSettings.defaults().withQuirk(DeviceQuirk.ACCEPT_BAD_MAC));
    assertTrue(refused.getMessage().contains("accept-bad-mac"), refused.getMessage());
    assertTrue(refused.getMessage().contains("bad-endpoint-signature"), refused.getMessage());
  }

  @Test
  void theToleranceIsTenPercentOrOneHundredMillisecondsWhicheverIsLarger() {
    assertEquals(Duration.ofMillis(100), PhoneSettings.tolerance(Duration.ofMillis(50)));
    assertEquals(Duration.ofMillis(100), PhoneSettings.tolerance(Duration.ofSeconds(1)));
    assertEquals(Duration.ofMillis(300), PhoneSettings.tolerance(Duration.ofSeconds(3)));
  }

  @Test
  void anUnknownTimerNameIsRefusedNamingIt() {
    IllegalArgumentException refused =
        assertThrows(
            IllegalArgumentException.class,
            () -> PhoneSettings.defaults().withTimer("T_Bogus", Duration.ofSeconds(1)));
    assertTrue(refused.getMessage().contains("T_Bogus"), refused.getMessage());
    assertEquals(
        Duration.ofMillis(50),
        PhoneSettings.defaults().withTimer("txgap", Duration.ofMillis(50)).timers().get("T_TxGap"));
  }
}
