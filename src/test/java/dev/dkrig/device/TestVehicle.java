package dev.dkrig.device;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dkrig.ccc.DkProfile;
import dev.dkrig.ccc.EcKeyPair;
import dev.dkrig.ccc.Ins;
import dev.dkrig.ccc.P256;
import dev.dkrig.ccc.StatusWord;
import dev.dkrig.ccc.attestation.VehicleAttestation;
import dev.dkrig.ccc.dka.Auth0Command;
import dev.dkrig.ccc.dka.Auth1Command;
import dev.dkrig.ccc.dka.Auth1ResponsePlaintext;
import dev.dkrig.ccc.fw.FrameworkCommands;
import dev.dkrig.ccc.fw.KeyCreationStatus;
import dev.dkrig.ccc.fw.Spake2Request;
import dev.dkrig.ccc.kcd.KeyCreationStream;
import dev.dkrig.ccc.pki.CccCertificate;
import dev.dkrig.ccc.sm.SecureChannel;
import dev.dkrig.ccc.spake2.ScryptParameters;
import dev.dkrig.ccc.spake2.VehicleSpake2;
import dev.dkrig.ccc.spake2.Verifier;
import dev.dkrig.iso7816.CommandApdu;
import dev.dkrig.iso7816.Hex;
import dev.dkrig.iso7816.ResponseApdu;
import dev.dkrig.pairing.protocol.Selected;
import dev.dkrig.pairing.protocol.Spake2Pending;
import dev.dkrig.pairing.protocol.StepFailure;
import dev.dkrig.pairing.protocol.TransactionPending;
import dev.dkrig.pairing.protocol.TransactionResult;
import dev.dkrig.pairing.protocol.VehicleSession;
import dev.dkrig.random.Draws;
import dev.dkrig.random.SecureDraws;
import dev.dkrig.random.TestModeDraws;
import dev.dkrig.testing.Vectors;
import java.math.BigInteger;
import java.util.List;

/**
 * A minimal vehicle for the device's tests on the protocol kernel ({@link VehicleSession}): it
 * drives the virtual device into any state of §3.6 and then lets a test send arbitrary commands,
 * protected under its own copy of the session keys. The kernel's exchanges check what a conforming
 * vehicle checks; where a test wants the device's raw answer (a refusal it expects), the kernel's
 * refusal hands the answer back instead of failing.
 */
final class TestVehicle {
  static final ScryptParameters T1_SCRYPT =
      new ScryptParameters(
          Hex.decode(T1Material.SCRYPT_SALT),
          T1Material.SCRYPT_N,
          T1Material.SCRYPT_R,
          T1Material.SCRYPT_P);
  static final Verifier T1_VERIFIER = Verifier.provision(T1Material.PASSWORD, T1_SCRYPT);
  static final EcKeyPair VEHICLE_KEY = T1Material.key(T1Material.KEY_VEHICLE);
  static final long ATTESTATION_TIME = T1Material.VEHICLE_CLOCK.getEpochSecond();

  final VirtualDevice device;
  private final Draws draws = SecureDraws.seeded(42);
  private final VehicleSession kernel = new VehicleSession(this::send);
  private ResponseApdu lastAnswer;
  private Spake2Pending spake2;
  SecureChannel framework;
  SecureChannel applet;
  byte[] dkIdentifier;
  byte[] endpointPublicKey;
  private Auth0Command auth0;
  private TransactionPending transaction;
  private EcKeyPair ephemeral;

  TestVehicle(VirtualDevice device) {
    this.device = device;
    device.activate();
  }

  /** A T1 device (test-mode draws, §18.2 clocks), activated. */
  static TestVehicle withT1Device() {
    return new TestVehicle(VirtualDeviceT1Test.t1Device());
  }

  // ---- raw APDUs ----

  ResponseApdu send(CommandApdu command) {
    return send(command.bytes());
  }

  ResponseApdu send(byte[] command) {
    lastAnswer = ResponseApdu.parse(device.process(command));
    return lastAnswer;
  }

  /**
   * A kernel exchange whose refusal (a status word other than 9000) is the device's answer for the
   * test to judge; any other failure of the kernel's checks fails the test.
   */
  private ResponseApdu answer(Runnable exchange) {
    try {
      exchange.run();
    } catch (StepFailure failure) {
      if (failure.sw().isEmpty() || failure.sw().getAsInt() == StatusWord.SUCCESS) {
        throw failure;
      }
    }
    return lastAnswer;
  }

  ResponseApdu send(String hex) {
    return send(Hex.decode(hex));
  }

  int sw(String hex) {
    return send(hex).sw();
  }

  int sw(byte[] command) {
    return send(command).sw();
  }

  int sw(CommandApdu command) {
    return send(command).sw();
  }

  void nfcReset() {
    device.deactivate();
    device.activate();
    kernel.selected(Selected.NONE);
  }

  // ---- framework ----

  ResponseApdu selectFramework() {
    ResponseApdu response = send(FrameworkCommands.selectFramework());
    if (response.isSuccess()) {
      kernel.selected(Selected.FRAMEWORK);
    }
    return response;
  }

  static Spake2Request t1Request() {
    return new Spake2Request(
        0x0101, List.of(0x0101, 0x0100), T1_SCRYPT, Hex.decode(T1Material.BRAND));
  }

  /** SPAKE2+ REQUEST with T1's vehicle scalar y; on 9000 with a valid X, M1 is ready. */
  ResponseApdu request(Spake2Request request) {
    VehicleSpake2 spake =
        VehicleSpake2.withScalar(
            T1_VERIFIER, new BigInteger(1, Hex.decode(TestModeDraws.SPAKE2_Y)));
    return answer(() -> spake2 = kernel.request(request, T1_VERIFIER, spake));
  }

  /** VERIFY with a correct M1; on success the vehicle's framework channel is open. */
  ResponseApdu verify() {
    ResponseApdu response = answer(() -> kernel.verify(spake2));
    if (response.isSuccess()) {
      framework = kernel.frameworkChannel();
    }
    return response;
  }

  /** SELECTED → REQUESTED → SECURE. */
  TestVehicle toSecure() {
    expect(StatusWord.SUCCESS, selectFramework());
    expect(StatusWord.SUCCESS, request(t1Request()));
    expect(StatusWord.SUCCESS, verify());
    return this;
  }

  /** One protected WRITE DATA; the R-MAC is checked when the answer is 9000. */
  ResponseApdu writeData(int p1, byte[] plaintext) {
    return protectedCommand(Ins.WRITE_DATA, p1, 0x00, plaintext);
  }

  /** A protected framework command; a 9000/61XX answer is unprotected in place. */
  ResponseApdu protectedCommand(int ins, int p1, int p2, byte[] plaintext) {
    return sendProtected(framework, ins, p1, p2, plaintext);
  }

  /** One protected command from the kernel's pieces, no GET RESPONSE: a test reads each piece. */
  private ResponseApdu sendProtected(
      SecureChannel channel, int ins, int p1, int p2, byte[] plaintext) {
    String what = "INS " + Hex.u8(ins);
    ResponseApdu response = send(VehicleSession.protect(channel, ins, p1, p2, plaintext, what));
    if (response.isSuccess() || response.isMoreData()) {
      return ResponseApdu.of(VehicleSession.unprotect(channel, response, what), response.sw());
    }
    return response;
  }

  /** The kernel's WRITE DATA stream (P2.4, P2.7): every piece 9000 with a valid R-MAC. */
  void writeStream(byte[] stream) {
    kernel.writeStream(KeyCreationStream.chunks(stream));
  }

  static byte[] t1Stream() {
    return Vectors.hex("kcd.stream");
  }

  TestVehicle toDataDone() {
    toSecure();
    writeStream(t1Stream());
    return this;
  }

  ResponseApdu opControlFlow(int p1p2) {
    return send(FrameworkCommands.opControlFlow(p1p2));
  }

  TestVehicle toAwaitTx2() {
    toDataDone();
    expect(StatusWord.SUCCESS, opControlFlow(DkProfile.OP_FLOW_CREATE));
    return this;
  }

  TestVehicle toTx2() {
    toAwaitTx2();
    nfcReset();
    expect(StatusWord.SUCCESS, selectFramework());
    return this;
  }

  /** GET DATA then GET RESPONSE while 61XX (the kernel's exchange); the whole plaintext. */
  byte[] getData(int tag) {
    return kernel.readObject(tag);
  }

  ResponseApdu getResponse() {
    return protectedCommand(Ins.GET_RESPONSE, 0x00, 0x00, new byte[0]);
  }

  /** Reads 7F26 and 7F20 as the vehicle does in P2.5/P2.6. */
  TestVehicle readKey() {
    KeyCreationStatus status = KeyCreationStatus.parse(getData(DkProfile.TAG_KEY_CREATION_STATUS));
    assertEquals(KeyCreationStatus.CREATED, status.status());
    dkIdentifier = status.dkIdentifier().orElseThrow();
    endpointPublicKey = CccCertificate.parse(getData(DkProfile.TAG_ENDPOINT_CERT)).publicKey();
    return this;
  }

  byte[] attestationStream() {
    return KeyCreationStream.encodeAttestationStream(
        VehicleAttestation.forEndpoint(
                Hex.decode(T1Material.VEHICLE_IDENTIFIER), endpointPublicKey, ATTESTATION_TIME)
            .sign(VEHICLE_KEY)
            .encode());
  }

  TestVehicle toAttested() {
    toTx2();
    readKey();
    writeStream(attestationStream());
    return this;
  }

  /** Both framework transactions and the NFC reset after {@code 11 11}: the DK is CREATED. */
  TestVehicle pair() {
    toAttested();
    expect(StatusWord.SUCCESS, opControlFlow(DkProfile.OP_FLOW_END));
    nfcReset();
    return this;
  }

  // ---- applet ----

  ResponseApdu selectApplet() {
    ResponseApdu response = send(FrameworkCommands.selectApplet());
    if (response.isSuccess()) {
      kernel.selected(Selected.APPLET);
    }
    return response;
  }

  Auth0Command newAuth0() {
    ephemeral = EcKeyPair.fromPrivate(draws.scalar(Draws.Names.VEHICLE_EPHEMERAL));
    return new Auth0Command(
        0x0101,
        ephemeral.publicBytes(),
        draws.bytes(Draws.Names.TRANSACTION_ID, 16),
        Hex.decode(T1Material.VEHICLE_IDENTIFIER));
  }

  /** The kernel's AUTH0 (§11.2–11.3); on 9000 with a valid 86 the transaction keys exist. */
  ResponseApdu auth0(Auth0Command command) {
    auth0 = command;
    return answer(
        () -> transaction = kernel.auth0(command, ephemeral, DkProfile.DEVICE_APPLET_VERSIONS));
  }

  /** An AUTH1 as given (a test may forge one); on 9000 the applet channel of the keys opens. */
  ResponseApdu auth1(Auth1Command command) {
    ResponseApdu response = send(command.toApdu());
    if (response.isSuccess()) {
      applet = VehicleSession.appletChannel(transaction.keys());
    }
    return response;
  }

  Auth1Command signedAuth1() {
    return Auth1Command.sign(transaction.context(), VEHICLE_KEY);
  }

  /**
   * SELECT applet, AUTH0, and the kernel's AUTH1 with the vehicle checks of §11.6; the AUTH1
   * plaintext.
   */
  Auth1ResponsePlaintext startTransaction() {
    expect(StatusWord.SUCCESS, selectApplet());
    expect(StatusWord.SUCCESS, auth0(newAuth0()));
    TransactionResult result =
        kernel.auth1(
            transaction,
            VEHICLE_KEY,
            P256.decodePoint(endpointPublicKey()),
            Hex.decode("0000000000000001"));
    applet = kernel.appletChannel();
    return result.auth1();
  }

  private byte[] endpointPublicKey() {
    return endpointPublicKey != null ? endpointPublicKey : Vectors.hex("key.endpoint.PK");
  }

  Auth0Command lastAuth0() {
    return auth0;
  }

  /** A protected applet command; a 9000/61XX answer is unprotected in place. */
  ResponseApdu appletCommand(int ins, byte[] plaintext) {
    return sendProtected(applet, ins, 0x00, 0x00, plaintext);
  }

  ResponseApdu exchange(byte[] operation) {
    return appletCommand(Ins.EXCHANGE, operation);
  }

  ResponseApdu appletGetResponse() {
    return appletCommand(Ins.GET_RESPONSE, new byte[0]);
  }

  /** EXCHANGE then GET RESPONSE while 61XX (the kernel's exchange); the whole plaintext. */
  byte[] exchangeAll(byte[] operation) {
    return kernel.exchange(applet, Ins.EXCHANGE, 0x00, 0x00, operation, "EXCHANGE");
  }

  ResponseApdu controlFlow(int p1, int p2) {
    return send(FrameworkCommands.controlFlow(p1, p2));
  }

  /** P3.1–P3.4: a standard transaction ended with {@code 80 3C 01 00}. */
  Auth1ResponsePlaintext successfulTransaction() {
    Auth1ResponsePlaintext plaintext = startTransaction();
    expect(StatusWord.SUCCESS, controlFlow(0x01, 0x00));
    nfcReset();
    return plaintext;
  }

  static void expect(int sw, ResponseApdu response) {
    assertEquals(Hex.u16(sw), Hex.u16(response.sw()), "status word of " + response);
  }
}
