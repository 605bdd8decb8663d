package dev.dkrig.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dkrig.ccc.CccException;
import dev.dkrig.iso7816.Hex;
import dev.dkrig.random.TestModeDraws;
import dev.dkrig.testing.Vectors;
import dev.dkrig.time.FixedClock;
import dev.dkrig.time.VirtualClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The simulated KTS: §9 verification of 5F5A and the §12.3 KTS_Response of T1 (§17.4.11). */
class SimulatedKtsTest {

  private static SimulatedKts.KeyTrackingRequest t1Request() {
    return new SimulatedKts.KeyTrackingRequest(
        T1Material.vehicleIdentifier(),
        Vectors.hex("DK_identifier"),
        Vectors.hex("key.endpoint.PK"),
        Vectors.hex("key.vehicle.PK"),
        Vectors.hex("att.5F5A_value"));
  }

  private static SimulatedKts t1Kts() {
    return new SimulatedKts(
        DeviceSettings.t1(), new TestModeDraws(), new FixedClock(T1Material.KTS_CLOCK));
  }

  @Test
  void issuesTheT1KtsResponse() {
    assertEquals(Vectors.text("kts.KTS_Response"), Hex.encode(t1Kts().issue(t1Request()).encode()));
  }

  @Test
  void refusesASignatureThatDoesNotVerify() {
    byte[] attestation = Vectors.hex("att.5F5A_value");
    attestation[attestation.length - 1] ^= 0x01;
    CccException refusal =
        assertThrows(CccException.class, () -> t1Kts().issue(withAttestation(attestation)));
    assertEquals(CccException.Failure.VERIFICATION, refusal.failure());
  }

  @Test
  void refusesAnAttestationForAnotherVehicleOrKey() {
    SimulatedKts.KeyTrackingRequest good = t1Request();
    SimulatedKts.KeyTrackingRequest otherVehicle =
        new SimulatedKts.KeyTrackingRequest(
            Hex.decode("444B524947563032"),
            good.dkIdentifier(),
            good.endpointPublicKey(),
            good.vehiclePublicKey(),
            good.attestation());
    SimulatedKts.KeyTrackingRequest otherKey =
        new SimulatedKts.KeyTrackingRequest(
            good.vehicleIdentifier(),
            new byte[20],
            good.endpointPublicKey(),
            good.vehiclePublicKey(),
            good.attestation());
    SimulatedKts.KeyTrackingRequest otherEndpoint =
        new SimulatedKts.KeyTrackingRequest(
            good.vehicleIdentifier(),
            good.dkIdentifier(),
            Vectors.hex("key.zz2.PK"),
            good.vehiclePublicKey(),
            good.attestation());
    for (SimulatedKts.KeyTrackingRequest request :
        new SimulatedKts.KeyTrackingRequest[] {otherVehicle, otherKey, otherEndpoint}) {
      CccException refusal = assertThrows(CccException.class, () -> t1Kts().issue(request));
      assertEquals(CccException.Failure.MISMATCH, refusal.failure());
    }
  }

  @Test
  void refusesAMalformedAttestation() {
    CccException refusal =
        assertThrows(CccException.class, () -> t1Kts().issue(withAttestation(new byte[165])));
    assertEquals(CccException.Failure.MALFORMED, refusal.failure());
  }

  @Test
  void deliversAfterTheDelayAndRecordsRefusals() {
    VirtualClock clock = new VirtualClock(T1Material.KTS_CLOCK);
    SimulatedKts kts =
        new SimulatedKts(
            DeviceSettings.t1().withDelays(Duration.ofSeconds(5), Duration.ZERO),
            new TestModeDraws(),
            clock);
    kts.submit(t1Request());
    kts.submit(withAttestation(new byte[166]));
    assertTrue(kts.deliverDue().isEmpty());
    assertTrue(kts.hasPending());
    clock.advance(Duration.ofSeconds(5));
    var issued = kts.deliverDue();
    assertEquals(1, issued.size());
    assertEquals(Vectors.text("DK_identifier"), issued.get(0).dkIdentifier().hex());
    assertFalse(kts.hasPending());
    assertTrue(kts.lastRefusal().isPresent());
    assertFalse(kts.toString().contains(Vectors.text("key.zz2.SK")));
  }

  private static SimulatedKts.KeyTrackingRequest withAttestation(byte[] attestation) {
    SimulatedKts.KeyTrackingRequest good = t1Request();
    return new SimulatedKts.KeyTrackingRequest(
        good.vehicleIdentifier(),
        good.dkIdentifier(),
        good.endpointPublicKey(),
        good.vehiclePublicKey(),
        attestation);
  }
}
