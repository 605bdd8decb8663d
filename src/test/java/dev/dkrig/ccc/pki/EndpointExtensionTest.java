package dev.dkrig.ccc.pki;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dkrig.ccc.CccException;
import dev.dkrig.ccc.kcd.EndpointCreationData;
import dev.dkrig.iso7816.Hex;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** §8.4 endpoint extension {@code .5.4}, against {@code H.ext_41577_5_4} of §17.4.3. */
class EndpointExtensionTest {
  private static final byte[] HASH = Hex.decode("00112233445566778899AABBCCDDEEFF".repeat(2));

  @Test
  void encodesT1CreationDataToTheVector() {
    assertEquals(
        T1.vector("H.ext_41577_5_4"),
        Hex.encode(EndpointExtension.from(T1.creationData()).encode()));
  }

  @Test
  void decodesTheVectorFieldByField() {
    EndpointExtension extension = EndpointExtension.decode(T1.bytes("H.ext_41577_5_4"));
    assertEquals(1, extension.extensionVersion());
    assertEquals("444B524947563031", Hex.encode(extension.vehicleIdentifier()));
    assertEquals("00", Hex.encode(extension.optionGroup1()));
    assertEquals("00", Hex.encode(extension.optionGroup2()));
    assertEquals(0x0101, extension.protocolVersion());
    assertEquals(T1.vector("key.vehicle.PK"), Hex.encode(extension.vehiclePublicKey()));
    assertEquals("0000000000000001", Hex.encode(extension.initialKeySlot()));
    assertEquals(Optional.empty(), extension.authorizedPublicKeys());
    assertEquals(OptionalInt.of(256), extension.confidentialMailboxSize());
    assertEquals(OptionalInt.of(1024), extension.privateMailboxSize());
    assertEquals(Optional.empty(), extension.accountInfoHash());
    assertEquals(T1.creationData(), extension.toCreationData());
  }

  @Test
  void optionalFieldsRoundTripInSchemaOrder() {
    EndpointCreationData withOptionals = withOptionals();
    EndpointExtension extension = EndpointExtension.from(withOptionals);
    byte[] encoded = extension.encode();
    EndpointExtension decoded = EndpointExtension.decode(encoded);

    assertEquals(extension, decoded);
    assertEquals(withOptionals, decoded.toCreationData());
    assertEquals(2, decoded.authorizedPublicKeys().orElseThrow().size());
    assertArrayEquals(HASH, decoded.accountInfoHash().orElseThrow());
    String hex = Hex.encode(encoded);
    // authorized_PK_list (SEQUENCE OF SPKI) after initial_key_slot, then [0], [1], then the hash.
    int list = hex.indexOf("0000000000000001" + "3081B6");
    int confidential = hex.indexOf("A00402020100");
    int privateSize = hex.indexOf("A10402020400");
    int hash = hex.indexOf("0420" + Hex.encode(HASH));
    assertTrue(0 < list && list < confidential && confidential < privateSize && privateSize < hash);
  }

  @Test
  void rejectsWhatTheSchemaDoesNotAllow() {
    String vector = T1.vector("H.ext_41577_5_4");
    assertMalformed(vector.replace("308188020101", "308188020102"), "extension_version 2");
    assertMalformed(
        vector.replace("A00402020100A10402020400", "A10402020400A00402020100"), "misordered");
    assertMalformed(vector.replace("A00402020100", "A0040202FF00"), "outside 1-65535");
    assertMalformed(
        vector.replace("308188", "308186").replace("A00402020100", "80020100"), "EXPLICIT");
    assertMalformed(vector.replace("308188", "30818A") + "0500", "element");
    assertMalformed(vector.replace("308188", "30820088"), "not DER");
    assertMalformed(
        vector
            .replace("3081880201010408", "3081870201010407")
            .replace("444B524947563031040100", "444B5249475630040100"),
        "vehicle_identifier has 7 bytes");
    assertMalformed("3003020101", "at least 7 required");
  }

  @Test
  void rejectsFieldsThatCannotBe7F4A() {
    EndpointExtension noMailbox =
        new EndpointExtension(
            1,
            T1.VEHICLE_IDENTIFIER,
            Hex.decode("00"),
            Hex.decode("00"),
            0x0101,
            T1.VEHICLE_KEY.publicBytes(),
            Hex.decode("0000000000000001"),
            Optional.empty(),
            OptionalInt.empty(),
            OptionalInt.of(1024),
            Optional.empty());
    CccException e = assertThrows(CccException.class, noMailbox::toCreationData);
    assertEquals(CccException.Failure.MALFORMED, e.failure());
    assertEquals(noMailbox, EndpointExtension.decode(noMailbox.encode()));
  }

  static EndpointCreationData withOptionals() {
    EndpointCreationData t1 = T1.creationData();
    return new EndpointCreationData(
        t1.vehicleIdentifier(),
        t1.optionGroup1(),
        t1.optionGroup2(),
        t1.protocolVersion(),
        t1.vehiclePublicKey(),
        t1.initialKeySlot(),
        List.of(
            T1.derivedKey("authorized_1").publicBytes(),
            T1.derivedKey("authorized_2").publicBytes()),
        t1.confidentialMailboxSize(),
        t1.privateMailboxSize(),
        Optional.of(HASH));
  }

  private static void assertMalformed(String hex, String fragment) {
    CccException e =
        assertThrows(CccException.class, () -> EndpointExtension.decode(Hex.decode(hex)), hex);
    assertEquals(CccException.Failure.MALFORMED, e.failure());
    assertTrue(e.getMessage().contains(fragment), e.getMessage());
  }
}
