package dev.dkrig.conformance;

import dev.dkrig.ccc.spake2.Verifier;
import dev.dkrig.pairing.VehicleSettings;
import dev.dkrig.random.Draws;
import dev.dkrig.state.StateStore;
import dev.dkrig.time.RigClock;
import dev.dkrig.time.TimerName;
import dev.dkrig.transport.NfcTransport;
import java.time.Duration;
import java.util.Map;

/**
 * What one scenario run works with: the reader with the device under test in its field, the vehicle
 * of the profile with its SPAKE2+ verifier, the draws and clock of the suite, the timers, the state
 * directory of the clean pairings, and the listener that tells the operator to act.
 */
record ScenarioContext(
    NfcTransport transport,
    VehicleSettings vehicle,
    Verifier verifier,
    Draws draws,
    RigClock clock,
    Map<TimerName, Duration> timers,
    StateStore state,
    SuiteListener listener) {

  Duration timer(TimerName name) {
    return timers.getOrDefault(name, name.defaultValue());
  }
}
