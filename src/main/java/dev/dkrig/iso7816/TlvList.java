package dev.dkrig.iso7816;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A parsed TLV sequence with the lookups the contract's receivers need: unique tags, required tags
 * with fixed lengths, strict order for vehicle-to-device objects (§0).
 */
public final class TlvList {
  private final List<Tlv> items;

  private TlvList(List<Tlv> items) {
    this.items = items;
  }

  /** Parses and rejects duplicate tags. */
  public static TlvList parseUnique(byte[] bytes, String what) {
    List<Tlv> items = Tlv.parseAll(bytes);
    Set<Integer> seen = new HashSet<>();
    for (Tlv tlv : items) {
      if (!seen.add(tlv.tag())) {
        throw new Iso7816Exception(what + ": duplicate tag " + Tlv.tagName(tlv.tag()));
      }
    }
    return new TlvList(items);
  }

  /** Parses and requires exactly these tags in this order, nothing else. */
  public static TlvList parseExact(byte[] bytes, String what, int... tags) {
    List<Tlv> items = Tlv.parseAll(bytes);
    if (items.size() != tags.length) {
      throw new Iso7816Exception(
          what
              + ": expected "
              + tags.length
              + " TLVs, found "
              + items.size()
              + " "
              + tagsOf(items));
    }
    for (int i = 0; i < tags.length; i++) {
      if (items.get(i).tag() != tags[i]) {
        throw new Iso7816Exception(
            what
                + ": expected tag "
                + Tlv.tagName(tags[i])
                + " at position "
                + (i + 1)
                + ", found "
                + Tlv.tagName(items.get(i).tag()));
      }
    }
    return new TlvList(items);
  }

  public List<Tlv> items() {
    return items;
  }

  public Optional<Tlv> find(int tag) {
    return items.stream().filter(t -> t.tag() == tag).findFirst();
  }

  public boolean has(int tag) {
    return find(tag).isPresent();
  }

  public byte[] require(int tag, String what) {
    return find(tag)
        .orElseThrow(() -> new Iso7816Exception(what + ": tag " + Tlv.tagName(tag) + " missing"))
        .value();
  }

  public byte[] require(int tag, int length, String what) {
    byte[] value = require(tag, what);
    if (value.length != length) {
      throw new Iso7816Exception(
          what
              + ": tag "
              + Tlv.tagName(tag)
              + " has length "
              + value.length
              + ", expected "
              + length);
    }
    return value;
  }

  public Optional<byte[]> optional(int tag) {
    return find(tag).map(Tlv::value);
  }

  private static String tagsOf(List<Tlv> items) {
    StringBuilder out = new StringBuilder("[");
    for (Tlv tlv : items) {
      if (out.length() > 1) {
        out.append(' ');
      }
      out.append(Tlv.tagName(tlv.tag()));
    }
    return out.append(']').toString();
  }
}
