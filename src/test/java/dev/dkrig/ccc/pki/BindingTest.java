package dev.dkrig.ccc.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.dkrig.ccc.CccException;
import dev.dkrig.ccc.EcKeyPair;
import dev.dkrig.ccc.kcd.EndpointCreationData;
import dev.dkrig.iso7816.Hex;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** §8.6 binding (P2.6.2): H's {@code .5.4} against the 7F4A sent, and H's key against 7F26. */
class BindingTest {
  private static final DkIdentifier T1_IDENTIFIER =
      DkIdentifier.fromHex(T1.vector("DK_identifier"));
  private static final EcKeyPair OTHER_KEY = T1.derivedKey("authorized_1");
  private static final byte[] HASH = Hex.decode("A5".repeat(32));

  @Test
  void t1EndpointCertificateIsBoundTo7F4AAnd7F26() {
    CccCertificate h = CccCertificate.parse(T1.bytes("cert.H_Endpoint"));
    assertEquals(T1_IDENTIFIER, Binding.verify(h, T1.creationData(), T1_IDENTIFIER));
  }

  @Test
  void messageNamesFieldAndBothValues() {
    CccException e = mismatch(f -> f.initialKeySlot = Hex.decode("0000000000000002"));
    assertEquals(
        "H .5.4 initial_key_slot 0000000000000002 differs from 7F4A.83 0000000000000001",
        e.getMessage());
  }

  /** Each field the device copied into H, changed in H only. */
  static Stream<Arguments> fieldsOfStep1() {
    return Stream.of(
        field(
            f -> f.vehicleIdentifier = Hex.decode("444B524947563032"),
            "H .5.4 vehicle_identifier 444B524947563032 differs from 7F4A.4D 444B524947563031"),
        field(
            f -> f.optionGroup1 = Hex.decode("01"),
            "H .5.4 option_group_1 01 differs from 7F4A.80 00"),
        field(
            f -> f.optionGroup2 = Hex.decode("80"),
            "H .5.4 option_group_2 80 differs from 7F4A.81 00"),
        field(
            f -> f.protocolVersion = 0x0100,
            "H .5.4 protocol_version 0100 differs from 7F4A.5C 0101"),
        field(
            f -> f.vehiclePublicKey = OTHER_KEY.publicBytes(),
            "H .5.4 vehicle_PK "
                + Hex.encode(OTHER_KEY.publicBytes())
                + " differs from 7F4A.82 "
                + T1.vector("key.vehicle.PK")),
        field(
            f -> f.initialKeySlot = Hex.decode("0000000000000002"),
            "H .5.4 initial_key_slot 0000000000000002 differs from 7F4A.83 0000000000000001"),
        field(
            f -> f.confidentialMailboxSize = 512,
            "H .5.4 confidential_mailbox_size 0200 differs from 7F4A.84 0100"),
        field(
            f -> f.privateMailboxSize = 2048,
            "H .5.4 private_mailbox_size 0800 differs from 7F4A.85 0400"),
        field(
            f -> f.authorizedPublicKeys = List.of(OTHER_KEY.publicBytes()),
            "H .5.4 authorized_PK_list is present but 7F4A.A0 was not sent"),
        field(
            f -> f.accountInfoHash = Optional.of(HASH),
            "H .5.4 account_info_hash is present but 7F4A.86 was not sent"));
  }

  @ParameterizedTest
  @MethodSource("fieldsOfStep1")
  void step1EveryFieldMustEqual7F4A(Consumer<Fields> change, String message) {
    CccException e = mismatch(change);
    assertEquals(CccException.Failure.MISMATCH, e.failure());
    assertEquals(message, e.getMessage());
  }

  @Test
  void step1OptionalFieldsSentButAbsentFromH() {
    CccCertificate h = CccCertificate.parse(T1.bytes("cert.H_Endpoint"));
    EndpointCreationData withList =
        sent(f -> f.authorizedPublicKeys = List.of(OTHER_KEY.publicBytes()));
    assertEquals(
        "H .5.4 authorized_PK_list is absent but 7F4A.A0 was sent",
        assertThrows(CccException.class, () -> Binding.verify(h, withList, T1_IDENTIFIER))
            .getMessage());
    EndpointCreationData withHash = sent(f -> f.accountInfoHash = Optional.of(HASH));
    assertEquals(
        "H .5.4 account_info_hash is absent but 7F4A.86 was sent",
        assertThrows(CccException.class, () -> Binding.verify(h, withHash, T1_IDENTIFIER))
            .getMessage());
  }

  @Test
  void step1OptionalFieldsPresentInBothMustBeEqual() {
    EndpointCreationData sent =
        sent(
            f -> {
              f.authorizedPublicKeys = List.of(OTHER_KEY.publicBytes());
              f.accountInfoHash = Optional.of(HASH);
            });
    CccCertificate matching = endpoint(sent);
    assertEquals(T1_IDENTIFIER, Binding.verify(matching, sent, T1_IDENTIFIER));

    EndpointCreationData otherList =
        sent(
            f -> {
              f.authorizedPublicKeys = List.of(T1.VEHICLE_KEY.publicBytes());
              f.accountInfoHash = Optional.of(HASH);
            });
    CccException e =
        assertThrows(CccException.class, () -> Binding.verify(matching, otherList, T1_IDENTIFIER));
    assertEquals(
        "H .5.4 authorized_PK_list "
            + Hex.encode(OTHER_KEY.publicBytes())
            + " differs from 7F4A.A0 "
            + T1.vector("key.vehicle.PK"),
        e.getMessage());
  }

  @Test
  void step1MailboxSizesAreAlwaysSentSoMustBePresent() {
    EndpointExtension withoutConfidential =
        new EndpointExtension(
            1,
            T1.VEHICLE_IDENTIFIER,
            Hex.decode("00"),
            Hex.decode("00"),
            0x0101,
            T1.VEHICLE_KEY.publicBytes(),
            Hex.decode("0000000000000001"),
            Optional.empty(),
            OptionalInt.empty(),
            OptionalInt.of(1024),
            Optional.empty());
    CccCertificate h =
        CccCertificateBuilder.endpoint(
                T1.instanceCa(),
                T1.ENDPOINT_KEY.publicBytes(),
                withoutConfidential,
                T1.ENDPOINT_CREATED)
            .sign(T1.INSTANCE_CA_KEY);
    CccException e =
        assertThrows(CccException.class, () -> Binding.verify(h, T1.creationData(), T1_IDENTIFIER));
    assertEquals("H .5.4 confidential_mailbox_size is absent but 7F4A.84 was sent", e.getMessage());
  }

  @Test
  void step2KeyHashMustBeTheIdentifierFrom7F26() {
    CccCertificate h = CccCertificate.parse(T1.bytes("cert.H_Endpoint"));
    DkIdentifier other = DkIdentifier.ofEndpointKey(OTHER_KEY.publicBytes());
    CccException e =
        assertThrows(CccException.class, () -> Binding.verify(h, T1.creationData(), other));
    assertEquals(CccException.Failure.MISMATCH, e.failure());
    assertEquals(
        "SHA-1 of H's public key "
            + T1.vector("DK_identifier")
            + " differs from the DK_identifier read from 7F26 "
            + other.hex(),
        e.getMessage());
  }

  @Test
  void step2CommonNameMustBeTheUpperCaseHexOfTheIdentifier() {
    CccCertificate lowerCase =
        T1.endpointBuilder()
            .subjectCommonName(T1.vector("DK_identifier").toLowerCase())
            .sign(T1.INSTANCE_CA_KEY);
    CccException e =
        assertThrows(
            CccException.class, () -> Binding.verify(lowerCase, T1.creationData(), T1_IDENTIFIER));
    assertEquals(CccException.Failure.MISMATCH, e.failure());
    assertEquals(
        "H subject CN '"
            + T1.vector("DK_identifier").toLowerCase()
            + "' differs from the upper-case hex of the DK_identifier "
            + T1.vector("DK_identifier"),
        e.getMessage());
  }

  /** The 7F4A fields, mutable for one test's change. */
  static final class Fields {
    byte[] vehicleIdentifier;
    byte[] optionGroup1;
    byte[] optionGroup2;
    int protocolVersion;
    byte[] vehiclePublicKey;
    byte[] initialKeySlot;
    List<byte[]> authorizedPublicKeys;
    int confidentialMailboxSize;
    int privateMailboxSize;
    Optional<byte[]> accountInfoHash;

    Fields(EndpointCreationData data) {
      vehicleIdentifier = data.vehicleIdentifier();
      optionGroup1 = data.optionGroup1();
      optionGroup2 = data.optionGroup2();
      protocolVersion = data.protocolVersion();
      vehiclePublicKey = data.vehiclePublicKey();
      initialKeySlot = data.initialKeySlot();
      authorizedPublicKeys = data.authorizedPublicKeys();
      confidentialMailboxSize = data.confidentialMailboxSize();
      privateMailboxSize = data.privateMailboxSize();
      accountInfoHash = data.accountInfoHash();
    }

    EndpointCreationData build() {
      return new EndpointCreationData(
          vehicleIdentifier,
          optionGroup1,
          optionGroup2,
          protocolVersion,
          vehiclePublicKey,
          initialKeySlot,
          authorizedPublicKeys,
          confidentialMailboxSize,
          privateMailboxSize,
          accountInfoHash);
    }
  }

  private static EndpointCreationData sent(Consumer<Fields> change) {
    Fields fields = new Fields(T1.creationData());
    change.accept(fields);
    return fields.build();
  }

  private static CccCertificate endpoint(EndpointCreationData data) {
    return T1.endpointBuilder(data).sign(T1.INSTANCE_CA_KEY);
  }

  /** H built from a changed 7F4A, checked against the T1 7F4A the vehicle sent. */
  private static CccException mismatch(Consumer<Fields> change) {
    CccCertificate h = endpoint(sent(change));
    return assertThrows(
        CccException.class, () -> Binding.verify(h, T1.creationData(), T1_IDENTIFIER));
  }

  private static Arguments field(Consumer<Fields> change, String message) {
    return Arguments.of(change, message);
  }
}
