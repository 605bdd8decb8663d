package dev.dkrig.iso7816;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * One BER-TLV object as the contract defines it (§0): a 1-byte tag, or a 2-byte tag when the first
 * byte has its low five bits set; a length of {@code 00}–{@code 7F}, {@code 81 LL} or {@code 82 LL
 * LL}. Encoding always uses the shortest length form; parsing accepts the three forms and rejects
 * every other length encoding.
 */
public record Tlv(int tag, byte[] value) {

  public Tlv {
    checkTag(tag);
    value = value.clone();
    if (value.length > 0xFFFF) {
      throw new IllegalArgumentException("TLV value longer than 65535 bytes");
    }
  }

  public static Tlv of(int tag, byte[] value) {
    return new Tlv(tag, value);
  }

  public static Tlv of(int tag, String hexValue) {
    return new Tlv(tag, Hex.decode(hexValue));
  }

  /** A constructed TLV whose value is the concatenation of the children. */
  public static Tlv of(int tag, Tlv... children) {
    return new Tlv(tag, encodeAll(List.of(children)));
  }

  @Override
  public byte[] value() {
    return value.clone();
  }

  public int length() {
    return value.length;
  }

  public byte[] encode() {
    return Bytes.concat(tagBytes(tag), lengthBytes(value.length), value);
  }

  /** Parses this TLV's value as a sequence of TLVs (a constructed object). */
  public List<Tlv> children() {
    return parseAll(value);
  }

  public static byte[] encodeAll(List<Tlv> tlvs) {
    Bytes.Builder out = new Bytes.Builder();
    for (Tlv tlv : tlvs) {
      out.add(tlv.encode());
    }
    return out.build();
  }

  public static byte[] tagBytes(int tag) {
    checkTag(tag);
    return tag > 0xFF ? Bytes.u16(tag) : new byte[] {(byte) tag};
  }

  public static byte[] lengthBytes(int length) {
    if (length < 0x80) {
      return new byte[] {(byte) length};
    }
    if (length <= 0xFF) {
      return new byte[] {(byte) 0x81, (byte) length};
    }
    if (length <= 0xFFFF) {
      return new byte[] {(byte) 0x82, (byte) (length >>> 8), (byte) length};
    }
    throw new IllegalArgumentException("length " + length + " does not fit the contract's forms");
  }

  /**
   * Parses a complete sequence of TLVs; the bytes must be consumed exactly.
   *
   * @throws Iso7816Exception on a bad tag, a bad length form or truncation
   */
  public static List<Tlv> parseAll(byte[] bytes) {
    List<Tlv> out = new ArrayList<>();
    int offset = 0;
    while (offset < bytes.length) {
      int tag = bytes[offset++] & 0xFF;
      if ((tag & 0x1F) == 0x1F) {
        if (offset >= bytes.length) {
          throw new Iso7816Exception(
              "TLV truncated inside a two-byte tag at offset " + (offset - 1));
        }
        tag = (tag << 8) | (bytes[offset++] & 0xFF);
      }
      if (offset >= bytes.length) {
        throw new Iso7816Exception("TLV " + tagName(tag) + " has no length byte");
      }
      int first = bytes[offset++] & 0xFF;
      int length;
      if (first < 0x80) {
        length = first;
      } else if (first == 0x81) {
        if (offset + 1 > bytes.length) {
          throw new Iso7816Exception("TLV " + tagName(tag) + " truncated in its length");
        }
        length = bytes[offset++] & 0xFF;
      } else if (first == 0x82) {
        if (offset + 2 > bytes.length) {
          throw new Iso7816Exception("TLV " + tagName(tag) + " truncated in its length");
        }
        length = Bytes.u16(bytes, offset);
        offset += 2;
      } else {
        throw new Iso7816Exception(
            "TLV " + tagName(tag) + " has length byte " + Hex.u8(first) + " (only 00-7F, 81, 82)");
      }
      if (length > bytes.length - offset) {
        throw new Iso7816Exception(
            "TLV "
                + tagName(tag)
                + " declares "
                + length
                + " bytes, "
                + (bytes.length - offset)
                + " remain");
      }
      out.add(new Tlv(tag, Arrays.copyOfRange(bytes, offset, offset + length)));
      offset += length;
    }
    return Collections.unmodifiableList(out);
  }

  public static String tagName(int tag) {
    return tag > 0xFF ? Hex.u16(tag) : Hex.u8(tag);
  }

  private static void checkTag(int tag) {
    boolean twoByte = tag > 0xFF;
    if (tag < 0 || tag > 0xFFFF) {
      throw new IllegalArgumentException("tag out of range: " + tag);
    }
    int first = twoByte ? tag >>> 8 : tag;
    if (((first & 0x1F) == 0x1F) != twoByte) {
      throw new IllegalArgumentException(
          "tag " + Integer.toHexString(tag) + " does not follow the one/two-byte tag rule");
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Tlv that && tag == that.tag && Arrays.equals(value, that.value);
  }

  @Override
  public int hashCode() {
    return 31 * tag + Arrays.hashCode(value);
  }

  @Override
  public String toString() {
    return tagName(tag) + " " + Hex.encode(lengthBytes(value.length)) + " " + Hex.encode(value);
  }
}
