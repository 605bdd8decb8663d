package dev.dkrig.conformance.vehicle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dkrig.bench.ConfigSource;
import dev.dkrig.conformance.Operator;
import dev.dkrig.conformance.ScenarioResult;
import dev.dkrig.conformance.SuiteListener;
import dev.dkrig.conformance.SuiteOutcome;
import dev.dkrig.device.DeviceSettings;
import dev.dkrig.device.VirtualDevice;
import dev.dkrig.pairing.Verdict;
import dev.dkrig.phone.host.HostedPhone;
import dev.dkrig.phone.host.PhoneHost;
import dev.dkrig.random.SecureDraws;
import dev.dkrig.time.RigClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The phone's own transport failing under the vehicle suite (a PN532 board that stops answering, a
 * vpcd that closes): the scenario in the field ends ERROR with the host's cause, and the suite runs
 * nothing more, each later scenario "not run" with the same cause.
 */
class HostFailureTest {

  /** A host whose board is gone as soon as the first phone is put on it. */
  private static final class GoneBoard implements PhoneHost {
    int served;

    @Override
    public String description() {
      return "PN532 on /dev/gone";
    }

    @Override
    public void serve(HostedPhone phone) {
      served++;
      phone.hostFailed("the PN532 board on /dev/gone failed: no ACK within 500 ms");
    }

    @Override
    public void close() {}
  }

  @Test
  @DisplayName("a host that fails: that scenario ERROR naming the cause, the rest not run")
  void hostFails() {
    VehicleSuite suite =
        VehicleSuite.load(ConfigSource.file(Path.of("suites/vehicle-conformance.yaml")))
            .only(List.of("wrong-m2", "bad-applet-rmac", "wrong-key-slot"));
    GoneBoard host = new GoneBoard();
    SuiteOutcome outcome =
        new VehicleSuiteRunner(
                suite,
                host,
                quirk ->
                    new VirtualDevice(
                        DeviceSettings.t1().withQuirks(Set.of(quirk)),
                        SecureDraws.seeded(5),
                        RigClock.system(),
                        RigClock.system()),
                RigClock.system(),
                Operator.none(),
                SuiteListener.none(),
                new VehicleSuiteRunner.Options(
                    Map.of(), Optional.of(Duration.ofMinutes(5)), true, 0, false),
                ScenarioWire.none())
            .run();
    assertEquals(1, host.served, "nothing more is put on a failed host");
    assertEquals(Verdict.ERROR, outcome.verdict());
    List<ScenarioResult> results = outcome.results();
    assertEquals(3, results.size());
    String cause = "the phone's transport failed: the PN532 board on /dev/gone failed";
    assertEquals(Verdict.ERROR, results.get(0).verdict());
    assertTrue(results.get(0).cause().orElseThrow().startsWith(cause), results.get(0).cause()::get);
    for (ScenarioResult later : results.subList(1, 3)) {
      assertEquals(Verdict.ERROR, later.verdict());
      assertTrue(later.cause().orElseThrow().startsWith("not run: " + cause), later.cause()::get);
    }
  }
}
