package dev.dkrig.ccc.pki;

import dev.dkrig.ccc.CccException;
import dev.dkrig.ccc.Crypto;
import dev.dkrig.ccc.kcd.EndpointCreationData;
import dev.dkrig.iso7816.Bytes;
import dev.dkrig.iso7816.Hex;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The vehicle's binding check (§8.6, P2.6.2): H carries exactly what the vehicle sent in 7F4A, and
 * H's key is the one the DK identifier of 7F26 names. Run after {@link ChainVerifier}.
 */
public final class Binding {
  private Binding() {}

  /**
   * Checks both steps of §8.6 in order; the first difference wins.
   *
   * @param endpoint H, already verified by {@link ChainVerifier}
   * @param sent the 7F4A the vehicle sent in transaction 1
   * @param fromKeyCreationStatus the DK identifier read from 7F26
   * @return the DK identifier, now bound to H
   * @throws CccException MISMATCH naming the first field that differs; MALFORMED when H has no
   *     decodable {@code .5.4} extension (which {@link ChainVerifier} already rejects)
   */
  public static DkIdentifier verify(
      CccCertificate endpoint, EndpointCreationData sent, DkIdentifier fromKeyCreationStatus) {
    List<CertificateExtension> found =
        endpoint.extensions(CertificateType.ENDPOINT.cccExtensionOid());
    if (found.size() != 1) {
      throw CccException.malformed("H carries " + found.size() + " .5.4 extensions, expected 1");
    }
    EndpointExtension h = EndpointExtension.decode(found.get(0).value());

    // §8.6 step 1: every field equals 7F4A, optional fields present iff sent.
    same("vehicle_identifier", "4D", h.vehicleIdentifier(), sent.vehicleIdentifier());
    same("option_group_1", "80", h.optionGroup1(), sent.optionGroup1());
    same("option_group_2", "81", h.optionGroup2(), sent.optionGroup2());
    same(
        "protocol_version",
        "5C",
        Bytes.u16(h.protocolVersion()),
        Bytes.u16(sent.protocolVersion()));
    same("vehicle_PK", "82", h.vehiclePublicKey(), sent.vehiclePublicKey());
    same("initial_key_slot", "83", h.initialKeySlot(), sent.initialKeySlot());
    List<byte[]> sentKeys = sent.authorizedPublicKeys();
    sameOptional(
        "authorized_PK_list",
        "A0",
        h.authorizedPublicKeys().map(keys -> Bytes.concat(keys.toArray(new byte[0][]))),
        sentKeys.isEmpty()
            ? Optional.empty()
            : Optional.of(Bytes.concat(sentKeys.toArray(new byte[0][]))));
    sameOptional(
        "confidential_mailbox_size",
        "84",
        mailbox(h.confidentialMailboxSize()),
        Optional.of(Bytes.u16(sent.confidentialMailboxSize())));
    sameOptional(
        "private_mailbox_size",
        "85",
        mailbox(h.privateMailboxSize()),
        Optional.of(Bytes.u16(sent.privateMailboxSize())));
    sameOptional("account_info_hash", "86", h.accountInfoHash(), sent.accountInfoHash());

    // §8.6 step 2: the key in H is the one 7F26 named, and H's CN spells that name.
    byte[] keyHash = Crypto.sha1(endpoint.publicKey());
    if (!Arrays.equals(keyHash, fromKeyCreationStatus.value())) {
      throw mismatch(
          "SHA-1 of H's public key "
              + Hex.encode(keyHash)
              + " differs from the DK_identifier read from 7F26 "
              + fromKeyCreationStatus.hex());
    }
    String commonName = endpoint.subjectCommonName().orElse("<not one UTF8String CN>");
    if (!commonName.equals(fromKeyCreationStatus.hex())) {
      throw mismatch(
          "H subject CN '"
              + commonName
              + "' differs from the upper-case hex of the DK_identifier "
              + fromKeyCreationStatus.hex());
    }
    return fromKeyCreationStatus;
  }

  private static Optional<byte[]> mailbox(OptionalInt size) {
    return size.isPresent() ? Optional.of(Bytes.u16(size.getAsInt())) : Optional.empty();
  }

  private static void same(String field, String tag, byte[] inCertificate, byte[] sent) {
    if (!Arrays.equals(inCertificate, sent)) {
      throw mismatch(
          "H .5.4 "
              + field
              + " "
              + Hex.encode(inCertificate)
              + " differs from 7F4A."
              + tag
              + " "
              + Hex.encode(sent));
    }
  }

  private static void sameOptional(
      String field, String tag, Optional<byte[]> inCertificate, Optional<byte[]> sent) {
    if (inCertificate.isPresent() && sent.isEmpty()) {
      throw mismatch("H .5.4 " + field + " is present but 7F4A." + tag + " was not sent");
    }
    if (inCertificate.isEmpty() && sent.isPresent()) {
      throw mismatch("H .5.4 " + field + " is absent but 7F4A." + tag + " was sent");
    }
    if (inCertificate.isPresent()) {
      same(field, tag, inCertificate.get(), sent.get());
    }
  }

  private static CccException mismatch(String message) {
    return new CccException(CccException.Failure.MISMATCH, message);
  }
}
