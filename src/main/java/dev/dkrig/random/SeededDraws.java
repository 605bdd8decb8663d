package dev.dkrig.random;

import dev.dkrig.ccc.Crypto;
import dev.dkrig.ccc.P256;
import dev.dkrig.iso7816.Bytes;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code --seed N}: one seeded generator for every draw of the run. Each draw is derived from the
 * seed, the draw's name and how many times that name was drawn (SHA-256 in counter mode), so the
 * vehicle's draws do not depend on how the virtual device's draws interleave with them: a replay of
 * the vehicle alone reproduces them. Anyone who knows the seed can recompute the run's keys.
 */
public final class SeededDraws implements Draws {
  private final byte[] seed;
  private final Map<String, Integer> counters = new HashMap<>();

  public SeededDraws(long seed) {
    this.seed = Bytes.u64(seed);
  }

  @Override
  public synchronized BigInteger scalar(String name) {
    while (true) {
      BigInteger k = new BigInteger(1, next(name, P256.SCALAR_LENGTH));
      if (k.signum() > 0 && k.compareTo(P256.N) < 0) {
        return k;
      }
    }
  }

  @Override
  public synchronized byte[] bytes(String name, int length) {
    return next(name, length);
  }

  private byte[] next(String name, int length) {
    int index = counters.merge(name, 1, Integer::sum);
    byte[] label = name.getBytes(StandardCharsets.UTF_8);
    Bytes.Builder out = new Bytes.Builder();
    for (int block = 0; out.size() < length; block++) {
      out.add(
          Crypto.sha256(seed, Bytes.u32(label.length), label, Bytes.u32(index), Bytes.u32(block)));
    }
    return Bytes.range(out.build(), 0, length);
  }
}
