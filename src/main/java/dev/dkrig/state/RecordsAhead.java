package dev.dkrig.state;

import dev.dkrig.pairing.DkRecord;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * The reading of every DK record that {@link StateStore#check(RecordsAhead)} needs before the first
 * APDU, started early (issue 20): at launch for a single pairing, so that on a free core the
 * records are read while picocli builds its model and the profile loads, and a lab that keeps every
 * phone it paired waits less. A folder changed between launch and the check is checked as it was at
 * launch, as a folder changed after the check always was: dkrig writes a record whole (rename). The
 * check still ends on its result: a damaged record is the same {@link StateException} naming the
 * file, before anything is opened or sent; a reading not yet started when the check comes is done
 * by the checking thread itself.
 */
public final class RecordsAhead {
  /** What {@link #startAtLaunch} started and no pairing took yet. */
  private static RecordsAhead launched;

  private final Path directory;
  private final FutureTask<List<DkRecord>> reading;

  private RecordsAhead(Path directory) {
    this.directory = directory;
    this.reading = new FutureTask<>(() -> new StateStore(directory).records());
  }

  /** Starts reading the records of {@code directory} on a daemon thread of its own. */
  public static RecordsAhead start(Path directory) {
    RecordsAhead ahead = new RecordsAhead(directory);
    Thread thread = new Thread(ahead.reading, "dkrig-state-check");
    thread.setDaemon(true);
    thread.start();
    return ahead;
  }

  /**
   * At launch, for a single pairing (issue 20): starts reading the folder that its raw arguments
   * name, while picocli builds its model; the pairing takes it with {@link #take}.
   */
  public static synchronized RecordsAhead startAtLaunch(Path directory) {
    launched = start(directory);
    return launched;
  }

  /**
   * The reading started at launch, once, when it is of {@code directory} (what picocli made of the
   * arguments); otherwise a reading started now.
   */
  public static RecordsAhead take(Path directory) {
    synchronized (RecordsAhead.class) {
      RecordsAhead ahead = launched;
      launched = null;
      if (ahead != null && ahead.directory.equals(directory)) {
        return ahead;
      }
    }
    return start(directory);
  }

  /** A reading that the check does itself, when it comes (no thread). */
  static RecordsAhead inline(Path directory) {
    return new RecordsAhead(directory);
  }

  Path directory() {
    return directory;
  }

  /**
   * Every record, read by the thread or now; waits for the thread when it is reading.
   *
   * @throws StateException naming the first damaged record, or the folder that cannot be listed
   */
  List<DkRecord> await() {
    reading.run();
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return reading.get();
        } catch (InterruptedException e) {
          // The check ends on the records either way; the interruption is kept for the caller.
          interrupted = true;
        }
      }
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException failure) {
        throw failure;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException("reading the DK records failed", e.getCause());
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
