package dev.dkrig.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dkrig.ccc.Crypto;
import dev.dkrig.ccc.Hex;
import dev.dkrig.ccc.spake2.Verifier;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The rig's persistent state directory: the SPAKE2+ attempt counter of a provisioned verifier
 * (§5.6, §18.9) and the DK records (§8.6). Files are written atomically and readable by the owner
 * only, because DK records hold long-term secrets.
 *
 * <p>DK records are written behind the run (issue 10): replacing a file by rename costs ext4 a
 * couple of milliseconds of write-back, which would land between a response and the next command.
 * {@link #save} takes a snapshot and queues it for one writer thread shared by every store, in
 * order; every read of this store, and {@link #flush} at the end of a run, waits for the queue. The
 * attempt counter is written at once: it must be on disk before the attempt it counts.
 */
public final class StateStore {
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .registerModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
          .enable(SerializationFeature.INDENT_OUTPUT);
  private static final String VERIFIER_FILE = "verifier-attempts.json";
  private static final String DK_FOLDER = "dk";

  private static final java.util.concurrent.ExecutorService WRITER =
      java.util.concurrent.Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "dkrig-state-writer");
            t.setDaemon(true);
            return t;
          });

  private final Path directory;
  private java.util.concurrent.Future<?> lastWrite;
  private UncheckedIOException writeFailure;

  public StateStore(Path directory) {
    this.directory = directory;
  }

  /**
   * Waits until every record saved through this store is on disk.
   *
   * @throws UncheckedIOException when a queued write failed (naming the file)
   */
  public synchronized void flush() {
    if (lastWrite != null) {
      boolean interrupted = false;
      while (true) {
        try {
          lastWrite.get();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (java.util.concurrent.ExecutionException e) {
          keepFailure(e);
          break;
        }
      }
      lastWrite = null;
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    if (writeFailure != null) {
      UncheckedIOException failure = writeFailure;
      writeFailure = null;
      throw failure;
    }
  }

  /** The first failed write is the one {@link #flush} reports. */
  private void keepFailure(java.util.concurrent.ExecutionException e) {
    if (e.getCause() instanceof UncheckedIOException u && writeFailure == null) {
      writeFailure = u;
    }
  }

  /** {@code --state-dir}, else {@code DKRIG_STATE_DIR}, else {@code $XDG_STATE_HOME/dkrig}. */
  public static Path defaultDirectory(Map<String, String> environment) {
    String explicit = environment.get("DKRIG_STATE_DIR");
    if (explicit != null && !explicit.isBlank()) {
      return Path.of(explicit);
    }
    String xdg = environment.get("XDG_STATE_HOME");
    if (xdg != null && !xdg.isBlank()) {
      return Path.of(xdg, "dkrig");
    }
    return Path.of(System.getProperty("user.home"), ".local", "state", "dkrig");
  }

  public Path directory() {
    return directory;
  }

  /** A fingerprint of a verifier that reveals nothing of w0: SHA-256 over w0 ‖ L, first 8 bytes. */
  public static String fingerprint(Verifier verifier) {
    return Hex.encode(Crypto.sha256(verifier.w0(), verifier.l())).substring(0, 16);
  }

  /**
   * The attempt counter of this verifier; a different verifier than the stored one counts as
   * freshly provisioned and resets the counter (§18.9).
   */
  public synchronized int attempts(Verifier verifier) {
    flush();
    Optional<JsonNode> stored = readJson(directory.resolve(VERIFIER_FILE));
    if (stored.isEmpty() || !fingerprint(verifier).equals(stored.get().path("verifier").asText())) {
      return 0;
    }
    return stored.get().path("attempts").asInt(0);
  }

  public synchronized void saveAttempts(Verifier verifier, int attempts, Instant at) {
    ObjectNode node = JSON.createObjectNode();
    node.put("verifier", fingerprint(verifier));
    node.put("attempts", attempts);
    node.put("updated", at.toString());
    writeJson(directory.resolve(VERIFIER_FILE), node);
  }

  /** Queues the record for writing (see the class comment); {@link #flush} waits for it. */
  public synchronized void save(DkRecord record) {
    Path file = recordPath(record.vehicleId(), record.dkId());
    JsonNode snapshot = JSON.valueToTree(record);
    java.util.concurrent.Future<?> previous = lastWrite;
    lastWrite =
        WRITER.submit(
            () -> {
              writeJson(file, snapshot);
              return null;
            });
    if (previous != null && previous.isDone()) {
      try {
        previous.get();
      } catch (java.util.concurrent.ExecutionException e) {
        keepFailure(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  public synchronized Optional<DkRecord> find(String vehicleId, String dkId) {
    flush();
    return readJson(recordPath(vehicleId, dkId)).map(StateStore::toRecord);
  }

  public synchronized void delete(String vehicleId, String dkId) {
    flush();
    try {
      Files.deleteIfExists(recordPath(vehicleId, dkId));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public synchronized List<DkRecord> records() {
    flush();
    Path folder = directory.resolve(DK_FOLDER);
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    List<DkRecord> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(folder)) {
      for (Path file : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
        readJson(file).map(StateStore::toRecord).ifPresent(out::add);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.sort(Comparator.comparing(DkRecord::updated));
    return out;
  }

  /**
   * The stored SPAKE2+ attempt counter (§5.6, §18.9), if any.
   *
   * @param verifier the verifier's {@link #fingerprint}, which reveals nothing of w0
   */
  public record Attempts(String verifier, int attempts, String updated) {}

  public synchronized Optional<Attempts> storedAttempts() {
    return readJson(directory.resolve(VERIFIER_FILE))
        .map(
            n ->
                new Attempts(
                    n.path("verifier").asText(),
                    n.path("attempts").asInt(),
                    n.path("updated").asText()));
  }

  public synchronized Optional<String> attemptsSummary() {
    return storedAttempts()
        .map(
            a ->
                "verifier "
                    + a.verifier()
                    + ": "
                    + a.attempts()
                    + " SPAKE2+ attempt(s), updated "
                    + a.updated());
  }

  /** Removes everything the rig stored; returns how many files went. */
  public synchronized int reset() {
    flush();
    if (!Files.isDirectory(directory)) {
      return 0;
    }
    int removed = 0;
    try (Stream<Path> walk = Files.walk(directory)) {
      for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
        if (path.equals(directory)) {
          continue;
        }
        if (Files.isRegularFile(path)) {
          removed++;
        }
        Files.delete(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return removed;
  }

  private Path recordPath(String vehicleId, String dkId) {
    return directory.resolve(DK_FOLDER).resolve(vehicleId + "-" + dkId + ".json");
  }

  private static DkRecord toRecord(JsonNode node) {
    return JSON.convertValue(node, DkRecord.class);
  }

  private static Optional<JsonNode> readJson(Path file) {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readTree(file.toFile()));
    } catch (IOException e) {
      throw new UncheckedIOException("state file " + file + " is unreadable: " + e.getMessage(), e);
    }
  }

  private static void writeJson(Path file, JsonNode node) {
    try {
      Files.createDirectories(file.getParent());
      Path temp = Files.createTempFile(file.getParent(), ".tmp-", ".json");
      try {
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // Not a POSIX file system: the folder's own permissions protect it.
      }
      JSON.writeValue(temp.toFile(), node);
      try {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write state file " + file + ": " + e.getMessage(), e);
    }
  }
}
