package dev.dkrig.iso7816;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.util.Arrays;

/** Small byte helpers used across the protocol code. */
public final class Bytes {
  private Bytes() {}

  public static byte[] concat(byte[]... parts) {
    int length = 0;
    for (byte[] part : parts) {
      length += part.length;
    }
    byte[] out = new byte[length];
    int offset = 0;
    for (byte[] part : parts) {
      System.arraycopy(part, 0, out, offset, part.length);
      offset += part.length;
    }
    return out;
  }

  public static byte[] of(int... values) {
    byte[] out = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (byte) values[i];
    }
    return out;
  }

  public static byte[] range(byte[] bytes, int from, int toExclusive) {
    return Arrays.copyOfRange(bytes, from, toExclusive);
  }

  /**
   * A copy of a value that must have exactly {@code length} bytes, for the compact constructors of
   * the message records.
   *
   * @throws IllegalArgumentException "{@code what} must be N bytes, not M" otherwise
   */
  public static byte[] copyOfLength(byte[] value, int length, String what) {
    if (value.length != length) {
      throw new IllegalArgumentException(
          what + " must be " + length + " bytes, not " + value.length);
    }
    return value.clone();
  }

  public static byte[] u16(int value) {
    return new byte[] {(byte) (value >>> 8), (byte) value};
  }

  public static int u16(byte[] bytes, int offset) {
    return ((bytes[offset] & 0xFF) << 8) | (bytes[offset + 1] & 0xFF);
  }

  public static byte[] u32(long value) {
    return new byte[] {
      (byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value
    };
  }

  public static long u32(byte[] bytes, int offset) {
    return ((long) u16(bytes, offset) << 16) | u16(bytes, offset + 2);
  }

  public static byte[] u64(long value) {
    byte[] out = new byte[8];
    for (int i = 7; i >= 0; i--) {
      out[i] = (byte) value;
      value >>>= 8;
    }
    return out;
  }

  public static long u64(byte[] bytes, int offset) {
    long value = 0;
    for (int i = 0; i < 8; i++) {
      value = (value << 8) | (bytes[offset + i] & 0xFF);
    }
    return value;
  }

  /** 8-byte little-endian length, the LE64 of the SPAKE2+ transcript (§5.2). */
  public static byte[] le64(long value) {
    byte[] out = new byte[8];
    for (int i = 0; i < 8; i++) {
      out[i] = (byte) value;
      value >>>= 8;
    }
    return out;
  }

  /** Unsigned big-endian encoding of exactly {@code length} bytes. */
  public static byte[] unsigned(BigInteger value, int length) {
    if (value.signum() < 0) {
      throw new IllegalArgumentException("negative value");
    }
    byte[] raw = value.toByteArray();
    if (raw.length == length) {
      return raw;
    }
    if (raw.length == length + 1 && raw[0] == 0) {
      return Arrays.copyOfRange(raw, 1, raw.length);
    }
    if (raw.length > length) {
      throw new IllegalArgumentException("value does not fit in " + length + " bytes");
    }
    byte[] out = new byte[length];
    System.arraycopy(raw, 0, out, length - raw.length, raw.length);
    return out;
  }

  /** Constant-time comparison for MACs and evidence values. */
  public static boolean equalsConstantTime(byte[] a, byte[] b) {
    return java.security.MessageDigest.isEqual(a, b);
  }

  /** Collects bytes; a thin wrapper that never throws checked exceptions. */
  public static final class Builder {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    public Builder add(byte[] bytes) {
      out.writeBytes(bytes);
      return this;
    }

    public Builder add(int... values) {
      for (int value : values) {
        out.write(value);
      }
      return this;
    }

    public int size() {
      return out.size();
    }

    public byte[] build() {
      return out.toByteArray();
    }
  }
}
