package dev.dkrig.pairing.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dkrig.ccc.DkProfile;
import dev.dkrig.ccc.Ins;
import dev.dkrig.ccc.StatusWord;
import dev.dkrig.ccc.sm.ChannelKind;
import dev.dkrig.ccc.sm.SecureChannel;
import dev.dkrig.ccc.sm.SessionKeys;
import dev.dkrig.iso7816.CommandApdu;
import dev.dkrig.iso7816.Hex;
import dev.dkrig.iso7816.ResponseApdu;
import dev.dkrig.pairing.AbortReason;
import dev.dkrig.pairing.Result;
import dev.dkrig.transport.TransportException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The protocol kernel alone, against a scripted device end of a secure channel (§6). */
class VehicleSessionTest {
  private static final SessionKeys KEYS =
      new SessionKeys(
          Hex.decode("00112233445566778899AABBCCDDEEFF"),
          Hex.decode("102132435465768798A9BACBDCEDFE0F"),
          Hex.decode("2031425364758697A8B9CADBECFD0E1F"));

  /** A device end that answers each protected command with the next scripted piece. */
  private static final class ChainingDevice implements Wire {
    final SecureChannel channel = SecureChannel.open(ChannelKind.FRAMEWORK, KEYS);
    final Deque<ResponseApdu> script = new ArrayDeque<>();
    final List<CommandApdu> received = new ArrayList<>();
    final List<String> plaintexts = new ArrayList<>();

    @Override
    public ResponseApdu send(CommandApdu command) {
      received.add(command);
      channel.unprotectCommand(command);
      ResponseApdu next = script.removeFirst();
      return next.sw() == StatusWord.SUCCESS || next.isMoreData()
          ? channel.protectResponse(next.data(), next.sw())
          : next;
    }

    @Override
    public void plaintext(boolean command, byte[] plaintext) {
      plaintexts.add((command ? ">> " : "<< ") + Hex.encode(plaintext));
    }
  }

  private static VehicleSession framework(Wire wire) {
    VehicleSession session = new VehicleSession(wire);
    session.selected(Selected.FRAMEWORK);
    return session;
  }

  private static SecureChannel vehicleChannel() {
    return SecureChannel.open(ChannelKind.FRAMEWORK, KEYS);
  }

  @Test
  void section6_5_theProtectedExchangeFollowsGetResponseUntil9000() {
    ChainingDevice device = new ChainingDevice();
    device.script.add(ResponseApdu.of(Hex.decode("0102"), 0x6103));
    device.script.add(ResponseApdu.of(Hex.decode("030405"), StatusWord.SUCCESS));
    VehicleSession session = framework(device);

    byte[] whole =
        session.exchange(vehicleChannel(), Ins.GET_DATA, 0x00, 0x00, Hex.decode("7F20"), "GET");

    assertArrayEquals(Hex.decode("0102030405"), whole);
    assertEquals(2, device.received.size());
    assertEquals(Ins.GET_RESPONSE, device.received.get(1).ins());
    assertEquals(List.of(">> 7F20", "<< 0102030405"), device.plaintexts);
  }

  @Test
  void section6_5_aRefusalMidChainFailsWithItsStatusWordAndClosesTheChannel() {
    ChainingDevice device = new ChainingDevice();
    device.script.add(ResponseApdu.of(Hex.decode("01"), 0x6101));
    device.script.add(ResponseApdu.of(StatusWord.SECURITY_STATUS));
    SecureChannel channel = vehicleChannel();

    StepFailure failure =
        assertThrows(
            StepFailure.class,
            () ->
                framework(device)
                    .exchange(channel, Ins.GET_DATA, 0, 0, Hex.decode("7F20"), "GET DATA 7F20"));

    assertEquals(
        "GET DATA 7F20: " + StatusWord.describe(StatusWord.SECURITY_STATUS), failure.getMessage());
    assertEquals(OptionalInt.of(StatusWord.SECURITY_STATUS), failure.sw());
    assertEquals(Optional.of(AbortReason.UNSPECIFIED), failure.abort());
    assertTrue(channel.isClosed());
  }

  @Test
  void aScriptedVehicleAltersACommandThroughTheWire() {
    List<CommandApdu> sent = new ArrayList<>();
    Wire wire =
        command -> {
          sent.add(command);
          return ResponseApdu.of(StatusWord.SUCCESS);
        };
    VehicleSession session =
        new VehicleSession(
            wire.altering(c -> CommandApdu.of(c.cla(), c.ins(), 0x12, 0x34, c.data())));

    session.opControlFlow(DkProfile.OP_FLOW_CREATE, "");

    assertEquals(1, sent.size());
    assertEquals(0x1234, sent.get(0).p1p2());
  }

  @Test
  void section3_3_aCase1AnswerWithDataIsMalformed() {
    ResponseApdu withData = ResponseApdu.of(Hex.decode("00"), StatusWord.SUCCESS);

    StepFailure failure =
        assertThrows(
            StepFailure.class,
            () -> Checks.requireBareSuccess(withData, "OP CONTROL FLOW 11 11", "; DK discarded"));

    assertEquals(
        "OP CONTROL FLOW 11 11: 9000 with 1 data byte(s); the answer is 90 00 alone (§3.3); DK"
            + " discarded",
        failure.getMessage());
    assertEquals(Optional.of(AbortReason.UNSPECIFIED), failure.abort());
  }

  @Test
  void checkNamesTheStatusWordAndCarriesTheAbort() {
    StepFailure failure =
        assertThrows(
            StepFailure.class,
            () ->
                Checks.check(
                    ResponseApdu.of(StatusWord.REFERENCED_DATA),
                    "AUTH0",
                    AbortReason.INVALID_POINT));

    assertEquals("AUTH0: " + StatusWord.describe(StatusWord.REFERENCED_DATA), failure.getMessage());
    assertEquals(OptionalInt.of(StatusWord.REFERENCED_DATA), failure.sw());
    assertEquals(Optional.of(AbortReason.INVALID_POINT), failure.abort());
  }

  @Test
  void section18_18_transportFailuresMapOnce() {
    for (TransportException.Kind kind : TransportException.Kind.values()) {
      StepFailure failure = Failures.transport(new TransportException(kind, "x"), "AUTH1");
      assertEquals(Failures.resultOf(kind), failure.result(), kind.name());
      assertEquals(Failures.abortOf(kind), failure.abort(), kind.name());
    }
    assertEquals(Result.FAIL, Failures.resultOf(TransportException.Kind.TIMEOUT));
    assertEquals(
        Optional.of(AbortReason.APDU_TIMEOUT), Failures.abortOf(TransportException.Kind.TIMEOUT));
    assertEquals(Result.ERROR, Failures.resultOf(TransportException.Kind.TAG_LOST));
    assertTrue(
        Failures.tagLost(
            Failures.transport(
                new TransportException(TransportException.Kind.TAG_LOST, "gone"), "SELECT")));
  }

  @Test
  void section10_2_theAbortGoesToWhatIsSelected() {
    VehicleSession session = new VehicleSession(command -> ResponseApdu.of(StatusWord.SUCCESS));
    assertTrue(session.takeAbort(AbortReason.UNSPECIFIED).isEmpty());

    session.selected(Selected.APPLET);
    CommandApdu abort = session.takeAbort(AbortReason.VERIFICATION_FAILED).orElseThrow();

    assertEquals(
        Hex.encode(
            dev.dkrig.ccc.fw.FrameworkCommands.controlFlow(
                    DkProfile.CONTROL_FLOW_FAILURE, AbortReason.VERIFICATION_FAILED.code())
                .header()),
        Hex.encode(abort.header()));
    assertEquals(Selected.NONE, session.selected());
  }
}
