package dev.dkrig.random;

import dev.dkrig.ccc.P256;
import java.math.BigInteger;
import java.util.function.BiConsumer;

/**
 * Hands every draw of another {@link Draws} to a sink as it is made (the dump records them), so
 * that a run drawn from {@code SecureRandom} can be replayed without a seed. What the sink receives
 * is key material: the recording is a secret artefact.
 */
public final class RecordingDraws implements Draws {
  private final Draws inner;
  private final BiConsumer<String, byte[]> sink;

  public RecordingDraws(Draws inner, BiConsumer<String, byte[]> sink) {
    this.inner = inner;
    this.sink = sink;
  }

  @Override
  public synchronized BigInteger scalar(String name) {
    BigInteger k = inner.scalar(name);
    sink.accept(name, P256.encodeScalar(k));
    return k;
  }

  @Override
  public synchronized byte[] bytes(String name, int length) {
    byte[] value = inner.bytes(name, length);
    sink.accept(name, value.clone());
    return value;
  }
}
