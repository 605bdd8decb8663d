package dev.dkrig.random;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Replay of a recording made by {@link RecordingDraws}: each name answers its recorded values in
 * order. A draw the recording does not hold is an error: the replay went another way.
 */
public final class RecordedDraws extends StoredDraws {
  private final Map<String, Deque<byte[]>> values = new HashMap<>();

  /** The recorded draws, in the order they were made: each entry a name and its value. */
  public RecordedDraws(List<Map.Entry<String, byte[]>> recorded) {
    super("the recorded draw");
    for (Map.Entry<String, byte[]> e : recorded) {
      values.computeIfAbsent(e.getKey(), k -> new ArrayDeque<>()).add(e.getValue().clone());
    }
  }

  @Override
  byte[] next(String name) {
    Deque<byte[]> queue = values.get(name);
    if (queue == null || queue.isEmpty()) {
      throw new IllegalStateException("the recording holds no further draw '" + name + "'");
    }
    return queue.poll().clone();
  }
}
