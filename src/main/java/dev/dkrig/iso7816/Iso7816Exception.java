package dev.dkrig.iso7816;

/**
 * Bytes that do not follow the ISO/IEC 7816-4 encodings this package parses: a truncated or
 * inconsistent command APDU, a response without a status word, a BER-TLV with a bad tag or length
 * form, or a TLV sequence without the tags its receiver requires (§0, §3.2).
 *
 * <p>Every such failure is a malformation, so the type carries no further kind. The {@code ccc}
 * codecs turn it into {@code CccException} MALFORMED with the same message, so the pairing, the
 * device and the suite see a CCC message failure exactly as before this package existed; callers
 * below {@code ccc} (transports, the reader-side tools) catch this type.
 */
public class Iso7816Exception extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public Iso7816Exception(String message) {
    super(message);
  }
}
