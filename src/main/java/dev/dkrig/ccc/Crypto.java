package dev.dkrig.ccc;

import dev.dkrig.iso7816.Hex;
import org.bouncycastle.crypto.BlockCipher;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.digests.SHA1Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.generators.KDF2BytesGenerator;
import org.bouncycastle.crypto.generators.SCrypt;
import org.bouncycastle.crypto.macs.CMac;
import org.bouncycastle.crypto.modes.CBCBlockCipher;
import org.bouncycastle.crypto.modes.CBCModeCipher;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.bouncycastle.crypto.params.KDFParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

/** The primitives of §0 through Bouncy Castle's lightweight API. */
public final class Crypto {
  public static final int AES_BLOCK = 16;

  private Crypto() {}

  public static byte[] sha256(byte[]... parts) {
    SHA256Digest digest = new SHA256Digest();
    for (byte[] part : parts) {
      digest.update(part, 0, part.length);
    }
    byte[] out = new byte[32];
    digest.doFinal(out, 0);
    return out;
  }

  /** SHA-1, used only as an identifier hash (§0). */
  public static byte[] sha1(byte[] data) {
    SHA1Digest digest = new SHA1Digest();
    digest.update(data, 0, data.length);
    byte[] out = new byte[20];
    digest.doFinal(out, 0);
    return out;
  }

  /** HKDF-SHA-256 with an absent salt (§0). */
  public static byte[] hkdf(byte[] ikm, byte[] info, int length) {
    HKDFBytesGenerator generator = new HKDFBytesGenerator(new SHA256Digest());
    generator.init(new HKDFParameters(ikm, null, info));
    byte[] out = new byte[length];
    generator.generateBytes(out, 0, length);
    return out;
  }

  /** ANSI X9.63 KDF with SHA-256 (counter from 1), §11.3. */
  public static byte[] x963(byte[] z, byte[] sharedInfo, int length) {
    KDF2BytesGenerator generator = new KDF2BytesGenerator(new SHA256Digest());
    generator.init(new KDFParameters(z, sharedInfo));
    byte[] out = new byte[length];
    generator.generateBytes(out, 0, length);
    return out;
  }

  /** AES-CMAC-128 (RFC 4493), full 16-byte result. */
  public static byte[] cmac(byte[] key, byte[]... parts) {
    CMac mac = new CMac(AESEngine.newInstance());
    mac.init(new KeyParameter(key));
    for (byte[] part : parts) {
      mac.update(part, 0, part.length);
    }
    byte[] out = new byte[16];
    mac.doFinal(out, 0);
    return out;
  }

  public static byte[] aesEcbBlock(byte[] key, byte[] block) {
    BlockCipher engine = AESEngine.newInstance();
    engine.init(true, new KeyParameter(key));
    byte[] out = new byte[AES_BLOCK];
    engine.processBlock(block, 0, out, 0);
    return out;
  }

  /** AES-128-CBC without padding; the input length must be a multiple of 16. */
  public static byte[] aesCbc(boolean encrypt, byte[] key, byte[] iv, byte[] input) {
    if (input.length % AES_BLOCK != 0) {
      throw new IllegalArgumentException("CBC input not a multiple of 16 bytes");
    }
    CBCModeCipher cipher = CBCBlockCipher.newInstance(AESEngine.newInstance());
    cipher.init(encrypt, new ParametersWithIV(new KeyParameter(key), iv));
    byte[] out = new byte[input.length];
    for (int offset = 0; offset < input.length; offset += AES_BLOCK) {
      cipher.processBlock(input, offset, out, offset);
    }
    return out;
  }

  /** AES-GCM with a 16-byte tag appended (§12.3). */
  public static byte[] aesGcmEncrypt(byte[] key, byte[] nonce, byte[] aad, byte[] plaintext) {
    GCMModeCipher gcm = GCMBlockCipher.newInstance(AESEngine.newInstance());
    gcm.init(true, new AEADParameters(new KeyParameter(key), 128, nonce, aad));
    byte[] out = new byte[gcm.getOutputSize(plaintext.length)];
    int n = gcm.processBytes(plaintext, 0, plaintext.length, out, 0);
    try {
      gcm.doFinal(out, n);
    } catch (InvalidCipherTextException e) {
      throw new IllegalStateException(e);
    }
    return out;
  }

  /**
   * AES-GCM decryption.
   *
   * @throws CccException VERIFICATION when the tag does not verify
   */
  public static byte[] aesGcmDecrypt(
      byte[] key, byte[] nonce, byte[] aad, byte[] ciphertextAndTag) {
    GCMModeCipher gcm = GCMBlockCipher.newInstance(AESEngine.newInstance());
    gcm.init(false, new AEADParameters(new KeyParameter(key), 128, nonce, aad));
    byte[] out = new byte[gcm.getOutputSize(ciphertextAndTag.length)];
    int n = gcm.processBytes(ciphertextAndTag, 0, ciphertextAndTag.length, out, 0);
    try {
      gcm.doFinal(out, n);
    } catch (InvalidCipherTextException | IllegalStateException e) {
      throw new CccException(CccException.Failure.VERIFICATION, "AES-GCM tag does not verify", e);
    }
    return out;
  }

  /**
   * scrypt (RFC 7914). Remembers its last few results: in one process the rig derives a verifier as
   * the OEM server and the virtual device derives the same w0/w1 from the same password and salt a
   * moment later, so the second derivation (about 100 ms at N = 32768) is a lookup. The memo is
   * keyed by an HMAC-SHA256 of the inputs under a key drawn once per process, so that a heap dump's
   * keys are no dictionary for the 8-digit password (a plain digest would be); it holds {@value
   * #SCRYPT_MEMO} entries and wipes each one it evicts.
   */
  public static byte[] scrypt(byte[] password, byte[] salt, int n, int r, int p, int length) {
    org.bouncycastle.crypto.macs.HMac hmac =
        new org.bouncycastle.crypto.macs.HMac(new org.bouncycastle.crypto.digests.SHA256Digest());
    hmac.init(new org.bouncycastle.crypto.params.KeyParameter(SCRYPT_MEMO_KEY));
    byte[] header =
        java.nio.ByteBuffer.allocate(24)
            .putInt(password.length)
            .putInt(salt.length)
            .putInt(n)
            .putInt(r)
            .putInt(p)
            .putInt(length)
            .array();
    hmac.update(header, 0, header.length);
    hmac.update(password, 0, password.length);
    hmac.update(salt, 0, salt.length);
    byte[] mac = new byte[hmac.getMacSize()];
    hmac.doFinal(mac, 0);
    String key = Hex.encode(mac);
    java.util.concurrent.CompletableFuture<Void> mine =
        new java.util.concurrent.CompletableFuture<>();
    java.util.concurrent.CompletableFuture<Void> running;
    synchronized (SCRYPT_RESULTS) {
      byte[] known = SCRYPT_RESULTS.get(key);
      if (known != null) {
        return known.clone();
      }
      // Issue 20: the same derivation already running on another thread (started ahead of P1.4)
      // is waited for, not run twice.
      running = SCRYPT_RUNNING.putIfAbsent(key, mine);
    }
    if (running != null) {
      // Done (or failed): the memo now answers, or this thread derives it after all.
      awaitScrypt(running);
      return scrypt(password, salt, n, r, p, length);
    }
    try {
      byte[] derived = SCrypt.generate(password, salt, n, r, p, length);
      synchronized (SCRYPT_RESULTS) {
        SCRYPT_RESULTS.put(key, derived.clone());
      }
      mine.complete(null);
      return derived;
    } catch (RuntimeException | Error e) {
      mine.complete(null);
      throw e;
    } finally {
      synchronized (SCRYPT_RESULTS) {
        SCRYPT_RUNNING.remove(key, mine);
      }
    }
  }

  /** Waits for another thread's run of the same derivation to end. */
  private static void awaitScrypt(java.util.concurrent.CompletableFuture<Void> running) {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          running.get();
          return;
        } catch (InterruptedException e) {
          // The derivation is moments away; the caller's interrupt handling comes after.
          interrupted = true;
        } catch (java.util.concurrent.ExecutionException e) {
          return;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Derivations under way, by memo key; guarded by {@link #SCRYPT_RESULTS}. */
  private static final java.util.Map<String, java.util.concurrent.CompletableFuture<Void>>
      SCRYPT_RUNNING = new java.util.HashMap<>();

  private static final int SCRYPT_MEMO = 8;

  private static final java.util.Map<String, byte[]> SCRYPT_RESULTS =
      new java.util.LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(java.util.Map.Entry<String, byte[]> eldest) {
          if (size() > SCRYPT_MEMO) {
            java.util.Arrays.fill(eldest.getValue(), (byte) 0);
            return true;
          }
          return false;
        }
      };

  /** The memo's HMAC key: random, per process, never written anywhere. */
  private static final byte[] SCRYPT_MEMO_KEY = new byte[32];

  static {
    new java.security.SecureRandom().nextBytes(SCRYPT_MEMO_KEY);
  }
}
