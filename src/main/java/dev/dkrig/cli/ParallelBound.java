package dev.dkrig.cli;

import dev.dkrig.ccc.DkProfile;
import dev.dkrig.pairing.VerifierSource;
import java.util.Optional;
import picocli.CommandLine;

/**
 * How many in-process pairings {@code --parallel} may run side by side, checked before the first
 * run (exit 2). Each pairing in flight holds two scrypt working sets at once, the vehicle's P1.4
 * verifier and the virtual device's SPAKE2+ prover, 128·r·N bytes each (32 MiB with the default N =
 * 32768, r = 8; measured: 45 MB of heap per pairing in flight at {@code --parallel 40}), and about
 * three threads (the run, its precomputation, its verifier's scrypt). A heap too small for them
 * ended in an OutOfMemoryError mid-soak; more than {@link #MOST} gains no throughput, since a
 * pairing is CPU-bound and the runs beyond a few per processor only queue for one.
 *
 * <p>Only the in-process virtual device runs pairings side by side: a PC/SC or serial reader
 * carries one pairing at a time, so several readers are several pads ({@code -r A -r B}), one
 * pairing each, bounded by the readers connected.
 */
final class ParallelBound {
  /** Four times the processors of a 64-core host; some 870 threads (3.4 per pairing measured). */
  static final int MOST = 256;

  private static final long MIB = 1024 * 1024;

  private ParallelBound() {}

  /**
   * The bound for this heap and this verifier's scrypt cost: the pairings whose two scrypt working
   * sets fit the heap, at most {@link #MOST}, at least 1.
   */
  static int of(long maxHeap, long scryptBytes) {
    return (int) Math.max(1, Math.min(MOST, maxHeap / (2 * scryptBytes)));
  }

  /** The scrypt working set (128·r·N bytes) a pairing of this verifier derives with. */
  static long scryptBytes(VerifierSource source) {
    if (source instanceof VerifierSource.FromPassword p) {
      return 128L * p.r() * p.n();
    }
    if (source instanceof VerifierSource.Provisioned p) {
      return 128L * p.verifier().scrypt().r() * p.verifier().scrypt().n();
    }
    return 128L * DkProfile.SCRYPT_DEFAULT_R * DkProfile.SCRYPT_DEFAULT_N;
  }

  /**
   * More pairings than processors: the in-process devices wait for a processor like the vehicles,
   * so the times measure the host, and the virtual transport judges an answer the host made late
   * ERROR, not FAIL. The warning says so before the run.
   */
  static Optional<String> warning(int parallel, int processors) {
    if (parallel <= processors) {
      return Optional.empty();
    }
    return Optional.of(
        "dkrig: warning: --parallel "
            + parallel
            + " on "
            + processors
            + " processors: the virtual devices wait for a processor too, so the run times"
            + " measure this host; an answer it made later than T_Apdu ends ERROR, not FAIL");
  }

  /** {@code --parallel K} over the bound of this JVM's heap: a usage error naming both (exit 2). */
  static void check(CommandLine line, int parallel, VerifierSource source) {
    long maxHeap = Runtime.getRuntime().maxMemory();
    long scrypt = scryptBytes(source);
    int bound = of(maxHeap, scrypt);
    if (parallel > bound) {
      String why =
          bound == MOST
              ? "the bound is at most " + MOST + ", as more gains no throughput on any host"
              : "each holds two scrypt working sets of "
                  + Math.max(1, scrypt / MIB)
                  + " MiB and this JVM's heap is "
                  + maxHeap / MIB
                  + " MiB (DKRIG_JAVA_OPTS=-Xmx... raises it; the bound is at most "
                  + MOST
                  + ")";
      throw new CommandLine.ParameterException(
          line,
          "--parallel "
              + parallel
              + " is over the bound of "
              + bound
              + (bound == 1 ? " pairing" : " pairings")
              + " side by side: "
              + why);
    }
  }
}
