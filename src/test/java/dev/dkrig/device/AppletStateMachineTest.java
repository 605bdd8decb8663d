package dev.dkrig.device;

import static dev.dkrig.device.TestVehicle.expect;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dkrig.ccc.StatusWord;
import dev.dkrig.ccc.dka.Auth0Command;
import dev.dkrig.ccc.dka.Auth0Response;
import dev.dkrig.ccc.dka.Auth1Command;
import dev.dkrig.ccc.dka.ExchangeOperation;
import dev.dkrig.iso7816.CommandApdu;
import dev.dkrig.iso7816.Hex;
import dev.dkrig.iso7816.ResponseApdu;
import dev.dkrig.testing.Vectors;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every row of the applet table of §3.6, with §11.2–11.8 and §18.16. */
class AppletStateMachineTest {
  private static final String NO_KEYS_EXCHANGE =
      "84C9000018000000000000000000000000000000000000000000000000";

  private static TestVehicle paired() {
    return TestVehicle.withT1Device().pair();
  }

  private static TestVehicle inTransaction() {
    TestVehicle vehicle = paired();
    vehicle.startTransaction();
    return vehicle;
  }

  @Test
  void selectWithoutACommittedKeyIs6A82() {
    TestVehicle vehicle = TestVehicle.withT1Device();
    expect(StatusWord.NOT_FOUND, vehicle.selectApplet());
    assertEquals(AppletState.IDLE, vehicle.device.appletState());
    TestVehicle aborted = TestVehicle.withT1Device().toAttested();
    aborted.opControlFlow(0x1200);
    expect(StatusWord.NOT_FOUND, aborted.selectApplet());
  }

  @Test
  void selectAnswersTheAppletVersions() {
    TestVehicle vehicle = paired();
    ResponseApdu response = vehicle.selectApplet();
    expect(StatusWord.SUCCESS, response);
    assertEquals("5C0401010100", Hex.encode(response.data()));
    assertEquals(AppletState.SELECTED_A, vehicle.device.appletState());
    assertEquals(FrameworkState.IDLE, vehicle.device.frameworkState());
  }

  @Test
  void auth0OutsideSelectedAIs6985AndTheTransactionRestarts() {
    TestVehicle vehicle = paired();
    vehicle.selectApplet();
    expect(StatusWord.SUCCESS, vehicle.auth0(vehicle.newAuth0()));
    assertEquals(AppletState.AUTH0_DONE, vehicle.device.appletState());
    expect(StatusWord.CONDITIONS_NOT_SATISFIED, vehicle.auth0(vehicle.newAuth0()));
    assertEquals(AppletState.SELECTED_A, vehicle.device.appletState());
    expect(StatusWord.SUCCESS, vehicle.auth0(vehicle.newAuth0()));
  }

  @Test
  void auth0InSecureAIs6985() {
    TestVehicle vehicle = inTransaction();
    expect(StatusWord.CONDITIONS_NOT_SATISFIED, vehicle.auth0(vehicle.newAuth0()));
    assertEquals(AppletState.SELECTED_A, vehicle.device.appletState());
    assertEquals(StatusWord.CONDITIONS_NOT_SATISFIED, vehicle.sw(NO_KEYS_EXCHANGE));
  }

  @Test
  void auth0WithOtherP1P2Is6B00() {
    TestVehicle vehicle = paired();
    vehicle.selectApplet();
    byte[] data = vehicle.newAuth0().data();
    expect(StatusWord.WRONG_P1P2, vehicle.send(new CommandApdu(0x80, 0x80, 0x01, 0x00, data, 0)));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "version 0200",
        "87 not on the curve",
        "tags out of order",
        "an extra tag",
        "a short txid"
      })
  void auth0DataErrorsAre6A80(String fault) {
    TestVehicle vehicle = paired();
    vehicle.selectApplet();
    Auth0Command good = vehicle.newAuth0();
    String vePk = Hex.encode(good.vehicleEphemeralPublicKey());
    String txid = Hex.encode(good.transactionId());
    String vid = T1Material.VEHICLE_IDENTIFIER;
    String data =
        switch (fault) {
          case "version 0200" -> "5C020200" + "8741" + vePk + "4C10" + txid + "4D08" + vid;
          case "87 not on the curve" ->
              "5C020101" + "8741" + "04" + "00".repeat(64) + "4C10" + txid + "4D08" + vid;
          case "tags out of order" -> "5C020101" + "4C10" + txid + "8741" + vePk + "4D08" + vid;
          case "an extra tag" -> "5C020101" + "8741" + vePk + "4C10" + txid + "4D08" + vid + "9D00";
          default -> "5C020101" + "8741" + vePk + "4C0F" + txid.substring(2) + "4D08" + vid;
        };
    expect(
        StatusWord.INCORRECT_DATA,
        vehicle.send(CommandApdu.of(0x80, 0x80, 0x00, 0x00, Hex.decode(data))));
    assertEquals(AppletState.SELECTED_A, vehicle.device.appletState());
  }

  @Test
  void auth0ForAnUnknownVehicleIs6A88() {
    TestVehicle vehicle = paired();
    vehicle.selectApplet();
    Auth0Command good = vehicle.newAuth0();
    Auth0Command stranger =
        new Auth0Command(
            good.agreedVersion(),
            good.vehicleEphemeralPublicKey(),
            good.transactionId(),
            Hex.decode("444B524947563032"));
    expect(StatusWord.REFERENCED_DATA, vehicle.auth0(stranger));
  }

  @Test
  void theDeviceEphemeralKeyFollowsTheDkState() {
    // §18.2: phase-3 key while CREATED, phase-4 key once ACTIVE.
    TestVehicle vehicle = paired();
    vehicle.selectApplet();
    ResponseApdu created = vehicle.auth0(vehicle.newAuth0());
    assertEquals(
        Hex.encode(Vectors.hex("p3.dePK")),
        Hex.encode(Auth0Response.parse(created.data()).deviceEphemeralPublicKey()));
    vehicle.successfulTransaction();
    vehicle.selectApplet();
    ResponseApdu active = vehicle.auth0(vehicle.newAuth0());
    assertEquals(
        Hex.encode(Vectors.hex("p4.dePK")),
        Hex.encode(Auth0Response.parse(active.data()).deviceEphemeralPublicKey()));
  }

  @Test
  void auth1BeforeAuth0Is6985() {
    TestVehicle vehicle = paired();
    vehicle.selectApplet();
    expect(
        StatusWord.CONDITIONS_NOT_SATISFIED, vehicle.send(new Auth1Command(new byte[64]).toApdu()));
  }

  @Test
  void auth1WithABadSignatureIs6A88() {
    TestVehicle vehicle = paired();
    vehicle.selectApplet();
    vehicle.auth0(vehicle.newAuth0());
    byte[] signature = vehicle.signedAuth1().vehicleSignature();
    signature[10] ^= 0x01;
    expect(StatusWord.REFERENCED_DATA, vehicle.auth1(new Auth1Command(signature)));
    assertEquals(AppletState.SELECTED_A, vehicle.device.appletState());
  }

  @Test
  void auth1SignedWithTheEphemeralKeyInsteadOfVehicleSkIs6A88() {
    TestVehicle vehicle = paired();
    vehicle.selectApplet();
    vehicle.auth0(vehicle.newAuth0());
    Auth1Command wrongKey = new Auth1Command(Vectors.hex("p3.vehicle_sig"));
    expect(StatusWord.REFERENCED_DATA, vehicle.auth1(wrongKey));
  }

  @Test
  void malformedAuth1Is6A80() {
    TestVehicle vehicle = paired();
    vehicle.selectApplet();
    vehicle.auth0(vehicle.newAuth0());
    expect(
        StatusWord.INCORRECT_DATA,
        vehicle.send(CommandApdu.of(0x80, 0x81, 0x00, 0x00, Hex.decode("9E3F" + "00".repeat(63)))));
  }

  @Test
  void auth1AnswersTheEndpointSignatureKeySlotAndSigBmp() {
    TestVehicle vehicle = paired();
    assertEquals(0x0000, vehicle.startTransaction().sigBmp());
    assertEquals(AppletState.SECURE_A, vehicle.device.appletState());
  }

  @Test
  void exchangeWithoutKeysIs6985() {
    TestVehicle vehicle = paired();
    vehicle.selectApplet();
    vehicle.auth0(vehicle.newAuth0());
    assertEquals(StatusWord.CONDITIONS_NOT_SATISFIED, vehicle.sw(NO_KEYS_EXCHANGE));
    assertEquals(AppletState.SELECTED_A, vehicle.device.appletState());
  }

  @Test
  void mailboxesStartAsZerosAndAreReadInChainedPieces() {
    TestVehicle vehicle = inTransaction();
    ResponseApdu first =
        vehicle.exchange(new ExchangeOperation.ReadMailbox(0x00, 0, 1024).encode());
    assertEquals(0x61F8, first.sw());
    byte[] all = vehicle.exchangeAll(new ExchangeOperation.ReadMailbox(0x00, 0, 1024).encode());
    assertArrayEquals(new byte[1024], all);
    byte[] confidential =
        vehicle.exchangeAll(new ExchangeOperation.ReadMailbox(0x01, 0, 256).encode());
    assertArrayEquals(new byte[256], confidential);
  }

  @Test
  void aWrittenMailboxReadsBackInLaterTransactions() {
    TestVehicle vehicle = inTransaction();
    byte[] data = Hex.decode("0102030405");
    ResponseApdu written =
        vehicle.exchange(new ExchangeOperation.WriteMailbox(0x01, 250, data).encode());
    expect(StatusWord.SUCCESS, written);
    assertEquals(0, written.data().length);
    vehicle.controlFlow(0x01, 0x00);
    vehicle.nfcReset();
    vehicle.startTransaction();
    byte[] read = vehicle.exchangeAll(new ExchangeOperation.ReadMailbox(0x01, 248, 8).encode());
    assertEquals("0000010203040500", Hex.encode(read));
    byte[] other = vehicle.exchangeAll(new ExchangeOperation.ReadMailbox(0x00, 250, 5).encode());
    assertArrayEquals(new byte[5], other);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        // read past the confidential mailbox (256 bytes)
        "E10B800101810200FF82020002",
        // read of length 0
        "E10B800100810200008202 0000",
        // read of 1025 bytes
        "E10B800100810200008202 0401",
        // unknown mailbox
        "E10B800102810200008202 0001",
        // write past the private mailbox (1024 bytes)
        "E20B800100810203FF83020102",
        // write without data
        "E209800100810200008300",
        // unknown operation
        "E400",
        // E3 with a value
        "E30100",
        // two operations
        "E300E300"
      })
  void badExchangeOperationsAre6A80AndDropTheKeys(String operation) {
    TestVehicle vehicle = inTransaction();
    expect(StatusWord.INCORRECT_DATA, vehicle.exchange(Hex.decode(operation.replace(" ", ""))));
    assertEquals(AppletState.SELECTED_A, vehicle.device.appletState());
    assertEquals(StatusWord.CONDITIONS_NOT_SATISFIED, vehicle.sw(NO_KEYS_EXCHANGE));
  }

  @Test
  void aWriteOf201BytesIs6A80() {
    TestVehicle vehicle = inTransaction();
    String operation = "E2D1800100810200008381C9" + "00".repeat(201);
    expect(StatusWord.INCORRECT_DATA, vehicle.exchange(Hex.decode(operation)));
  }

  @Test
  void receiptRequestWithoutReceiptIs6A88() {
    TestVehicle vehicle = inTransaction();
    expect(StatusWord.REFERENCED_DATA, vehicle.exchange(Hex.decode("E300")));
  }

  @Test
  void getResponseWithoutAChainIs6985() {
    TestVehicle vehicle = inTransaction();
    expect(StatusWord.CONDITIONS_NOT_SATISFIED, vehicle.appletGetResponse());
    assertEquals(AppletState.SELECTED_A, vehicle.device.appletState());
  }

  @Test
  void aBadCMacIs6982() {
    TestVehicle vehicle = inTransaction();
    byte[] command = vehicle.applet.protectCommand(0xC9, 0, 0, Hex.decode("E300")).bytes();
    command[command.length - 2] ^= 0x01;
    expect(StatusWord.SECURITY_STATUS, vehicle.send(command));
    assertEquals(AppletState.SELECTED_A, vehicle.device.appletState());
  }

  @Test
  void exchangeWithOtherP1P2Is6B00() {
    TestVehicle vehicle = inTransaction();
    expect(
        StatusWord.WRONG_P1P2,
        vehicle.send(vehicle.applet.protectCommand(0xC9, 0x01, 0x00, Hex.decode("E300"))));
  }

  @ParameterizedTest
  @ValueSource(ints = {0x02, 0x10, 0x41, 0x80, 0xFF})
  void controlFlowWithAnotherP1Is6B00(int p1) {
    TestVehicle vehicle = inTransaction();
    expect(StatusWord.WRONG_P1P2, vehicle.controlFlow(p1, 0x00));
    assertEquals(AppletState.SELECTED_A, vehicle.device.appletState());
  }

  @Test
  void controlFlowFailureStoresTheCodeAndDropsTheKeys() {
    TestVehicle vehicle = inTransaction();
    expect(StatusWord.SUCCESS, vehicle.controlFlow(0x00, 0x0B));
    assertEquals(0x0B, vehicle.device.lastAppletAbort().orElseThrow());
    assertEquals(AppletState.SELECTED_A, vehicle.device.appletState());
    assertEquals(DkState.CREATED, vehicle.device.digitalKeys().get(0).state());
    assertEquals(StatusWord.CONDITIONS_NOT_SATISFIED, vehicle.sw(NO_KEYS_EXCHANGE));
  }

  @Test
  void controlFlowApplicationSpecificStoresTheCode() {
    TestVehicle vehicle = inTransaction();
    expect(StatusWord.SUCCESS, vehicle.controlFlow(0x40, 0x12));
    assertEquals(0x12, vehicle.device.lastAppletApplicationCode().orElseThrow());
    assertEquals(DkState.CREATED, vehicle.device.digitalKeys().get(0).state());
  }

  @Test
  void controlFlowSuccessOutsideSecureADoesNotActivate() {
    TestVehicle vehicle = paired();
    vehicle.selectApplet();
    expect(StatusWord.SUCCESS, vehicle.controlFlow(0x01, 0x00));
    vehicle.auth0(vehicle.newAuth0());
    expect(StatusWord.SUCCESS, vehicle.controlFlow(0x01, 0x00));
    assertEquals(AppletState.SELECTED_A, vehicle.device.appletState());
    assertEquals(DkState.CREATED, vehicle.device.digitalKeys().get(0).state());
  }

  @Test
  void controlFlowSuccessInSecureAActivatesTheKey() {
    TestVehicle vehicle = inTransaction();
    expect(StatusWord.SUCCESS, vehicle.controlFlow(0x01, 0x00));
    assertEquals(DkState.ACTIVE, vehicle.device.digitalKeys().get(0).state());
    assertEquals(AppletState.SELECTED_A, vehicle.device.appletState());
  }

  @Test
  void deactivationDropsTheKeysAndGoesIdle() {
    TestVehicle vehicle = inTransaction();
    vehicle.nfcReset();
    assertEquals(AppletState.IDLE, vehicle.device.appletState());
    vehicle.selectApplet();
    assertEquals(StatusWord.CONDITIONS_NOT_SATISFIED, vehicle.sw(NO_KEYS_EXCHANGE));
  }

  @Test
  void selectAppletAgainDropsTheKeys() {
    TestVehicle vehicle = inTransaction();
    expect(StatusWord.SUCCESS, vehicle.selectApplet());
    assertEquals(AppletState.SELECTED_A, vehicle.device.appletState());
    assertEquals(StatusWord.CONDITIONS_NOT_SATISFIED, vehicle.sw(NO_KEYS_EXCHANGE));
  }

  @Test
  void selectingTheFrameworkDeselectsTheApplet() {
    TestVehicle vehicle = inTransaction();
    expect(StatusWord.SUCCESS, vehicle.selectFramework());
    assertEquals(AppletState.IDLE, vehicle.device.appletState());
    assertEquals(FrameworkState.SELECTED, vehicle.device.frameworkState());
    assertEquals(StatusWord.INS_NOT_SUPPORTED, vehicle.sw(NO_KEYS_EXCHANGE));
  }

  @Test
  void selectingAnUnknownAidDeselectsTheApplet() {
    TestVehicle vehicle = inTransaction();
    assertEquals(StatusWord.NOT_FOUND, vehicle.sw("00A4040005A00000000100"));
    assertEquals(AppletState.IDLE, vehicle.device.appletState());
    assertEquals(StatusWord.CONDITIONS_NOT_SATISFIED, vehicle.sw("803C0100"));
  }

  @Test
  void frameworkCommandsAreUnknownToTheApplet() {
    TestVehicle vehicle = paired();
    vehicle.selectApplet();
    byte[] request = Vectors.transcript().get(1).command();
    assertEquals(StatusWord.INS_NOT_SUPPORTED, vehicle.sw(request));
    assertEquals(StatusWord.INS_NOT_SUPPORTED, vehicle.sw(Arrays.copyOf(request, 4)));
  }
}
