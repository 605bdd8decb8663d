package dev.dkrig.ccc.kcd;

import static dev.dkrig.testing.Vectors.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dkrig.ccc.CccException;
import dev.dkrig.iso7816.Bytes;
import dev.dkrig.iso7816.Hex;
import dev.dkrig.iso7816.Tlv;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** §7 key creation data, against T1 (§17.4.5). */
class KeyCreationDataTest {

  static KeyCreationStream t1Stream() {
    EndpointCreationData creation =
        EndpointCreationData.defaults(
            Hex.decode("444B524947563031"), 0x0101, hex("key.vehicle.PK"));
    DeviceConfiguration configuration =
        DeviceConfiguration.of(
            Hex.decode("8899AABBCCDDEEFF0011223344556677"), 0x01, Hex.decode("C61122334455"), true);
    return new KeyCreationStream(
        creation,
        hex("cert.K"),
        Optional.empty(),
        MailboxMapping.of(creation, 0x0000, 0x0020),
        configuration);
  }

  @Test
  @DisplayName("T1: 7F4A, 7F4D, 7F4E and the 600-byte stream")
  void t1Objects() {
    KeyCreationStream stream = t1Stream();
    assertArrayEquals(hex("kcd.7F4A"), stream.creation().toTlv().encode());
    assertEquals(108, stream.creation().toTlv().encode().length);
    assertArrayEquals(hex("kcd.7F4D"), stream.mailboxes().toTlv().encode());
    assertArrayEquals(hex("kcd.7F4E"), stream.configuration().toTlv().encode());
    assertArrayEquals(hex("kcd.stream"), stream.encode());
    assertEquals(600, stream.encode().length);
  }

  @Test
  @DisplayName("§7.6: pieces of 239, 239 and 122 bytes")
  void chunking() {
    List<byte[]> pieces = KeyCreationStream.chunks(hex("kcd.stream"));
    assertEquals(List.of(239, 239, 122), pieces.stream().map(p -> p.length).toList());
    assertArrayEquals(hex("kcd.stream"), Bytes.concat(pieces.toArray(new byte[0][])));
    assertEquals(1, KeyCreationStream.chunks(new byte[239]).size());
    assertEquals(2, KeyCreationStream.chunks(new byte[240]).size());
    assertEquals(1, KeyCreationStream.chunks(new byte[240]).get(1).length);
  }

  @Test
  @DisplayName("§7.7: the device parses the T1 stream back")
  void deviceParsesStream() {
    KeyCreationStream parsed = KeyCreationStream.parse(hex("kcd.stream"));
    assertEquals(t1Stream(), parsed);
    assertEquals(0x0101, parsed.creation().protocolVersion());
    assertArrayEquals(hex("cert.K"), parsed.vehicleCertificate());
  }

  @Test
  @DisplayName("§7.7: stream violations are malformed")
  void streamViolations() {
    byte[] a = hex("kcd.7F4A");
    byte[] k = Tlv.of(0x7F4B, hex("cert.K")).encode();
    byte[] d = hex("kcd.7F4D");
    byte[] e = hex("kcd.7F4E");
    byte[] end = Hex.decode("5F5F00");
    List<byte[]> bad =
        List.of(
            Bytes.concat(k, a, d, e, end), // misordered
            Bytes.concat(a, k, d, e), // no end marker
            Bytes.concat(a, k, d, e, end, end), // end not last
            Bytes.concat(a, k, e, end), // 7F4D missing
            Bytes.concat(a, k, d, e, Hex.decode("5F5F0100")), // non-empty end
            Bytes.concat(a, k, a, d, e, end), // duplicate
            Bytes.concat(
                a, k, Hex.decode("7F4D0E80020401810201008204000000FF"), e, end), // mismatch
            Bytes.concat(a, k, d, e, end).length > 0
                ? Bytes.range(Bytes.concat(a, k, d, e, end), 0, 599)
                : a);
    for (byte[] stream : bad) {
      CccException ex = assertThrows(CccException.class, () -> KeyCreationStream.parse(stream));
      assertEquals(CccException.Failure.MALFORMED, ex.failure());
    }
  }

  @Test
  @DisplayName("§7.2: 7F4A sub-TLV rules (order, lengths, unknown tags, optional fields)")
  void endpointCreationDataRules() {
    byte[] value = Tlv.parseAll(hex("kcd.7F4A")).get(0).value();
    EndpointCreationData parsed = EndpointCreationData.parse(value);
    assertArrayEquals(Hex.decode("0000000000000001"), parsed.initialKeySlot());
    assertEquals(256, parsed.confidentialMailboxSize());
    assertEquals(1024, parsed.privateMailboxSize());
    assertTrue(parsed.accountInfoHash().isEmpty());

    List<Tlv> items = Tlv.parseAll(value);
    // swapped 80/81
    assertThrows(CccException.class, () -> EndpointCreationData.parse(reorder(items, 1, 2)));
    // key slot of 7 bytes (§18.3)
    assertThrows(
        CccException.class,
        () -> EndpointCreationData.parse(replace(items, 5, Tlv.of(0x83, "00000000000001"))));
    // unknown tag
    assertThrows(
        CccException.class,
        () -> EndpointCreationData.parse(Bytes.concat(value, Tlv.of(0x87, "00").encode())));
    // invalid vehicle point
    byte[] badPoint = hex("key.vehicle.PK");
    badPoint[64] ^= 1;
    assertThrows(
        CccException.class,
        () -> EndpointCreationData.parse(replace(items, 4, Tlv.of(0x82, badPoint))));
    // zero mailbox
    assertThrows(
        CccException.class,
        () -> EndpointCreationData.parse(replace(items, 6, Tlv.of(0x84, "0000"))));
    // optional A0 and 86 round-trip
    EndpointCreationData full =
        new EndpointCreationData(
            parsed.vehicleIdentifier(),
            parsed.optionGroup1(),
            parsed.optionGroup2(),
            0x0100,
            parsed.vehiclePublicKey(),
            parsed.initialKeySlot(),
            List.of(hex("key.zz2.PK")),
            1,
            65535,
            Optional.of(new byte[32]));
    assertEquals(full, EndpointCreationData.parse(full.toTlv().value()));
  }

  private static byte[] reorder(List<Tlv> items, int i, int j) {
    Tlv[] copy = items.toArray(new Tlv[0]);
    Tlv t = copy[i];
    copy[i] = copy[j];
    copy[j] = t;
    return Tlv.encodeAll(List.of(copy));
  }

  private static byte[] replace(List<Tlv> items, int i, Tlv with) {
    Tlv[] copy = items.toArray(new Tlv[0]);
    copy[i] = with;
    return Tlv.encodeAll(List.of(copy));
  }

  @Test
  @DisplayName("§7.7, §18.8: transaction 2 carries 5F5A then 5F5F 00")
  void attestationStream() {
    byte[] att = hex("att.5F5A_value");
    byte[] stream = KeyCreationStream.encodeAttestationStream(att);
    assertEquals(173, stream.length);
    assertArrayEquals(att, KeyCreationStream.parseAttestationStream(stream));
    assertThrows(
        CccException.class, () -> KeyCreationStream.parseAttestationStream(Hex.decode("5F5F00")));
  }

  @Test
  @DisplayName("§7.5: BLE disabled gives flags 00 and D9 01")
  void bleDisabled() {
    DeviceConfiguration off = DeviceConfiguration.of(new byte[16], 0x00, new byte[6], false);
    assertEquals(
        "7F4E247F491E801000000000000000000000000000000000810700000000000000820100D90101",
        Hex.encode(off.toTlv().encode()));
  }
}
