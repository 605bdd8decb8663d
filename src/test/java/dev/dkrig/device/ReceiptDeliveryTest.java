package dev.dkrig.device;

import static dev.dkrig.device.TestVehicle.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dkrig.ccc.DkProfile;
import dev.dkrig.ccc.StatusWord;
import dev.dkrig.ccc.attestation.VehicleAttestation;
import dev.dkrig.ccc.kcd.KeyCreationStream;
import dev.dkrig.ccc.kts.KtsResponse;
import dev.dkrig.ccc.kts.ReceiptPlaintext;
import dev.dkrig.iso7816.Hex;
import dev.dkrig.random.TestModeDraws;
import dev.dkrig.testing.Vectors;
import dev.dkrig.time.FixedClock;
import dev.dkrig.time.VirtualClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Phase 4 from the device's side: the simulated KTS delivers the KTS_Response T_KtsDelay after
 * P3.4, SigBmp bit 0 announces it, {@code E3} returns it, and bit 0 is cleared only by a CONTROL
 * FLOW {@code 01} ending a transaction that returned the complete receipt (§12.1, §12.3, §18.12).
 */
class ReceiptDeliveryTest {
  private static final byte[] GET_RECEIPT = Hex.decode("E300");

  /** Paired and activated (P3.4) on a T1 device with T_KtsDelay 0. */
  private static TestVehicle activated() {
    TestVehicle vehicle = TestVehicle.withT1Device().pair();
    vehicle.successfulTransaction();
    return vehicle;
  }

  private static DigitalKeyView key(TestVehicle vehicle) {
    return vehicle.device.digitalKey(T1Material.VEHICLE_IDENTIFIER).orElseThrow();
  }

  @Test
  void afterActivationTheReceiptIsStoredAndAnnounced() {
    TestVehicle vehicle = activated();
    assertTrue(key(vehicle).receiptStored());
    assertEquals(0x0001, key(vehicle).sigBmp());
    assertEquals(0x0001, vehicle.startTransaction().sigBmp());
    assertEquals(Vectors.text("kts.KTS_Response"), Hex.encode(vehicle.exchangeAll(GET_RECEIPT)));
  }

  @Test
  void theReceiptIsChainedIn239And21Bytes() {
    TestVehicle vehicle = activated();
    vehicle.startTransaction();
    assertEquals(0x6128, vehicle.exchange(GET_RECEIPT).sw());
    assertEquals(21, vehicle.appletGetResponse().data().length);
  }

  @Test
  void aCompleteDeliveryEndedWithSuccessClearsBit0AndKeepsTheReceipt() {
    TestVehicle vehicle = activated();
    vehicle.startTransaction();
    vehicle.exchangeAll(GET_RECEIPT);
    expect(StatusWord.SUCCESS, vehicle.controlFlow(0x01, 0x00));
    assertEquals(0x0000, key(vehicle).sigBmp());
    assertTrue(key(vehicle).receiptStored());
    vehicle.nfcReset();
    assertEquals(0x0000, vehicle.startTransaction().sigBmp());
    assertEquals(Vectors.text("kts.KTS_Response"), Hex.encode(vehicle.exchangeAll(GET_RECEIPT)));
  }

  @Test
  void aPartialDeliveryKeepsBit0() {
    TestVehicle vehicle = activated();
    vehicle.startTransaction();
    assertEquals(0x6128, vehicle.exchange(GET_RECEIPT).sw());
    expect(StatusWord.SUCCESS, vehicle.controlFlow(0x01, 0x00));
    assertEquals(0x0001, key(vehicle).sigBmp());
  }

  @Test
  void aDiscardedChainIsNotADelivery() {
    TestVehicle vehicle = activated();
    vehicle.startTransaction();
    vehicle.exchange(GET_RECEIPT);
    vehicle.exchangeAll(Hex.decode("E10B800100810200008202 0010".replace(" ", "")));
    expect(StatusWord.SUCCESS, vehicle.controlFlow(0x01, 0x00));
    assertEquals(0x0001, key(vehicle).sigBmp());
  }

  @Test
  void aCompleteDeliveryEndedWithFailureKeepsBit0() {
    TestVehicle vehicle = activated();
    vehicle.startTransaction();
    vehicle.exchangeAll(GET_RECEIPT);
    expect(StatusWord.SUCCESS, vehicle.controlFlow(0x00, 0x0B));
    assertEquals(0x0001, key(vehicle).sigBmp());
  }

  @Test
  void aCompleteDeliveryFollowedByAnErrorKeepsBit0() {
    TestVehicle vehicle = activated();
    vehicle.startTransaction();
    vehicle.exchangeAll(GET_RECEIPT);
    expect(StatusWord.INCORRECT_DATA, vehicle.exchange(Hex.decode("E400")));
    expect(StatusWord.SUCCESS, vehicle.controlFlow(0x01, 0x00));
    assertEquals(0x0001, key(vehicle).sigBmp());
  }

  @Test
  void otherOperationsInTheSameTransactionDoNotUndoADelivery() {
    TestVehicle vehicle = activated();
    vehicle.startTransaction();
    vehicle.exchangeAll(GET_RECEIPT);
    vehicle.exchangeAll(Hex.decode("E10B8001008102000082020010"));
    expect(StatusWord.SUCCESS, vehicle.controlFlow(0x01, 0x00));
    assertEquals(0x0000, key(vehicle).sigBmp());
  }

  @Test
  void theKtsAnswersOnlyAfterTKtsDelayOnItsOwnClock() {
    VirtualClock ktsClock = new VirtualClock(T1Material.KTS_CLOCK);
    DeviceSettings delayed = DeviceSettings.t1().withDelays(Duration.ofSeconds(60), Duration.ZERO);
    TestVehicle vehicle =
        new TestVehicle(
            new VirtualDevice(
                delayed, new TestModeDraws(), new FixedClock(T1Material.DEVICE_CLOCK), ktsClock));
    vehicle.pair();
    vehicle.successfulTransaction();
    assertFalse(key(vehicle).receiptStored());
    assertEquals(0x0000, vehicle.startTransaction().sigBmp());
    expect(StatusWord.REFERENCED_DATA, vehicle.exchange(GET_RECEIPT));
    vehicle.nfcReset();
    ktsClock.advance(Duration.ofSeconds(59));
    assertFalse(key(vehicle).receiptStored());
    ktsClock.advance(Duration.ofSeconds(1));
    assertEquals(0x0001, vehicle.startTransaction().sigBmp());
    byte[] receipt =
        KtsResponse.verifyAndDecrypt(
            vehicle.exchangeAll(GET_RECEIPT),
            T1Material.key(T1Material.KEY_ZZ2).publicKey(),
            T1Material.key(T1Material.KEY_DEVX_ENC));
    ReceiptPlaintext plaintext = ReceiptPlaintext.parse(receipt);
    assertEquals(T1Material.KTS_CLOCK.plusSeconds(60).getEpochSecond(), plaintext.issueTime());
  }

  @Test
  void onlyTheFirstActivationSendsAKeyTrackingRequest() {
    TestVehicle vehicle = activated();
    vehicle.startTransaction();
    vehicle.exchangeAll(GET_RECEIPT);
    vehicle.controlFlow(0x01, 0x00);
    vehicle.nfcReset();
    vehicle.successfulTransaction();
    assertEquals(0x0000, key(vehicle).sigBmp());
  }

  @Test
  void theKtsRefusesAnAttestationNotSignedByTheVehicle() {
    TestVehicle vehicle = TestVehicle.withT1Device().toTx2();
    vehicle.readKey();
    byte[] forged =
        VehicleAttestation.forEndpoint(
                Hex.decode(T1Material.VEHICLE_IDENTIFIER),
                vehicle.endpointPublicKey,
                TestVehicle.ATTESTATION_TIME)
            .sign(T1Material.key(T1Material.KEY_ZZ2))
            .encode();
    vehicle.writeStream(KeyCreationStream.encodeAttestationStream(forged));
    expect(StatusWord.SUCCESS, vehicle.opControlFlow(DkProfile.OP_FLOW_END));
    vehicle.nfcReset();
    vehicle.successfulTransaction();
    assertFalse(key(vehicle).receiptStored());
    assertEquals(0x0000, key(vehicle).sigBmp());
    assertTrue(vehicle.device.lastKtsRefusal().orElseThrow().contains("signature"));
  }
}
