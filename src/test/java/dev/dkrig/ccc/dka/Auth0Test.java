package dev.dkrig.ccc.dka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.dkrig.ccc.CccException;
import dev.dkrig.ccc.CccException.Failure;
import dev.dkrig.ccc.P256;
import dev.dkrig.iso7816.Bytes;
import dev.dkrig.iso7816.CommandApdu;
import dev.dkrig.iso7816.Hex;
import dev.dkrig.iso7816.ResponseApdu;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** §11.2 AUTH0 and its response, against the T1 transcript (§17.4.6). */
class Auth0Test {
  private static final String VERSION = "5C020101";
  private static final String TXID = "4C10101112131415161718191A1B1C1D1E1F";
  private static final String VEHICLE_ID = "4D08444B524947563031";

  private static String vePk() {
    return "8741" + Hex.encode(T1Phase.P3.hex("vePK"));
  }

  private static CccException parseData(String dataHex) {
    return assertThrows(
        CccException.class,
        () -> Auth0Command.parse(CommandApdu.of(0x80, 0x80, 0x00, 0x00, Hex.decode(dataHex))));
  }

  @ParameterizedTest
  @EnumSource(T1Phase.class)
  void vehicleBuildsTheTranscriptCommand(T1Phase phase) {
    byte[] apdu = phase.auth0().toApdu().bytes();

    assertEquals(Hex.encode(T1Vectors.command(phase.auth0Step)), Hex.encode(apdu));
    assertEquals("8080000063", Hex.encode(apdu, 0, 5));
    assertEquals(99, phase.auth0().data().length);
    assertEquals(0x00, apdu[apdu.length - 1]);
  }

  @ParameterizedTest
  @EnumSource(T1Phase.class)
  void deviceParsesTheTranscriptCommandWithAndWithoutLe(T1Phase phase) {
    byte[] withLe = T1Vectors.command(phase.auth0Step);
    byte[] withoutLe = Arrays.copyOf(withLe, withLe.length - 1);

    for (byte[] bytes : List.of(withLe, withoutLe)) {
      Auth0Command parsed = Auth0Command.parse(CommandApdu.parse(bytes));
      assertEquals(phase.auth0(), parsed);
      assertEquals(0x0101, parsed.agreedVersion());
      assertArrayEquals(phase.hex("vePK"), parsed.vehicleEphemeralPublicKey());
      assertArrayEquals(phase.hex("txid"), parsed.transactionId());
      assertArrayEquals(T1Vectors.VEHICLE_IDENTIFIER, parsed.vehicleIdentifier());
    }
  }

  @ParameterizedTest
  @EnumSource(T1Phase.class)
  void deviceAnswersWithTheTranscriptResponse(T1Phase phase) {
    ResponseApdu response = phase.auth0Response().toResponseApdu();

    assertEquals(Hex.encode(T1Vectors.response(phase.auth0Step)), Hex.encode(response.bytes()));
    assertEquals(67, response.data().length);
  }

  @ParameterizedTest
  @EnumSource(T1Phase.class)
  void vehicleParsesTheTranscriptResponse(T1Phase phase) {
    ResponseApdu response = ResponseApdu.parse(T1Vectors.response(phase.auth0Step));

    Auth0Response parsed = Auth0Response.parse(response.data());

    assertArrayEquals(phase.hex("dePK"), parsed.deviceEphemeralPublicKey());
  }

  @Test
  void vehicleIgnoresUnknownTlvsAroundTag86() {
    String dePk = "8641" + Hex.encode(T1Phase.P3.hex("dePK"));

    Auth0Response parsed = Auth0Response.parse(Hex.decode("9D020102" + dePk + "5F5F00"));

    assertArrayEquals(T1Phase.P3.hex("dePK"), parsed.deviceEphemeralPublicKey());
  }

  @Test
  void deviceChecksTheVersionAgainstItsList() {
    CommandApdu apdu = T1Phase.P3.auth0().toApdu();

    assertEquals(0x0101, Auth0Command.parse(apdu, List.of(0x0101, 0x0100)).agreedVersion());
    CccException e =
        assertThrows(CccException.class, () -> Auth0Command.parse(apdu, List.of(0x0100)));
    assertEquals(Failure.MALFORMED, e.failure());
  }

  @Test
  void deviceAcceptsLongLengthFormsAsSection0Requires() {
    String data = VERSION + "878141" + Hex.encode(T1Phase.P3.hex("vePK")) + TXID + VEHICLE_ID;

    Auth0Command parsed =
        Auth0Command.parse(CommandApdu.of(0x80, 0x80, 0x00, 0x00, Hex.decode(data)));

    assertEquals(T1Phase.P3.auth0(), parsed);
  }

  @Test
  void deviceRejectsEachMissingTlv() {
    List<String> missing =
        List.of(
            vePk() + TXID + VEHICLE_ID,
            VERSION + TXID + VEHICLE_ID,
            VERSION + vePk() + VEHICLE_ID,
            VERSION + vePk() + TXID);
    for (String data : missing) {
      assertEquals(Failure.MALFORMED, parseData(data).failure(), data);
    }
    assertEquals(Failure.MALFORMED, parseData("").failure());
  }

  @Test
  void deviceRejectsMisorderedTlvs() {
    List<String> misordered =
        List.of(
            vePk() + VERSION + TXID + VEHICLE_ID,
            VERSION + vePk() + VEHICLE_ID + TXID,
            VERSION + TXID + vePk() + VEHICLE_ID,
            VEHICLE_ID + VERSION + vePk() + TXID);
    for (String data : misordered) {
      assertEquals(Failure.MALFORMED, parseData(data).failure(), data);
    }
  }

  @Test
  void deviceRejectsWrongLengthsAndExtraTlvs() {
    List<String> wrong =
        List.of(
            "5C0101" + vePk() + TXID + VEHICLE_ID,
            "5C03010100" + vePk() + TXID + VEHICLE_ID,
            VERSION + vePk() + "4C0F101112131415161718191A1B1C1D1E" + VEHICLE_ID,
            VERSION + vePk() + TXID + "4D09444B52494756303100",
            VERSION + vePk() + TXID + "4D07444B5249475630",
            VERSION + vePk() + TXID + VEHICLE_ID + "9D00",
            VERSION + VERSION + vePk() + TXID + VEHICLE_ID,
            VERSION + vePk() + TXID + "4D08444B5249475630");
    for (String data : wrong) {
      assertEquals(Failure.MALFORMED, parseData(data).failure(), data);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"offCurve", "prefix03", "prefix00", "xNotBelowP", "yEqualsP"})
  void deviceRejectsAnInvalidVehicleEphemeralKey(String kind) {
    byte[] point = InvalidPoints.of(kind);
    String data = VERSION + "8741" + Hex.encode(point) + TXID + VEHICLE_ID;

    assertEquals(Failure.INVALID_POINT, parseData(data).failure(), kind);
  }

  @Test
  void deviceRejectsAVehicleEphemeralKeyOfTheWrongLengthAsMalformed() {
    // §11.2 checks the lengths before the point; both failures are 6A80 on the device.
    byte[] shortPoint = Arrays.copyOf(T1Phase.P3.hex("vePK"), 64);
    String data = VERSION + "8740" + Hex.encode(shortPoint) + TXID + VEHICLE_ID;

    assertEquals(Failure.MALFORMED, parseData(data).failure());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"offCurve", "prefix03", "prefix00", "xNotBelowP", "yEqualsP", "short", "long"})
  void vehicleRejectsAnInvalidDeviceEphemeralKeyForAbort0C(String kind) {
    byte[] point = InvalidPoints.of(kind);
    byte[] data = Bytes.concat(Bytes.of(0x86), lengthOf(point), point);

    CccException e = assertThrows(CccException.class, () -> Auth0Response.parse(data));

    assertEquals(Failure.INVALID_POINT, e.failure(), kind);
  }

  @Test
  void vehicleRejectsAMissingOrRepeatedTag86() {
    String dePk = "8641" + Hex.encode(T1Phase.P3.hex("dePK"));
    for (String data : List.of("", "9D020102", dePk + dePk, "86", "8681")) {
      CccException e =
          assertThrows(CccException.class, () -> Auth0Response.parse(Hex.decode(data)), data);
      assertEquals(Failure.MALFORMED, e.failure(), data);
    }
  }

  @Test
  void invalidPointHelperReallyProducesInvalidPoints() {
    // The x ≥ p case reduces mod p to a point on the curve: only the coordinate rule rejects it.
    byte[] encoded = InvalidPoints.of("xNotBelowP");
    BigInteger x = new BigInteger(1, Arrays.copyOfRange(encoded, 1, 33));
    BigInteger y = new BigInteger(1, Arrays.copyOfRange(encoded, 33, 65));
    assertFalse(x.compareTo(P256.P) < 0);
    assertEquals(true, P256.CURVE.createPoint(x.mod(P256.P), y).isValid());
  }

  private static byte[] lengthOf(byte[] value) {
    return value.length < 0x80 ? Bytes.of(value.length) : Bytes.of(0x81, value.length);
  }
}
