package dev.dkrig.ccc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.dkrig.iso7816.Hex;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.bouncycastle.crypto.generators.SCrypt;
import org.junit.jupiter.api.Test;

class CryptoTest {
  private static final byte[] PASSWORD = "12345678".getBytes(StandardCharsets.US_ASCII);

  @Test
  void scryptRemembersWithoutSharingItsArrays() {
    byte[] salt = Hex.decode("000102030405060708090A0B0C0D0E0F");
    byte[] first = Crypto.scrypt(PASSWORD, salt, 1024, 8, 1, 80);
    assertArrayEquals(SCrypt.generate(PASSWORD, salt, 1024, 8, 1, 80), first);
    Arrays.fill(first, (byte) 0);
    byte[] second = Crypto.scrypt(PASSWORD, salt, 1024, 8, 1, 80);
    assertArrayEquals(SCrypt.generate(PASSWORD, salt, 1024, 8, 1, 80), second);
  }

  @Test
  void scryptKeysEveryInput() {
    byte[] salt = Hex.decode("0F0E0D0C0B0A09080706050403020100");
    byte[] base = Crypto.scrypt(PASSWORD, salt, 1024, 8, 1, 80);
    byte[] otherSalt = salt.clone();
    otherSalt[15] ^= 1;
    assertFalse(Arrays.equals(base, Crypto.scrypt(PASSWORD, otherSalt, 1024, 8, 1, 80)));
    assertFalse(Arrays.equals(base, Crypto.scrypt(PASSWORD, salt, 2048, 8, 1, 80)));
    assertFalse(Arrays.equals(base, Crypto.scrypt(PASSWORD, salt, 1024, 4, 1, 80)));
    assertFalse(Arrays.equals(base, Crypto.scrypt(PASSWORD, salt, 1024, 8, 2, 80)));
    assertEquals(64, Crypto.scrypt(PASSWORD, salt, 1024, 8, 1, 64).length);
    byte[] otherPassword = "12345679".getBytes(StandardCharsets.US_ASCII);
    assertFalse(Arrays.equals(base, Crypto.scrypt(otherPassword, salt, 1024, 8, 1, 80)));
  }
}
