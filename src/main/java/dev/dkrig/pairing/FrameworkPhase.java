package dev.dkrig.pairing;

import dev.dkrig.ble.VehicleIdentity;
import dev.dkrig.ccc.CccException;
import dev.dkrig.ccc.DkProfile;
import dev.dkrig.ccc.StatusWord;
import dev.dkrig.ccc.fw.FrameworkCommands;
import dev.dkrig.ccc.fw.SelectFrameworkResponse;
import dev.dkrig.ccc.fw.Spake2Request;
import dev.dkrig.ccc.kcd.DeviceConfiguration;
import dev.dkrig.ccc.kcd.EndpointCreationData;
import dev.dkrig.ccc.kcd.KeyCreationStream;
import dev.dkrig.ccc.spake2.SystemKeys;
import dev.dkrig.ccc.spake2.Verifier;
import dev.dkrig.iso7816.Hex;
import dev.dkrig.iso7816.ResponseApdu;
import dev.dkrig.pairing.protocol.Negotiated;
import dev.dkrig.pairing.protocol.Selected;
import dev.dkrig.pairing.protocol.Spake2Pending;
import dev.dkrig.pairing.protocol.StepFailure;
import dev.dkrig.pairing.protocol.VehicleSession;
import dev.dkrig.time.Durations;
import dev.dkrig.time.TimerName;
import dev.dkrig.transport.TransportException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * Phase 2, NFC session 1, transaction 1 (§2): the framework is selected (P2.1), versions agreed
 * (P2.2), SPAKE2+ run (P2.3) and the creation data sent (P2.4), one method per step.
 */
final class FrameworkPhase extends PhaseSteps {
  private final PairingMode pairingMode;
  private final VehicleStore state;
  private final RunHoldings holdings;
  private String lastRefusal = "no device was presented";

  FrameworkPhase(Parts parts, PairingMode pairingMode, VehicleStore state, RunHoldings holdings) {
    super(parts);
    this.pairingMode = pairingMode;
    this.state = state;
    this.holdings = holdings;
  }

  /** Transaction 1 of session 1. */
  CreationDataSent run(PairingModeEntered mode) throws InterruptedException {
    SelectFrameworkResponse select = selectFramework();
    Negotiated negotiated = negotiateVersions(select);
    SystemKeys keys = spake2(mode, negotiated);
    return new CreationDataSent(negotiated, keys, sendCreationData(negotiated));
  }

  /** Why the last SELECT of P2.1 was refused, for the record of T_PairingModeTimeout. */
  String lastRefusal() {
    return lastRefusal;
  }

  /** P2.1 and P2.1a: SELECT framework, retried until D4 = 02 while pairing mode lasts. */
  SelectFrameworkResponse selectFramework() throws InterruptedException {
    enter(Step.P2_1);
    int attempts = 0;
    while (true) {
      waits.checkRunTimers();
      if (!waits.awaitTarget(
          waits.remaining(TimerName.T_PairingModeTimeout),
          "place the phone (or CCC test card) on the pad; the owner has entered the pairing"
              + " password in the app",
          TimerName.T_PairingModeTimeout)) {
        continue;
      }
      ResponseApdu response;
      try {
        response = link.sendRaw(FrameworkCommands.selectFramework());
      } catch (TransportException e) {
        if (e.kind() != TransportException.Kind.TAG_LOST) {
          throw link.failure(e, "SELECT framework");
        }
        // §18.18: the retry after a lost tag is part of this step's record, and it polls again
        // as after a failed poll: one poll slice later, so a device that vanishes at every
        // SELECT cannot spin the run (on a virtual clock, forever) until pairing mode ends.
        attempts++;
        lastRefusal = "tag lost during SELECT";
        note(lastRefusal + "; polling again");
        link.reset();
        waits.waitFor(VehicleSession.POLL_SLICE);
        continue;
      }
      attempts++;
      if (response.sw() == StatusWord.NOT_FOUND && settings.has(VehicleQuirk.NO_RETRY_AFTER_6A82)) {
        // P2.1 is never an abort (§2): the vehicle only gives up instead of retrying.
        throw StepFailure.fail(
            "SELECT framework answered "
                + StatusWord.describe(response.sw())
                + "; not retried after T_NotReadyRetry (vehicle quirk no-retry-after-6a82, §2"
                + " P2.1 broken)",
            response.sw(),
            null);
      }
      if (response.sw() != StatusWord.SUCCESS) {
        retryNotReady("SELECT framework answered " + StatusWord.describe(response.sw()));
        continue;
      }
      session.selected(Selected.FRAMEWORK);
      SelectFrameworkResponse parsed;
      try {
        parsed = SelectFrameworkResponse.parse(response.data());
      } catch (CccException e) {
        // §18.5: the SELECT itself passed; the response is malformed (P2.1a).
        pass(Step.P2_1, "9000, response malformed, see P2.1a");
        enter(Step.P2_1A);
        throw StepFailure.fail(
            "malformed SELECT response: " + e.getMessage(), AbortReason.UNSPECIFIED);
      }
      if (!parsed.ready()) {
        session.selected(Selected.NONE);
        retryNotReady(
            "device not ready: D4 = " + Hex.u8(parsed.state()) + " (no pairing password yet)");
        continue;
      }
      pass(
          Step.P2_1,
          "9000, D4 = 02"
              + (attempts > 1
                  ? " after " + attempts + " SELECTs (last refusal: " + lastRefusal + ")"
                  : ""));
      enter(Step.P2_1A);
      pass(Step.P2_1A, "well formed: " + parsed);
      return parsed;
    }
  }

  /** P2.1 retry: NFC reset, wait T_NotReadyRetry, poll and SELECT again (§2). */
  private void retryNotReady(String why) throws InterruptedException {
    lastRefusal = why;
    note(
        why + "; NFC reset, retry in " + Durations.compact(waits.value(TimerName.T_NotReadyRetry)));
    link.reset();
    waits.waitFor(waits.value(TimerName.T_NotReadyRetry));
  }

  /** P2.2: the SPAKE2+ version and the applet list (§4). */
  Negotiated negotiateVersions(SelectFrameworkResponse select) {
    enter(Step.P2_2);
    Negotiated negotiated =
        Negotiated.of(select, settings.spake2Versions(), settings.appletVersions());
    pass(Step.P2_2, negotiated.describe());
    return negotiated;
  }

  /** P2.3: attempt counter, REQUEST, X, VERIFY, M2 (§5). */
  SystemKeys spake2(PairingModeEntered mode, Negotiated negotiated) {
    enter(Step.P2_3);
    Verifier verifier = mode.verifier().verifier();
    boolean persistent = mode.verifier().persistent();
    // A counter that is not persisted counts this run's attempts only: this is its first.
    int attempts = persistent ? storedAttempts(verifier) : 0;
    if (attempts >= DkProfile.SPAKE2_ATTEMPT_LIMIT) {
      throw attemptLimit(verifier, attempts, "no REQUEST sent");
    }
    Spake2Request request =
        new Spake2Request(
            negotiated.spake2Version(),
            negotiated.appletVersions(),
            verifier.scrypt(),
            settings.brand());
    Spake2Pending pending =
        session.request(request, verifier, holdings.precomputation().spake2(verifier));
    // §5.6: the counter goes up and is persisted before VERIFY is sent.
    // §18.9: with a persistent counter, other runs share it: re-read and increment it under the
    // state folder's lock, so that no two runs spend the same attempt.
    if (persistent) {
      attempts = reserveAttempt(verifier);
    } else {
      attempts++;
    }
    StringBuilder m2 = new StringBuilder("M2 correct");
    SystemKeys keys =
        settings.has(VehicleQuirk.IGNORE_BAD_M2)
            ? session.verifyIgnoringEvidence(
                pending,
                why -> {
                  m2.setLength(0);
                  m2.append("M2 wrong (")
                      .append(why)
                      .append("), ignored: vehicle quirk ignore-bad-m2, no abort 12 09 (§5.4)");
                  note(m2.toString());
                })
            : session.verify(pending);
    holdings.systemKeys(keys);
    pass(
        Step.P2_3,
        "REQUEST 9000, X valid, VERIFY 9000, "
            + m2
            + " (attempt "
            + attempts
            + " of "
            + DkProfile.SPAKE2_ATTEMPT_LIMIT
            + ")");
    endPairingModeOnSuccess(mode.since());
    return keys;
  }

  private int storedAttempts(Verifier verifier) {
    try {
      return state.attempts(verifier);
    } catch (VehicleStore.Unusable e) {
      throw StepFailure.error(e.getMessage(), e);
    }
  }

  /** The next attempt of the shared counter, or abort 0D when another run used the last one. */
  private int reserveAttempt(Verifier verifier) {
    OptionalInt reserved;
    try {
      reserved = state.reserveAttempt(verifier, DkProfile.SPAKE2_ATTEMPT_LIMIT, clock.now());
    } catch (VehicleStore.Unusable | java.io.UncheckedIOException e) {
      throw StepFailure.error("the attempt counter cannot be persisted: " + e.getMessage(), e);
    }
    if (reserved.isEmpty()) {
      throw attemptLimit(verifier, DkProfile.SPAKE2_ATTEMPT_LIMIT, "no VERIFY sent");
    }
    return reserved.getAsInt();
  }

  private static StepFailure attemptLimit(Verifier verifier, int attempts, String sent) {
    return StepFailure.fail(
        "SPAKE2+ attempt limit reached: "
            + attempts
            + " attempts with verifier "
            + verifier.fingerprint()
            + "; provision a new verifier ("
            + sent
            + ")",
        AbortReason.ATTEMPT_LIMIT);
  }

  /** Pairing mode ends at P2.3 PASS (§13): advertising stops, P1.6.3 passes. */
  private void endPairingModeOnSuccess(Instant since) {
    Duration inMode = Duration.between(since, clock.now());
    waits.timers().stop(TimerName.T_PairingModeTimeout);
    boolean advertised = pairingMode.advertising();
    pairingMode.stop();
    recorder.record(
        Step.P1_6_3,
        Result.PASS,
        "P2.3 passed "
            + Durations.format(inMode)
            + " into pairing mode (limit "
            + Durations.compact(waits.value(TimerName.T_PairingModeTimeout))
            + "); "
            + (advertised ? "BLE advertising stopped, " : "")
            + "NFC polling continues for the procedure");
  }

  /** P2.4 and its sub-steps: the creation data stream in WRITE DATA pieces (§7). */
  EndpointCreationData sendCreationData(Negotiated negotiated) {
    enter(Step.P2_4);
    EndpointCreationData creationData = settings.endpointCreationData(negotiated.agreedApplet());
    DeviceConfiguration configuration = settings.deviceConfiguration();
    KeyCreationStream stream = settings.creationStream(creationData);
    byte[] bytes = stream.encode();
    List<byte[]> pieces =
        KeyCreationStream.chunks(
            bytes,
            settings.has(VehicleQuirk.SHORT_WRITE_PIECES)
                ? VehicleQuirk.SHORT_PIECE
                : DkProfile.WRITE_DATA_PIECE);
    session.writeStream(pieces);
    List<String> sizes = new ArrayList<>();
    for (byte[] piece : pieces) {
      sizes.add(String.valueOf(piece.length));
    }
    String detail =
        bytes.length
            + "-byte stream in "
            + pieces.size()
            + " WRITE DATA ("
            + String.join("+", sizes)
            + "), each answered 9000 with a valid R-MAC";
    pass(Step.P2_4, detail);
    pass(
        Step.P2_4_1,
        "7F4B: K, "
            + settings.vehicleCertificate().encoded().length
            + " bytes, CN "
            + settings.vehicleCertificate().subjectCommonName().orElse("?")
            + settings
                .intermediateCertificate()
                .map(i -> "; 7F4C intermediate included")
                .orElse(""));
    pass(Step.P2_4_2, "7F4E: " + configuration.toTlv().encode().length + " bytes");
    VehicleSettings.BleParameters b = settings.ble();
    pass(
        Step.P2_4_2_1,
        "7F49: IRK, identity address "
            + (b.addressType() == 0 ? "public " : "random static ")
            + VehicleIdentity.addressText(b.identityAddress())
            + ", flags "
            + Hex.u8(configuration.flags()));
    pass(Step.P2_4_2_2, "D9: " + profileNames(configuration.dkProfiles()));
    return creationData;
  }

  private static String profileNames(byte[] ids) {
    List<String> names = new ArrayList<>();
    for (byte id : ids) {
      names.add(
          Hex.u8(id & 0xFF)
              + switch (id) {
                case DkProfile.DK_PROFILE_NFC -> " NFC";
                case DkProfile.DK_PROFILE_NFC_BLE -> " NFC+BLE";
                case DkProfile.DK_PROFILE_NFC_BLE_UWB -> " NFC+BLE+UWB";
                default -> "";
              });
    }
    return String.join(", ", names);
  }
}
