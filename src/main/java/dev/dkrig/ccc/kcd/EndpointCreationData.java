package dev.dkrig.ccc.kcd;

import dev.dkrig.ccc.CccException;
import dev.dkrig.ccc.DkProfile;
import dev.dkrig.ccc.P256;
import dev.dkrig.iso7816.Bytes;
import dev.dkrig.iso7816.Hex;
import dev.dkrig.iso7816.Iso7816Exception;
import dev.dkrig.iso7816.Tlv;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * 7F4A, the endpoint creation data (§7.2). Its fields are copied into the endpoint certificate's
 * {@code .5.4} extension (§8.4) and checked again at binding (§8.6).
 *
 * @param vehicleIdentifier 8 bytes (4D)
 * @param optionGroup1 1 byte (80)
 * @param optionGroup2 1 byte (81)
 * @param protocolVersion the agreed DK applet version (5C)
 * @param vehiclePublicKey the 65-byte vehicle.PK (82)
 * @param initialKeySlot 8 bytes (83)
 * @param authorizedPublicKeys 0 (absent) or 1–5 points (A0)
 * @param confidentialMailboxSize 1–65535 (84)
 * @param privateMailboxSize 1–65535 (85)
 * @param accountInfoHash empty (absent) or 32 bytes (86)
 */
public record EndpointCreationData(
    byte[] vehicleIdentifier,
    byte[] optionGroup1,
    byte[] optionGroup2,
    int protocolVersion,
    byte[] vehiclePublicKey,
    byte[] initialKeySlot,
    List<byte[]> authorizedPublicKeys,
    int confidentialMailboxSize,
    int privateMailboxSize,
    Optional<byte[]> accountInfoHash) {

  public static final int TAG = 0x7F4A;

  public EndpointCreationData {
    vehicleIdentifier = fixed(vehicleIdentifier, 8, "vehicle identifier (4D)");
    optionGroup1 = fixed(optionGroup1, 1, "option group 1 (80)");
    optionGroup2 = fixed(optionGroup2, 1, "option group 2 (81)");
    if (protocolVersion < 0 || protocolVersion > 0xFFFF) {
      throw CccException.malformed("7F4A: protocol version out of range");
    }
    vehiclePublicKey = fixed(vehiclePublicKey, 65, "vehicle public key (82)");
    initialKeySlot =
        fixed(initialKeySlot, DkProfile.INITIAL_KEY_SLOT_LENGTH, "initial key slot (83)");
    List<byte[]> keys = new ArrayList<>();
    for (byte[] key : authorizedPublicKeys) {
      keys.add(fixed(key, 65, "authorized public key (A0/82)"));
    }
    if (keys.size() > 5) {
      throw CccException.malformed("7F4A: more than 5 authorized public keys");
    }
    authorizedPublicKeys = List.copyOf(keys);
    checkMailbox(confidentialMailboxSize, "confidential mailbox size (84)");
    checkMailbox(privateMailboxSize, "private mailbox size (85)");
    accountInfoHash = accountInfoHash.map(h -> fixed(h, 32, "account info hash (86)"));
  }

  /** The contract's default creation data for a vehicle (§7.2, §16). */
  public static EndpointCreationData defaults(
      byte[] vehicleIdentifier, int agreedAppletVersion, byte[] vehiclePublicKey) {
    return new EndpointCreationData(
        vehicleIdentifier,
        DkProfile.DEFAULT_OPTION_GROUP_1,
        DkProfile.DEFAULT_OPTION_GROUP_2,
        agreedAppletVersion,
        vehiclePublicKey,
        DkProfile.DEFAULT_INITIAL_KEY_SLOT,
        List.of(),
        DkProfile.DEFAULT_CONFIDENTIAL_MAILBOX,
        DkProfile.DEFAULT_PRIVATE_MAILBOX,
        Optional.empty());
  }

  @Override
  public byte[] vehicleIdentifier() {
    return vehicleIdentifier.clone();
  }

  @Override
  public byte[] optionGroup1() {
    return optionGroup1.clone();
  }

  @Override
  public byte[] optionGroup2() {
    return optionGroup2.clone();
  }

  @Override
  public byte[] vehiclePublicKey() {
    return vehiclePublicKey.clone();
  }

  @Override
  public byte[] initialKeySlot() {
    return initialKeySlot.clone();
  }

  @Override
  public List<byte[]> authorizedPublicKeys() {
    return authorizedPublicKeys.stream().map(byte[]::clone).toList();
  }

  @Override
  public Optional<byte[]> accountInfoHash() {
    return accountInfoHash.map(byte[]::clone);
  }

  public Tlv toTlv() {
    List<Tlv> children = new ArrayList<>();
    children.add(Tlv.of(0x4D, vehicleIdentifier));
    children.add(Tlv.of(0x80, optionGroup1));
    children.add(Tlv.of(0x81, optionGroup2));
    children.add(Tlv.of(0x5C, Bytes.u16(protocolVersion)));
    children.add(Tlv.of(0x82, vehiclePublicKey));
    children.add(Tlv.of(0x83, initialKeySlot));
    if (!authorizedPublicKeys.isEmpty()) {
      List<Tlv> keys = new ArrayList<>();
      for (byte[] key : authorizedPublicKeys) {
        keys.add(Tlv.of(0x82, key));
      }
      children.add(Tlv.of(0xA0, Tlv.encodeAll(keys)));
    }
    children.add(Tlv.of(0x84, Bytes.u16(confidentialMailboxSize)));
    children.add(Tlv.of(0x85, Bytes.u16(privateMailboxSize)));
    accountInfoHash.ifPresent(h -> children.add(Tlv.of(0x86, h)));
    return Tlv.of(TAG, Tlv.encodeAll(children));
  }

  /**
   * Parses a 7F4A value strictly, as a device must for a vehicle-to-device object (§0, §7.7): the
   * sub-TLVs in table order, no unknown tags, the stated lengths, valid points.
   */
  public static EndpointCreationData parse(byte[] value) {
    try {
      List<Tlv> items = Tlv.parseAll(value);
      int[] order = {0x4D, 0x80, 0x81, 0x5C, 0x82, 0x83, 0xA0, 0x84, 0x85, 0x86};
      boolean[] optional = {false, false, false, false, false, false, true, false, false, true};
      byte[][] found = new byte[order.length][];
      int position = 0;
      for (Tlv tlv : items) {
        while (position < order.length && order[position] != tlv.tag()) {
          if (!optional[position]) {
            throw CccException.malformed(
                "7F4A: expected tag "
                    + Hex.u8(order[position])
                    + ", found "
                    + Tlv.tagName(tlv.tag()));
          }
          position++;
        }
        if (position == order.length) {
          throw CccException.malformed("7F4A: unknown or misordered tag " + Tlv.tagName(tlv.tag()));
        }
        found[position++] = tlv.value();
      }
      for (int i = 0; i < order.length; i++) {
        if (found[i] == null && !optional[i]) {
          throw CccException.malformed("7F4A: tag " + Hex.u8(order[i]) + " missing");
        }
      }
      List<byte[]> authorized = new ArrayList<>();
      if (found[6] != null) {
        for (Tlv key : Tlv.parseAll(found[6])) {
          if (key.tag() != 0x82) {
            throw CccException.malformed("7F4A/A0: unexpected tag " + Tlv.tagName(key.tag()));
          }
          P256.decodePoint(key.value());
          authorized.add(key.value());
        }
        if (authorized.isEmpty()) {
          throw CccException.malformed("7F4A/A0: empty authorized key list");
        }
      }
      byte[] version = fixed(found[3], 2, "protocol version (5C)");
      P256.decodePoint(fixed(found[4], 65, "vehicle public key (82)"));
      return new EndpointCreationData(
          found[0],
          found[1],
          found[2],
          Bytes.u16(version, 0),
          found[4],
          found[5],
          authorized,
          Bytes.u16(fixed(found[7], 2, "confidential mailbox size (84)"), 0),
          Bytes.u16(fixed(found[8], 2, "private mailbox size (85)"), 0),
          Optional.ofNullable(found[9]));
    } catch (Iso7816Exception e) {
      throw CccException.malformed(e);
    }
  }

  private static byte[] fixed(byte[] value, int length, String what) {
    if (value == null || value.length != length) {
      throw CccException.malformed(
          "7F4A: "
              + what
              + " has length "
              + (value == null ? 0 : value.length)
              + ", expected "
              + length);
    }
    return value.clone();
  }

  private static void checkMailbox(int size, String what) {
    if (size < 1 || size > 0xFFFF) {
      throw CccException.malformed("7F4A: " + what + " out of range 1-65535: " + size);
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof EndpointCreationData that
        && Arrays.equals(toTlv().encode(), that.toTlv().encode());
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(toTlv().encode());
  }

  @Override
  public String toString() {
    return "EndpointCreationData[" + Hex.encode(toTlv().encode()) + "]";
  }
}
