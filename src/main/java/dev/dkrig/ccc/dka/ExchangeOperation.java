package dev.dkrig.ccc.dka;

import dev.dkrig.ccc.CccException;
import dev.dkrig.ccc.DkProfile;
import dev.dkrig.ccc.kcd.EndpointCreationData;
import dev.dkrig.iso7816.Bytes;
import dev.dkrig.iso7816.Hex;
import dev.dkrig.iso7816.Iso7816Exception;
import dev.dkrig.iso7816.Tlv;
import dev.dkrig.iso7816.TlvList;
import java.util.Arrays;
import java.util.List;

/**
 * One EXCHANGE operation (§11.7): the whole command plaintext is exactly one operation TLV. The
 * records refuse values outside the contract's limits, so whatever {@link #parse} returns is within
 * them; every failure is MALFORMED because the device answers all of them with {@code 6A80}.
 */
public sealed interface ExchangeOperation
    permits ExchangeOperation.ReadMailbox,
        ExchangeOperation.WriteMailbox,
        ExchangeOperation.GetReceipt {

  /** The command plaintext, e.g. {@code E3 00}. */
  byte[] encode();

  /**
   * Checks {@code offset + length ≤ size} of the addressed mailbox (§11.7).
   *
   * @throws CccException MALFORMED when the operation reaches past the mailbox
   */
  void checkBounds(MailboxSizes sizes);

  /**
   * Strict device-side parse (a vehicle-to-device object, §0): one known operation TLV, its
   * sub-TLVs in order with the stated lengths, nothing else, values within the limits.
   *
   * @throws CccException MALFORMED otherwise
   */
  static ExchangeOperation parse(byte[] plaintext) {
    try {
      List<Tlv> operations = Tlv.parseAll(plaintext);
      if (operations.size() != 1) {
        throw CccException.malformed(
            "EXCHANGE: expected one operation TLV, found " + operations.size());
      }
      Tlv operation = operations.get(0);
      return switch (operation.tag()) {
        case DkProfile.OP_READ_MAILBOX -> ReadMailbox.parseValue(operation.value());
        case DkProfile.OP_WRITE_MAILBOX -> WriteMailbox.parseValue(operation.value());
        case DkProfile.OP_GET_RECEIPT -> GetReceipt.parseValue(operation.value());
        default ->
            throw CccException.malformed(
                "EXCHANGE: unknown operation " + Tlv.tagName(operation.tag()));
      };
    } catch (Iso7816Exception e) {
      throw CccException.malformed(e);
    }
  }

  /** {@link #parse(byte[])} followed by {@link #checkBounds}. */
  static ExchangeOperation parse(byte[] plaintext, MailboxSizes sizes) {
    ExchangeOperation operation = parse(plaintext);
    operation.checkBounds(sizes);
    return operation;
  }

  /**
   * The mailbox sizes from 7F4A (§7.2, §11.7).
   *
   * @param privateSize size of mailbox {@code 00}
   * @param confidentialSize size of mailbox {@code 01}
   */
  record MailboxSizes(int privateSize, int confidentialSize) {
    public MailboxSizes {
      if (privateSize < 0 || confidentialSize < 0) {
        throw new IllegalArgumentException("negative mailbox size");
      }
    }

    public static MailboxSizes of(EndpointCreationData creationData) {
      return new MailboxSizes(
          creationData.privateMailboxSize(), creationData.confidentialMailboxSize());
    }

    /** The size of mailbox {@code 00} (private) or {@code 01} (confidential). */
    public int sizeOf(int mailboxId) {
      return switch (mailboxId) {
        case DkProfile.MAILBOX_PRIVATE -> privateSize;
        case DkProfile.MAILBOX_CONFIDENTIAL -> confidentialSize;
        default -> throw new IllegalArgumentException("unknown mailbox " + mailboxId);
      };
    }
  }

  /**
   * {@code E1 0B 80 01 <id> 81 02 <offset> 82 02 <length>}; the response is the bytes read.
   *
   * @param mailboxId {@code 00} private or {@code 01} confidential
   * @param offset 0–65535
   * @param length 1–1024
   */
  record ReadMailbox(int mailboxId, int offset, int length) implements ExchangeOperation {
    public ReadMailbox {
      checkMailboxId(mailboxId);
      checkOffset(offset);
      if (length < 1 || length > DkProfile.MAX_MAILBOX_READ) {
        throw CccException.malformed(
            "EXCHANGE E1: length " + length + " outside 1-" + DkProfile.MAX_MAILBOX_READ);
      }
    }

    @Override
    public byte[] encode() {
      return Tlv.of(
              DkProfile.OP_READ_MAILBOX,
              Tlv.of(ExchangeTags.MAILBOX_ID, Bytes.of(mailboxId)),
              Tlv.of(ExchangeTags.OFFSET, Bytes.u16(offset)),
              Tlv.of(ExchangeTags.LENGTH, Bytes.u16(length)))
          .encode();
    }

    @Override
    public void checkBounds(MailboxSizes sizes) {
      checkInside(mailboxId, offset, length, sizes, "E1");
    }

    private static ReadMailbox parseValue(byte[] value) {
      TlvList tlvs =
          TlvList.parseExact(
              value,
              "EXCHANGE E1",
              ExchangeTags.MAILBOX_ID,
              ExchangeTags.OFFSET,
              ExchangeTags.LENGTH);
      return new ReadMailbox(
          tlvs.require(ExchangeTags.MAILBOX_ID, 1, "EXCHANGE E1")[0] & 0xFF,
          Bytes.u16(tlvs.require(ExchangeTags.OFFSET, 2, "EXCHANGE E1"), 0),
          Bytes.u16(tlvs.require(ExchangeTags.LENGTH, 2, "EXCHANGE E1"), 0));
    }
  }

  /**
   * {@code E2 L 80 01 <id> 81 02 <offset> 83 n <data>}; the response is empty.
   *
   * @param mailboxId {@code 00} private or {@code 01} confidential
   * @param offset 0–65535
   * @param data 1–200 bytes
   */
  record WriteMailbox(int mailboxId, int offset, byte[] data) implements ExchangeOperation {
    public WriteMailbox {
      checkMailboxId(mailboxId);
      checkOffset(offset);
      if (data.length < 1 || data.length > DkProfile.MAX_MAILBOX_WRITE) {
        throw CccException.malformed(
            "EXCHANGE E2: "
                + data.length
                + " data bytes, outside 1-"
                + DkProfile.MAX_MAILBOX_WRITE);
      }
      data = data.clone();
    }

    @Override
    public byte[] data() {
      return data.clone();
    }

    @Override
    public byte[] encode() {
      return Tlv.of(
              DkProfile.OP_WRITE_MAILBOX,
              Tlv.of(ExchangeTags.MAILBOX_ID, Bytes.of(mailboxId)),
              Tlv.of(ExchangeTags.OFFSET, Bytes.u16(offset)),
              Tlv.of(ExchangeTags.DATA, data))
          .encode();
    }

    @Override
    public void checkBounds(MailboxSizes sizes) {
      checkInside(mailboxId, offset, data.length, sizes, "E2");
    }

    private static WriteMailbox parseValue(byte[] value) {
      TlvList tlvs =
          TlvList.parseExact(
              value,
              "EXCHANGE E2",
              ExchangeTags.MAILBOX_ID,
              ExchangeTags.OFFSET,
              ExchangeTags.DATA);
      return new WriteMailbox(
          tlvs.require(ExchangeTags.MAILBOX_ID, 1, "EXCHANGE E2")[0] & 0xFF,
          Bytes.u16(tlvs.require(ExchangeTags.OFFSET, 2, "EXCHANGE E2"), 0),
          tlvs.require(ExchangeTags.DATA, "EXCHANGE E2"));
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof WriteMailbox that
          && mailboxId == that.mailboxId
          && offset == that.offset
          && Arrays.equals(data, that.data);
    }

    @Override
    public int hashCode() {
      return (31 * mailboxId + offset) * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
      return "WriteMailbox[mailboxId="
          + Hex.u8(mailboxId)
          + ", offset="
          + offset
          + ", data="
          + Hex.encode(data)
          + "]";
    }
  }

  /** {@code E3 00}; the response is the stored KTS_Response (§12.3), chained. */
  record GetReceipt() implements ExchangeOperation {
    @Override
    public byte[] encode() {
      return Tlv.of(DkProfile.OP_GET_RECEIPT, new byte[0]).encode();
    }

    @Override
    public void checkBounds(MailboxSizes sizes) {
      // No mailbox is addressed.
    }

    private static GetReceipt parseValue(byte[] value) {
      if (value.length != 0) {
        throw CccException.malformed("EXCHANGE E3: value must be empty, has " + value.length);
      }
      return new GetReceipt();
    }
  }

  private static void checkMailboxId(int mailboxId) {
    if (mailboxId != DkProfile.MAILBOX_PRIVATE && mailboxId != DkProfile.MAILBOX_CONFIDENTIAL) {
      throw CccException.malformed("EXCHANGE: unknown mailbox " + Hex.u8(mailboxId & 0xFF));
    }
  }

  private static void checkOffset(int offset) {
    if (offset < 0 || offset > 0xFFFF) {
      throw CccException.malformed("EXCHANGE: offset " + offset + " outside 0-65535");
    }
  }

  private static void checkInside(
      int mailboxId, int offset, int length, MailboxSizes sizes, String operation) {
    int size = sizes.sizeOf(mailboxId);
    if (offset + length > size) {
      throw CccException.malformed(
          "EXCHANGE "
              + operation
              + ": offset "
              + offset
              + " + length "
              + length
              + " exceeds mailbox "
              + Hex.u8(mailboxId)
              + " of "
              + size
              + " bytes");
    }
  }
}
