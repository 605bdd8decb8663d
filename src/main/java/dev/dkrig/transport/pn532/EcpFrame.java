package dev.dkrig.transport.pn532;

import dev.dkrig.iso7816.Bytes;
import dev.dkrig.iso7816.Hex;
import java.util.Arrays;
import java.util.Optional;

/**
 * An Apple Enhanced Contactless Polling (ECP) version 2 frame for car-key pairing (notes §2.4, from
 * kormax/apple-enhanced-contactless-polling; not part of CCC and not in the contract, whose scope
 * excludes ECP details).
 *
 * <pre>
 * 6A 02 &lt;config&gt; &lt;type&gt; &lt;subtype&gt; &lt;data&gt; &lt;CRC_A&gt;
 *   config   bit 7 automatic presentment, bit 6 authentication not required,
 *            bits 3-0 length of data
 *   type     02 access
 *   subtype  09 car pairing without reader id, 0B car pairing with an 8-byte reader-group id
 *   data     TCI (3 bytes: 01, then manufacturer and reader location) [‖ reader-group id (8)]
 * </pre>
 *
 * The iPhone answers nothing to this frame; it decides after seeing it in a full polling loop and
 * answers a later poll. Worked example (Mercedes pairing prompt): {@code 6A 02 C3 02 09 01 02 01} +
 * CRC_A = {@code 6a02c30209010201530b}.
 *
 * @param config the config byte (flags and data length)
 * @param subtype {@link #SUBTYPE_CAR_PAIRING} or {@link #SUBTYPE_CAR_PAIRING_WITH_READER_ID}
 * @param tci the 3-byte terminal capability identifier
 * @param readerGroupId the 8-byte reader-group id for subtype 0B, empty for 09
 */
public record EcpFrame(int config, int subtype, byte[] tci, Optional<byte[]> readerGroupId) {

  public static final int COMMAND = 0x6A;
  public static final int VERSION_2 = 0x02;
  public static final int TYPE_ACCESS = 0x02;
  public static final int SUBTYPE_CAR_PAIRING = 0x09;
  public static final int SUBTYPE_CAR_PAIRING_WITH_READER_ID = 0x0B;

  /** Config bit 7: the phone presents the key without the user opening Wallet. */
  public static final int AUTOMATIC_PRESENTMENT = 0x80;

  /** Config bit 6: the user need not authenticate (0 means Face ID / passcode first). */
  public static final int AUTHENTICATION_NOT_REQUIRED = 0x40;

  /** The flags of the worked example ({@code C3} = both flags, 3 data bytes). */
  public static final int DEFAULT_FLAGS = AUTOMATIC_PRESENTMENT | AUTHENTICATION_NOT_REQUIRED;

  public EcpFrame {
    tci = tci.clone();
    readerGroupId = readerGroupId.map(byte[]::clone);
    if (tci.length != 3) {
      throw new IllegalArgumentException("a TCI is 3 bytes, not " + tci.length);
    }
    if (subtype == SUBTYPE_CAR_PAIRING && readerGroupId.isPresent()) {
      throw new IllegalArgumentException("subtype 09 carries no reader-group id; use 0B");
    }
    if (subtype == SUBTYPE_CAR_PAIRING_WITH_READER_ID
        && readerGroupId.map(id -> id.length != 8).orElse(true)) {
      throw new IllegalArgumentException("subtype 0B needs an 8-byte reader-group id");
    }
    if (subtype != SUBTYPE_CAR_PAIRING && subtype != SUBTYPE_CAR_PAIRING_WITH_READER_ID) {
      throw new IllegalArgumentException("not a car-pairing subtype: " + Hex.u8(subtype));
    }
    int dataLength = 3 + readerGroupId.map(id -> id.length).orElse(0);
    if ((config & 0x0F) != dataLength || config < 0 || config > 0xFF) {
      throw new IllegalArgumentException(
          "config " + Hex.u8(config) + " must carry the data length " + dataLength);
    }
  }

  /**
   * Subtype 09: car pairing, no reader id.
   *
   * @param flags {@link #AUTOMATIC_PRESENTMENT} and/or {@link #AUTHENTICATION_NOT_REQUIRED}
   * @param tci 3 bytes, e.g. {@link #carTci(int, int)}
   */
  public static EcpFrame carPairing(int flags, byte[] tci) {
    return new EcpFrame(checkFlags(flags) | 3, SUBTYPE_CAR_PAIRING, tci, Optional.empty());
  }

  /** Subtype 0B: car pairing with an 8-byte reader-group id. */
  public static EcpFrame carPairing(int flags, byte[] tci, byte[] readerGroupId) {
    return new EcpFrame(
        checkFlags(flags) | 11,
        SUBTYPE_CAR_PAIRING_WITH_READER_ID,
        tci,
        Optional.of(readerGroupId));
  }

  /**
   * A car TCI: {@code 01}, then three nibbles of manufacturer and one nibble of reader location
   * (notes §2.4: e.g. Mercedes {@code 01 02 01} = manufacturer 0x020, location 1).
   *
   * @param manufacturer 0x000–0xFFF
   * @param readerLocation 0x0–0xF
   */
  public static byte[] carTci(int manufacturer, int readerLocation) {
    if (manufacturer < 0 || manufacturer > 0xFFF || readerLocation < 0 || readerLocation > 0xF) {
      throw new IllegalArgumentException(
          "manufacturer is 12 bits and reader location 4 bits: "
              + manufacturer
              + ", "
              + readerLocation);
    }
    return Bytes.of(0x01, manufacturer >>> 4, ((manufacturer & 0x0F) << 4) | readerLocation);
  }

  @Override
  public byte[] tci() {
    return tci.clone();
  }

  @Override
  public Optional<byte[]> readerGroupId() {
    return readerGroupId.map(byte[]::clone);
  }

  /** The frame without CRC: {@code 6A 02 <config> 02 <subtype> <TCI> [<reader-group id>]}. */
  public byte[] bytes() {
    return Bytes.concat(
        Bytes.of(COMMAND, VERSION_2, config, TYPE_ACCESS, subtype),
        tci,
        readerGroupId.orElse(new byte[0]));
  }

  /** The frame as it goes on air: {@link #bytes()} ‖ CRC_A (low byte first). */
  public byte[] withCrc() {
    return CrcA.append(bytes());
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof EcpFrame that && Arrays.equals(withCrc(), that.withCrc());
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(withCrc());
  }

  @Override
  public String toString() {
    return "ECP " + Hex.encode(withCrc());
  }

  private static int checkFlags(int flags) {
    if ((flags & ~DEFAULT_FLAGS) != 0) {
      throw new IllegalArgumentException(
          "ECP config flags are bits 7 and 6 only, not " + Hex.u8(flags));
    }
    return flags;
  }
}
