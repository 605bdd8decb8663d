package dev.dkrig.pairing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dkrig.ccc.DkProfile;
import dev.dkrig.ccc.EcKeyPair;
import dev.dkrig.ccc.Ins;
import dev.dkrig.ccc.pki.CccCertificateBuilder;
import dev.dkrig.ccc.pki.TrustAnchor;
import dev.dkrig.ccc.spake2.ScryptParameters;
import dev.dkrig.ccc.spake2.Verifier;
import dev.dkrig.device.DeviceQuirk;
import dev.dkrig.iso7816.CommandApdu;
import dev.dkrig.iso7816.Hex;
import dev.dkrig.iso7816.ResponseApdu;
import dev.dkrig.random.SecureDraws;
import dev.dkrig.time.TimerName;
import dev.dkrig.transport.FaultInjectingTransport;
import dev.dkrig.transport.NfcTransport;
import dev.dkrig.transport.TransportException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 3: each scenario ends at the contract's step, result and abort (§2, §10.2, §13). */
class OwnerPairingScenariosTest {
  @TempDir Path state;

  private static void assertStep(PairingOutcome outcome, String id, Result result) {
    StepResult r = outcome.result(Step.byId(id));
    assertEquals(result, r.result(), () -> id + ": " + r.detail());
  }

  private static void assertAbort(PairingOutcome outcome, String id, String abortHex) {
    StepResult r = outcome.result(Step.byId(id));
    assertEquals(abortHex, r.abortHex(), () -> id + " abort: " + r.detail());
  }

  /** Everything after the failing step, in time order, is SKIPPED. */
  private static void assertSkippedAfter(PairingOutcome outcome, String id) {
    boolean after = false;
    for (StepResult r : outcome.results()) {
      if (after
          && r.step().phase() >= Step.byId(id).phase()
          && r.step().ordinal() > Step.byId(id).ordinal()) {
        assertEquals(
            Result.SKIPPED, r.result(), r.step().id() + " should be SKIPPED: " + r.detail());
      }
      after |= r.step().id().equals(id);
    }
  }

  private static void assertFailedNotification(PairingOutcome outcome, String step) {
    assertTrue(
        outcome.events().stream()
            .anyMatch(
                e ->
                    e.name().equals(HuEvent.HU_NTF)
                        && "OP_FAILED".equals(e.payload().get("code"))
                        && step.equals(e.payload().get("step"))),
        "HU_NTF OP_FAILED for " + step + " in " + outcome.events());
  }

  @Test
  @DisplayName("happy path: every step of the catalogue, in order, PASS, DK RECEIPT_VERIFIED")
  void happyPath() {
    Scenario s = new Scenario(state);
    PairingOutcome outcome = s.run();
    assertEquals(Verdict.PASS, outcome.verdict(), () -> outcome.firstProblem().toString());
    assertEquals(Step.catalogue(), outcome.results().stream().map(StepResult::step).toList());
    assertStep(outcome, "P1.6.2", Result.SKIPPED);
    assertStep(outcome, "P3.5", Result.INFO);
    assertEquals(DkState.RECEIPT_VERIFIED, outcome.dk().orElseThrow().state());
    assertEquals(
        List.of("PhoneKey_Req", "HU_NTF", "HU_NTF", "OwnerPairingPass_Ack"),
        outcome.events().stream().map(HuEvent::name).toList());
    assertTrue(s.state.records().size() == 1);
  }

  @Test
  @DisplayName("wrong password: P2.3 FAIL 6A88, abort 12 00, later steps SKIPPED")
  void wrongPassword() {
    Scenario s = new Scenario(state).device(d -> d.withPassword("87654321"));
    PairingOutcome outcome = s.run();
    assertEquals(Verdict.FAIL, outcome.verdict());
    assertStep(outcome, "P2.3", Result.FAIL);
    assertEquals("6A88", outcome.result(Step.P2_3).swHex());
    assertAbort(outcome, "P2.3", "1200");
    assertTrue(outcome.result(Step.P2_3).detail().contains("6A88"));
    assertSkippedAfter(outcome, "P2.3");
    assertStep(outcome, "P1.6.3", Result.SKIPPED);
    assertStep(outcome, "P1.7a", Result.SKIPPED);
    assertFailedNotification(outcome, "P2.3");
    assertEquals("803C1200", s.headers().get(s.headers().size() - 1));
  }

  @Test
  @DisplayName("invalid point X: P2.3 FAIL, abort 12 0C, no VERIFY")
  void invalidPointX() {
    Scenario s =
        new Scenario(state)
            .onResponse(
                Ins.SPAKE2_REQUEST,
                r -> {
                  byte[] data = r.data();
                  data[data.length - 1] ^= 0x01; // Y coordinate off the curve
                  return ResponseApdu.of(data, r.sw());
                });
    PairingOutcome outcome = s.run();
    assertStep(outcome, "P2.3", Result.FAIL);
    assertAbort(outcome, "P2.3", "120C");
    assertFalse(s.headers().contains("80320000"), "no VERIFY after an invalid X");
  }

  @Test
  @DisplayName("broken chain: P2.6.1 FAIL, abort 12 0B")
  void brokenChain() {
    EcKeyPair other = EcKeyPair.generate(SecureDraws.seeded(3).random());
    var foreignRoot =
        CccCertificateBuilder.vehicleOemCa("Some other OEM CA", other.publicBytes())
            .serialNumber(java.math.BigInteger.valueOf(0x3000000000000001L))
            .validity(
                java.time.Instant.parse("2026-01-01T00:00:00Z"),
                java.time.Instant.parse("2046-01-01T00:00:00Z"))
            .sign(other);
    Scenario s =
        new Scenario(state)
            .vehicle(
                v ->
                    new VehicleSettings(
                        v.vehicleIdentifier(),
                        v.brand(),
                        v.ignitionOn(),
                        v.spake2Versions(),
                        v.appletVersions(),
                        v.vehicleKey(),
                        v.vehicleCertificate(),
                        v.intermediateCertificate(),
                        List.of(TrustAnchor.of(foreignRoot)),
                        v.checkValidity(),
                        v.creation(),
                        v.ble(),
                        v.zz2PublicKey(),
                        v.devxEncKey(),
                        v.verifier(),
                        v.phase4(),
                        v.backend()));
    PairingOutcome outcome = s.run();
    assertStep(outcome, "P2.6", Result.PASS);
    assertStep(outcome, "P2.6.1", Result.FAIL);
    assertAbort(outcome, "P2.6.1", "120B");
    assertSkippedAfter(outcome, "P2.6.1");
    assertTrue(s.state.records().isEmpty(), "no DK stored");
  }

  @Test
  @DisplayName(
      "vehicle identifier mismatch (K's CN vs 7F4A.4D): the device refuses the stream, P2.4 FAIL 6A80")
  void vehicleIdentifierMismatch() {
    Scenario s =
        new Scenario(state)
            .vehicle(
                v ->
                    new VehicleSettings(
                        Hex.decode("444B524947563032"),
                        v.brand(),
                        v.ignitionOn(),
                        v.spake2Versions(),
                        v.appletVersions(),
                        v.vehicleKey(),
                        v.vehicleCertificate(),
                        v.intermediateCertificate(),
                        v.trustAnchors(),
                        v.checkValidity(),
                        v.creation(),
                        v.ble(),
                        v.zz2PublicKey(),
                        v.devxEncKey(),
                        v.verifier(),
                        v.phase4(),
                        v.backend()));
    PairingOutcome outcome = s.run();
    assertStep(outcome, "P2.4", Result.FAIL);
    assertEquals("6A80", outcome.result(Step.P2_4).swHex());
    assertStep(outcome, "P2.4.1", Result.FAIL);
    assertStep(outcome, "P2.4.2.2", Result.FAIL);
    assertAbort(outcome, "P2.4", "1200");
  }

  @Test
  @DisplayName("bad endpoint signature: P3.3 FAIL, abort 80 3C 00 0B")
  void badEndpointSignature() {
    Scenario s =
        new Scenario(state).device(d -> d.withQuirks(Set.of(DeviceQuirk.BAD_ENDPOINT_SIGNATURE)));
    PairingOutcome outcome = s.run();
    assertStep(outcome, "P3.3", Result.FAIL);
    assertAbort(outcome, "P3.3", "000B");
    assertEquals("803C000B", s.headers().get(s.headers().size() - 1));
    assertTrue(outcome.result(Step.P3_3).detail().contains("endpoint signature"));
    assertFailedNotification(outcome, "P3.3");
  }

  @Test
  @DisplayName("wrong key slot: P3.3 FAIL, abort 80 3C 00 0A")
  void wrongKeySlot() {
    Scenario s = new Scenario(state).device(d -> d.withQuirks(Set.of(DeviceQuirk.WRONG_KEY_SLOT)));
    PairingOutcome outcome = s.run();
    assertStep(outcome, "P3.3", Result.FAIL);
    assertAbort(outcome, "P3.3", "000A");
  }

  @Test
  @DisplayName("H certifies another vehicle identifier: P2.6.2 FAIL, abort 12 0A, no DK")
  void bindingVehicleIdentifierMismatch() {
    Scenario s =
        new Scenario(state)
            .device(d -> d.withQuirks(Set.of(DeviceQuirk.WRONG_VEHICLE_ID_IN_CERTIFICATE)));
    PairingOutcome outcome = s.run();
    assertStep(outcome, "P2.6.1", Result.PASS);
    assertStep(outcome, "P2.6.2", Result.FAIL);
    assertAbort(outcome, "P2.6.2", "120A");
    assertTrue(
        outcome.result(Step.P2_6_2).detail().contains("vehicle_identifier"),
        outcome.result(Step.P2_6_2).detail());
    assertTrue(s.state.records().isEmpty());
  }

  @Test
  @DisplayName("bad R-MAC in the framework channel: P2.4 FAIL, abort 12 00")
  void badRmacFramework() {
    Scenario s = new Scenario(state).onResponse(Ins.WRITE_DATA, Bad::flipLastDataByte);
    PairingOutcome outcome = s.run();
    assertStep(outcome, "P2.4", Result.FAIL);
    assertAbort(outcome, "P2.4", "1200");
    assertTrue(outcome.result(Step.P2_4).detail().contains("R-MAC"));
  }

  @Test
  @DisplayName(
      "bad R-MAC in the framework channel during GET RESPONSE chaining: P2.6 FAIL, abort 12 00")
  void badRmacFrameworkChain() {
    Scenario s = new Scenario(state).onResponse(Ins.GET_RESPONSE, Bad::flipLastDataByte);
    PairingOutcome outcome = s.run();
    assertStep(outcome, "P2.6", Result.FAIL);
    assertAbort(outcome, "P2.6", "1200");
  }

  @Test
  @DisplayName("bad R-MAC in the applet channel (AUTH1 response): P3.3 FAIL, abort 80 3C 00 00")
  void badRmacApplet() {
    Scenario s = new Scenario(state).onResponse(Ins.AUTH1, Bad::flipLastDataByte);
    PairingOutcome outcome = s.run();
    assertStep(outcome, "P3.3", Result.FAIL);
    assertAbort(outcome, "P3.3", "0000");
    assertEquals("803C0000", s.headers().get(s.headers().size() - 1));
    assertEquals(DkState.PAIRED_PENDING, s.state.records().get(0).state());
  }

  @Test
  @DisplayName(
      "bad R-MAC in the applet channel (EXCHANGE): P4.2.2 FAIL, abort 80 3C 00 00, no HU_NTF OP_FAILED")
  void badRmacAppletExchange() {
    Scenario s = new Scenario(state).onResponse(Ins.EXCHANGE, Bad::flipLastDataByte);
    PairingOutcome outcome = s.run();
    assertStep(outcome, "P4.2.2", Result.FAIL);
    assertAbort(outcome, "P4.2.2", "0000");
    assertStep(outcome, "P3.6", Result.PASS);
    assertTrue(
        outcome.events().stream().noneMatch(e -> "OP_FAILED".equals(e.payload().get("code"))));
  }

  @Test
  @DisplayName(
      "T_OwnerPairing expiry: P1.7a FAIL with the timer, abort 03 to the selected session, DK discarded")
  void ownerPairingExpiry() {
    Scenario s = new Scenario(state).timer(TimerName.T_OwnerPairing, Duration.ofSeconds(2));
    s.perApdu = Duration.ofMillis(100);
    PairingOutcome outcome = s.run();
    StepResult p17a = outcome.result(Step.P1_7A);
    assertEquals(Result.FAIL, p17a.result(), p17a.detail());
    assertEquals(Optional.of("T_OwnerPairing"), p17a.timer());
    assertTrue(p17a.abortHex().equals("1203") || p17a.abortHex().equals("0003"), p17a.abortHex());
    assertEquals(Verdict.FAIL, outcome.verdict());
    assertTrue(s.state.records().isEmpty(), "DK discarded");
    long interrupted =
        outcome.results().stream()
            .filter(r -> r.result() == Result.FAIL && r.timer().isPresent())
            .count();
    assertEquals(2, interrupted, "P1.7a and the interrupted step");
  }

  @Test
  @DisplayName(
      "T_PairingModeTimeout with no device: P2.1 FAIL (no abort), P1.6.3 FAIL with the timer")
  void pairingModeTimeoutWithoutDevice() {
    Scenario s = new Scenario(state).timer(TimerName.T_PairingModeTimeout, Duration.ofSeconds(3));
    s.present.set(false);
    PairingOutcome outcome = s.run();
    assertStep(outcome, "P2.1", Result.FAIL);
    assertTrue(outcome.result(Step.P2_1).abort().isEmpty());
    assertStep(outcome, "P1.6.3", Result.FAIL);
    assertEquals(Optional.of("T_PairingModeTimeout"), outcome.result(Step.P1_6_3).timer());
    assertTrue(s.headers().isEmpty(), "no APDU without a device");
    assertEquals(
        Duration.ofSeconds(3), Duration.between(Scenario.START, s.clock.now()).withNanos(0));
  }

  @Test
  @DisplayName(
      "attempt limit with a provisioned (w0/L) verifier: P2.3 FAIL, abort 12 0D, no REQUEST")
  void attemptLimit() {
    Verifier verifier =
        Verifier.provision(
            "12345678",
            new ScryptParameters(Hex.decode("000102030405060708090A0B0C0D0E0F"), 4096, 8, 1));
    Scenario s =
        new Scenario(state).vehicle(v -> v.withVerifier(new VerifierSource.Provisioned(verifier)));
    s.state.saveAttempts(verifier, 7, Scenario.START);
    PairingOutcome outcome = s.run();
    assertStep(outcome, "P2.3", Result.FAIL);
    assertAbort(outcome, "P2.3", "120D");
    assertEquals(List.of("00A40400", "803C120D"), s.headers());
  }

  @Test
  @DisplayName(
      "issue 14: a DK record that cannot be saved makes its step (P2.8) ERROR and the run ERROR")
  void unsavedRecordIsAnError() {
    java.util.concurrent.atomic.AtomicBoolean broken =
        new java.util.concurrent.atomic.AtomicBoolean();
    Scenario s =
        new Scenario(state)
            .onResponse(
                0x3C,
                r -> {
                  // After the check before the run: the dk folder becomes a regular file.
                  if (broken.compareAndSet(false, true)) {
                    try {
                      java.nio.file.Files.createDirectories(state);
                      java.nio.file.Files.deleteIfExists(state.resolve("dk"));
                      java.nio.file.Files.writeString(state.resolve("dk"), "not a folder");
                    } catch (java.io.IOException e) {
                      throw new java.io.UncheckedIOException(e);
                    }
                  }
                  return r;
                });
    PairingOutcome outcome = s.run();
    assertStep(outcome, "P2.8", Result.ERROR);
    assertEquals(Verdict.ERROR, outcome.verdict());
    assertTrue(
        outcome.results().stream()
            .filter(r -> r.step().id().equals("P2.8"))
            .findFirst()
            .orElseThrow()
            .detail()
            .contains("the DK record could not be saved"),
        outcome.results().toString());
  }

  @Test
  @DisplayName("§5.6: the persistent counter counts every VERIFY; the 8th run stops at 0D")
  void attemptsAccumulate() {
    Verifier verifier =
        Verifier.provision(
            "12345678",
            new ScryptParameters(Hex.decode("000102030405060708090A0B0C0D0E0F"), 4096, 8, 1));
    for (int i = 1; i <= 7; i++) {
      Scenario s =
          new Scenario(state)
              .vehicle(v -> v.withVerifier(new VerifierSource.Provisioned(verifier)))
              .device(d -> d.withPassword("87654321"));
      assertAbort(s.run(), "P2.3", "1200");
      assertEquals(i, s.state.attempts(verifier));
    }
    Scenario last =
        new Scenario(state).vehicle(v -> v.withVerifier(new VerifierSource.Provisioned(verifier)));
    assertAbort(last.run(), "P2.3", "120D");
  }

  @Test
  @DisplayName("missing verifier: P1.4 ERROR, P1.4a INFO (PP-03), verdict ERROR, no APDU")
  void missingVerifier() {
    Scenario s =
        new Scenario(state)
            .vehicle(v -> v.withVerifier(new VerifierSource.Absent("no verifier provisioned")));
    PairingOutcome outcome = s.run();
    assertStep(outcome, "P1.4", Result.ERROR);
    assertStep(outcome, "P1.4a", Result.INFO);
    assertEquals(Verdict.ERROR, outcome.verdict());
    assertTrue(s.headers().isEmpty());
    assertEquals(
        List.of("PhoneKey_Req", "PP03_Req", "HU_NTF"),
        outcome.events().stream().map(HuEvent::name).toList());
    assertEquals("OP_NO_VERIFIER", outcome.events().get(2).payload().get("code"));
    assertSkippedAfter(outcome, "P1.4a");
  }

  @Test
  @DisplayName(
      "receipt never offered: P4.2.1 FAIL with T_KtsWait, no abort, owner pairing stays complete")
  void receiptNeverOffered() {
    Scenario s =
        new Scenario(state)
            .device(d -> d.withDelays(Duration.ofHours(1), Duration.ZERO))
            .timer(TimerName.T_KtsWait, Duration.ofSeconds(1));
    PairingOutcome outcome = s.run();
    assertStep(outcome, "P4.2.1", Result.FAIL);
    assertEquals(Optional.of("T_KtsWait"), outcome.result(Step.P4_2_1).timer());
    assertTrue(outcome.result(Step.P4_2_1).abort().isEmpty());
    assertStep(outcome, "P4.1", Result.PASS);
    assertStep(outcome, "P4.2", Result.PASS);
    assertStep(outcome, "P4.2.2", Result.SKIPPED);
    assertStep(outcome, "P3.6", Result.PASS);
    assertEquals(DkState.ACTIVE, s.state.records().get(0).state());
  }

  @Test
  @DisplayName("§18.18: a tag lost mid-run is ERROR at that step, no abort")
  void tagLost() {
    Scenario s = new Scenario(state);
    s.onResponse(
        Ins.WRITE_DATA,
        r -> {
          s.present.set(false);
          return r;
        });
    PairingOutcome outcome = s.run();
    assertStep(outcome, "P2.4", Result.ERROR);
    assertTrue(
        outcome.result(Step.P2_4).detail().contains("tag lost"),
        outcome.result(Step.P2_4).detail());
    assertTrue(outcome.result(Step.P2_4).abort().isEmpty());
    assertEquals(Verdict.ERROR, outcome.verdict());
  }

  @Test
  @DisplayName("§18.18: a silent device is FAIL (T_Apdu), abort 04")
  void silentDevice() {
    Scenario s = new Scenario(state);
    s.rewrite = (c, r) -> c.ins() == Ins.SPAKE2_VERIFY ? null : r;
    PairingOutcome outcome = runTolerant(s);
    assertStep(outcome, "P2.3", Result.FAIL);
    assertAbort(outcome, "P2.3", "1204");
  }

  /** The default pairing with faults injected under the vehicle (issue 9). */
  private static Scenario withFaults(Scenario s, String... specs) {
    s.wrapTransport =
        reader ->
            FaultInjectingTransport.wrap(
                reader,
                FaultInjectingTransport.Fault.parseAll(List.of(specs)),
                s.clock,
                Duration.ofSeconds(5),
                s.notes::add);
    return s;
  }

  @Test
  @DisplayName("§18.18: a tag lost during the P2.1 SELECT is retried, and P2.1's record says so")
  void tagLostDuringFirstSelect() {
    PairingOutcome outcome = withFaults(new Scenario(state), "tag-lost@1").run();
    assertEquals(Verdict.PASS, outcome.verdict(), () -> outcome.firstProblem().toString());
    assertEquals(
        "9000, D4 = 02 after 2 SELECTs (last refusal: tag lost during SELECT)",
        outcome.result(Step.P2_1).detail());
  }

  @Test
  @DisplayName("§18.7, §18.18: a tag lost during the transaction-2 SELECT shows in P2.5's record")
  void tagLostDuringTransaction2Select() {
    // 1 SELECT, 2 REQUEST, 3 VERIFY, 4-6 WRITE DATA, 7 OP CONTROL FLOW 10 01, 8 SELECT.
    Scenario s = withFaults(new Scenario(state), "tag-lost@8");
    PairingOutcome outcome = s.run();
    assertEquals(Verdict.PASS, outcome.verdict(), () -> outcome.firstProblem().toString());
    assertEquals("00A40400", s.headers().get(7));
    assertTrue(
        outcome
            .result(Step.P2_5)
            .detail()
            .contains(
                "transaction-2 SELECT 9000 after 2 SELECTs (last refusal: tag lost during SELECT)"),
        outcome.result(Step.P2_5).detail());
  }

  @Test
  @DisplayName("§18.18: a tag lost in a phase-4 poll restarts it, and P4.1's record says so")
  void tagLostDuringPhase4Poll() {
    // Phase 4 starts at exchange 23 (T1 transcript, §17.4.6): SELECT, AUTH0, AUTH1.
    Scenario s = withFaults(new Scenario(state), "tag-lost@25");
    PairingOutcome outcome = s.run();
    assertEquals("80810000", s.headers().get(24));
    assertEquals(Verdict.PASS, outcome.verdict(), () -> outcome.firstProblem().toString());
    assertEquals(
        "1 transaction(s): SELECT, version check, AUTH0 each 9000; 1 poll(s) restarted after a"
            + " tag lost mid-transaction",
        outcome.result(Step.P4_1).detail());
  }

  @Test
  @DisplayName(
      "§3.3, §3.4: a CONTROL FLOW answered 9000 with data is malformed: FAIL, abort 00 (P2.5, P2.8, P3.4)")
  void controlFlowAnswerWithData() {
    for (String id : List.of("P2.5", "P2.8", "P3.4")) {
      int p1 =
          switch (id) {
            case "P2.5" -> 0x10;
            case "P2.8" -> 0x11;
            default -> 0x01;
          };
      Scenario s = new Scenario(state.resolve(id));
      s.rewrite =
          (c, r) ->
              c.ins() == Ins.CONTROL_FLOW && c.p1() == p1
                  ? ResponseApdu.of(Hex.decode("0102030405060708"), r.sw())
                  : r;
      PairingOutcome outcome = s.run();
      StepResult r = outcome.result(Step.byId(id));
      assertEquals(Result.FAIL, r.result(), () -> id + ": " + r.detail());
      assertTrue(r.detail().contains("8 data byte(s)"), r.detail());
      assertAbort(outcome, id, id.equals("P3.4") ? "0000" : "1200");
    }
  }

  /** A reader whose device leaves the field at every SELECT framework from the n-th on. */
  private static NfcTransport losingSelects(NfcTransport reader, int fromSelect) {
    int[] selects = {0};
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
      public ResponseApdu transmit(CommandApdu command) {
        if (Arrays.equals(command.data(), DkProfile.FRAMEWORK_AID) && ++selects[0] >= fromSelect) {
          throw new TransportException(TransportException.Kind.TAG_LOST, "card removed");
        }
        return reader.transmit(command);
      }

      @Override
      public void reset() {
        reader.reset();
      }

      @Override
      public void stopPolling() {
        reader.stopPolling();
      }

      @Override
      public void close() {
        reader.close();
      }
    };
  }

  @Test
  @DisplayName(
      "§18.18: a device lost at every P2.1 SELECT is polled for again, never spun: the run ends"
          + " when pairing mode does")
  void lostAtEverySelect() {
    Scenario s = new Scenario(state).timer(TimerName.T_PairingModeTimeout, Duration.ofSeconds(3));
    s.wrapTransport = reader -> losingSelects(reader, 1);
    PairingOutcome outcome =
        assertTimeoutPreemptively(Duration.ofSeconds(60), s::run, "the run must end");
    assertStep(outcome, "P2.1", Result.FAIL);
    assertTrue(
        outcome.result(Step.P2_1).detail().contains("tag lost during SELECT"),
        outcome.result(Step.P2_1).detail());
    assertEquals(Optional.of("T_PairingModeTimeout"), outcome.result(Step.P1_6_3).timer());
  }

  @Test
  @DisplayName(
      "§18.7, §18.18: a device lost at every transaction-2 SELECT: P2.5 FAILs at T_TxGap, never"
          + " spun")
  void lostAtEveryTransaction2Select() {
    Scenario s = new Scenario(state).timer(TimerName.T_TxGap, Duration.ofSeconds(3));
    s.wrapTransport = reader -> losingSelects(reader, 2);
    PairingOutcome outcome =
        assertTimeoutPreemptively(Duration.ofSeconds(60), s::run, "the run must end");
    assertStep(outcome, "P2.5", Result.FAIL);
    assertEquals(Optional.of("T_TxGap"), outcome.result(Step.P2_5).timer());
    assertTrue(
        outcome.result(Step.P2_5).detail().contains("tag lost during SELECT"),
        outcome.result(Step.P2_5).detail());
  }

  private static PairingOutcome runTolerant(Scenario s) {
    return s.run();
  }

  /** Response corruptions a faulty device or RF link produces. */
  static final class Bad {
    private Bad() {}

    static ResponseApdu flipLastDataByte(ResponseApdu r) {
      byte[] data = r.data();
      if (data.length == 0) {
        return r;
      }
      data[data.length - 1] ^= 0x01;
      return ResponseApdu.of(data, r.sw());
    }
  }
}
