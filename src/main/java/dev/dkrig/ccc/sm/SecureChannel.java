package dev.dkrig.ccc.sm;

import dev.dkrig.ccc.CccException;
import dev.dkrig.ccc.Crypto;
import dev.dkrig.ccc.DkProfile;
import dev.dkrig.ccc.StatusWord;
import dev.dkrig.iso7816.Bytes;
import dev.dkrig.iso7816.CommandApdu;
import dev.dkrig.iso7816.Hex;
import dev.dkrig.iso7816.ResponseApdu;
import java.util.Arrays;

/**
 * One secure channel of §6, for either role. The vehicle calls {@link #protectCommand} and {@link
 * #unprotectResponse}; the device calls {@link #unprotectCommand} and {@link #protectResponse}.
 * Both keep the same counter and MAC chaining value, so a vehicle and a device that meet only
 * through APDU bytes stay in step.
 *
 * <p>Counter rule (§6.2): the channel's counter is the {@code c} of the next protected message
 * pair; a response uses its command's {@code c} and then the counter advances. The framework
 * channel starts at 1; the applet channel starts at 0, which the AUTH1 response uses (MCV = 16 zero
 * bytes), so its first protected command uses 1.
 */
public final class SecureChannel {
  private static final int CLA_SECURE = 0x84;
  private static final int MAC_LENGTH = 8;

  private final ChannelKind kind;
  private final SessionKeys keys;
  private int counter;
  private byte[] mcv = new byte[16];
  private SmExchange last;
  private boolean closed;

  private SecureChannel(ChannelKind kind, SessionKeys keys) {
    this.kind = kind;
    this.keys = keys;
    this.counter = kind.initialCounter();
  }

  public static SecureChannel open(ChannelKind kind, SessionKeys keys) {
    return new SecureChannel(kind, keys);
  }

  /**
   * An independent copy in the current state (keys, counter, MCV). A conformance scenario keeps one
   * before a command it expects the device to refuse, so it can later send a command under the keys
   * exactly as a device that wrongly kept them would expect (§3.5 "both sides MUST drop the session
   * keys").
   */
  public SecureChannel copy() {
    SecureChannel copy = new SecureChannel(kind, keys);
    copy.counter = counter;
    copy.mcv = mcv.clone();
    copy.last = last;
    copy.closed = closed;
    return copy;
  }

  public ChannelKind kind() {
    return kind;
  }

  /** The {@code c} the next protected message pair will use. */
  public int counter() {
    return counter;
  }

  /** The intermediates of the latest message pair, for known-answer tests and secret traces. */
  public SmExchange lastExchange() {
    return last;
  }

  public boolean isClosed() {
    return closed;
  }

  /**
   * Closes the channel and zeroes its keys: the end of a session whose channel no copy outlives
   * (the vehicle's run; a conformance scenario's copies share the keys and only {@link #close}).
   */
  public void wipe() {
    close();
    keys.wipe();
  }

  /** Drops the keys (§3.5: after any error status word, abort or end of session). */
  public void close() {
    closed = true;
    mcv = new byte[16];
  }

  // ---- vehicle role ----

  /**
   * Wraps a plaintext into {@code 84 INS P1 P2 Lc ‖ C ‖ C-MAC[0..7] ‖ 00} (§6.1).
   *
   * @throws CccException LIMIT when the counter would pass {@code FF} (the caller aborts {@code
   *     00})
   */
  public CommandApdu protectCommand(int ins, int p1, int p2, byte[] plaintext) {
    ensureOpen();
    if (counter > 0xFF) {
      throw new CccException(
          CccException.Failure.LIMIT, kind.label() + " channel counter would pass FF");
    }
    if (plaintext.length > DkProfile.MAX_SM_PLAINTEXT) {
      throw new IllegalArgumentException(
          "secure-messaging plaintext of " + plaintext.length + " bytes exceeds 239");
    }
    byte[] icv = plaintext.length == 0 ? new byte[0] : icv(false, counter);
    byte[] ciphertext = plaintext.length == 0 ? new byte[0] : encrypt(icv, plaintext);
    byte[] mcvIn = mcv;
    byte[] cmac = commandMac(ins, p1, p2, ciphertext);
    mcv = cmac;
    last = new SmExchange(counter, icv, mcvIn, cmac, new byte[0], new byte[0]);
    return new CommandApdu(
        CLA_SECURE, ins, p1, p2, Bytes.concat(ciphertext, Bytes.range(cmac, 0, MAC_LENGTH)), 0x00);
  }

  /**
   * Checks and decrypts a protected response (§6.1 receiver checks: MAC first, then the ciphertext
   * length, then padding), then advances the counter.
   *
   * @throws CccException SECURE_MESSAGING for a bad R-MAC, length or padding (abort {@code 00})
   */
  public byte[] unprotectResponse(ResponseApdu response) {
    ensureOpen();
    int sw = response.sw();
    if (sw != StatusWord.SUCCESS && response.sw1() != 0x61) {
      throw new IllegalArgumentException(
          "status word " + Hex.u16(sw) + " carries no protected data (§6.1)");
    }
    byte[] data = response.data();
    if (data.length < MAC_LENGTH) {
      throw smError("protected response of " + data.length + " bytes has no R-MAC");
    }
    byte[] ciphertext = Bytes.range(data, 0, data.length - MAC_LENGTH);
    byte[] received = Bytes.range(data, data.length - MAC_LENGTH, data.length);
    byte[] rmac = responseMac(ciphertext, sw);
    if (!Bytes.equalsConstantTime(received, Bytes.range(rmac, 0, MAC_LENGTH))) {
      throw smError(
          "R-MAC "
              + Hex.encode(received)
              + " does not verify ("
              + kind.label()
              + " channel, c = "
              + Hex.u8(counter)
              + ")");
    }
    byte[] icv = ciphertext.length == 0 ? new byte[0] : icv(true, counter);
    byte[] plaintext = decrypt(icv, ciphertext);
    recordResponse(icv, rmac);
    counter++;
    return plaintext;
  }

  // ---- device role ----

  /**
   * Checks and decrypts a protected command (§6.1 receiver checks). The MAC chaining value is
   * updated only when the C-MAC verifies.
   *
   * @throws CccException SECURE_MESSAGING for a bad C-MAC, length or padding, LIMIT past {@code FF}
   *     (the device answers {@code 6982} to both)
   */
  public byte[] unprotectCommand(CommandApdu command) {
    return unprotectCommand(command, true);
  }

  /**
   * Device role, for the virtual device's {@code accept-bad-mac} quirk only (a device that breaks
   * §6.1 on purpose): as {@link #unprotectCommand}, but a C-MAC that does not verify is accepted
   * and the MCV becomes the C-MAC the command should have carried. Never used by the vehicle.
   */
  public byte[] unprotectCommandIgnoringMac(CommandApdu command) {
    return unprotectCommand(command, false);
  }

  private byte[] unprotectCommand(CommandApdu command, boolean checkMac) {
    ensureOpen();
    if (command.cla() != CLA_SECURE) {
      throw new IllegalArgumentException("not a protected command: CLA " + Hex.u8(command.cla()));
    }
    if (counter > 0xFF) {
      throw new CccException(
          CccException.Failure.LIMIT, kind.label() + " channel counter would pass FF");
    }
    byte[] data = command.data();
    if (data.length < MAC_LENGTH) {
      throw smError("protected command of " + data.length + " data bytes has no C-MAC");
    }
    byte[] ciphertext = Bytes.range(data, 0, data.length - MAC_LENGTH);
    byte[] received = Bytes.range(data, data.length - MAC_LENGTH, data.length);
    byte[] cmac = commandMac(command.ins(), command.p1(), command.p2(), ciphertext);
    if (checkMac && !Bytes.equalsConstantTime(received, Bytes.range(cmac, 0, MAC_LENGTH))) {
      throw smError("C-MAC does not verify");
    }
    byte[] mcvIn = mcv;
    mcv = cmac;
    byte[] icv = ciphertext.length == 0 ? new byte[0] : icv(false, counter);
    last = new SmExchange(counter, icv, mcvIn, cmac, new byte[0], new byte[0]);
    return decrypt(icv, ciphertext);
  }

  /** Encrypts and MACs a response ({@code C ‖ R-MAC[0..7] ‖ SW}) and advances the counter. */
  public ResponseApdu protectResponse(byte[] plaintext, int sw) {
    ensureOpen();
    if (sw != StatusWord.SUCCESS && (sw >>> 8) != 0x61) {
      throw new IllegalArgumentException("only 9000 and 61XX responses are protected (§6.1)");
    }
    if (plaintext.length > DkProfile.MAX_SM_PLAINTEXT) {
      throw new IllegalArgumentException(
          "secure-messaging plaintext of " + plaintext.length + " bytes exceeds 239");
    }
    byte[] icv = plaintext.length == 0 ? new byte[0] : icv(true, counter);
    byte[] ciphertext = plaintext.length == 0 ? new byte[0] : encrypt(icv, plaintext);
    byte[] rmac = responseMac(ciphertext, sw);
    recordResponse(icv, rmac);
    counter++;
    return ResponseApdu.of(Bytes.concat(ciphertext, Bytes.range(rmac, 0, MAC_LENGTH)), sw);
  }

  // ---- shared machinery ----

  /** {@code AES-ECB(Kenc, CB)} with {@code CB = 00|80 ‖ 00×14 ‖ c} (§6.1). */
  private byte[] icv(boolean response, int c) {
    byte[] block = new byte[16];
    block[0] = (byte) (response ? 0x80 : 0x00);
    block[15] = (byte) c;
    return Crypto.aesEcbBlock(keys.kenc(), block);
  }

  private byte[] commandMac(int ins, int p1, int p2, byte[] ciphertext) {
    byte[] input =
        kind.macCoversHeaderAndSw()
            ? Bytes.concat(
                mcv, Bytes.of(CLA_SECURE, ins, p1, p2, ciphertext.length + MAC_LENGTH), ciphertext)
            : Bytes.concat(mcv, ciphertext);
    return Crypto.cmac(keys.kmac(), input);
  }

  /** The R-MAC uses the MCV of the command it answers and leaves it unchanged (§6.1). */
  private byte[] responseMac(byte[] ciphertext, int sw) {
    byte[] input =
        kind.macCoversHeaderAndSw()
            ? Bytes.concat(mcv, ciphertext, Bytes.u16(sw))
            : Bytes.concat(mcv, ciphertext);
    return Crypto.cmac(keys.krmac(), input);
  }

  private byte[] encrypt(byte[] icv, byte[] plaintext) {
    return Crypto.aesCbc(true, keys.kenc(), icv, pad(plaintext));
  }

  private byte[] decrypt(byte[] icv, byte[] ciphertext) {
    if (ciphertext.length == 0) {
      return new byte[0];
    }
    if (ciphertext.length % 16 != 0) {
      throw smError("ciphertext length " + ciphertext.length + " is not a multiple of 16");
    }
    return unpad(Crypto.aesCbc(false, keys.kenc(), icv, ciphertext));
  }

  /** ISO/IEC 9797-1 method 2: {@code 80}, then {@code 00} up to a multiple of 16. */
  static byte[] pad(byte[] plaintext) {
    int length = (plaintext.length / 16 + 1) * 16;
    byte[] out = Arrays.copyOf(plaintext, length);
    out[plaintext.length] = (byte) 0x80;
    return out;
  }

  /** Removes trailing {@code 00}s and exactly one {@code 80}; none found is an error (§6.1). */
  static byte[] unpad(byte[] padded) {
    int i = padded.length - 1;
    while (i >= 0 && padded[i] == 0) {
      i--;
    }
    if (i < 0 || padded[i] != (byte) 0x80) {
      throw smError("padding is not ISO/IEC 9797-1 method 2");
    }
    return Arrays.copyOf(padded, i);
  }

  private void recordResponse(byte[] icv, byte[] rmac) {
    last =
        last != null && last.counter() == counter
            ? last.withResponse(icv, rmac)
            : new SmExchange(counter, new byte[0], mcv, new byte[0], icv, rmac);
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException(kind.label() + " secure channel is closed");
    }
  }

  private static CccException smError(String message) {
    return new CccException(CccException.Failure.SECURE_MESSAGING, message);
  }

  @Override
  public String toString() {
    return "SecureChannel[" + kind.label() + ", c=" + counter + (closed ? ", closed" : "") + "]";
  }
}
