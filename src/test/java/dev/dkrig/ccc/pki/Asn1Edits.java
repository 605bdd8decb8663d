package dev.dkrig.ccc.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dkrig.ccc.EcKeyPair;
import dev.dkrig.iso7816.Bytes;
import dev.dkrig.iso7816.Hex;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Sequence;

/** Byte-level edits for negative tests: things the builder deliberately cannot express. */
final class Asn1Edits {
  private Asn1Edits() {}

  /** Replaces the single occurrence of {@code fromHex} by {@code toHex} (same length). */
  static byte[] replaceOnce(byte[] data, String fromHex, String toHex) {
    String hex = Hex.encode(data);
    String from = fromHex.toUpperCase();
    int at = hex.indexOf(from);
    assertEquals(-1, hex.indexOf(from, at + 1), "pattern not unique: " + fromHex);
    if (at < 0 || at % 2 != 0) {
      throw new AssertionError("pattern not found on a byte boundary: " + fromHex);
    }
    return Hex.decode(hex.substring(0, at) + toHex + hex.substring(at + from.length()));
  }

  /** The same SEQUENCE written with a needlessly long (non-DER) three-byte length. */
  static byte[] withLongFormLength(byte[] sequence) {
    byte[] contents = contents(sequence);
    int length = contents.length;
    return Bytes.concat(Bytes.of(0x30, 0x83, length >>> 16, length >>> 8, length), contents);
  }

  /** The same SEQUENCE written with an indefinite length (BER, not DER). */
  static byte[] withIndefiniteLength(byte[] sequence) {
    return Bytes.concat(Bytes.of(0x30, 0x80), contents(sequence), Bytes.of(0x00, 0x00));
  }

  /** Rebuilds a DER SEQUENCE after editing its list of encoded elements. */
  static byte[] editElements(byte[] sequence, UnaryOperator<List<byte[]>> edit) {
    List<byte[]> elements = new ArrayList<>();
    for (ASN1Encodable element : ASN1Sequence.getInstance(sequence)) {
      elements.add(Der.encode(element));
    }
    return Der.wrap(0x30, edit.apply(elements).toArray(new byte[0][]));
  }

  /** Signs edited TBSCertificate bytes as they stand. */
  static byte[] signTbs(byte[] tbs, EcKeyPair issuerKey) {
    return CccCertificateBuilder.assemble(tbs, Der.ECDSA_WITH_SHA256, issuerKey);
  }

  static UnaryOperator<List<CertificateExtension>> removing(String oid) {
    return list -> {
      list.removeIf(e -> e.oid().equals(oid));
      return list;
    };
  }

  static UnaryOperator<List<CertificateExtension>> replacing(
      String oid, UnaryOperator<CertificateExtension> change) {
    return list -> {
      list.replaceAll(e -> e.oid().equals(oid) ? change.apply(e) : e);
      return list;
    };
  }

  static UnaryOperator<List<CertificateExtension>> duplicating(String oid) {
    return list -> {
      Predicate<CertificateExtension> match = e -> e.oid().equals(oid);
      list.add(list.stream().filter(match).findFirst().orElseThrow());
      return list;
    };
  }

  static UnaryOperator<List<CertificateExtension>> adding(CertificateExtension extension) {
    return list -> {
      list.add(extension);
      return list;
    };
  }

  /** The contents of a DER TLV, without tag and length. */
  static byte[] contents(byte[] sequence) {
    int lengthByte = sequence[1] & 0xFF;
    int header = lengthByte < 0x80 ? 2 : 2 + (lengthByte & 0x7F);
    return Bytes.range(sequence, header, sequence.length);
  }
}
