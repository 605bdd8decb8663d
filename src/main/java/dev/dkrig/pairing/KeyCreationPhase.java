package dev.dkrig.pairing;

import dev.dkrig.ccc.CccException;
import dev.dkrig.ccc.DkProfile;
import dev.dkrig.ccc.StatusWord;
import dev.dkrig.ccc.attestation.VehicleAttestation;
import dev.dkrig.ccc.fw.FrameworkCommands;
import dev.dkrig.ccc.fw.SelectFrameworkResponse;
import dev.dkrig.ccc.fw.Versions;
import dev.dkrig.ccc.kcd.EndpointCreationData;
import dev.dkrig.ccc.pki.Binding;
import dev.dkrig.ccc.pki.ChainVerifier;
import dev.dkrig.ccc.pki.DkIdentifier;
import dev.dkrig.ccc.pki.VerifiedChain;
import dev.dkrig.ccc.spake2.SystemKeys;
import dev.dkrig.iso7816.Hex;
import dev.dkrig.iso7816.ResponseApdu;
import dev.dkrig.pairing.protocol.Certificates;
import dev.dkrig.pairing.protocol.Failures;
import dev.dkrig.pairing.protocol.KeyCreated;
import dev.dkrig.pairing.protocol.KeyCreationWait;
import dev.dkrig.pairing.protocol.Negotiated;
import dev.dkrig.pairing.protocol.Selected;
import dev.dkrig.pairing.protocol.StepFailure;
import dev.dkrig.pairing.protocol.VehicleSession;
import dev.dkrig.time.Durations;
import dev.dkrig.time.RigClock;
import dev.dkrig.time.TimerName;
import dev.dkrig.transport.TransportException;
import java.time.Duration;
import java.time.Instant;

/**
 * Phase 2, NFC session 1, transaction 2 (§2): the device creates its key (P2.5), hands over its
 * certificates (P2.6), which the vehicle verifies (P2.6.1, P2.6.2), attests (P2.7) and stores
 * (P2.8), one method per step.
 */
final class KeyCreationPhase extends PhaseSteps {
  private final RigClock protocolClock;
  private final RunHoldings holdings;

  KeyCreationPhase(Parts parts, RigClock protocolClock, RunHoldings holdings) {
    super(parts);
    this.protocolClock = protocolClock;
    this.holdings = holdings;
  }

  /** Transaction 2 of session 1; the DK is stored PAIRED_PENDING. */
  DkCreated run(CreationDataSent sent) throws InterruptedException {
    DkIdentifier dkIdentifier = createDigitalKey(sent.negotiated());
    VerifiedChain chain = verifyChain(readCertificates());
    DkRecord pending = verifyBinding(chain, sent, dkIdentifier);
    sendAttestation(chain);
    finaliseCreation(pending);
    return new DkCreated(sent.negotiated());
  }

  /** P2.5: OP CONTROL FLOW 10 01, NFC reset, transaction-2 SELECT, key-creation status (§8). */
  DkIdentifier createDigitalKey(Negotiated negotiated) throws InterruptedException {
    enter(Step.P2_5);
    session.opControlFlow(DkProfile.OP_FLOW_CREATE, "");
    waits.timers().start(TimerName.T_KeyCreation);
    // §6.2: keys, counter and MCV survive this NFC reset; the device keeps them in AWAIT_TX2.
    link.reset();
    session.selected(Selected.NONE);
    waits.timers().start(TimerName.T_TxGap);
    Instant gapStart = clock.now();
    Transaction2Select select = selectTransaction2();
    SelectFrameworkResponse second = select.response();
    Duration gap = Duration.between(gapStart, clock.now());
    String retries =
        select.selects() > 1
            ? " after " + select.selects() + " SELECTs (last refusal: " + select.refusal() + ")"
            : "";
    waits.timers().stop(TimerName.T_TxGap);
    if (Negotiated.tryOf(second, settings.spake2Versions(), settings.appletVersions())
        .filter(negotiated::equals)
        .isEmpty()) {
      throw StepFailure.fail(
          "transaction-2 renegotiation differs: now "
              + second
              + " (was SPAKE2+ "
              + Hex.u16(negotiated.spake2Version())
              + ", applets "
              + Versions.format(negotiated.appletVersions())
              + ")",
          AbortReason.UNSPECIFIED);
    }
    KeyCreated created = session.awaitKeyCreated(new KeyCreationTimer());
    int polls = created.polls();
    DkIdentifier dkIdentifier = created.dkIdentifier();
    waits.timers().stop(TimerName.T_KeyCreation);
    pass(
        Step.P2_5,
        "10 01 → 9000; transaction-2 SELECT 9000"
            + retries
            + ", "
            + Durations.format(gap)
            + " after the reset; key created (status 00"
            + (polls > 1 ? " after " + polls + " polls" : "")
            + "), DK identifier "
            + dkIdentifier.hex());
    return dkIdentifier;
  }

  /** P2.5's polls: bounded by T_KeyCreation, paced by T_StatusPoll, run timers checked. */
  private final class KeyCreationTimer implements KeyCreationWait {
    @Override
    public boolean expired() {
      return waits.expired(TimerName.T_KeyCreation);
    }

    @Override
    public StepFailure expiry(int polls) {
      return StepFailure.timer(
          TimerName.T_KeyCreation,
          "T_KeyCreation ("
              + Durations.compact(waits.value(TimerName.T_KeyCreation))
              + ") expired with the key still in progress (7F26 status 01 after "
              + polls
              + " polls)",
          AbortReason.KEY_CREATION_TIMEOUT);
    }

    @Override
    public void pause() throws InterruptedException {
      waits.waitFor(waits.value(TimerName.T_StatusPoll));
    }
  }

  /**
   * The transaction-2 SELECT as answered: how many SELECTs were sent, and why the last refused one
   * failed.
   */
  private record Transaction2Select(
      SelectFrameworkResponse response, int selects, String refusal) {}

  /** The transaction-2 SELECT of P2.5, retried until T_TxGap expires (§18.7). */
  private Transaction2Select selectTransaction2() throws InterruptedException {
    String last = "no device was presented";
    String refusal = "";
    int selects = 0;
    while (true) {
      waits.checkRunTimers();
      if (waits.expired(TimerName.T_TxGap)) {
        session.wipeChannels();
        throw StepFailure.timer(
            TimerName.T_TxGap,
            "T_TxGap ("
                + Durations.compact(waits.value(TimerName.T_TxGap))
                + ") expired before the transaction-2 SELECT was answered (last: "
                + last
                + "); code 06, not sent",
            null);
      }
      if (!waits.awaitTarget(
          waits.remaining(TimerName.T_TxGap),
          "keep the phone on the pad: the device creates its key (session 1, transaction 2)",
          TimerName.T_TxGap)) {
        continue;
      }
      ResponseApdu response;
      selects++;
      try {
        response = link.sendRaw(FrameworkCommands.selectFramework());
      } catch (TransportException e) {
        if (e.kind() != TransportException.Kind.TAG_LOST) {
          throw link.failure(e, "SELECT framework (transaction 2)");
        }
        last = "tag lost during SELECT";
        refusal = last;
        note(last + "; polling again");
        link.reset();
        // As in P2.1: the next poll one slice later, never past T_TxGap (checked above).
        waits.waitFor(RunWaits.min(VehicleSession.POLL_SLICE, waits.remaining(TimerName.T_TxGap)));
        continue;
      }
      if (response.sw() != StatusWord.SUCCESS) {
        last = "SELECT answered " + StatusWord.describe(response.sw());
        refusal = last;
        note(last + "; NFC reset and retry");
        link.reset();
        waits.waitFor(
            RunWaits.min(
                waits.value(TimerName.T_NotReadyRetry), waits.remaining(TimerName.T_TxGap)));
        continue;
      }
      session.selected(Selected.FRAMEWORK);
      return new Transaction2Select(
          VehicleSession.parseFrameworkSelect(response, true), selects, refusal);
    }
  }

  /** P2.6: GET DATA 7F20, 7F22, 7F24 with GET RESPONSE chaining (§6.5, §8.2). */
  Certificates readCertificates() {
    enter(Step.P2_6);
    Certificates certificates = session.readCertificates();
    pass(
        Step.P2_6,
        "7F20 H "
            + certificates.endpoint().length
            + " bytes, 7F22 E "
            + certificates.instanceCa().length
            + " bytes, 7F24 F "
            + certificates.deviceOemCa().length
            + " bytes, all 9000 with valid R-MACs");
    return certificates;
  }

  /** P2.6.1: the F, E, H chain against the trust anchors (§8.5, §18.19). */
  VerifiedChain verifyChain(Certificates certificates) {
    enter(Step.P2_6_1);
    VerifiedChain chain =
        VehicleSession.verifyChain(
            new ChainVerifier(settings.trustAnchors(), settings.checkValidity()),
            certificates,
            protocolClock.now());
    pass(
        Step.P2_6_1,
        "F \""
            + chain.deviceOemCa().subjectCommonName().orElse("?")
            + "\" → E \""
            + chain.instanceCa().subjectCommonName().orElse("?")
            + "\" → H valid under \""
            + chain
                .trustAnchor()
                .certificate()
                .flatMap(c -> c.subjectCommonName())
                .orElse("trust anchor")
            + "\"");
    return chain;
  }

  /** P2.6.2: H matches what the vehicle sent and the DK identifier (§8.6). */
  DkRecord verifyBinding(VerifiedChain chain, CreationDataSent sent, DkIdentifier dkIdentifier) {
    enter(Step.P2_6_2);
    EndpointCreationData creationData = sent.creationData();
    SystemKeys systemKeys = sent.systemKeys();
    try {
      Binding.verify(chain.endpoint(), creationData, dkIdentifier);
    } catch (CccException e) {
      throw Failures.ccc(e, AbortReason.WRONG_CONFIGURATION);
    }
    DkRecord pendingDk =
        DkRecord.uncommitted(
            settings.vehicleIdentifier(),
            dkIdentifier,
            sent.negotiated().agreedApplet(),
            settings.creation().initialKeySlot(),
            chain.endpoint(),
            systemKeys,
            clock.now());
    pass(
        Step.P2_6_2,
        "H .5.4 matches 7F4A; SHA-1(H's key) = DK identifier " + dkIdentifier.hex() + " = H's CN");
    return pendingDk;
  }

  /** P2.7: the 5F5A attestation in one WRITE DATA with P1 = 80 (§9). */
  void sendAttestation(VerifiedChain chain) {
    enter(Step.P2_7);
    long time = protocolClock.now().getEpochSecond();
    VehicleAttestation.Signed attestation =
        VehicleAttestation.forEndpoint(
                settings.vehicleIdentifier(), chain.endpoint().publicKey(), time)
            .sign(settings.vehicleKey());
    session.writeAttestation(VehicleSession.attestationStream(attestation.encode()));
    pass(
        Step.P2_7,
        "5F5A ("
            + attestation.encode().length
            + " bytes, signed by vehicle.SK, time "
            + Instant.ofEpochSecond(time)
            + ") → 9000, R-MAC valid");
  }

  /** P2.8: OP CONTROL FLOW 11 11; the DK is stored PAIRED_PENDING; framework keys go. */
  void finaliseCreation(DkRecord pendingDk) {
    enter(Step.P2_8);
    session.finaliseCreation();
    DkRecord storedDk = pendingDk.withState(DkState.PAIRED_PENDING, clock.now());
    holdings.store(storedDk);
    link.reset();
    waits.timers().start(TimerName.T_TxGap);
    pass(
        Step.P2_8,
        "11 11 → 9000; DK "
            + storedDk.dkId()
            + " stored as PAIRED_PENDING; framework keys dropped");
  }
}
