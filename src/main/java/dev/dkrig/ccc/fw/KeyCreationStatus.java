package dev.dkrig.ccc.fw;

import dev.dkrig.ccc.CccException;
import dev.dkrig.iso7816.Bytes;
import dev.dkrig.iso7816.Hex;
import dev.dkrig.iso7816.Iso7816Exception;
import dev.dkrig.iso7816.Tlv;
import dev.dkrig.iso7816.TlvList;
import java.util.Optional;

/**
 * The GET DATA 7F26 value (§8.2): {@code 80 01 <status>} then, when the status is {@code 00},
 * {@code 81 14 <DK_identifier>}.
 */
public record KeyCreationStatus(int status, Optional<byte[]> dkIdentifier) {

  public static final int CREATED = 0x00;
  public static final int IN_PROGRESS = 0x01;
  public static final int FAILED = 0x02;

  public KeyCreationStatus {
    dkIdentifier = dkIdentifier.map(byte[]::clone);
    if (status == CREATED && dkIdentifier.isEmpty()) {
      throw new IllegalArgumentException("status 00 carries the DK identifier");
    }
  }

  public static KeyCreationStatus created(byte[] dkIdentifier) {
    return new KeyCreationStatus(CREATED, Optional.of(dkIdentifier));
  }

  @Override
  public Optional<byte[]> dkIdentifier() {
    return dkIdentifier.map(byte[]::clone);
  }

  public byte[] encode() {
    byte[] head = Tlv.of(0x80, new byte[] {(byte) status}).encode();
    return dkIdentifier.map(id -> Bytes.concat(head, Tlv.of(0x81, id).encode())).orElse(head);
  }

  /** Vehicle side; unknown tags ignored; status 00 without a 20-byte 81 is malformed. */
  public static KeyCreationStatus parse(byte[] value) {
    try {
      TlvList list = TlvList.parseUnique(value, "7F26");
      int status = list.require(0x80, 1, "7F26")[0] & 0xFF;
      if (status == CREATED) {
        return created(list.require(0x81, 20, "7F26"));
      }
      if (status != IN_PROGRESS && status != FAILED) {
        throw CccException.malformed("7F26: unknown key-creation status " + Hex.u8(status));
      }
      return new KeyCreationStatus(status, Optional.empty());
    } catch (Iso7816Exception e) {
      throw CccException.malformed(e);
    }
  }
}
