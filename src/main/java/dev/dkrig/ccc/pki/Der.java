package dev.dkrig.ccc.pki;

import dev.dkrig.ccc.CccException;
import dev.dkrig.ccc.DkProfile;
import dev.dkrig.iso7816.Bytes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1UTCTime;
import org.bouncycastle.asn1.ASN1UTF8String;
import org.bouncycastle.asn1.DERGeneralizedTime;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.DERUTCTime;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/** DER helpers shared by the certificate parser, builder and checks. */
final class Der {
  /** {@code 30 0A 06 08 2A8648CE3D040302}: ecdsa-with-SHA256 without parameters (§8.3). */
  static final byte[] ECDSA_WITH_SHA256 =
      encode(new AlgorithmIdentifier(X9ObjectIdentifiers.ecdsa_with_SHA256));

  static final String ID_EC_PUBLIC_KEY = X9ObjectIdentifiers.id_ecPublicKey.getId();
  static final String PRIME256V1 = X9ObjectIdentifiers.prime256v1.getId();

  private static final Pattern UTC_TIME = Pattern.compile("\\d{12}Z");
  private static final Pattern GENERALIZED_TIME = Pattern.compile("\\d{14}Z");
  private static final DateTimeFormatter FOUR_DIGIT_YEAR =
      DateTimeFormatter.ofPattern("uuuuMMddHHmmss'Z'").withResolverStyle(ResolverStyle.STRICT);

  /** UTCTime two-digit years 50–99 are 1950–1999 (RFC 5280 §4.1.2.5.1). */
  private static final int UTC_TIME_FIRST_YEAR = 1950;

  private Der() {}

  /**
   * Decodes exactly one DER object. BER forms (indefinite or non-minimal lengths, non-canonical
   * booleans, ...) are caught by re-encoding as DER and comparing, as §8.5 rule 1 demands.
   *
   * @throws CccException MALFORMED naming {@code what}
   */
  static ASN1Primitive decode(byte[] der, String what) {
    ASN1Primitive primitive;
    try {
      primitive = ASN1Primitive.fromByteArray(der);
    } catch (IOException | RuntimeException e) {
      throw CccException.malformed(what + ": not ASN.1: " + e.getMessage());
    }
    if (primitive == null) {
      throw CccException.malformed(what + ": empty");
    }
    if (!Arrays.equals(encode(primitive), der)) {
      throw CccException.malformed(
          what + ": not DER (indefinite or non-minimal length, or a non-canonical value)");
    }
    return primitive;
  }

  static byte[] encode(ASN1Encodable value) {
    try {
      return value.toASN1Primitive().getEncoded(ASN1Encoding.DER);
    } catch (IOException e) {
      throw new IllegalStateException("DER encoding failed", e);
    }
  }

  /** A tag, a definite minimal DER length and the concatenated contents, taken as given. */
  static byte[] wrap(int tag, byte[]... contents) {
    byte[] body = Bytes.concat(contents);
    int length = body.length;
    byte[] header;
    if (length < 0x80) {
      header = Bytes.of(tag, length);
    } else if (length <= 0xFF) {
      header = Bytes.of(tag, 0x81, length);
    } else if (length <= 0xFFFF) {
      header = Bytes.of(tag, 0x82, length >>> 8, length);
    } else {
      header = Bytes.of(tag, 0x83, length >>> 16, length >>> 8, length);
    }
    return Bytes.concat(header, body);
  }

  /** §8.3: a Name of exactly one RDN holding one commonName as UTF8String. */
  static byte[] commonName(String commonName) {
    AttributeTypeAndValue cn = new AttributeTypeAndValue(BCStyle.CN, new DERUTF8String(commonName));
    return encode(new DERSequence(new DERSet(cn)));
  }

  /** The commonName when the Name follows §8.3 (one RDN, one CN, UTF8String), else empty. */
  static Optional<String> singleCommonName(X500Name name) {
    RDN[] rdns = name.getRDNs();
    if (rdns.length != 1 || rdns[0].isMultiValued()) {
      return Optional.empty();
    }
    AttributeTypeAndValue first = rdns[0].getFirst();
    if (!BCStyle.CN.equals(first.getType())
        || !(first.getValue().toASN1Primitive() instanceof ASN1UTF8String text)) {
      return Optional.empty();
    }
    return Optional.of(text.getString());
  }

  /** §8.3: {@code 30 59 30 13 06 07 2A8648CE3D0201 06 08 2A8648CE3D030107 03 42 00 <point>}. */
  static byte[] subjectPublicKeyInfo(byte[] point) {
    AlgorithmIdentifier algorithm =
        new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, X9ObjectIdentifiers.prime256v1);
    return encode(new SubjectPublicKeyInfo(algorithm, point));
  }

  /**
   * The point of a P-256 SubjectPublicKeyInfo that has exactly the §8.3 form; used where the
   * profile embeds SPKIs (the {@code .5.4} extension).
   */
  static byte[] pointOfSubjectPublicKeyInfo(ASN1Encodable spki, String what) {
    SubjectPublicKeyInfo info;
    try {
      info = SubjectPublicKeyInfo.getInstance(spki);
    } catch (RuntimeException e) {
      throw CccException.malformed(what + ": not a SubjectPublicKeyInfo");
    }
    byte[] point = info.getPublicKeyData().getBytes();
    if (!Arrays.equals(encode(info), subjectPublicKeyInfo(point)) || point.length != 65) {
      throw CccException.malformed(
          what + ": not a P-256 SubjectPublicKeyInfo with a 65-byte point");
    }
    return point;
  }

  /** §8.3: UTCTime before {@link DkProfile#GENERALIZED_TIME_FROM_YEAR}, else GeneralizedTime. */
  static ASN1Primitive time(Instant instant) {
    LocalDateTime utc =
        LocalDateTime.ofInstant(instant.truncatedTo(ChronoUnit.SECONDS), ZoneOffset.UTC);
    String full = FOUR_DIGIT_YEAR.format(utc);
    int year = utc.getYear();
    if (year > 9999 || year < 0) {
      throw new IllegalArgumentException("year " + year + " has no X.509 time form");
    }
    // UTCTime only covers 1950-2049 (RFC 5280), so earlier years fall back to GeneralizedTime too.
    if (year >= UTC_TIME_FIRST_YEAR && year < DkProfile.GENERALIZED_TIME_FROM_YEAR) {
      return new DERUTCTime(full.substring(2));
    }
    return new DERGeneralizedTime(full);
  }

  /**
   * Reads a validity time in the only forms §8.3 allows: {@code YYMMDDHHMMSSZ} (UTCTime) and {@code
   * YYYYMMDDHHMMSSZ} (GeneralizedTime).
   */
  static Instant parseTime(ASN1Encodable value, String what) {
    ASN1Primitive primitive = value.toASN1Primitive();
    String text;
    if (primitive instanceof ASN1UTCTime utcTime) {
      text = contentsAsText(utcTime);
      if (!UTC_TIME.matcher(text).matches()) {
        throw CccException.malformed(what + ": UTCTime '" + text + "' is not YYMMDDHHMMSSZ");
      }
      int twoDigitYear = Integer.parseInt(text.substring(0, 2));
      text = (twoDigitYear >= UTC_TIME_FIRST_YEAR % 100 ? "19" : "20") + text;
    } else if (primitive instanceof ASN1GeneralizedTime generalizedTime) {
      text = generalizedTime.getTimeString();
      if (!GENERALIZED_TIME.matcher(text).matches()) {
        throw CccException.malformed(
            what + ": GeneralizedTime '" + text + "' is not YYYYMMDDHHMMSSZ");
      }
    } else {
      throw CccException.malformed(what + ": neither UTCTime nor GeneralizedTime");
    }
    try {
      return LocalDateTime.parse(text, FOUR_DIGIT_YEAR).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      throw CccException.malformed(what + ": no such date " + text);
    }
  }

  /** The raw characters of a UTCTime, read from its encoding so that nothing is normalised. */
  private static String contentsAsText(ASN1UTCTime time) {
    byte[] encoded = encode(time);
    int lengthByte = encoded[1] & 0xFF;
    int headerLength = lengthByte < 0x80 ? 2 : 2 + (lengthByte & 0x7F);
    return new String(
        encoded, headerLength, encoded.length - headerLength, StandardCharsets.US_ASCII);
  }
}
