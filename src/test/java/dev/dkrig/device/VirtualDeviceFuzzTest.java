package dev.dkrig.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.dkrig.ccc.DkProfile;
import dev.dkrig.ccc.StatusWord;
import dev.dkrig.ccc.sm.SecureChannel;
import dev.dkrig.iso7816.Hex;
import dev.dkrig.iso7816.ResponseApdu;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Issue 9: every command handler of the virtual device on untrusted APDUs, in every state of §3.6.
 * A {@link TestVehicle} drives the device into the state named by the first input byte; the rest is
 * a sequence of commands, each sent raw or protected under the vehicle's copy of the session keys
 * (so the fuzzer reaches the content checks behind the MAC). The device must never throw, must
 * answer every command with at least a status word, must never need its safety net ({@link
 * VirtualDevice#unexpectedFailures()}), and every 9000/61XX answer to a protected command must
 * verify under the vehicle's keys.
 *
 * <p>A command is {@code flags ‖ length ‖ bytes}: flags bit 0 protects it (bytes = INS ‖ P1 ‖ P2 ‖
 * plaintext), bit 1 resets the field (§3.2 NFC reset) before it.
 */
class VirtualDeviceFuzzTest {
  private static final int MAX_COMMANDS = 8;

  /** The states of §3.6 a pairing passes through, in order, and how to reach each. */
  static final List<Consumer<TestVehicle>> STATES =
      List.of(
          v -> {},
          v -> TestVehicle.expect(StatusWord.SUCCESS, v.selectFramework()),
          v -> {
            TestVehicle.expect(StatusWord.SUCCESS, v.selectFramework());
            TestVehicle.expect(StatusWord.SUCCESS, v.request(TestVehicle.t1Request()));
          },
          TestVehicle::toSecure,
          TestVehicle::toDataDone,
          TestVehicle::toAwaitTx2,
          v -> {
            v.toAwaitTx2();
            v.nfcReset();
          },
          TestVehicle::toTx2,
          TestVehicle::toAttested,
          TestVehicle::pair,
          v -> {
            v.pair();
            TestVehicle.expect(StatusWord.SUCCESS, v.selectApplet());
          },
          v -> {
            v.pair();
            TestVehicle.expect(StatusWord.SUCCESS, v.selectApplet());
            TestVehicle.expect(StatusWord.SUCCESS, v.auth0(v.newAuth0()));
          },
          v -> {
            v.pair();
            v.startTransaction();
          },
          v -> {
            // DK ACTIVE, receipt stored (SigBmp bit 0): a phase-4 transaction.
            v.pair();
            v.successfulTransaction();
            v.startTransaction();
          });

  @FuzzTest(maxDuration = "60s")
  void commandsInEachState(byte[] input) {
    TestVehicle vehicle = TestVehicle.withT1Device();
    int state = input.length > 0 ? (input[0] & 0xFF) % STATES.size() : 0;
    STATES.get(state).accept(vehicle);
    VirtualDevice device = vehicle.device;
    int at = 1;
    for (int sent = 0; sent < MAX_COMMANDS && at + 1 < input.length; sent++) {
      int flags = input[at] & 0xFF;
      int length = input[at + 1] & 0xFF;
      byte[] bytes = Arrays.copyOfRange(input, at + 2, Math.min(input.length, at + 2 + length));
      at += 2 + length;
      if ((flags & 2) != 0) {
        vehicle.nfcReset();
      }
      if ((flags & 1) != 0 && bytes.length >= 3) {
        sendProtected(vehicle, bytes);
      } else {
        byte[] answer = device.process(bytes);
        assertNotNull(answer, () -> "no answer to " + Hex.encode(bytes));
        assertTrue(answer.length >= 2, () -> "no status word for " + Hex.encode(bytes));
      }
      assertEquals(0, device.unexpectedFailures(), "the device's safety net caught a bug");
    }
  }

  /** A protected command in whichever channel the vehicle has open; the answer must verify. */
  private static void sendProtected(TestVehicle vehicle, byte[] bytes) {
    SecureChannel channel = vehicle.applet != null ? vehicle.applet : vehicle.framework;
    byte[] plaintext =
        Arrays.copyOfRange(bytes, 3, Math.min(bytes.length, 3 + DkProfile.MAX_SM_PLAINTEXT));
    byte[] command =
        channel == null
            ? bytes
            : channel
                .protectCommand(bytes[0] & 0xFF, bytes[1] & 0xFF, bytes[2] & 0xFF, plaintext)
                .bytes();
    byte[] answer = vehicle.device.process(command);
    assertNotNull(answer, () -> "no answer to " + Hex.encode(command));
    assertTrue(answer.length >= 2, () -> "no status word for " + Hex.encode(command));
    ResponseApdu response = ResponseApdu.parse(answer);
    if (channel != null && (response.isSuccess() || response.isMoreData())) {
      // §6: what the device protected, the vehicle's copy of the keys must accept.
      channel.unprotectResponse(response);
    }
  }
}
