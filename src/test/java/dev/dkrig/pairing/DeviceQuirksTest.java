package dev.dkrig.pairing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dkrig.ccc.DkProfile;
import dev.dkrig.device.DeviceQuirk;
import dev.dkrig.report.ApduLog;
import dev.dkrig.time.TimerName;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19 item 4: each device quirk of the phone role makes the virtual device misbehave in its
 * one way, and dkrig's own vehicle reacts as docs/phone-role.md says the contract requires (the
 * abort code right after the deviation, the retry, the stop). Each test fails without its quirk.
 */
class DeviceQuirksTest {
  private static final String SELECT = "00A40400";
  private static final String REQUEST = "80300000";
  private static final String VERIFY = "80320000";
  private static final String WRITE_MORE = "84D40000";
  private static final String EXCHANGE = "84C90000";

  @TempDir Path state;

  private Scenario quirky(DeviceQuirk quirk) {
    return new Scenario(state).device(d -> d.withQuirks(Set.of(quirk)));
  }

  private static void assertAbortAfter(
      Scenario s, PairingOutcome outcome, Step step, String before, String abort) {
    List<String> headers = s.headers();
    assertEquals(Result.FAIL, outcome.result(step).result(), () -> outcome.result(step).detail());
    assertEquals(abort, outcome.result(step).abortHex(), () -> outcome.result(step).detail());
    assertEquals(before, headers.get(headers.size() - 2), headers::toString);
    assertEquals("803C" + abort, headers.get(headers.size() - 1), headers::toString);
  }

  @Test
  @DisplayName("a device without quirks pairs: the reference for every quirk below")
  void noQuirk() {
    Scenario s = new Scenario(state);
    PairingOutcome outcome = s.run();
    assertEquals(Verdict.PASS, outcome.verdict(), () -> outcome.firstProblem().toString());
    assertTrue(s.headers().contains(EXCHANGE));
  }

  @Test
  @DisplayName("wrong-m2 (§5.4): P2.3 FAIL, abort 12 09 right after VERIFY, no WRITE DATA")
  void wrongM2() {
    Scenario s = quirky(DeviceQuirk.WRONG_M2);
    PairingOutcome outcome = s.run();
    assertAbortAfter(s, outcome, Step.P2_3, VERIFY, "1209");
    assertFalse(s.headers().contains(WRITE_MORE));
  }

  @Test
  @DisplayName("bad-framework-rmac (§6.1): P2.4 FAIL, abort 12 00 right after the first WRITE DATA")
  void badFrameworkRmac() {
    Scenario s = quirky(DeviceQuirk.BAD_FRAMEWORK_RMAC);
    PairingOutcome outcome = s.run();
    assertAbortAfter(s, outcome, Step.P2_4, WRITE_MORE, "1200");
    assertTrue(outcome.result(Step.P2_4).detail().contains("R-MAC"));
    assertEquals(1, s.headers().stream().filter(h -> h.startsWith("84D4")).count());
  }

  @Test
  @DisplayName("unverifiable-chain (§8.5): P2.6.1 FAIL, abort 12 0B after 7F24, no 5F5A")
  void unverifiableChain() {
    Scenario s = quirky(DeviceQuirk.UNVERIFIABLE_CHAIN);
    PairingOutcome outcome = s.run();
    assertEquals(Result.PASS, outcome.result(Step.P2_6).result());
    assertAbortAfter(s, outcome, Step.P2_6_1, "84C00000", "120B");
    // Only the three WRITE DATA of transaction 1: the attestation was never sent.
    assertEquals(3, s.headers().stream().filter(h -> h.startsWith("84D4")).count());
  }

  @Test
  @DisplayName("bad-applet-rmac (§6.1, §11.6): P3.3 FAIL, abort 80 3C 00 00 after AUTH1")
  void badAppletRmac() {
    Scenario s = quirky(DeviceQuirk.BAD_APPLET_RMAC);
    PairingOutcome outcome = s.run();
    assertAbortAfter(s, outcome, Step.P3_3, "80810000", "0000");
  }

  @Test
  @DisplayName("not-ready-first-select (§2 P2.1): NFC reset, SELECT again after T_NotReadyRetry")
  void notReadyFirstSelect() {
    Scenario s = quirky(DeviceQuirk.NOT_READY_FIRST_SELECT);
    PairingOutcome outcome = s.run();
    assertEquals(Verdict.PASS, outcome.verdict(), () -> outcome.firstProblem().toString());
    List<ApduLog.Entry> entries = s.apdus.entries();
    assertEquals(List.of(SELECT, SELECT, REQUEST), s.headers().subList(0, 3));
    assertEquals(0x6A82, entries.get(0).response().sw());
    assertEquals(0x9000, entries.get(1).response().sw());
    Duration retry = Duration.between(entries.get(0).received(), entries.get(1).sent());
    assertTrue(retry.compareTo(DkProfile.T_NOT_READY_RETRY) >= 0, retry::toString);
  }

  @Test
  @DisplayName(
      "leave-field-mid-stream (§18.18): P2.4 ERROR, no abort; back in the field, a new SELECT")
  void leaveFieldMidStream() {
    Scenario s = quirky(DeviceQuirk.LEAVE_FIELD_MID_STREAM);
    PairingOutcome outcome = s.run();
    StepResult p24 = outcome.result(Step.P2_4);
    assertEquals(Result.ERROR, p24.result(), p24::detail);
    assertTrue(p24.abort().isEmpty(), p24::toString);
    List<String> headers = s.headers();
    assertEquals(List.of(SELECT, REQUEST, VERIFY, WRITE_MORE, WRITE_MORE), headers);
    assertNull(s.apdus.entries().get(4).response(), "the phone left instead of answering");
    assertTrue(s.virtualDevice.hasLeftField());

    // The phone comes back; the vehicle's next attempt starts over with a SELECT framework.
    s.present.set(true);
    s.keepDevice = true;
    int firstOfReturn = s.apdus.entries().size();
    PairingOutcome again = s.run();
    assertEquals(Verdict.PASS, again.verdict(), () -> again.firstProblem().toString());
    assertEquals(SELECT, s.headers().get(firstOfReturn));
    assertFalse(s.virtualDevice.hasLeftField());
  }

  @Test
  @DisplayName("slower-than-t-apdu (§13): P2.3 FAIL, abort 12 04 after the late REQUEST")
  void slowerThanTApdu() {
    Scenario s = quirky(DeviceQuirk.SLOWER_THAN_T_APDU);
    PairingOutcome outcome = s.run();
    assertAbortAfter(s, outcome, Step.P2_3, REQUEST, "1204");
    ApduLog.Entry request = s.apdus.entries().get(1);
    ApduLog.Entry abort = s.apdus.entries().get(2);
    assertTrue(
        Duration.between(request.sent(), abort.sent()).compareTo(DkProfile.T_APDU) > 0,
        () -> request.sent() + " → " + abort.sent());
  }

  @Test
  @DisplayName("no-common-spake2-version (§4): P2.2 FAIL, abort 12 01, no REQUEST")
  void noCommonSpake2Version() {
    Scenario s = quirky(DeviceQuirk.NO_COMMON_SPAKE2_VERSION);
    PairingOutcome outcome = s.run();
    assertAbortAfter(s, outcome, Step.P2_2, SELECT, "1201");
    assertFalse(s.headers().contains(REQUEST));
  }

  @Test
  @DisplayName("no-common-applet-version (§4): P2.2 FAIL, abort 12 02, no REQUEST")
  void noCommonAppletVersion() {
    Scenario s = quirky(DeviceQuirk.NO_COMMON_APPLET_VERSION);
    PairingOutcome outcome = s.run();
    assertAbortAfter(s, outcome, Step.P2_2, SELECT, "1202");
    assertFalse(s.headers().contains(REQUEST));
  }

  @Test
  @DisplayName("never-set-sigbmp (§12.2): polls until T_KtsWait, P4.2.1 FAIL, no EXCHANGE")
  void neverSetSigBmp() {
    Scenario s =
        quirky(DeviceQuirk.NEVER_SET_SIGBMP).timer(TimerName.T_KtsWait, Duration.ofSeconds(1));
    PairingOutcome outcome = s.run();
    StepResult p421 = outcome.result(Step.P4_2_1);
    assertEquals(Result.FAIL, p421.result(), p421::detail);
    assertTrue(p421.abort().isEmpty(), p421::toString);
    assertFalse(s.headers().contains(EXCHANGE), s.headers()::toString);
    long selects = s.headers().stream().filter(SELECT::equals).count();
    // Two framework SELECTs, one applet SELECT in phase 3, then one per 50 ms poll for 1 s.
    assertTrue(selects > 10, () -> selects + " SELECTs");
    assertEquals("803C0100", s.headers().get(s.headers().size() - 1));
  }

  @Test
  @DisplayName("the phone role's quirks: the three of before and the ten of issue 19 item 4")
  void phoneRoleQuirks() {
    assertEquals(13, DeviceQuirk.PHONE_ROLE.size());
    assertEquals(DeviceQuirk.SLOWER_THAN_T_APDU, DeviceQuirk.parse("slower-than-t-apdu"));
    assertEquals(DeviceQuirk.NEVER_SET_SIGBMP, DeviceQuirk.parse("never-set-sigbmp"));
    assertFalse(DeviceQuirk.PHONE_ROLE.contains(DeviceQuirk.ACCEPT_BAD_MAC));
  }
}
