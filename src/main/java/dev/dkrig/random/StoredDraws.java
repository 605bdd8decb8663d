package dev.dkrig.random;

import java.math.BigInteger;

/**
 * Draws that answer each name with a stored value (test mode's T1 values, a recording's values): a
 * scalar is the value read as an unsigned number, and a byte draw must have the length asked for.
 */
abstract class StoredDraws implements Draws {
  /** How an error names a draw, e.g. "the recorded draw". */
  private final String what;

  StoredDraws(String what) {
    this.what = what;
  }

  @Override
  public final synchronized BigInteger scalar(String name) {
    return new BigInteger(1, next(name));
  }

  @Override
  public final synchronized byte[] bytes(String name, int length) {
    byte[] value = next(name);
    if (value.length != length) {
      throw new IllegalStateException(
          what + " " + name + " has " + value.length + " bytes, not " + length);
    }
    return value;
  }

  /** The next stored value of {@code name}, a copy the caller may keep. */
  abstract byte[] next(String name);
}
