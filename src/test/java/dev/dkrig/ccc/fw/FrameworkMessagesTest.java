package dev.dkrig.ccc.fw;

import static dev.dkrig.testing.Vectors.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dkrig.ccc.CccException;
import dev.dkrig.ccc.spake2.ScryptParameters;
import dev.dkrig.iso7816.CommandApdu;
import dev.dkrig.iso7816.Hex;
import dev.dkrig.iso7816.ResponseApdu;
import dev.dkrig.testing.Vectors;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** §3.3, §3.3.1, §4: framework messages against the T1 transcript. */
class FrameworkMessagesTest {
  private static final byte[] SALT = Hex.decode("000102030405060708090A0B0C0D0E0F");
  private static final List<Vectors.Exchange> T1 = Vectors.transcript();

  @Test
  @DisplayName("T1: SELECT framework, its response, the REQUEST and VERIFY bytes")
  void t1Commands() {
    assertArrayEquals(T1.get(0).command(), FrameworkCommands.selectFramework().bytes());
    SelectFrameworkResponse select =
        SelectFrameworkResponse.parse(ResponseApdu.parse(T1.get(0).response()).data());
    assertEquals(List.of(0x0101, 0x0100), select.spake2Versions());
    assertTrue(select.ready());
    assertArrayEquals(ResponseApdu.parse(T1.get(0).response()).data(), select.encode());

    Spake2Request request =
        new Spake2Request(
            0x0101,
            Versions.appletListForRequest(List.of(0x0101, 0x0100), select.appletVersions()),
            new ScryptParameters(SALT, 4096, 8, 1),
            Hex.decode("0001"));
    assertArrayEquals(T1.get(1).command(), request.toApdu().bytes());
    assertEquals(0x31, request.data().length);
    assertArrayEquals(hex("spake2.AAD"), request.aad());
    assertEquals(request, Spake2Request.parse(CommandApdu.parse(T1.get(1).command()).data()));

    byte[] x = Spake2Messages.parseRequestResponse(ResponseApdu.parse(T1.get(1).response()).data());
    assertArrayEquals(hex("spake2.X"), x);
    assertArrayEquals(
        T1.get(2).command(), Spake2Messages.verify(hex("spake2.Y"), hex("spake2.M1")).bytes());
    assertArrayEquals(
        hex("spake2.M2"),
        Spake2Messages.parseVerifyResponse(ResponseApdu.parse(T1.get(2).response()).data()));
    assertArrayEquals(T1.get(6).command(), FrameworkCommands.opControlFlow(0x1001).bytes());
    assertArrayEquals(T1.get(17).command(), FrameworkCommands.opControlFlow(0x1111).bytes());
    assertArrayEquals(T1.get(18).command(), FrameworkCommands.selectApplet().bytes());
    assertEquals(
        List.of(0x0101, 0x0100),
        SelectAppletResponse.parse(ResponseApdu.parse(T1.get(18).response()).data())
            .appletVersions());
    assertEquals("803C120B", Hex.encode(FrameworkCommands.abort(0x0B).bytes()));
  }

  @Test
  @DisplayName("§3.3.1: malformed SELECT responses")
  void malformedSelect() {
    for (String bad :
        List.of(
            "5C0401010100D40102", // 5A missing
            "5A00 5C0401010100D40102", // empty 5A
            "5A03010101 5C0401010100D40102", // odd 5A
            "5A0401010100 5C0401010100 D4020200", // D4 length 2
            "5A0401010100 5C0401010100", // D4 missing
            "5A0401010100 5A0401010100 5C0401010100D40102", // duplicate
            "5A0401010100 5C04010101")) { // truncated
      assertThrows(CccException.class, () -> SelectFrameworkResponse.parse(Hex.decode(bad)), bad);
    }
    // any order and unknown tags are fine
    SelectFrameworkResponse ok =
        SelectFrameworkResponse.parse(Hex.decode("D40100 9F0100 5C020100 5A020100"));
    assertFalse(ok.ready());
  }

  @Test
  @DisplayName("§4: negotiation")
  void negotiation() {
    assertEquals(
        0x0101,
        Versions.highestCommon(List.of(0x0101, 0x0100), List.of(0x0100, 0x0101)).orElseThrow());
    assertEquals(
        0x0100, Versions.highestCommon(List.of(0x0101, 0x0100), List.of(0x0100)).orElseThrow());
    assertTrue(Versions.highestCommon(List.of(0x0101, 0x0100), List.of(0x0200)).isEmpty());
    assertEquals(
        List.of(0x0101, 0x0100),
        Versions.appletListForRequest(List.of(0x0100, 0x0101), List.of(0x0101, 0x0100, 0x0300)));
    assertEquals(List.of(), Versions.appletListForRequest(List.of(0x0101), List.of(0x0100)));
    List<Integer> many = java.util.stream.IntStream.rangeClosed(0x0100, 0x0109).boxed().toList();
    assertEquals(
        List.of(0x0109, 0x0108, 0x0107, 0x0106, 0x0105, 0x0104, 0x0103),
        Versions.appletListForRequest(many, many),
        "at most seven versions in the REQUEST (§4)");
    assertEquals(
        0x8001,
        Versions.highestCommon(List.of(0x0101, 0x8001), List.of(0x8001, 0x0101)).orElseThrow());
  }

  @Test
  @DisplayName("§3.3, §18.1: REQUEST data errors the device answers with 6A88")
  void malformedRequests() {
    String good = Hex.encode(CommandApdu.parse(T1.get(1).command()).data());
    List<String> bad =
        List.of(
            good.replace("5B020101", "5B03010100"), // 5B length 3
            good.replace("5C0401010100", "5C03010101"), // odd 5C
            good.replace("C10400001000", "C10400000000"), // N = 0
            good.replace("C2020008", "C2020000"), // r = 0
            good.replace("C10400001000", "C10400001001"), // N not a power of two
            good.replace("D6020001", ""), // D6 missing
            good.substring(0, good.length() - 2), // truncated
            good.replace("5B020101", "") + "5B020101"); // misordered
    for (String data : bad) {
      CccException e =
          assertThrows(CccException.class, () -> Spake2Request.parse(Hex.decode(data)), data);
      assertEquals(CccException.Failure.MALFORMED, e.failure());
    }
    assertThrows(CccException.class, () -> Spake2Messages.parseVerify(Hex.decode("5702AABB")));
  }

  @Test
  @DisplayName("§8.2: 7F26 status values")
  void keyCreationStatus() {
    byte[] dkId = hex("DK_identifier");
    KeyCreationStatus created = KeyCreationStatus.created(dkId);
    assertEquals("800100 8114".replace(" ", "") + Hex.encode(dkId), Hex.encode(created.encode()));
    assertEquals(
        KeyCreationStatus.IN_PROGRESS, KeyCreationStatus.parse(Hex.decode("800101")).status());
    assertThrows(CccException.class, () -> KeyCreationStatus.parse(Hex.decode("800100")));
    assertThrows(CccException.class, () -> KeyCreationStatus.parse(Hex.decode("800107")));
    assertThrows(CccException.class, () -> KeyCreationStatus.parse(Hex.decode("8101AA")));
  }
}
