package dev.dkrig.ccc.dka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dkrig.ccc.DkProfile;
import dev.dkrig.iso7816.Hex;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** §11.3 key derivation, both roles, against §17.4.9 and §17.4.10. */
class TransactionKeysTest {

  @ParameterizedTest
  @EnumSource(T1Phase.class)
  void ephemeralKeysAreTheTranscriptOnes(T1Phase phase) {
    TransactionContext context = phase.context();

    assertEquals(Hex.encode(phase.hex("vePK")), Hex.encode(context.vehicleEphemeralPublicKey()));
    assertEquals(Hex.encode(phase.hex("dePK")), Hex.encode(context.deviceEphemeralPublicKey()));
    assertEquals(Optional.empty(), context.kdfDeviceVersionList());
  }

  @ParameterizedTest
  @EnumSource(T1Phase.class)
  void infoFollowsTheByteTable(T1Phase phase) {
    byte[] volatileInfo = TransactionKeys.info(phase.context(), DkProfile.LABEL_VOLATILE);
    byte[] persistentInfo = TransactionKeys.info(phase.context(), DkProfile.LABEL_PERSISTENT);

    assertEquals(Hex.encode(phase.hex("info_volatile")), Hex.encode(volatileInfo));
    assertEquals(Hex.encode(phase.hex("info_persistent")), Hex.encode(persistentInfo));
    assertEquals(95, volatileInfo.length);
    assertEquals(97, persistentInfo.length);
  }

  @ParameterizedTest
  @EnumSource(T1Phase.class)
  void vehicleDerivesTheTranscriptKeys(T1Phase phase) {
    assertKeys(phase, TransactionKeys.deriveByVehicle(phase.context(), phase.vehicleEphemeral()));
  }

  @ParameterizedTest
  @EnumSource(T1Phase.class)
  void deviceDerivesTheTranscriptKeys(T1Phase phase) {
    assertKeys(phase, TransactionKeys.deriveByDevice(phase.context(), phase.deviceEphemeral()));
  }

  @Test
  void theSwitchAppendsTheDeviceVersionList() {
    TransactionContext plain = T1Phase.P3.context();
    TransactionContext homeKey =
        new TransactionContext(
            plain.agreedVersion(),
            plain.vehicleEphemeralPublicKey(),
            plain.deviceEphemeralPublicKey(),
            plain.transactionId(),
            plain.vehicleIdentifier(),
            Optional.of(List.of(0x0101, 0x0100)));

    byte[] info = TransactionKeys.info(homeKey, DkProfile.LABEL_VOLATILE);

    assertEquals(Hex.encode(T1Phase.P3.hex("info_volatile")) + "5C0401010100", Hex.encode(info));
    TransactionKeys vehicle =
        TransactionKeys.deriveByVehicle(homeKey, T1Phase.P3.vehicleEphemeral());
    TransactionKeys device = TransactionKeys.deriveByDevice(homeKey, T1Phase.P3.deviceEphemeral());
    assertEquals(Hex.encode(vehicle.kenc()), Hex.encode(device.kenc()));
    assertNotEquals(Hex.encode(T1Phase.P3.hex("Kenc")), Hex.encode(vehicle.kenc()));
  }

  @Test
  void theProfileDefaultAppendsNothing() {
    assertFalse(DkProfile.DKA_KDF_APPEND_DEVICE_VERSION_LIST);
    TransactionContext context =
        TransactionContext.of(
            T1Phase.P4.auth0(), T1Phase.P4.auth0Response(), List.of(0x0101, 0x0100));
    assertEquals(Optional.empty(), context.kdfDeviceVersionList());
  }

  @Test
  void keysNeverAppearInToString() {
    TransactionKeys keys =
        TransactionKeys.deriveByVehicle(T1Phase.P3.context(), T1Phase.P3.vehicleEphemeral());
    String text = keys.toString();

    for (byte[] secret :
        List.of(keys.z(), keys.kdh(), keys.kenc(), keys.kmac(), keys.krmac(), keys.kpersistent())) {
      assertFalse(text.contains(Hex.encode(secret)), text);
    }
    assertTrue(text.contains("redacted"));
  }

  @Test
  void aKeyPairThatDoesNotMatchTheContextIsAProgrammingError() {
    assertThrows(
        IllegalArgumentException.class,
        () -> TransactionKeys.deriveByVehicle(T1Phase.P3.context(), T1Phase.P4.vehicleEphemeral()));
    assertThrows(
        IllegalArgumentException.class,
        () -> TransactionKeys.deriveByDevice(T1Phase.P3.context(), T1Phase.P3.vehicleEphemeral()));
  }

  private static void assertKeys(T1Phase phase, TransactionKeys keys) {
    assertEquals(Hex.encode(phase.hex("Z")), Hex.encode(keys.z()));
    assertEquals(Hex.encode(phase.hex("Kdh")), Hex.encode(keys.kdh()));
    assertEquals(Hex.encode(phase.hex("Kenc")), Hex.encode(keys.kenc()));
    assertEquals(Hex.encode(phase.hex("Kmac")), Hex.encode(keys.kmac()));
    assertEquals(Hex.encode(phase.hex("Krmac")), Hex.encode(keys.krmac()));
    assertEquals(Hex.encode(phase.hex("Kpersistent")), Hex.encode(keys.kpersistent()));
  }
}
