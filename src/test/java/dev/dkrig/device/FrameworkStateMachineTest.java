package dev.dkrig.device;

import static dev.dkrig.device.TestVehicle.expect;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dkrig.ccc.DkProfile;
import dev.dkrig.ccc.Ins;
import dev.dkrig.ccc.StatusWord;
import dev.dkrig.ccc.fw.KeyCreationStatus;
import dev.dkrig.ccc.fw.SelectFrameworkResponse;
import dev.dkrig.ccc.fw.Spake2Messages;
import dev.dkrig.ccc.fw.Spake2Request;
import dev.dkrig.ccc.kcd.KeyCreationStream;
import dev.dkrig.ccc.pki.TrustAnchor;
import dev.dkrig.ccc.spake2.ScryptParameters;
import dev.dkrig.iso7816.Bytes;
import dev.dkrig.iso7816.Hex;
import dev.dkrig.iso7816.ResponseApdu;
import dev.dkrig.random.SecureDraws;
import dev.dkrig.random.TestModeDraws;
import dev.dkrig.testing.Vectors;
import dev.dkrig.time.FixedClock;
import dev.dkrig.time.VirtualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every row of the framework table of §3.6, with §6.5, §7.7, §8.1–8.2, §10.1 and §18. */
class FrameworkStateMachineTest {
  private static final String T1_REQUEST =
      "80300000315B0201015C04010101007F5020C010000102030405060708090A0B0C0D0E0F"
          + "C10400001000C2020008C3020001D602000100";

  private static TestVehicle vehicle() {
    return TestVehicle.withT1Device();
  }

  private static TestVehicle vehicle(DeviceSettings settings) {
    return new TestVehicle(
        new VirtualDevice(
            settings,
            new TestModeDraws(),
            new FixedClock(T1Material.DEVICE_CLOCK),
            new FixedClock(T1Material.KTS_CLOCK)));
  }

  @Test
  void answersVersionsAndReadyWithAPassword() {
    ResponseApdu response = vehicle().selectFramework();
    expect(StatusWord.SUCCESS, response);
    assertEquals("5A04010101005C0401010100D40102", Hex.encode(response.data()));
  }

  @Test
  void noPasswordMeansD4NotReadyAndRequest9484() {
    TestVehicle vehicle = vehicle(DeviceSettings.t1().withPassword(null));
    SelectFrameworkResponse response =
        SelectFrameworkResponse.parse(vehicle.selectFramework().data());
    assertEquals(0x00, response.state());
    expect(StatusWord.NOT_READY, vehicle.request(TestVehicle.t1Request()));
    assertEquals(FrameworkState.SELECTED, vehicle.device.frameworkState());
  }

  @Test
  void inAnyStateButAwaitTx2ItResets() {
    TestVehicle vehicle = vehicle().toSecure();
    expect(StatusWord.SUCCESS, vehicle.selectFramework());
    assertEquals(FrameworkState.SELECTED, vehicle.device.frameworkState());
    expect(StatusWord.CONDITIONS_NOT_SATISFIED, vehicle.writeData(0x00, Bytes.of(1)));
  }

  @Test
  void fromAwaitTx2ItGoesToTx2KeepingKeysCounterAndMcv() {
    TestVehicle vehicle = vehicle().toAwaitTx2();
    expect(StatusWord.SUCCESS, vehicle.selectFramework());
    assertEquals(FrameworkState.TX2, vehicle.device.frameworkState());
    vehicle.readKey();
    assertEquals(Vectors.text("DK_identifier"), Hex.encode(vehicle.dkIdentifier));
  }

  @Test
  void requestInAnySelectedStateResetsFirst() {
    TestVehicle vehicle = vehicle().toSecure();
    expect(StatusWord.SUCCESS, vehicle.request(TestVehicle.t1Request()));
    assertEquals(FrameworkState.REQUESTED, vehicle.device.frameworkState());
    expect(StatusWord.CONDITIONS_NOT_SATISFIED, vehicle.writeData(0x00, Bytes.of(1)));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        // truncated TLV
        "80300000035B020100",
        // unknown extra tag
        "80300000345B0201015C04010101007F5020C010000102030405060708090A0B0C0D0E0F"
            + "C10400001000C2020008C3020001D6020001D7010000",
        // missing D6
        "803000002D5B0201015C04010101007F5020C010000102030405060708090A0B0C0D0E0F"
            + "C10400001000C2020008C302000100",
        // 5B not in the device's 5A
        "80300000315B0202005C04010101007F5020C010000102030405060708090A0B0C0D0E0F"
            + "C10400001000C2020008C3020001D602000100",
        // first 5C entry not in the device's 5C
        "80300000315B0201015C04020001007F5020C010000102030405060708090A0B0C0D0E0F"
            + "C10400001000C2020008C3020001D602000100",
        // 5C of odd length
        "80300000305B0201015C030101017F5020C010000102030405060708090A0B0C0D0E0F"
            + "C10400001000C2020008C3020001D602000100",
        // zero N
        "80300000315B0201015C04010101007F5020C010000102030405060708090A0B0C0D0E0F"
            + "C10400000000C2020008C3020001D602000100",
        // N not a power of two
        "80300000315B0201015C04010101007F5020C010000102030405060708090A0B0C0D0E0F"
            + "C10400001001C2020008C3020001D602000100",
        // zero r
        "80300000315B0201015C04010101007F5020C010000102030405060708090A0B0C0D0E0F"
            + "C10400001000C2020000C3020001D602000100"
      })
  void everyRequestDataErrorIs6A88(String request) {
    TestVehicle vehicle = vehicle();
    vehicle.selectFramework();
    assertEquals(StatusWord.REFERENCED_DATA, vehicle.sw(request));
    assertEquals(FrameworkState.SELECTED, vehicle.device.frameworkState());
  }

  @Test
  void theT1RequestIsAccepted() {
    TestVehicle vehicle = vehicle();
    vehicle.selectFramework();
    assertEquals(StatusWord.SUCCESS, vehicle.sw(T1_REQUEST));
    assertEquals(FrameworkState.REQUESTED, vehicle.device.frameworkState());
  }

  @Test
  void scryptMemoryAbove512MibIs6A88() {
    // §18.11: 128·8·2^18·(1+2) = 768 MiB.
    ScryptParameters expensive =
        new ScryptParameters(Hex.decode(T1Material.SCRYPT_SALT), 1L << 18, 8, 1);
    TestVehicle vehicle = vehicle();
    vehicle.selectFramework();
    Spake2Request request =
        new Spake2Request(0x0101, List.of(0x0101), expensive, Hex.decode(T1Material.BRAND));
    expect(StatusWord.REFERENCED_DATA, vehicle.request(request));
  }

  @Test
  void scryptParametersScryptItselfRefusesAre6A88() {
    // RFC 7914 requires N < 2^(128·r/8): with r = 1, N = 2^16 is refused although it is small.
    ScryptParameters refused =
        new ScryptParameters(Hex.decode(T1Material.SCRYPT_SALT), 1L << 16, 1, 1);
    TestVehicle vehicle = vehicle();
    vehicle.selectFramework();
    expect(
        StatusWord.REFERENCED_DATA,
        vehicle.request(
            new Spake2Request(0x0101, List.of(0x0101), refused, Hex.decode(T1Material.BRAND))));
  }

  @Test
  void verifyOutsideRequestedIs6985() {
    TestVehicle vehicle = vehicle();
    vehicle.selectFramework();
    assertEquals(
        StatusWord.CONDITIONS_NOT_SATISFIED, vehicle.sw(Vectors.transcript().get(2).command()));
  }

  @Test
  void wrongM1Is6A88ThenReset() {
    TestVehicle vehicle = vehicle();
    vehicle.selectFramework();
    vehicle.request(TestVehicle.t1Request());
    byte[] verify = Vectors.transcript().get(2).command();
    byte[] wrong = verify.clone();
    wrong[wrong.length - 2] ^= 0x01;
    assertEquals(StatusWord.REFERENCED_DATA, vehicle.sw(Hex.encode(wrong)));
    assertEquals(FrameworkState.SELECTED, vehicle.device.frameworkState());
    assertEquals(StatusWord.CONDITIONS_NOT_SATISFIED, vehicle.sw(Hex.encode(verify)));
  }

  @Test
  void invalidYIs6A88() {
    TestVehicle vehicle = vehicle();
    vehicle.selectFramework();
    ResponseApdu response = vehicle.request(TestVehicle.t1Request());
    byte[] ownShare = Spake2Messages.parseRequestResponse(response.data());
    assertEquals(
        StatusWord.REFERENCED_DATA, vehicle.sw(Spake2Messages.verify(ownShare, new byte[16])));
    assertEquals(FrameworkState.SELECTED, vehicle.device.frameworkState());
  }

  @Test
  void malformedVerifyDataIs6A88() {
    TestVehicle vehicle = vehicle();
    vehicle.selectFramework();
    vehicle.request(TestVehicle.t1Request());
    assertEquals(StatusWord.REFERENCED_DATA, vehicle.sw("8032000003570100"));
  }

  @ParameterizedTest
  @ValueSource(ints = {0x4000, 0x8100, 0x0001, 0x0100})
  void p1OutsideZeroAndEightyOrNonZeroP2Is6B00(int p1p2) {
    TestVehicle vehicle = vehicle().toSecure();
    ResponseApdu response =
        vehicle.send(
            vehicle.framework.protectCommand(Ins.WRITE_DATA, p1p2 >>> 8, p1p2 & 0xFF, Bytes.of(1)));
    expect(StatusWord.WRONG_P1P2, response);
    assertEquals(FrameworkState.SELECTED, vehicle.device.frameworkState());
  }

  @Test
  void afterTheEndMarkerIs6985() {
    TestVehicle vehicle = vehicle().toDataDone();
    expect(StatusWord.CONDITIONS_NOT_SATISFIED, vehicle.writeData(0x00, Bytes.of(1)));
    assertEquals(FrameworkState.SELECTED, vehicle.device.frameworkState());
  }

  @ParameterizedTest(name = "capacity {0}")
  @ValueSource(ints = {DkProfile.MIN_ACCEPTED_STREAM, 6000, DkProfile.MAX_STREAM_CAPACITY})
  void section18_22AStreamUpToTheCapacityIsAcceptedAndTheCrossingPieceIs6A84(int capacity) {
    TestVehicle vehicle = vehicle(DeviceSettings.t1().withStreamCapacity(capacity)).toSecure();
    writeUpTo(vehicle, capacity);
    expect(StatusWord.NOT_ENOUGH_MEMORY, vehicle.writeData(0x00, Bytes.of(0)));
    assertEquals(FrameworkState.SELECTED, vehicle.device.frameworkState());
  }

  @Test
  void section18_22TheDefaultCapacityIs8192() {
    assertEquals(DkProfile.MAX_STREAM_CAPACITY, DeviceSettings.t1().streamCapacity());
    TestVehicle vehicle = vehicle().toSecure();
    writeUpTo(vehicle, DkProfile.MAX_STREAM_CAPACITY);
    expect(StatusWord.NOT_ENOUGH_MEMORY, vehicle.writeData(0x00, Bytes.of(0)));
  }

  @Test
  void section18_22NothingOfTheCrossingPieceIsAppended() {
    // With the session kept after the error, the stream shows what the refused piece left behind.
    TestVehicle vehicle =
        vehicle(
                DeviceSettings.t1()
                    .withStreamCapacity(DkProfile.MIN_ACCEPTED_STREAM)
                    .withQuirks(java.util.Set.of(DeviceQuirk.KEEP_KEYS_AFTER_ERROR)))
            .toSecure();
    writeUpTo(vehicle, DkProfile.MIN_ACCEPTED_STREAM - 1);
    expect(StatusWord.NOT_ENOUGH_MEMORY, vehicle.writeData(0x00, new byte[2]));
    expect(StatusWord.SUCCESS, vehicle.writeData(0x00, Bytes.of(0)));
    expect(StatusWord.NOT_ENOUGH_MEMORY, vehicle.writeData(0x00, Bytes.of(0)));
  }

  @ParameterizedTest(name = "capacity {0}")
  @ValueSource(ints = {0, DkProfile.MIN_ACCEPTED_STREAM - 1, DkProfile.MAX_STREAM_CAPACITY + 1})
  void section18_22ACapacityOutside4096To8192IsRefused(int capacity) {
    IllegalArgumentException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class, () -> DeviceSettings.t1().withStreamCapacity(capacity));
    assertTrue(e.getMessage().contains("4096..8192"), e.getMessage());
  }

  /** WRITE DATA pieces of at most 239 bytes with P1 = 00 until the stream holds {@code bytes}. */
  private static void writeUpTo(TestVehicle vehicle, int bytes) {
    int written = 0;
    while (written < bytes) {
      int length = Math.min(DkProfile.WRITE_DATA_PIECE, bytes - written);
      expect(StatusWord.SUCCESS, vehicle.writeData(0x00, new byte[length]));
      written += length;
    }
  }

  @Test
  void aMalformedStreamIs6A80AndResets() {
    TestVehicle vehicle = vehicle().toSecure();
    byte[] stream = TestVehicle.t1Stream();
    byte[] withoutEnd = Arrays.copyOf(stream, stream.length - 3);
    List<byte[]> pieces = KeyCreationStream.chunks(withoutEnd);
    for (int i = 0; i < pieces.size() - 1; i++) {
      expect(StatusWord.SUCCESS, vehicle.writeData(0x00, pieces.get(i)));
    }
    expect(StatusWord.INCORRECT_DATA, vehicle.writeData(0x80, pieces.get(pieces.size() - 1)));
    assertEquals(FrameworkState.SELECTED, vehicle.device.frameworkState());
  }

  @Test
  void creationDataForAnotherAppletVersionIs6A80() {
    TestVehicle vehicle = vehicle();
    vehicle.selectFramework();
    // The agreed version is the first 5C entry: 0100, while T1's 7F4A says 0101.
    vehicle.request(
        new Spake2Request(
            0x0101, List.of(0x0100, 0x0101), TestVehicle.T1_SCRYPT, Hex.decode(T1Material.BRAND)));
    expect(StatusWord.SUCCESS, vehicle.verify());
    List<byte[]> pieces = KeyCreationStream.chunks(TestVehicle.t1Stream());
    vehicle.writeData(0x00, pieces.get(0));
    vehicle.writeData(0x00, pieces.get(1));
    expect(StatusWord.INCORRECT_DATA, vehicle.writeData(0x80, pieces.get(2)));
  }

  @Test
  void vehicleCertificateOutsideTheTrustAnchorIs6A80() {
    DeviceSettings otherAnchor =
        DeviceSettings.t1().withVehicleOemCa(TrustAnchor.of(T1Material.deviceOemCaCertificate()));
    TestVehicle vehicle = vehicle(otherAnchor).toSecure();
    List<byte[]> pieces = KeyCreationStream.chunks(TestVehicle.t1Stream());
    vehicle.writeData(0x00, pieces.get(0));
    vehicle.writeData(0x00, pieces.get(1));
    expect(StatusWord.INCORRECT_DATA, vehicle.writeData(0x80, pieces.get(2)));
  }

  @Test
  void anExpiredVehicleCertificateIs6A80UnlessValidityChecksAreOff() {
    FixedClock late = new FixedClock(Instant.parse("2047-01-01T00:00:00Z"));
    TestVehicle checking =
        new TestVehicle(new VirtualDevice(DeviceSettings.t1(), new TestModeDraws(), late, late))
            .toSecure();
    List<byte[]> pieces = KeyCreationStream.chunks(TestVehicle.t1Stream());
    checking.writeData(0x00, pieces.get(0));
    checking.writeData(0x00, pieces.get(1));
    expect(StatusWord.INCORRECT_DATA, checking.writeData(0x80, pieces.get(2)));

    DeviceSettings lenient = DeviceSettings.t1().withCertificateValidityCheck(false);
    TestVehicle notChecking =
        new TestVehicle(new VirtualDevice(lenient, new TestModeDraws(), late, late));
    notChecking.toDataDone();
    assertEquals(FrameworkState.DATA_DONE, notChecking.device.frameworkState());
  }

  @Test
  void aBadCMacIs6982AndTheOldKeysAreRefusedAfterwards() {
    TestVehicle vehicle = vehicle().toSecure();
    byte[] command =
        vehicle.framework.protectCommand(Ins.WRITE_DATA, 0x00, 0x00, Bytes.of(1)).bytes();
    command[command.length - 2] ^= 0x01;
    expect(StatusWord.SECURITY_STATUS, vehicle.send(command));
    assertEquals(FrameworkState.SELECTED, vehicle.device.frameworkState());
    expect(StatusWord.CONDITIONS_NOT_SATISFIED, vehicle.writeData(0x00, Bytes.of(1)));
  }

  @Test
  void createInSecureIs6A80() {
    TestVehicle vehicle = vehicle().toSecure();
    expect(StatusWord.INCORRECT_DATA, vehicle.opControlFlow(DkProfile.OP_FLOW_CREATE));
    assertEquals(FrameworkState.SELECTED, vehicle.device.frameworkState());
  }

  @Test
  void createElsewhereIs6985() {
    TestVehicle vehicle = vehicle();
    vehicle.selectFramework();
    expect(StatusWord.CONDITIONS_NOT_SATISFIED, vehicle.opControlFlow(DkProfile.OP_FLOW_CREATE));
    TestVehicle inTx2 = vehicle().toTx2();
    expect(StatusWord.CONDITIONS_NOT_SATISFIED, inTx2.opControlFlow(DkProfile.OP_FLOW_CREATE));
    assertEquals(FrameworkState.SELECTED, inTx2.device.frameworkState());
  }

  @Test
  void createInDataDoneMakesTheKeyAndAwaitsTransaction2() {
    TestVehicle vehicle = vehicle().toDataDone();
    expect(StatusWord.SUCCESS, vehicle.opControlFlow(DkProfile.OP_FLOW_CREATE));
    assertEquals(FrameworkState.AWAIT_TX2, vehicle.device.frameworkState());
    assertTrue(vehicle.device.digitalKeys().isEmpty(), "not committed before 11 11");
  }

  @ParameterizedTest
  @ValueSource(ints = {0x1002, 0x1003, 0x100F, 0x1110})
  void acceptedUnusedPairsAre9000WithoutEffect(int p1p2) {
    TestVehicle vehicle = vehicle().toDataDone();
    expect(StatusWord.SUCCESS, vehicle.opControlFlow(p1p2));
    assertEquals(FrameworkState.DATA_DONE, vehicle.device.frameworkState());
    expect(StatusWord.SUCCESS, vehicle.opControlFlow(DkProfile.OP_FLOW_CREATE));
  }

  @ParameterizedTest
  @ValueSource(ints = {0x1000, 0x1004, 0x1101, 0x1112, 0x1300, 0x0000, 0x8000})
  void otherPairsAre6B00AndReset(int p1p2) {
    TestVehicle vehicle = vehicle().toDataDone();
    expect(StatusWord.WRONG_P1P2, vehicle.opControlFlow(p1p2));
    assertEquals(FrameworkState.SELECTED, vehicle.device.frameworkState());
  }

  @ParameterizedTest
  @EnumSource(
      value = FrameworkState.class,
      names = {"IDLE"},
      mode = EnumSource.Mode.EXCLUDE)
  void abortInAnySelectedStateStoresTheReasonAndResets(FrameworkState state) {
    TestVehicle vehicle = inState(state);
    assertEquals(state, vehicle.device.frameworkState());
    expect(StatusWord.SUCCESS, vehicle.opControlFlow(0x1207));
    assertEquals(FrameworkState.SELECTED, vehicle.device.frameworkState());
    assertEquals(0x07, vehicle.device.lastFrameworkAbort().orElseThrow());
    assertTrue(vehicle.device.digitalKeys().isEmpty());
    expect(StatusWord.CONDITIONS_NOT_SATISFIED, vehicle.opControlFlow(DkProfile.OP_FLOW_END));
  }

  @Test
  void endOutsideAttestedIs6985() {
    TestVehicle vehicle = vehicle().toTx2();
    expect(StatusWord.CONDITIONS_NOT_SATISFIED, vehicle.opControlFlow(DkProfile.OP_FLOW_END));
    assertEquals(FrameworkState.SELECTED, vehicle.device.frameworkState());
  }

  @Test
  void endCommitsTheKeyAndDropsTheKeys() {
    TestVehicle vehicle = vehicle().toAttested();
    expect(StatusWord.SUCCESS, vehicle.opControlFlow(DkProfile.OP_FLOW_END));
    assertEquals(FrameworkState.SELECTED, vehicle.device.frameworkState());
    DigitalKeyView key = vehicle.device.digitalKeys().get(0);
    assertEquals(DkState.CREATED, key.state());
    assertEquals(Vectors.text("DK_identifier"), key.dkIdentifier().hex());
    assertEquals(T1Material.VEHICLE_IDENTIFIER, key.vehicleIdentifier());
    assertEquals(0x0000, key.sigBmp());
    expect(
        StatusWord.CONDITIONS_NOT_SATISFIED,
        vehicle.protectedCommand(Ins.GET_DATA, 0, 0, Bytes.u16(0x7F26)));
  }

  @Test
  void inAwaitTx2EverythingIsKept() {
    TestVehicle vehicle = vehicle().toAwaitTx2();
    vehicle.nfcReset();
    assertEquals(FrameworkState.AWAIT_TX2, vehicle.device.frameworkState());
    vehicle.selectFramework();
    vehicle.readKey();
  }

  @Test
  void elsewhereItResetsToIdle() {
    TestVehicle vehicle = vehicle().toSecure();
    vehicle.nfcReset();
    assertEquals(FrameworkState.IDLE, vehicle.device.frameworkState());
    vehicle.selectFramework();
    expect(StatusWord.CONDITIONS_NOT_SATISFIED, vehicle.writeData(0x00, Bytes.of(1)));
  }

  @Test
  void anUncommittedKeyDoesNotCountAsAStoredKey() {
    TestVehicle vehicle = vehicle().toAwaitTx2();
    vehicle.nfcReset();
    expect(StatusWord.NOT_FOUND, vehicle.selectApplet());
    assertEquals(FrameworkState.AWAIT_TX2, vehicle.device.frameworkState());
    expect(StatusWord.SUCCESS, vehicle.selectFramework());
    assertEquals(FrameworkState.TX2, vehicle.device.frameworkState());
    vehicle.readKey();
  }

  @Test
  void selectingAnUnknownAidDeactivatesTheFramework() {
    TestVehicle vehicle = vehicle().toSecure();
    assertEquals(StatusWord.NOT_FOUND, vehicle.sw("00A4040005A00000000100"));
    assertEquals(FrameworkState.IDLE, vehicle.device.frameworkState());
    expect(StatusWord.CONDITIONS_NOT_SATISFIED, vehicle.writeData(0x00, Bytes.of(1)));
  }

  @Test
  void selectingTheAppletInAwaitTx2KeepsTransaction2() {
    TestVehicle vehicle = vehicle().pair();
    vehicle.toAwaitTx2();
    expect(StatusWord.SUCCESS, vehicle.selectApplet());
    assertEquals(FrameworkState.AWAIT_TX2, vehicle.device.frameworkState());
    assertEquals(AppletState.SELECTED_A, vehicle.device.appletState());
    expect(StatusWord.SUCCESS, vehicle.selectFramework());
    assertEquals(AppletState.IDLE, vehicle.device.appletState());
    vehicle.readKey();
  }

  @Test
  void outsideTx2Is6985() {
    TestVehicle vehicle = vehicle().toSecure();
    expect(
        StatusWord.CONDITIONS_NOT_SATISFIED,
        vehicle.protectedCommand(Ins.GET_DATA, 0, 0, Bytes.u16(0x7F22)));
  }

  @Test
  void returnsTheObjectsOfSection82() {
    TestVehicle vehicle = vehicle().toTx2();
    assertEquals(
        "800100" + "8114" + Vectors.text("DK_identifier"),
        Hex.encode(vehicle.getData(DkProfile.TAG_KEY_CREATION_STATUS)));
    assertEquals(Vectors.text("cert.H_Endpoint"), Hex.encode(vehicle.getData(0x7F20)));
    assertEquals(Vectors.text("cert.E_InstanceCA"), Hex.encode(vehicle.getData(0x7F22)));
    assertEquals(Vectors.text("cert.F_DeviceOemCA"), Hex.encode(vehicle.getData(0x7F24)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"7F21", "5F5A", "7F", "7F2600"})
  void anUnknownTagIs6A88(String plaintext) {
    TestVehicle vehicle = vehicle().toTx2();
    expect(
        StatusWord.REFERENCED_DATA,
        vehicle.protectedCommand(Ins.GET_DATA, 0, 0, Hex.decode(plaintext)));
    assertEquals(FrameworkState.SELECTED, vehicle.device.frameworkState());
  }

  @Test
  void aKeyCreationDelayShowsStatus01UntilTheDeviceClockPassesIt() {
    VirtualClock clock = new VirtualClock(T1Material.DEVICE_CLOCK);
    DeviceSettings slow = DeviceSettings.t1().withDelays(Duration.ZERO, Duration.ofSeconds(3));
    TestVehicle vehicle =
        new TestVehicle(new VirtualDevice(slow, new TestModeDraws(), clock, clock)).toTx2();
    assertEquals(
        KeyCreationStatus.IN_PROGRESS,
        KeyCreationStatus.parse(vehicle.getData(DkProfile.TAG_KEY_CREATION_STATUS)).status());
    clock.advance(Duration.ofSeconds(3));
    vehicle.readKey();
    assertEquals(Vectors.text("DK_identifier"), Hex.encode(vehicle.dkIdentifier));
  }

  @Test
  void theEndpointCertificateBeforeCreationFinishedIs6985() {
    VirtualClock clock = new VirtualClock(T1Material.DEVICE_CLOCK);
    DeviceSettings slow = DeviceSettings.t1().withDelays(Duration.ZERO, Duration.ofSeconds(3));
    TestVehicle vehicle =
        new TestVehicle(new VirtualDevice(slow, new TestModeDraws(), clock, clock)).toTx2();
    expect(
        StatusWord.CONDITIONS_NOT_SATISFIED,
        vehicle.protectedCommand(Ins.GET_DATA, 0, 0, Bytes.u16(DkProfile.TAG_ENDPOINT_CERT)));
  }

  @Test
  void piecesOf239BytesAnnounceTheNextProtectedLength() {
    TestVehicle vehicle = vehicle().toTx2();
    ResponseApdu first = vehicle.protectedCommand(Ins.GET_DATA, 0, 0, Bytes.u16(0x7F20));
    assertEquals(0x61F8, first.sw());
    assertEquals(239, first.data().length);
    ResponseApdu second = vehicle.getResponse();
    assertEquals(0x6188, second.sw(), "113 bytes follow: 16·(7+1)+8 = 0x88");
    ResponseApdu third = vehicle.getResponse();
    assertEquals(StatusWord.SUCCESS, third.sw());
    assertEquals(113, third.data().length);
    expect(StatusWord.CONDITIONS_NOT_SATISFIED, vehicle.getResponse());
  }

  @Test
  void getResponseWithoutAChainIs6985() {
    TestVehicle vehicle = vehicle().toTx2();
    expect(StatusWord.CONDITIONS_NOT_SATISFIED, vehicle.getResponse());
    assertEquals(FrameworkState.SELECTED, vehicle.device.frameworkState());
  }

  @Test
  void anyOtherCommandDiscardsThePendingChain() {
    TestVehicle vehicle = vehicle().toTx2();
    assertEquals(0x61F8, vehicle.protectedCommand(Ins.GET_DATA, 0, 0, Bytes.u16(0x7F20)).sw());
    byte[] status = vehicle.getData(DkProfile.TAG_KEY_CREATION_STATUS);
    assertEquals(25, status.length);
    expect(StatusWord.CONDITIONS_NOT_SATISFIED, vehicle.getResponse());
  }

  @Test
  void aNewGetDataStartsANewChain() {
    TestVehicle vehicle = vehicle().toTx2();
    vehicle.protectedCommand(Ins.GET_DATA, 0, 0, Bytes.u16(0x7F20));
    byte[] e = vehicle.getData(0x7F22);
    assertEquals(Vectors.text("cert.E_InstanceCA"), Hex.encode(e));
  }

  @Test
  void aStreamWithout5F5AIs6A80() {
    TestVehicle vehicle = vehicle().toTx2();
    vehicle.readKey();
    expect(StatusWord.INCORRECT_DATA, vehicle.writeData(0x80, Hex.decode("5F5F00")));
    assertEquals(FrameworkState.SELECTED, vehicle.device.frameworkState());
  }

  @Test
  void aMalformed5F5AIs6A80() {
    TestVehicle vehicle = vehicle().toTx2();
    vehicle.readKey();
    byte[] stream = KeyCreationStream.encodeAttestationStream(new byte[165]);
    expect(StatusWord.INCORRECT_DATA, vehicle.writeData(0x80, stream));
  }

  @Test
  void theT1AttestationIsAcceptedInOnePiece() {
    TestVehicle vehicle = vehicle().toTx2();
    vehicle.readKey();
    byte[] stream = KeyCreationStream.encodeAttestationStream(Vectors.hex("att.5F5A_value"));
    assertEquals(173, stream.length);
    assertArrayEquals(stream, vehicle.attestationStream());
    expect(StatusWord.SUCCESS, vehicle.writeData(0x80, stream));
    assertEquals(FrameworkState.ATTESTED, vehicle.device.frameworkState());
  }

  @Test
  void transaction2AcceptsTheStreamInSeveralPieces() {
    TestVehicle vehicle = vehicle().toTx2();
    vehicle.readKey();
    byte[] stream = vehicle.attestationStream();
    expect(StatusWord.SUCCESS, vehicle.writeData(0x00, Arrays.copyOf(stream, 100)));
    expect(
        StatusWord.SUCCESS,
        vehicle.writeData(0x80, Arrays.copyOfRange(stream, 100, stream.length)));
    assertEquals(FrameworkState.ATTESTED, vehicle.device.frameworkState());
  }

  @Test
  void aNewPairingForTheSameVehicleReplacesTheEarlierKey() {
    TestVehicle vehicle =
        new TestVehicle(
            new VirtualDevice(
                DeviceSettings.t1(),
                SecureDraws.seeded(7),
                new FixedClock(T1Material.DEVICE_CLOCK),
                new FixedClock(T1Material.KTS_CLOCK)));
    vehicle.pair();
    String first = vehicle.device.digitalKeys().get(0).dkIdentifier().hex();
    vehicle.pair();
    List<DigitalKeyView> keys = vehicle.device.digitalKeys();
    assertEquals(1, keys.size());
    assertEquals(Hex.encode(vehicle.dkIdentifier), keys.get(0).dkIdentifier().hex());
    assertTrue(!first.equals(keys.get(0).dkIdentifier().hex()));
  }

  /** Drives a fresh T1 device into a framework state (selected). */
  static TestVehicle inState(FrameworkState state) {
    TestVehicle vehicle = TestVehicle.withT1Device();
    switch (state) {
      case SELECTED -> vehicle.selectFramework();
      case REQUESTED -> {
        vehicle.selectFramework();
        vehicle.request(TestVehicle.t1Request());
      }
      case SECURE -> vehicle.toSecure();
      case DATA_DONE -> vehicle.toDataDone();
      case AWAIT_TX2 -> vehicle.toAwaitTx2();
      case TX2 -> vehicle.toTx2();
      case ATTESTED -> vehicle.toAttested();
      case IDLE -> {
        // not selected: nothing to do
      }
    }
    return vehicle;
  }
}
