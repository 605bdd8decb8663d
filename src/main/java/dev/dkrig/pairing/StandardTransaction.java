package dev.dkrig.pairing;

import dev.dkrig.ccc.EcKeyPair;
import dev.dkrig.ccc.Hex;
import dev.dkrig.ccc.P256;
import dev.dkrig.ccc.dka.Auth0Command;
import dev.dkrig.ccc.dka.Auth1ResponsePlaintext;
import dev.dkrig.ccc.dka.TransactionKeys;
import dev.dkrig.pairing.protocol.TransactionPending;
import dev.dkrig.pairing.protocol.VehicleSession;
import dev.dkrig.time.RigClock;
import java.util.List;

/**
 * The vehicle's standard transaction with the stored DK (§11), as phases 3 and 4 run it: AUTH0 with
 * the precomputed ephemeral key and transaction identifier, AUTH1 checked against the DK's endpoint
 * key, and CONTROL FLOW {@code 01 00}, after which Kpersistent is stored (§11.8).
 */
final class StandardTransaction {
  private final VehicleSettings settings;
  private final VehicleSession session;
  private final RunHoldings holdings;
  private final RigClock clock;

  StandardTransaction(
      VehicleSettings settings, VehicleSession session, RunHoldings holdings, RigClock clock) {
    this.settings = settings;
    this.session = session;
    this.holdings = holdings;
    this.clock = clock;
  }

  /** AUTH0 with the next precomputed transaction's inputs (issue 20). */
  TransactionPending auth0(int agreedApplet, List<Integer> deviceVersions) {
    Precomputation.Transaction inputs = holdings.precomputation().nextTransaction();
    EcKeyPair ephemeral = inputs.ephemeral();
    Auth0Command auth0 =
        new Auth0Command(
            agreedApplet,
            ephemeral.publicBytes(),
            inputs.transactionId(),
            settings.vehicleIdentifier());
    return session.auth0(auth0, ephemeral, deviceVersions);
  }

  /** AUTH1 and the checks of §11.6 against the stored DK. */
  Auth1ResponsePlaintext auth1(TransactionPending pending) {
    return session
        .auth1(
            pending,
            settings.vehicleKey(),
            P256.decodePoint(Hex.decode(holdings.dk().endpointPublicKey())),
            settings.creation().initialKeySlot())
        .auth1();
  }

  /** CONTROL FLOW 80 3C 01 00 ends a standard transaction; Kpersistent is replaced (§11.8). */
  void end(TransactionKeys keys) {
    session.endTransaction();
    holdings.store(
        holdings.dk().withSecret("Kpersistent", Hex.encode(keys.kpersistent()), clock.now()));
  }
}
