package dev.dkrig.iso7816;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** §0 BER-TLV. */
class TlvTest {

  @Test
  void encodesShortestLengthForms() {
    assertEquals("5A0101", Hex.encode(Tlv.of(0x5A, "01").encode()));
    assertEquals("7F4A00", Hex.encode(Tlv.of(0x7F4A, new byte[0]).encode()));

    assertArrayEquals(Hex.decode("7F"), Tlv.lengthBytes(0x7F));
    assertArrayEquals(Hex.decode("8180"), Tlv.lengthBytes(0x80));
    assertArrayEquals(Hex.decode("81FF"), Tlv.lengthBytes(0xFF));
    assertArrayEquals(Hex.decode("820100"), Tlv.lengthBytes(0x100));
  }

  @Test
  void acceptsTheThreeLengthFormsEvenWhenNotShortest() {
    assertEquals(List.of(Tlv.of(0x5A, "0102")), Tlv.parseAll(Hex.decode("5A020102")));
    assertEquals(List.of(Tlv.of(0x5A, "0102")), Tlv.parseAll(Hex.decode("5A81020102")));
    assertEquals(List.of(Tlv.of(0x5A, "0102")), Tlv.parseAll(Hex.decode("5A8200020102")));
  }

  @Test
  void rejectsOtherLengthForms() {
    for (String bad : List.of("5A80", "5A8300000102", "5A840000000102", "5AFF")) {
      assertThrows(Iso7816Exception.class, () -> Tlv.parseAll(Hex.decode(bad)), bad);
    }
  }

  @Test
  void rejectsTruncation() {
    for (String bad :
        List.of("5A", "5A03AABB", "7F", "7F4A", "5A81", "5A8201", "5A8101", "5A820002AA")) {
      assertThrows(Iso7816Exception.class, () -> Tlv.parseAll(Hex.decode(bad)), bad);
    }
  }

  @Test
  void twoByteTagsFollowTheLowFiveBitsRule() {
    List<Tlv> tlvs = Tlv.parseAll(Hex.decode("5F5F00" + "7F4E0101" + "9F0100"));
    assertEquals(0x5F5F, tlvs.get(0).tag());
    assertEquals(0x7F4E, tlvs.get(1).tag());
    assertEquals(0x9F01, tlvs.get(2).tag());
    assertEquals(0, tlvs.get(2).length());
    assertThrows(IllegalArgumentException.class, () -> Tlv.of(0x5A01, new byte[0]));
    assertThrows(IllegalArgumentException.class, () -> Tlv.of(0x5F, new byte[0]));
  }

  @Test
  void duplicatesAreRejectedWhereUniquenessIsRequired() {
    Iso7816Exception e =
        assertThrows(
            Iso7816Exception.class,
            () -> TlvList.parseUnique(Hex.decode("5A0101D401025A0101"), "x"));
    assertEquals("x: duplicate tag 5A", e.getMessage());
  }

  @Test
  void exactOrderIsEnforced() {
    TlvList.parseExact(Hex.decode("52010157020102"), "VERIFY", 0x52, 0x57);
    assertThrows(
        Iso7816Exception.class,
        () -> TlvList.parseExact(Hex.decode("57020102520101"), "VERIFY", 0x52, 0x57));
    assertThrows(
        Iso7816Exception.class,
        () -> TlvList.parseExact(Hex.decode("520101"), "VERIFY", 0x52, 0x57));
  }

  @Property(seed = "20261127")
  void roundTrips(
      @ForAll @IntRange(min = 0x40, max = 0x5E) int tag, @ForAll @Size(max = 700) byte[] value) {
    Tlv tlv = Tlv.of(tag, value);
    assertEquals(List.of(tlv), Tlv.parseAll(tlv.encode()));
  }

  @Property(seed = "20261127")
  void neverThrowsAnythingButIso7816Exception(@ForAll @Size(max = 40) byte[] junk) {
    try {
      Tlv.parseAll(junk);
    } catch (Iso7816Exception expected) {
      // malformed input is reported as such
    }
  }
}
