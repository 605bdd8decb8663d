package dev.dkrig.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryUsage;
import java.lang.reflect.Proxy;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Issue 20: the warm-up leaves eden room for the real pairing, and never more than it needs. */
class EdenRoomTest {
  private static final long MB = 1L << 20;

  /**
   * An eden of {@code committed} bytes holding {@code used}, whose collection comes after {@code
   * collectAfter} more looks at it (each look follows one filler); it counts the looks.
   */
  private static final class Eden {
    final long committed;
    final long max;
    long used;
    int collectAfter;
    int looks;

    Eden(long committed, long max, long used, int collectAfter) {
      this.committed = committed;
      this.max = max;
      this.used = used;
      this.collectAfter = collectAfter;
    }

    Optional<MemoryPoolMXBean> pool() {
      return Optional.of(
          (MemoryPoolMXBean)
              Proxy.newProxyInstance(
                  getClass().getClassLoader(),
                  new Class<?>[] {MemoryPoolMXBean.class},
                  (proxy, method, args) -> {
                    if (!method.getName().equals("getUsage")) {
                      throw new UnsupportedOperationException(method.getName());
                    }
                    if (looks++ > 0 && --collectAfter == 0) {
                      used = 2 * MB;
                    }
                    return new MemoryUsage(committed, used, committed, max);
                  }));
    }
  }

  @Test
  @DisplayName("with less room than the reserve, it fills eden until a collection empties it")
  void collectsWhenShort() {
    Eden eden = new Eden(100 * MB, 1600 * MB, 90 * MB, 5);
    assertTrue(EdenRoom.keep(eden.pool(), 24 * MB, () -> true));
    assertEquals(2 * MB, eden.used);
    assertEquals(6, eden.looks, "one look before, one after each of the five fillers");
  }

  @Test
  @DisplayName("with room enough it allocates nothing")
  void leavesRoomyEdenAlone() {
    Eden eden = new Eden(100 * MB, 1600 * MB, 50 * MB, 1);
    assertFalse(EdenRoom.keep(eden.pool(), 24 * MB, () -> true));
    assertEquals(1, eden.looks);
    assertEquals(50 * MB, eden.used);
  }

  @Test
  @DisplayName("a device that arrives stops the filling at the next filler")
  void stopsWhenTold() {
    Eden eden = new Eden(100 * MB, 1600 * MB, 90 * MB, 1000);
    int[] asked = {0};
    assertFalse(EdenRoom.keep(eden.pool(), 24 * MB, () -> ++asked[0] <= 3));
    assertEquals(4, asked[0], "asked before looking, then before each of two fillers, then no");
    assertEquals(3, eden.looks);
    assertFalse(EdenRoom.keep(eden.pool(), 24 * MB, () -> false));
    assertEquals(3, eden.looks, "a stopped warm-up does not even look");
  }

  @Test
  @DisplayName("an eden without a fixed size (G1), or too small to keep the reserve, is left alone")
  void leavesOtherHeapsAlone() {
    Eden g1 = new Eden(16 * MB, -1, 15 * MB, 1);
    assertFalse(EdenRoom.keep(g1.pool(), 24 * MB, () -> true));
    assertEquals(1, g1.looks);
    Eden small = new Eden(32 * MB, 64 * MB, 30 * MB, 1);
    assertFalse(EdenRoom.keep(small.pool(), 24 * MB, () -> true));
    assertEquals(1, small.looks);
    assertFalse(EdenRoom.keep(Optional.empty(), 24 * MB, () -> true));
  }
}
