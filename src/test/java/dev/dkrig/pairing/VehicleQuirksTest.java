package dev.dkrig.pairing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dkrig.ccc.Ins;
import dev.dkrig.ccc.StatusWord;
import dev.dkrig.device.DeviceQuirk;
import dev.dkrig.iso7816.ResponseApdu;
import dev.dkrig.time.TimerName;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19 item 6: each vehicle quirk changes the vehicle's APDUs exactly as it says, and the
 * report says what the vehicle really sent. Each test runs the same device twice, without and with
 * the quirk.
 */
class VehicleQuirksTest {
  private static final String SELECT = "00A40400";
  private static final String VERIFY = "80320000";

  @TempDir Path state;

  private Scenario scenario(String folder, Set<VehicleQuirk> quirks) {
    return new Scenario(state.resolve(folder)).vehicle(v -> v.withQuirks(quirks));
  }

  private static Scenario wrongPassword(Scenario s) {
    return s.device(d -> d.withPassword("87654321"));
  }

  @Test
  @DisplayName("no-abort (§10.2): the failed P2.3 sends no 12 00 and its record names no abort")
  void noAbort() {
    Scenario plain = wrongPassword(scenario("plain", Set.of()));
    PairingOutcome before = plain.run();
    assertEquals("803C1200", last(plain.headers()));
    assertEquals("1200", before.result(Step.P2_3).abortHex());

    Scenario quirky = wrongPassword(scenario("quirky", Set.of(VehicleQuirk.NO_ABORT)));
    PairingOutcome after = quirky.run();
    assertEquals(Result.FAIL, after.result(Step.P2_3).result());
    assertEquals(withoutLast(plain.headers()), quirky.headers());
    assertTrue(after.result(Step.P2_3).abort().isEmpty());
    assertTrue(after.result(Step.P2_3).abortReason().isEmpty());
    assertTrue(quirky.notes.stream().anyMatch(n -> n.contains("not sent (vehicle quirk no-abort")));
  }

  @Test
  @DisplayName("wrong-abort-code (§10.2): 12 0B instead of 12 00, 12 00 instead of 12 0C")
  void wrongAbortCode() {
    Scenario plain = wrongPassword(scenario("plain", Set.of()));
    plain.run();
    Scenario quirky = wrongPassword(scenario("quirky", Set.of(VehicleQuirk.WRONG_ABORT_CODE)));
    PairingOutcome after = quirky.run();
    assertEquals(withoutLast(plain.headers()), withoutLast(quirky.headers()));
    assertEquals("803C120B", last(quirky.headers()));
    assertEquals("120B", after.result(Step.P2_3).abortHex());
    assertEquals(
        Optional.of(AbortReason.VERIFICATION_FAILED), after.result(Step.P2_3).abortReason());

    UnaryOperator<Scenario> badX =
        s ->
            s.onResponse(
                Ins.SPAKE2_REQUEST,
                r -> {
                  byte[] data = r.data();
                  data[data.length - 1] ^= 0x01; // Y coordinate off the curve
                  return ResponseApdu.of(data, r.sw());
                });
    Scenario offCurve = badX.apply(scenario("off-curve", Set.of(VehicleQuirk.WRONG_ABORT_CODE)));
    PairingOutcome point = offCurve.run();
    assertEquals("803C1200", last(offCurve.headers()));
    assertEquals("1200", point.result(Step.P2_3).abortHex());
  }

  /** The first SELECT framework answered 6A82 (the framework not offered yet). */
  private static Scenario notFoundOnce(Scenario s) {
    AtomicInteger selects = new AtomicInteger();
    return s.onResponse(
        Ins.SELECT,
        r -> selects.getAndIncrement() == 0 ? ResponseApdu.of(StatusWord.NOT_FOUND) : r);
  }

  @Test
  @DisplayName("no-retry-after-6a82 (§2 P2.1): one SELECT, P2.1 FAIL 6A82, no abort, no retry")
  void noRetryAfter6a82() {
    Scenario plain = notFoundOnce(scenario("plain", Set.of()));
    PairingOutcome before = plain.run();
    assertEquals(Verdict.PASS, before.verdict(), () -> before.firstProblem().toString());
    assertEquals(List.of(SELECT, SELECT), plain.headers().subList(0, 2));

    Scenario quirky = notFoundOnce(scenario("quirky", Set.of(VehicleQuirk.NO_RETRY_AFTER_6A82)));
    PairingOutcome after = quirky.run();
    assertEquals(List.of(SELECT), quirky.headers());
    StepResult p21 = after.result(Step.P2_1);
    assertEquals(Result.FAIL, p21.result());
    assertEquals("6A82", p21.swHex());
    assertTrue(p21.abort().isEmpty());
    assertTrue(p21.detail().contains("vehicle quirk no-retry-after-6a82"), p21.detail());
  }

  /** A wrong password and a device that answers VERIFY with a wrong M2 instead of 6A88. */
  private static Scenario wrongM2(Scenario s) {
    return wrongPassword(s).device(d -> d.withQuirks(EnumSet.of(DeviceQuirk.ACCEPT_BAD_EVIDENCE)));
  }

  @Test
  @DisplayName("ignore-bad-m2 (§5.4): WRITE DATA follows the wrong M2 instead of 12 09")
  void ignoreBadM2() {
    Scenario plain = wrongM2(scenario("plain", Set.of()));
    PairingOutcome before = plain.run();
    assertEquals("1209", before.result(Step.P2_3).abortHex());
    assertEquals("803C1209", next(plain.headers(), VERIFY));

    Scenario quirky = wrongM2(scenario("quirky", Set.of(VehicleQuirk.IGNORE_BAD_M2)));
    PairingOutcome after = quirky.run();
    assertFalse(quirky.headers().contains("803C1209"), quirky.headers().toString());
    assertTrue(next(quirky.headers(), VERIFY).startsWith("84D4"), quirky.headers().toString());
    StepResult p23 = after.result(Step.P2_3);
    assertEquals(Result.PASS, p23.result());
    assertTrue(p23.detail().contains("M2 wrong"), p23.detail());
    assertTrue(p23.detail().contains("vehicle quirk ignore-bad-m2"), p23.detail());
    // The device has no keys: the vehicle fails later, at the creation data.
    assertEquals(Result.FAIL, after.result(Step.P2_4).result());
  }

  @Test
  @DisplayName("poll-past-kts-wait (§12.2): a receipt after T_KtsWait is still fetched")
  void pollPastKtsWait() {
    UnaryOperator<Scenario> late =
        s ->
            s.device(d -> d.withDelays(Duration.ofMillis(1500), Duration.ZERO))
                .timer(TimerName.T_KtsWait, Duration.ofSeconds(1));
    Scenario plain = late.apply(scenario("plain", Set.of()));
    PairingOutcome before = plain.run();
    assertEquals(Result.FAIL, before.result(Step.P4_2_1).result());
    assertFalse(containsExchange(plain.headers()), "no EXCHANGE after T_KtsWait");

    Scenario quirky = late.apply(scenario("quirky", Set.of(VehicleQuirk.POLL_PAST_KTS_WAIT)));
    PairingOutcome after = quirky.run();
    assertTrue(
        count(quirky.headers(), SELECT) > count(plain.headers(), SELECT),
        "more phase-4 SELECTs past T_KtsWait");
    assertTrue(containsExchange(quirky.headers()), "EXCHANGE E3 00 after T_KtsWait");
    StepResult p421 = after.result(Step.P4_2_1);
    assertEquals(Result.PASS, p421.result());
    assertTrue(p421.detail().contains("past T_KtsWait (vehicle quirk"), p421.detail());
  }

  @Test
  @DisplayName("poll-past-kts-wait ends too: P4.2.1 FAIL after twice T_KtsWait, and says why")
  void pollPastKtsWaitStops() {
    Scenario quirky =
        scenario("quirky", Set.of(VehicleQuirk.POLL_PAST_KTS_WAIT))
            .device(d -> d.withDelays(Duration.ofHours(1), Duration.ZERO))
            .timer(TimerName.T_KtsWait, Duration.ofSeconds(1));
    PairingOutcome after = quirky.run();
    StepResult p421 = after.result(Step.P4_2_1);
    assertEquals(Result.FAIL, p421.result());
    assertTrue(p421.detail().contains("polled on past it"), p421.detail());
    assertTrue(
        Duration.between(after.result(Step.P3_6).end(), p421.end()).compareTo(Duration.ofSeconds(2))
            > 0,
        p421.toString());
  }

  @Test
  @DisplayName("short-write-pieces (§7.6): 230-byte pieces, the same Lc, the device takes them")
  void shortWritePieces() {
    Scenario plain = scenario("plain", Set.of());
    PairingOutcome before = plain.run();
    Scenario quirky = scenario("quirky", Set.of(VehicleQuirk.SHORT_WRITE_PIECES));
    PairingOutcome after = quirky.run();
    assertEquals(Verdict.PASS, after.verdict());
    String sizes = before.result(Step.P2_4).detail();
    assertTrue(sizes.contains("600-byte stream in 3 WRITE DATA (239+239+122)"), sizes);
    String quirkySizes = after.result(Step.P2_4).detail();
    assertTrue(quirkySizes.contains("600-byte stream in 3 WRITE DATA (230+230+140)"), quirkySizes);
    // The same headers, Lc 248 on the first two either way: 230 and 239 bytes both pad to 240.
    assertEquals(plain.headers(), quirky.headers());
    List<String> writes = quirky.headers().stream().filter(h -> h.startsWith("84D4")).toList();
    assertEquals("84D48000", writes.get(writes.size() - 1));
  }

  @Test
  @DisplayName("quirk names: the command line's spelling, an unknown name listed against all")
  void names() {
    assertEquals(VehicleQuirk.NO_RETRY_AFTER_6A82, VehicleQuirk.parse("no-retry-after-6a82"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> VehicleQuirk.parse("no-such"));
    assertTrue(e.getMessage().contains("no-abort, wrong-abort-code"), e.getMessage());
  }

  private static boolean containsExchange(List<String> headers) {
    return headers.stream().anyMatch(h -> h.startsWith("84C9"));
  }

  private static long count(List<String> headers, String header) {
    return headers.stream().filter(header::equals).count();
  }

  private static String next(List<String> headers, String after) {
    return headers.get(headers.indexOf(after) + 1);
  }

  private static String last(List<String> headers) {
    return headers.get(headers.size() - 1);
  }

  private static List<String> withoutLast(List<String> headers) {
    return headers.subList(0, headers.size() - 1);
  }
}
