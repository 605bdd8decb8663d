package dev.dkrig.ccc.dka;

import dev.dkrig.ccc.DkProfile;
import dev.dkrig.ccc.EcKeyPair;

/** The two standard transactions of T1 (§17.4.9 phase 3, §17.4.10 phase 4). */
enum T1Phase {
  P3("p3", "P3.3 AUTH0", "P3.3 AUTH1", 0x0000),
  P4("p4", "P4.1 AUTH0", "P4.2 AUTH1", 0x0001);

  /** Vector prefix, {@code p3} or {@code p4}. */
  final String prefix;

  final String auth0Step;
  final String auth1Step;
  final int sigBmp;

  T1Phase(String prefix, String auth0Step, String auth1Step, int sigBmp) {
    this.prefix = prefix;
    this.auth0Step = auth0Step;
    this.auth1Step = auth1Step;
    this.sigBmp = sigBmp;
  }

  byte[] hex(String name) {
    return T1Vectors.hex(prefix + "." + name);
  }

  EcKeyPair vehicleEphemeral() {
    return T1Vectors.key("veh_eph_" + prefix);
  }

  EcKeyPair deviceEphemeral() {
    return T1Vectors.key("dev_eph_" + prefix);
  }

  Auth0Command auth0() {
    return new Auth0Command(
        T1Vectors.AGREED_VERSION,
        vehicleEphemeral().publicBytes(),
        hex("txid"),
        T1Vectors.VEHICLE_IDENTIFIER);
  }

  Auth0Response auth0Response() {
    return new Auth0Response(deviceEphemeral().publicBytes());
  }

  TransactionContext context() {
    return TransactionContext.of(auth0(), auth0Response(), DkProfile.DEVICE_APPLET_VERSIONS);
  }
}
