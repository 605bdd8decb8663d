package dev.dkrig.iso7816;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.dkrig.ccc.StatusWord;
import java.util.List;

/**
 * Issue 9: the TLV and APDU parsers on untrusted bytes (the device under test is not trusted). A
 * parser either returns a value that encodes back to its input, or refuses with {@link
 * Iso7816Exception}; anything else (another exception, a hang) is a finding. The committed inputs
 * in {@code CodecFuzzTestInputs/} replay in every test run; {@code scripts/fuzz} fuzzes.
 */
class CodecFuzzTest {

  /** {@link Tlv#parseAll} and the {@link TlvList} lookups receivers use, on the same bytes. */
  @FuzzTest(maxDuration = "30s")
  void tlv(byte[] input) {
    try {
      List<Tlv> tlvs = Tlv.parseAll(input);
      // Shortest length forms on the way out; the parser accepts longer ones (§0), so compare
      // through a second parse of the canonical encoding.
      assertEquals(tlvs, Tlv.parseAll(Tlv.encodeAll(tlvs)));
      for (Tlv tlv : tlvs) {
        try {
          tlv.children();
        } catch (Iso7816Exception notConstructed) {
          // A primitive value need not parse as TLVs.
        }
      }
    } catch (Iso7816Exception refused) {
      // MALFORMED: a bad tag, a bad length form, or truncation.
    }
    int[] tags = {0x5A, 0x5C, 0xD4};
    try {
      TlvList unique = TlvList.parseUnique(input, "fuzz");
      for (int tag : tags) {
        unique.optional(tag);
        unique.require(tag, 2, "fuzz");
      }
    } catch (Iso7816Exception refused) {
      // MALFORMED: duplicate, missing or wrong-length tag.
    }
    try {
      TlvList.parseExact(input, "fuzz", tags);
    } catch (Iso7816Exception refused) {
      // MALFORMED: not exactly these tags in this order.
    }
  }

  /** {@link CommandApdu#parse} and {@link ResponseApdu#parse} on the same bytes. */
  @FuzzTest(maxDuration = "30s")
  void apdu(byte[] input) {
    try {
      CommandApdu command = CommandApdu.parse(input);
      // Lc = 00 is refused (no extended length), so the short form encodes back byte for byte.
      assertArrayEquals(input, command.bytes());
      assertEquals(command, CommandApdu.parse(command.bytes()));
      command.toString();
    } catch (Iso7816Exception refused) {
      // MALFORMED: truncated, inconsistent Lc, or extended length.
    }
    try {
      ResponseApdu response = ResponseApdu.parse(input);
      assertArrayEquals(input, response.bytes());
      StatusWord.describe(response.sw());
      response.toString();
    } catch (Iso7816Exception refused) {
      // MALFORMED: no status word.
    }
  }
}
