package dev.dkrig.pairing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dkrig.bench.ConfigSource;
import dev.dkrig.bench.VehicleProfile;
import dev.dkrig.ccc.Ins;
import dev.dkrig.ccc.StatusWord;
import dev.dkrig.ccc.fw.SelectAppletResponse;
import dev.dkrig.iso7816.CommandApdu;
import dev.dkrig.iso7816.ResponseApdu;
import dev.dkrig.pairing.protocol.Negotiated;
import dev.dkrig.pairing.protocol.Selected;
import dev.dkrig.pairing.protocol.StepFailure;
import dev.dkrig.testing.ScriptedReader;
import dev.dkrig.time.TimerName;
import dev.dkrig.time.Timers;
import dev.dkrig.time.VirtualClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** One step of the catalogue run alone, over a fake link: no phase before it, no device. */
class SingleStepTest {
  private final VirtualClock clock = new VirtualClock(Instant.parse("2026-11-27T12:00:00Z"));
  private final VehicleSettings settings =
      VehicleProfile.load(ConfigSource.embedded(VehicleProfile.EMBEDDED)).settings();
  private final Timers timers = new Timers(clock, Map.of());
  private final ScriptedReader reader = new ScriptedReader();
  private final List<String> exchanges = new ArrayList<>();
  private final RunListener listener =
      new RunListener() {
        @Override
        public void exchange(
            Step step, CommandApdu command, ResponseApdu response, Instant sent, Instant received) {
          exchanges.add(step.id() + " " + Ins.name(command) + " " + response);
        }
      };
  private final StepRecorder recorder = new StepRecorder(clock, listener);
  private final VehicleLink link =
      new VehicleLink(reader, clock, timers, listener, recorder, settings, false);
  private final RunWaits waits = new RunWaits(link, timers, clock, listener, recorder);

  private AppletPhase appletPhase() {
    RunHoldings holdings = new RunHoldings(null, recorder, clock);
    PhaseSteps.Parts parts = new PhaseSteps.Parts(settings, recorder, clock, link, waits);
    return new AppletPhase(
        parts, new StandardTransaction(settings, link.session(), holdings, clock), holdings);
  }

  @Test
  void p3_1_selectsTheAppletWithinTxGapAndPassesP3_1a() throws Exception {
    timers.start(TimerName.T_TxGap);
    reader.answers.add(
        ResponseApdu.of(new SelectAppletResponse(List.of(0x0100)).encode(), StatusWord.SUCCESS));

    SelectAppletResponse select = appletPhase().selectApplet();

    assertEquals(List.of(0x0100), select.appletVersions());
    assertEquals(Selected.APPLET, link.session().selected());
    assertEquals(Result.PASS, recorder.result(Step.P3_1).orElseThrow().result());
    assertEquals(Result.PASS, recorder.result(Step.P3_1A).orElseThrow().result());
    assertEquals(OptionalInt.of(StatusWord.SUCCESS), recorder.lastSw(Step.P3_1));
    assertEquals(1, exchanges.size());
    assertTrue(exchanges.get(0).startsWith("P3.1 "), exchanges.get(0));
    assertTrue(timers.remaining(TimerName.T_TxGap).isEmpty(), "T_TxGap stops at the SELECT");
  }

  @Test
  void p3_1_aRefusedSelectFailsWithItsStatusWordAndNoAbort() {
    timers.start(TimerName.T_TxGap);
    reader.answers.add(ResponseApdu.of(StatusWord.NOT_FOUND));

    StepFailure failure = assertThrows(StepFailure.class, () -> appletPhase().selectApplet());

    assertEquals(Result.FAIL, failure.result());
    assertEquals(OptionalInt.of(StatusWord.NOT_FOUND), failure.sw());
    assertEquals(Optional.empty(), failure.abort());
    assertEquals(Selected.NONE, link.session().selected());
  }

  @Test
  void p3_1_txGapExpiredBeforeTheDeviceCameBackFailsWithTheTimerAndSendsNothing() {
    timers.start(TimerName.T_TxGap);
    clock.advance(timers.value(TimerName.T_TxGap));

    StepFailure failure = assertThrows(StepFailure.class, () -> appletPhase().selectApplet());

    assertEquals(Optional.of(TimerName.T_TxGap), failure.timer());
    assertTrue(exchanges.isEmpty());
  }

  @Test
  void p3_2_theAgreedVersionMissingFromTheAppletListAbortsWithCode02() {
    Negotiated negotiated = new Negotiated(0x0100, List.of(0x0200));

    StepFailure failure =
        assertThrows(
            StepFailure.class,
            () ->
                appletPhase()
                    .checkAppletVersion(new SelectAppletResponse(List.of(0x0100)), negotiated));

    assertEquals(Optional.of(AbortReason.NO_COMMON_APPLET_VERSION), failure.abort());
    assertTrue(exchanges.isEmpty());
  }
}
