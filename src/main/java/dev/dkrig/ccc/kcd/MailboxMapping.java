package dev.dkrig.ccc.kcd;

import dev.dkrig.ccc.CccException;
import dev.dkrig.iso7816.Bytes;
import dev.dkrig.iso7816.Iso7816Exception;
import dev.dkrig.iso7816.Tlv;
import dev.dkrig.iso7816.TlvList;

/**
 * 7F4D, the mailbox mapping (§7.4): both mailbox sizes again and the immobiliser-token slot inside
 * the confidential mailbox.
 */
public record MailboxMapping(
    int privateMailboxSize,
    int confidentialMailboxSize,
    int immobiliserOffset,
    int immobiliserLength) {

  public static final int TAG = 0x7F4D;

  public static MailboxMapping of(EndpointCreationData creation, int offset, int length) {
    return new MailboxMapping(
        creation.privateMailboxSize(), creation.confidentialMailboxSize(), offset, length);
  }

  public Tlv toTlv() {
    return Tlv.of(
        TAG,
        Tlv.of(0x80, Bytes.u16(privateMailboxSize)),
        Tlv.of(0x81, Bytes.u16(confidentialMailboxSize)),
        Tlv.of(0x82, Bytes.concat(Bytes.u16(immobiliserOffset), Bytes.u16(immobiliserLength))));
  }

  /** Strict parse (§0: vehicle-to-device objects reject unknown or misordered tags). */
  public static MailboxMapping parse(byte[] value) {
    try {
      TlvList list = TlvList.parseExact(value, "7F4D", 0x80, 0x81, 0x82);
      byte[] slot = list.require(0x82, 4, "7F4D");
      return new MailboxMapping(
          Bytes.u16(list.require(0x80, 2, "7F4D"), 0),
          Bytes.u16(list.require(0x81, 2, "7F4D"), 0),
          Bytes.u16(slot, 0),
          Bytes.u16(slot, 2));
    } catch (Iso7816Exception e) {
      throw CccException.malformed(e);
    }
  }

  /** §7.4: 80 and 81 equal 7F4A's 85 and 84; the slot lies inside the confidential mailbox. */
  public void checkConsistentWith(EndpointCreationData creation) {
    if (privateMailboxSize != creation.privateMailboxSize()
        || confidentialMailboxSize != creation.confidentialMailboxSize()) {
      throw CccException.malformed("7F4D mailbox sizes differ from 7F4A's 84/85");
    }
    if (immobiliserOffset + immobiliserLength > confidentialMailboxSize) {
      throw CccException.malformed("7F4D immobiliser slot lies outside the confidential mailbox");
    }
  }
}
