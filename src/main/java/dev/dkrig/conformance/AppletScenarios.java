package dev.dkrig.conformance;

import dev.dkrig.ccc.CccException;
import dev.dkrig.ccc.DkProfile;
import dev.dkrig.ccc.Ins;
import dev.dkrig.ccc.StatusWord;
import dev.dkrig.ccc.dka.Auth1Command;
import dev.dkrig.ccc.dka.ExchangeOperation;
import dev.dkrig.ccc.sm.SecureChannel;
import dev.dkrig.iso7816.ResponseApdu;
import dev.dkrig.pairing.protocol.VehicleSession;
import java.util.Arrays;
import java.util.List;

/**
 * The scenarios of the DK applet (§11): AUTH1 with a bad vehicle signature and AUTH1 replayed from
 * an earlier transaction. Both first give the device a DK with a clean pairing.
 */
final class AppletScenarios {
  private AppletScenarios() {}

  private static final String SIGNATURE_RULE =
      "§11.4: the device verifies the vehicle signature with vehicle.PK from K";

  static List<ConformanceScenario> all() {
    return List.of(
        ConformanceScenario.of(
                "auth1-bad-signature",
                "AUTH1 with a bad vehicle signature",
                "a standard transaction whose AUTH1 carries a vehicle signature that does not"
                    + " verify",
                "6A88 (§11.4, §3.6); no applet keys (an EXCHANGE under them gets 6985); the DK"
                    + " still works; a clean pairing passes",
                AppletScenarios::badSignature)
            .catching("accept-bad-vehicle-signature"),
        ConformanceScenario.of(
                "auth1-replay",
                "AUTH1 replayed from an earlier transaction",
                "transaction 2 sends transaction 1's AUTH0 and then its AUTH1 again, byte for byte",
                "a fresh 86 in AUTH0 and 6A88 to the replayed AUTH1 (§11.2, §11.4); no applet keys;"
                    + " the DK still works; a clean pairing passes",
                AppletScenarios::replay)
            .catching("accept-bad-vehicle-signature"));
  }

  private static void badSignature(ScenarioRun run) throws InterruptedException {
    ScriptedVehicle v = run.vehicle();
    DeviceKnowledge.KnownKey key = run.cleanPairing(StepKind.SETUP).orElseThrow();
    ScriptedVehicle.Auth0Outcome auth0 =
        run.step(
            StepKind.SETUP,
            "SELECT applet and AUTH0",
            step -> {
              v.reselect(step);
              ScriptedVehicle.Applet applet = v.selectApplet(step, key.agreedVersion());
              ScriptedVehicle.Auth0Outcome outcome = v.auth0(step, applet, true);
              step.detail("9000, 86 valid (§11.2)");
              return outcome;
            });
    byte[] bad = FrameworkScenarios.flipLastBit(v.signAuth1(auth0).vehicleSignature());
    ResponseApdu answer =
        run.deviation(
            "AUTH1 with a bad vehicle signature",
            StatusWord.REFERENCED_DATA,
            SIGNATURE_RULE,
            step -> step.send(new Auth1Command(bad).toApdu()));
    keysGone(run, auth0, answer);
    run.abort(DkProfile.ABORT_UNSPECIFIED);
    run.keyStillWorks(key);
  }

  private static void replay(ScenarioRun run) throws InterruptedException {
    ScriptedVehicle v = run.vehicle();
    DeviceKnowledge.KnownKey key = run.cleanPairing(StepKind.SETUP).orElseThrow();
    ScriptedVehicle.Auth0Outcome first =
        run.step(
            StepKind.SETUP,
            "transaction 1: SELECT applet, AUTH0, AUTH1, CONTROL FLOW 01 00",
            step -> {
              v.reselect(step);
              ScriptedVehicle.Applet applet = v.selectApplet(step, key.agreedVersion());
              ScriptedVehicle.Auth0Outcome outcome = v.auth0(step, applet, true);
              v.auth1(step, outcome, key);
              v.endTransaction(step, true);
              step.detail("a clean standard transaction, recorded");
              return outcome;
            });
    Auth1Command recorded = v.signAuth1(first);
    ScriptedVehicle.Auth0Outcome second =
        run.step(
            StepKind.SETUP,
            "transaction 2: NFC reset, SELECT applet, transaction 1's AUTH0 again",
            step -> {
              v.reselect(step);
              ScriptedVehicle.Applet applet = v.selectApplet(step, key.agreedVersion());
              ScriptedVehicle.Auth0Outcome outcome =
                  v.auth0(step, applet, first.command(), first.ephemeral(), true);
              step.detail("9000, 86 valid (§11.2)");
              return outcome;
            });
    boolean sameEphemeral =
        Arrays.equals(
            first.context().orElseThrow().deviceEphemeralPublicKey(),
            second.context().orElseThrow().deviceEphemeralPublicKey());
    String action = "AUTH1 replayed from transaction 1";
    ResponseApdu answer =
        run.check(
                StepKind.DEVIATION,
                action,
                step -> {
                  ResponseApdu response = step.send(recorded.toApdu());
                  ScenarioRun.judge(
                      step,
                      action,
                      response,
                      StatusWord.REFERENCED_DATA,
                      "§11.2, §11.4: the signature covers this transaction's device ephemeral"
                          + " key"
                          + (sameEphemeral
                              ? "; the device answered AUTH0 with transaction 1's 86 again,"
                                  + " not a fresh key"
                              : ""));
                  return response;
                })
            .orElse(null);
    keysGone(run, second, answer);
    run.abort(DkProfile.ABORT_UNSPECIFIED);
    run.keyStillWorks(key);
  }

  /**
   * After the refused AUTH1 neither side has applet keys (§3.5, §3.6): an EXCHANGE under the keys
   * the vehicle derived must get 6985. Had the device answered AUTH1 with 9000 anyway, its response
   * is taken in first, so the EXCHANGE is what that device would expect.
   */
  private static void keysGone(
      ScenarioRun run, ScriptedVehicle.Auth0Outcome auth0, ResponseApdu auth1Answer)
      throws InterruptedException {
    SecureChannel channel = VehicleSession.appletChannel(auth0.keys().orElseThrow());
    if (auth1Answer != null && auth1Answer.sw() == StatusWord.SUCCESS) {
      try {
        channel.unprotectResponse(auth1Answer);
      } catch (CccException | IllegalArgumentException e) {
        // A response the vehicle cannot read; the EXCHANGE below still shows what the device does.
      }
    }
    ScriptedVehicle v = run.vehicle();
    byte[] read = new ExchangeOperation.ReadMailbox(DkProfile.MAILBOX_PRIVATE, 0, 1).encode();
    run.sessionDropped(
        "EXCHANGE (read 1 byte of the private mailbox) under the transaction's keys",
        "the refused AUTH1",
        step -> step.send(v.protect(channel, Ins.EXCHANGE, 0x00, 0x00, read)));
  }
}
