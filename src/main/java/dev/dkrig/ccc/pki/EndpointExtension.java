package dev.dkrig.ccc.pki;

import dev.dkrig.ccc.CccException;
import dev.dkrig.ccc.DkProfile;
import dev.dkrig.ccc.kcd.EndpointCreationData;
import dev.dkrig.iso7816.Bytes;
import dev.dkrig.iso7816.Hex;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.BERTags;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;

/**
 * The value of the endpoint certificate's {@code .5.4} extension (§8.4): the 7F4A fields (§7.2) as
 * the device copied them into H. {@code [0]} and {@code [1]} are EXPLICIT [profile].
 *
 * @param extensionVersion extension_version, 1
 * @param vehicleIdentifier 8 bytes, from 7F4A.4D
 * @param optionGroup1 1 byte, from 7F4A.80
 * @param optionGroup2 1 byte, from 7F4A.81
 * @param protocolVersion 2-byte agreed applet version, from 7F4A.5C
 * @param vehiclePublicKey the 65-byte point of vehicle_PK, from 7F4A.82
 * @param initialKeySlot 8 bytes, from 7F4A.83
 * @param authorizedPublicKeys authorized_PK_list (points), present iff 7F4A.A0 was sent
 * @param confidentialMailboxSize [0], from 7F4A.84
 * @param privateMailboxSize [1], from 7F4A.85
 * @param accountInfoHash 32 bytes, present iff 7F4A.86 was sent
 */
public record EndpointExtension(
    int extensionVersion,
    byte[] vehicleIdentifier,
    byte[] optionGroup1,
    byte[] optionGroup2,
    int protocolVersion,
    byte[] vehiclePublicKey,
    byte[] initialKeySlot,
    Optional<List<byte[]>> authorizedPublicKeys,
    OptionalInt confidentialMailboxSize,
    OptionalInt privateMailboxSize,
    Optional<byte[]> accountInfoHash) {

  private static final String WHAT = ".5.4 value";
  private static final int TAG_CONFIDENTIAL_MAILBOX = 0;
  private static final int TAG_PRIVATE_MAILBOX = 1;
  private static final int ACCOUNT_INFO_HASH_LENGTH = 32;
  private static final int MAX_MAILBOX_SIZE = 0xFFFF;

  public EndpointExtension {
    vehicleIdentifier = fixed(vehicleIdentifier, 8, "vehicle_identifier");
    optionGroup1 = fixed(optionGroup1, 1, "option_group_1");
    optionGroup2 = fixed(optionGroup2, 1, "option_group_2");
    if (protocolVersion < 0 || protocolVersion > 0xFFFF) {
      throw CccException.malformed(WHAT + ": protocol_version out of range: " + protocolVersion);
    }
    vehiclePublicKey = fixed(vehiclePublicKey, 65, "vehicle_PK point");
    initialKeySlot = fixed(initialKeySlot, DkProfile.INITIAL_KEY_SLOT_LENGTH, "initial_key_slot");
    authorizedPublicKeys =
        authorizedPublicKeys.map(
            keys -> keys.stream().map(k -> fixed(k, 65, "authorized_PK_list point")).toList());
    checkMailbox(confidentialMailboxSize, "confidential_mailbox_size");
    checkMailbox(privateMailboxSize, "private_mailbox_size");
    accountInfoHash =
        accountInfoHash.map(h -> fixed(h, ACCOUNT_INFO_HASH_LENGTH, "account_info_hash"));
  }

  /** What a device puts into H for this 7F4A (§8.4): every field, optional ones iff sent. */
  public static EndpointExtension from(EndpointCreationData data) {
    List<byte[]> authorized = data.authorizedPublicKeys();
    return new EndpointExtension(
        DkProfile.CCC_EXTENSION_VERSION,
        data.vehicleIdentifier(),
        data.optionGroup1(),
        data.optionGroup2(),
        data.protocolVersion(),
        data.vehiclePublicKey(),
        data.initialKeySlot(),
        authorized.isEmpty() ? Optional.empty() : Optional.of(authorized),
        OptionalInt.of(data.confidentialMailboxSize()),
        OptionalInt.of(data.privateMailboxSize()),
        data.accountInfoHash());
  }

  /**
   * The 7F4A these fields came from.
   *
   * @throws CccException MALFORMED when a field 7F4A cannot express is set (a mailbox size absent,
   *     an empty authorized_PK_list)
   */
  public EndpointCreationData toCreationData() {
    if (confidentialMailboxSize.isEmpty() || privateMailboxSize.isEmpty()) {
      throw CccException.malformed(WHAT + ": a mailbox size is absent, 7F4A always carries both");
    }
    if (authorizedPublicKeys.isPresent() && authorizedPublicKeys.get().isEmpty()) {
      throw CccException.malformed(WHAT + ": empty authorized_PK_list, 7F4A.A0 needs 1-5 keys");
    }
    return new EndpointCreationData(
        vehicleIdentifier,
        optionGroup1,
        optionGroup2,
        protocolVersion,
        vehiclePublicKey,
        initialKeySlot,
        authorizedPublicKeys.orElse(List.of()),
        confidentialMailboxSize.getAsInt(),
        privateMailboxSize.getAsInt(),
        accountInfoHash);
  }

  /** The DER value, fields in schema order (§8.4). */
  public byte[] encode() {
    ASN1EncodableVector fields = new ASN1EncodableVector();
    fields.add(new ASN1Integer(extensionVersion));
    fields.add(new DEROctetString(vehicleIdentifier));
    fields.add(new DEROctetString(optionGroup1));
    fields.add(new DEROctetString(optionGroup2));
    fields.add(new DEROctetString(Bytes.u16(protocolVersion)));
    fields.add(subjectPublicKeyInfo(vehiclePublicKey));
    fields.add(new DEROctetString(initialKeySlot));
    authorizedPublicKeys.ifPresent(
        keys -> {
          ASN1EncodableVector list = new ASN1EncodableVector();
          keys.forEach(key -> list.add(subjectPublicKeyInfo(key)));
          fields.add(new DERSequence(list));
        });
    confidentialMailboxSize.ifPresent(
        size ->
            fields.add(new DERTaggedObject(true, TAG_CONFIDENTIAL_MAILBOX, new ASN1Integer(size))));
    privateMailboxSize.ifPresent(
        size -> fields.add(new DERTaggedObject(true, TAG_PRIVATE_MAILBOX, new ASN1Integer(size))));
    accountInfoHash.ifPresent(hash -> fields.add(new DEROctetString(hash)));
    return Der.encode(new DERSequence(fields));
  }

  /**
   * Decodes a {@code .5.4} value strictly: DER, the schema's fields in order, the stated sizes,
   * extension_version 1.
   *
   * @throws CccException MALFORMED with a one-line reason
   */
  public static EndpointExtension decode(byte[] value) {
    if (!(Der.decode(value, WHAT) instanceof ASN1Sequence sequence)) {
      throw CccException.malformed(WHAT + ": not a SEQUENCE");
    }
    final int required = 7;
    if (sequence.size() < required) {
      throw CccException.malformed(
          WHAT + ": " + sequence.size() + " elements, at least " + required + " required");
    }
    int version = intValue(sequence.getObjectAt(0), "extension_version");
    if (version != DkProfile.CCC_EXTENSION_VERSION) {
      throw CccException.malformed(WHAT + ": extension_version " + version + ", expected 1");
    }
    byte[] vehicleIdentifier = octets(sequence.getObjectAt(1), "vehicle_identifier");
    byte[] optionGroup1 = octets(sequence.getObjectAt(2), "option_group_1");
    byte[] optionGroup2 = octets(sequence.getObjectAt(3), "option_group_2");
    byte[] protocolVersion =
        fixed(octets(sequence.getObjectAt(4), "protocol_version"), 2, "protocol_version");
    byte[] vehiclePublicKey =
        Der.pointOfSubjectPublicKeyInfo(sequence.getObjectAt(5), WHAT + ": vehicle_PK");
    byte[] initialKeySlot = octets(sequence.getObjectAt(6), "initial_key_slot");

    Optional<List<byte[]>> authorized = Optional.empty();
    OptionalInt confidential = OptionalInt.empty();
    OptionalInt privateSize = OptionalInt.empty();
    Optional<byte[]> accountInfoHash = Optional.empty();
    // The optional fields have distinct tags; each may follow only the ones before it in the
    // schema.
    int nextOptional = 0;
    for (int i = required; i < sequence.size(); i++) {
      ASN1Primitive element = sequence.getObjectAt(i).toASN1Primitive();
      int slot = optionalSlot(element);
      if (slot < nextOptional) {
        throw CccException.malformed(WHAT + ": unexpected or misordered element " + (i + 1));
      }
      nextOptional = slot + 1;
      switch (slot) {
        case 0 -> authorized = Optional.of(authorizedKeys((ASN1Sequence) element));
        case 1 ->
            confidential =
                OptionalInt.of(mailbox((ASN1TaggedObject) element, "confidential_mailbox_size"));
        case 2 ->
            privateSize =
                OptionalInt.of(mailbox((ASN1TaggedObject) element, "private_mailbox_size"));
        default -> accountInfoHash = Optional.of(octets(element, "account_info_hash"));
      }
    }
    return new EndpointExtension(
        version,
        vehicleIdentifier,
        optionGroup1,
        optionGroup2,
        Bytes.u16(protocolVersion, 0),
        vehiclePublicKey,
        initialKeySlot,
        authorized,
        confidential,
        privateSize,
        accountInfoHash);
  }

  /** 0 authorized_PK_list, 1 [0], 2 [1], 3 account_info_hash, -1 anything else. */
  private static int optionalSlot(ASN1Primitive element) {
    if (element instanceof ASN1Sequence) {
      return 0;
    }
    if (element instanceof ASN1TaggedObject tagged
        && tagged.getTagClass() == BERTags.CONTEXT_SPECIFIC) {
      if (tagged.getTagNo() == TAG_CONFIDENTIAL_MAILBOX) {
        return 1;
      }
      if (tagged.getTagNo() == TAG_PRIVATE_MAILBOX) {
        return 2;
      }
    }
    if (element instanceof ASN1OctetString) {
      return 3;
    }
    return -1;
  }

  private static List<byte[]> authorizedKeys(ASN1Sequence list) {
    List<byte[]> keys = new ArrayList<>();
    for (ASN1Encodable key : list) {
      keys.add(Der.pointOfSubjectPublicKeyInfo(key, WHAT + ": authorized_PK_list entry"));
    }
    return keys;
  }

  private static int mailbox(ASN1TaggedObject tagged, String field) {
    ASN1Integer size;
    try {
      size = ASN1Integer.getInstance(tagged, true);
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw CccException.malformed(WHAT + ": " + field + " is not an EXPLICIT INTEGER");
    }
    BigInteger value = size.getValue();
    if (value.signum() <= 0 || value.compareTo(BigInteger.valueOf(MAX_MAILBOX_SIZE)) > 0) {
      throw CccException.malformed(WHAT + ": " + field + " " + value + " outside 1-65535");
    }
    return value.intValue();
  }

  private static int intValue(ASN1Encodable element, String field) {
    if (!(element instanceof ASN1Integer integer) || integer.getValue().bitLength() > 31) {
      throw CccException.malformed(WHAT + ": " + field + " is not a small INTEGER");
    }
    return integer.intValueExact();
  }

  private static byte[] octets(ASN1Encodable element, String field) {
    if (!(element instanceof ASN1OctetString octets)) {
      throw CccException.malformed(WHAT + ": " + field + " is not an OCTET STRING");
    }
    return octets.getOctets();
  }

  private static ASN1Encodable subjectPublicKeyInfo(byte[] point) {
    return Der.decode(Der.subjectPublicKeyInfo(point), "SPKI");
  }

  private static byte[] fixed(byte[] value, int length, String field) {
    if (value.length != length) {
      throw CccException.malformed(
          WHAT + ": " + field + " has " + value.length + " bytes, expected " + length);
    }
    return value.clone();
  }

  private static void checkMailbox(OptionalInt size, String field) {
    if (size.isPresent() && (size.getAsInt() < 1 || size.getAsInt() > MAX_MAILBOX_SIZE)) {
      throw CccException.malformed(
          WHAT + ": " + field + " " + size.getAsInt() + " outside 1-65535");
    }
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
  public Optional<List<byte[]>> authorizedPublicKeys() {
    return authorizedPublicKeys.map(keys -> keys.stream().map(byte[]::clone).toList());
  }

  @Override
  public Optional<byte[]> accountInfoHash() {
    return accountInfoHash.map(byte[]::clone);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof EndpointExtension that && Arrays.equals(encode(), that.encode());
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(encode());
  }

  @Override
  public String toString() {
    return "EndpointExtension[" + Hex.encode(encode()) + "]";
  }
}
