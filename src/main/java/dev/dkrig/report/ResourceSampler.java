package dev.dkrig.report;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The process's own footprint over a soak (issue 9): live heap after a collection, threads, open
 * file descriptors. Sampled between runs, so that a leak shows as a slope across the samples.
 */
public final class ResourceSampler {
  /** One sample, taken after {@code afterRun} runs had ended. */
  public record Sample(int afterRun, long heapBytes, int threads, int fds) {}

  private final List<Sample> samples = new ArrayList<>();

  /** Collects garbage, then reads the heap in use, the thread count and the descriptor count. */
  public synchronized Sample sample(int afterRun) {
    System.gc();
    long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    int threads = ManagementFactory.getThreadMXBean().getThreadCount();
    Sample s = new Sample(afterRun, heap, threads, openDescriptors());
    samples.add(s);
    return s;
  }

  public synchronized List<Sample> samples() {
    return List.copyOf(samples);
  }

  /** "heap 21.3 → 22.0 MB, threads 9 → 9, fds 24 → 24 (after run 1 → 1000, 11 samples)" */
  public synchronized String line() {
    if (samples.size() < 2) {
      return "";
    }
    Sample first = samples.get(0);
    Sample last = samples.get(samples.size() - 1);
    long maxHeap = samples.stream().mapToLong(Sample::heapBytes).max().orElse(0);
    return String.format(
        Locale.ROOT,
        "resources: heap %.1f -> %.1f MB (max %.1f), threads %d -> %d, fds %d -> %d (after run %d"
            + " -> %d, %d samples)",
        first.heapBytes() / 1e6,
        last.heapBytes() / 1e6,
        maxHeap / 1e6,
        first.threads(),
        last.threads(),
        first.fds(),
        last.fds(),
        first.afterRun(),
        last.afterRun(),
        samples.size());
  }

  /** Open descriptors from /proc/self/fd; -1 where there is no /proc. */
  static int openDescriptors() {
    Path fd = Path.of("/proc/self/fd");
    if (!Files.isDirectory(fd)) {
      return -1;
    }
    try (Stream<Path> list = Files.list(fd)) {
      return (int) list.count() - 1; // the listing's own descriptor
    } catch (IOException e) {
      return -1;
    }
  }
}
