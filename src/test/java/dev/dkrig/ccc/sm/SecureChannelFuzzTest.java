package dev.dkrig.ccc.sm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.dkrig.ccc.CccException;
import dev.dkrig.ccc.Crypto;
import dev.dkrig.ccc.DkProfile;
import dev.dkrig.ccc.Ins;
import dev.dkrig.ccc.StatusWord;
import dev.dkrig.iso7816.Bytes;
import dev.dkrig.iso7816.CommandApdu;
import dev.dkrig.iso7816.Hex;
import dev.dkrig.iso7816.ResponseApdu;
import java.util.Arrays;

/**
 * Issue 9: every secure-channel unwrap of §6 on untrusted bytes: the framework and the applet
 * channel, the vehicle's {@code unprotectResponse} and the device's {@code unprotectCommand}. An
 * unwrap returns the plaintext or refuses with {@link CccException}; nothing else.
 *
 * <p>The first input byte is a mode: bit 0 the channel (0 framework, 1 applet); bit 1 "authentic":
 * the target computes the correct MAC around the fuzzed ciphertext, so the fuzzer reaches the
 * checks behind the MAC (block length, padding) that it could never reach by forging a CMAC; bit 2
 * "made by the peer": the rest is a plaintext that the other side protects, and the unwrap must
 * give it back unchanged; bit 3 the direction (0 response, 1 command).
 */
class SecureChannelFuzzTest {
  private static final SessionKeys KEYS =
      new SessionKeys(
          Hex.decode("000102030405060708090A0B0C0D0E0F"),
          Hex.decode("101112131415161718191A1B1C1D1E1F"),
          Hex.decode("202122232425262728292A2B2C2D2E2F"));

  private record Mode(ChannelKind kind, boolean authentic, boolean peerMade) {
    static Mode of(byte[] input) {
      int bits = input.length == 0 ? 0 : input[0] & 0xFF;
      return new Mode(
          (bits & 1) == 0 ? ChannelKind.FRAMEWORK : ChannelKind.APPLET,
          (bits & 2) != 0,
          (bits & 4) != 0);
    }
  }

  private static byte[] rest(byte[] input, int from, int max) {
    return input.length <= from
        ? new byte[0]
        : Arrays.copyOfRange(input, from, Math.min(input.length, from + max));
  }

  /**
   * Mode bit 3 picks the direction: 0 the vehicle's response unwrap, 1 the device's command unwrap.
   */
  @FuzzTest(maxDuration = "30s")
  void unwrap(byte[] input) {
    if (input.length > 0 && (input[0] & 8) != 0) {
      commandUnwrap(input);
    } else {
      responseUnwrap(input);
    }
  }

  /**
   * The vehicle unwraps a response. Byte 1: bit 0 chooses {@code 61XX} (XX = byte 1) over {@code
   * 9000}; bit 1 makes an applet response answer a protected command instead of AUTH1. Bytes 2..
   * are the response data.
   */
  private static void responseUnwrap(byte[] input) {
    Mode mode = Mode.of(input);
    int swByte = input.length > 1 ? input[1] & 0xFF : 0;
    int sw = (swByte & 1) == 1 ? StatusWord.moreData(swByte) : StatusWord.SUCCESS;
    byte[] body = rest(input, 2, 300);
    SecureChannel vehicle = SecureChannel.open(mode.kind(), KEYS);
    SecureChannel device = SecureChannel.open(mode.kind(), KEYS);
    // The response answers a command: the framework's first protected command (c = 01); for the
    // applet, the AUTH1 response (c = 00, MCV zero) unless byte 1 bit 1 asks for a later one.
    byte[] mcv = new byte[16];
    if (mode.kind() == ChannelKind.FRAMEWORK || (swByte & 2) != 0) {
      CommandApdu command = vehicle.protectCommand(Ins.GET_DATA, 0x00, 0x00, Bytes.u16(0x7F20));
      device.unprotectCommand(command);
      mcv = vehicle.lastExchange().cmac();
    }
    if (mode.peerMade()) {
      byte[] plaintext = Arrays.copyOf(body, Math.min(body.length, DkProfile.MAX_SM_PLAINTEXT));
      assertArrayEquals(
          plaintext, vehicle.unprotectResponse(device.protectResponse(plaintext, sw)));
      return;
    }
    byte[] data = body;
    if (mode.authentic()) {
      byte[] rmac =
          mode.kind().macCoversHeaderAndSw()
              ? Crypto.cmac(KEYS.krmac(), mcv, body, Bytes.u16(sw))
              : Crypto.cmac(KEYS.krmac(), mcv, body);
      data = Bytes.concat(body, Bytes.range(rmac, 0, 8));
    }
    int before = vehicle.counter();
    try {
      byte[] plaintext = vehicle.unprotectResponse(ResponseApdu.of(data, sw));
      assertEquals(before + 1, vehicle.counter(), "the counter advances on success only");
      assertEquals(0, (data.length - 8) % 16, "only whole blocks decrypt");
      if (plaintext.length > data.length - 8) {
        throw new AssertionError("plaintext longer than its ciphertext");
      }
    } catch (CccException refused) {
      assertEquals(CccException.Failure.SECURE_MESSAGING, refused.failure(), refused::getMessage);
      assertEquals(before, vehicle.counter(), "a refused response does not advance the counter");
    }
  }

  /**
   * The device unwraps a command. Bytes 1–3 are INS, P1, P2; bytes 4.. the command data (at most
   * 255 bytes with the C-MAC).
   */
  private static void commandUnwrap(byte[] input) {
    Mode mode = Mode.of(input);
    int ins = input.length > 1 ? input[1] & 0xFF : Ins.WRITE_DATA;
    int p1 = input.length > 2 ? input[2] & 0xFF : 0;
    int p2 = input.length > 3 ? input[3] & 0xFF : 0;
    SecureChannel vehicle = SecureChannel.open(mode.kind(), KEYS);
    SecureChannel device = SecureChannel.open(mode.kind(), KEYS);
    if (mode.peerMade()) {
      byte[] plaintext = rest(input, 4, DkProfile.MAX_SM_PLAINTEXT);
      CommandApdu command = vehicle.protectCommand(ins, p1, p2, plaintext);
      assertArrayEquals(plaintext, device.unprotectCommand(command));
      return;
    }
    byte[] body = rest(input, 4, mode.authentic() ? 247 : 255);
    byte[] data = body;
    if (mode.authentic()) {
      byte[] mcv = new byte[16];
      byte[] cmac =
          mode.kind().macCoversHeaderAndSw()
              ? Crypto.cmac(KEYS.kmac(), mcv, Bytes.of(0x84, ins, p1, p2, body.length + 8), body)
              : Crypto.cmac(KEYS.kmac(), mcv, body);
      data = Bytes.concat(body, Bytes.range(cmac, 0, 8));
    }
    try {
      byte[] plaintext = device.unprotectCommand(new CommandApdu(0x84, ins, p1, p2, data, 0x00));
      assertEquals(0, (data.length - 8) % 16, "only whole blocks decrypt");
      if (plaintext.length > data.length - 8) {
        throw new AssertionError("plaintext longer than its ciphertext");
      }
    } catch (CccException refused) {
      assertEquals(CccException.Failure.SECURE_MESSAGING, refused.failure(), refused::getMessage);
    }
  }
}
