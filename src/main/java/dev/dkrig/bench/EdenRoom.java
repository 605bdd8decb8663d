package dev.dkrig.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Issue 20: the warm-up's garbage must not make the real pairing pay for a young collection (5–50
 * ms on this machine, most of it stopping the run's thread mid-exchange). Between two throwaway
 * pairings, when the young generation's eden has less room left than a pairing needs, the warm-up
 * fills the rest with short-lived arrays so that the collection happens now, on its own thread,
 * while the car still waits; a young collection of the warm-up's garbage copies only what lives (a
 * few MB), unlike {@code System.gc()}, which under the serial collector compacts the whole heap.
 *
 * <p>Heaps without an eden (ZGC, Epsilon) are left alone. Each array is one slice: a device that
 * arrives stops the filling at once.
 */
final class EdenRoom {
  /**
   * What the real pairing must find free in eden at the device's activation: one pairing from the
   * first APDU to the reports allocates about 6 MB (warm-up pairings measured with the thread's
   * allocation counter); four times that leaves room for the report renderers and a slower device.
   */
  static final long RESERVE = 24L << 20;

  /** One filler: large enough that a few dozen reach a collection, small for a TLAB refill. */
  private static final int CHUNK = 256 << 10;

  /** Where the fillers go, so that no compiler proves them dead and skips the allocation. */
  @SuppressWarnings("unused")
  private static volatile byte[] sink;

  private EdenRoom() {}

  /**
   * When eden has less than {@code reserve} bytes free, fills it until a young collection has
   * emptied it; stops as soon as {@code proceed} says no. Returns whether a collection was made.
   */
  static boolean keep(long reserve, BooleanSupplier proceed) {
    return proceed.getAsBoolean() && keep(Eden.POOL, reserve, proceed);
  }

  /** {@link #keep(long, BooleanSupplier)} on the given pool (tests). */
  static boolean keep(Optional<MemoryPoolMXBean> eden, long reserve, BooleanSupplier proceed) {
    if (eden.isEmpty() || !proceed.getAsBoolean()) {
      return false;
    }
    MemoryPoolMXBean pool = eden.get();
    MemoryUsage usage = pool.getUsage();
    long room = usage.getCommitted() - usage.getUsed();
    if (usage.getMax() <= 0 || room >= reserve || usage.getCommitted() < 2 * reserve) {
      // An eden without a fixed size (G1 grows it region by region: its soaks are left alone),
      // room enough, or an eden so small that no filling could keep a pairing's worth free.
      return false;
    }
    long before = usage.getUsed();
    long limit = usage.getCommitted() / CHUNK + 16;
    for (long i = 0; i < limit && proceed.getAsBoolean(); i++) {
      sink = new byte[CHUNK];
      if (pool.getUsage().getUsed() < before) {
        sink = null;
        return true;
      }
    }
    sink = null;
    return false;
  }

  /**
   * The young generation's eden, looked up once, by the warm-up's thread and only when it goes on:
   * the lookup loads the JDK's management classes, 20 ms of a core.
   */
  private static final class Eden {
    static final Optional<MemoryPoolMXBean> POOL = eden();

    private Eden() {}
  }

  private static Optional<MemoryPoolMXBean> eden() {
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.getName().contains("Eden") && pool.isValid()) {
        return Optional.of(pool);
      }
    }
    return Optional.empty();
  }
}
