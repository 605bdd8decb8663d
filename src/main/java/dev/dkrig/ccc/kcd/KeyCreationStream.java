package dev.dkrig.ccc.kcd;

import dev.dkrig.ccc.CccException;
import dev.dkrig.ccc.DkProfile;
import dev.dkrig.iso7816.Bytes;
import dev.dkrig.iso7816.Hex;
import dev.dkrig.iso7816.Iso7816Exception;
import dev.dkrig.iso7816.Tlv;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The key creation data stream of transaction 1 (§7.1): {@code 7F4A ‖ 7F4B ‖ [7F4C] ‖ 7F4D ‖ 7F4E ‖
 * 5F5F 00}, and its cutting into WRITE DATA pieces (§7.6).
 *
 * @param vehicleCertificate the DER of K (7F4B)
 * @param intermediateCertificate the DER of the optional vehicle intermediate CA (7F4C)
 */
public record KeyCreationStream(
    EndpointCreationData creation,
    byte[] vehicleCertificate,
    Optional<byte[]> intermediateCertificate,
    MailboxMapping mailboxes,
    DeviceConfiguration configuration) {

  public static final int TAG_VEHICLE_CERT = 0x7F4B;
  public static final int TAG_INTERMEDIATE_CERT = 0x7F4C;
  public static final int TAG_ATTESTATION = 0x5F5A;
  public static final int TAG_END = 0x5F5F;

  public KeyCreationStream {
    vehicleCertificate = vehicleCertificate.clone();
    intermediateCertificate = intermediateCertificate.map(byte[]::clone);
  }

  @Override
  public byte[] vehicleCertificate() {
    return vehicleCertificate.clone();
  }

  @Override
  public Optional<byte[]> intermediateCertificate() {
    return intermediateCertificate.map(byte[]::clone);
  }

  public byte[] encode() {
    List<Tlv> tlvs = new ArrayList<>();
    tlvs.add(creation.toTlv());
    tlvs.add(Tlv.of(TAG_VEHICLE_CERT, vehicleCertificate));
    intermediateCertificate.ifPresent(c -> tlvs.add(Tlv.of(TAG_INTERMEDIATE_CERT, c)));
    tlvs.add(mailboxes.toTlv());
    tlvs.add(configuration.toTlv());
    tlvs.add(Tlv.of(TAG_END, new byte[0]));
    return Tlv.encodeAll(tlvs);
  }

  /**
   * Parses the reassembled transaction-1 stream as a device must (§7.7): exactly 7F4A, 7F4B,
   * optional 7F4C, 7F4D, 7F4E, then {@code 5F5F 00} as the last bytes, each with its strict
   * sub-TLVs, and 7F4D consistent with 7F4A. Checks of K itself are the PKI's.
   *
   * @throws CccException MALFORMED naming the first violation (the device answers {@code 6A80})
   */
  public static KeyCreationStream parse(byte[] stream) {
    try {
      List<Tlv> tlvs = Tlv.parseAll(stream);
      int i = 0;
      EndpointCreationData creation =
          EndpointCreationData.parse(expect(tlvs, i++, EndpointCreationData.TAG).value());
      byte[] vehicleCertificate = expect(tlvs, i++, TAG_VEHICLE_CERT).value();
      Optional<byte[]> intermediate = Optional.empty();
      if (i < tlvs.size() && tlvs.get(i).tag() == TAG_INTERMEDIATE_CERT) {
        intermediate = Optional.of(tlvs.get(i++).value());
      }
      MailboxMapping mailboxes =
          MailboxMapping.parse(expect(tlvs, i++, MailboxMapping.TAG).value());
      DeviceConfiguration configuration =
          DeviceConfiguration.parse(expect(tlvs, i++, DeviceConfiguration.TAG).value());
      Tlv end = expect(tlvs, i++, TAG_END);
      if (end.length() != 0 || i != tlvs.size()) {
        throw CccException.malformed("creation data: 5F5F 00 is not the last object");
      }
      mailboxes.checkConsistentWith(creation);
      return new KeyCreationStream(
          creation, vehicleCertificate, intermediate, mailboxes, configuration);
    } catch (Iso7816Exception e) {
      throw CccException.malformed(e);
    }
  }

  /** Transaction 2's stream (§7.7, §18.8): {@code 5F5A <attestation> ‖ 5F5F 00}, 5F5A mandatory. */
  public static byte[] encodeAttestationStream(byte[] attestation) {
    return Tlv.encodeAll(
        List.of(Tlv.of(TAG_ATTESTATION, attestation), Tlv.of(TAG_END, new byte[0])));
  }

  /**
   * Parses transaction 2's stream and returns the 5F5A value.
   *
   * @throws CccException MALFORMED when 5F5A is missing or anything else is present
   */
  public static byte[] parseAttestationStream(byte[] stream) {
    try {
      List<Tlv> tlvs = Tlv.parseAll(stream);
      if (tlvs.size() != 2
          || tlvs.get(0).tag() != TAG_ATTESTATION
          || tlvs.get(1).tag() != TAG_END
          || tlvs.get(1).length() != 0) {
        throw CccException.malformed("transaction-2 stream is not 5F5A ‖ 5F5F 00");
      }
      return tlvs.get(0).value();
    } catch (Iso7816Exception e) {
      throw CccException.malformed(e);
    }
  }

  /**
   * Cuts a stream into consecutive pieces of 239 bytes, the last 1–239 bytes (§7.6); piece k is the
   * plaintext of WRITE DATA k, P1 = {@code 80} on the last.
   */
  public static List<byte[]> chunks(byte[] stream) {
    return chunks(stream, DkProfile.WRITE_DATA_PIECE);
  }

  /**
   * Cuts a stream into pieces of {@code size} bytes, the last 1–{@code size}: {@link
   * #chunks(byte[])} with another size, for a vehicle that breaks §7.6 on purpose.
   */
  public static List<byte[]> chunks(byte[] stream, int size) {
    if (stream.length == 0) {
      throw new IllegalArgumentException("empty stream");
    }
    List<byte[]> out = new ArrayList<>();
    for (int offset = 0; offset < stream.length; offset += size) {
      out.add(Bytes.range(stream, offset, Math.min(stream.length, offset + size)));
    }
    return out;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof KeyCreationStream that && Arrays.equals(encode(), that.encode());
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(encode());
  }

  @Override
  public String toString() {
    return "KeyCreationStream[" + Hex.encode(encode()) + "]";
  }

  private static Tlv expect(List<Tlv> tlvs, int index, int tag) {
    if (index >= tlvs.size()) {
      throw CccException.malformed("creation data: " + Tlv.tagName(tag) + " missing");
    }
    Tlv tlv = tlvs.get(index);
    if (tlv.tag() != tag) {
      throw CccException.malformed(
          "creation data: expected "
              + Tlv.tagName(tag)
              + ", found "
              + Tlv.tagName(tlv.tag())
              + " at object "
              + (index + 1));
    }
    return tlv;
  }
}
