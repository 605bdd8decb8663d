package dev.dkrig.random;

import dev.dkrig.ccc.P256;
import java.math.BigInteger;
import java.security.SecureRandom;

/** Draws from one generator: a system {@link SecureRandom}, or a seeded one for {@code --seed}. */
public final class SecureDraws implements Draws {
  private final SecureRandom random;

  private SecureDraws(SecureRandom random) {
    this.random = random;
  }

  public static SecureDraws system() {
    return new SecureDraws(new SecureRandom());
  }

  /**
   * A deterministic generator: the same seed gives the same bytes in the same order. For
   * reproducible runs only: anyone who knows the seed can recompute the session keys.
   */
  public static SecureDraws seeded(long seed) {
    try {
      SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
      random.setSeed(seed);
      return new SecureDraws(random);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA1PRNG missing from this JDK", e);
    }
  }

  @Override
  public synchronized BigInteger scalar(String name) {
    return P256.randomScalar(random);
  }

  @Override
  public synchronized byte[] bytes(String name, int length) {
    byte[] out = new byte[length];
    random.nextBytes(out);
    return out;
  }

  /** The generator itself, for code that takes a {@link SecureRandom}. */
  public SecureRandom random() {
    return random;
  }
}
