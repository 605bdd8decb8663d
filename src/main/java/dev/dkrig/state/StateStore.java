package dev.dkrig.state;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dkrig.ccc.pki.DkIdentifier;
import dev.dkrig.ccc.spake2.Verifier;
import dev.dkrig.io.IoErrors;
import dev.dkrig.iso7816.Hex;
import dev.dkrig.pairing.DkRecord;
import dev.dkrig.pairing.VehicleStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The rig's persistent state folder: the SPAKE2+ attempt counter of a provisioned verifier (§5.6,
 * §18.9) and the DK records (§8.6). Folders are created owner-only (0700) and files readable by the
 * owner only, because DK records hold long-term secrets.
 *
 * <p>Every file is written durably: a temporary sibling, fsync, rename, fsync of the folder; a
 * temporary file left by a failed write is deleted. A damaged file is a {@link StateException}
 * naming it, never "zero attempts".
 *
 * <p>The attempt counter is shared by every run that uses the folder, in this process and in others
 * ({@code --parallel}, several pads, several terminals): {@link #reserveAttempt} re-reads and
 * increments it under an exclusive lock, the in-process lock of the folder's canonical path (JVM
 * file locks are per process) and then {@code STATE/.lock} held with {@link FileChannel#lock}.
 *
 * <p>DK records are written behind the run (issue 10): replacing a file by rename costs ext4 a
 * couple of milliseconds of write-back, which would land between a response and the next command.
 * {@link #save} takes a snapshot and queues it for one writer thread shared by every store, in
 * order; every read of this store, and {@link #flush} at the end of a run, waits for the queue; a
 * failed write comes out of {@link #flush} as a {@link WriteFailure} carrying who saved it.
 */
public final class StateStore implements VehicleStore {
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .registerModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
          .enable(SerializationFeature.INDENT_OUTPUT);

  /** The attempt counter's file. */
  public static final String VERIFIER_FILE = "verifier-attempts.json";

  /** The lock file; never deleted, not even by {@link #reset}. */
  public static final String LOCK_FILE = ".lock";

  private static final String DK_FOLDER = "dk";
  private static final String TEMP_PREFIX = ".tmp-";
  private static final Pattern TEMP_NAME = Pattern.compile("\\.tmp-[0-9]+\\.json");
  private static final Pattern RECORD_NAME =
      Pattern.compile("[0-9A-Fa-f]{1,64}-[0-9A-Fa-f]{1,128}\\.json");
  private static final String REPAIR = "remove it with 'dkrig state reset'";

  private static final Set<PosixFilePermission> FOLDER_MODE =
      PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> FILE_MODE =
      PosixFilePermissions.fromString("rw-------");

  /** One in-process lock per folder, by canonical path (see the class comment). */
  private static final Map<Path, ReentrantLock> FOLDER_LOCKS = new ConcurrentHashMap<>();

  private static final ExecutorService WRITER =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "dkrig-state-writer");
            t.setDaemon(true);
            return t;
          });

  private final Path directory;

  /** Queued writes not yet collected, oldest first: each one's failure must be seen. */
  private final java.util.ArrayDeque<Future<?>> pending = new java.util.ArrayDeque<>();

  private WriteFailure writeFailure;

  public StateStore(Path directory) {
    this.directory = directory;
  }

  /**
   * A DK record (or the counter) that could not be written.
   *
   * @param origin what the caller handed to {@link #save} with the record (the step that made it)
   */
  public static final class WriteFailure extends VehicleStore.NotSaved {
    private static final long serialVersionUID = 1L;
    private final transient Path file;

    WriteFailure(Path file, Object origin, IOException cause) {
      super("cannot write state file " + file + ": " + cause.getMessage(), origin, cause);
      this.file = file;
    }

    public Path file() {
      return file;
    }
  }

  /**
   * Waits until every record saved through this store is on disk.
   *
   * @throws WriteFailure when a queued write failed (naming the file and its origin)
   */
  public synchronized void flush() {
    boolean interrupted = false;
    while (!pending.isEmpty()) {
      try {
        pending.peek().get();
        pending.poll();
      } catch (InterruptedException e) {
        interrupted = true;
      } catch (ExecutionException e) {
        keepFailure(e);
        pending.poll();
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    if (writeFailure != null) {
      WriteFailure failure = writeFailure;
      writeFailure = null;
      throw failure;
    }
  }

  /** The first failed write is the one {@link #flush} reports. */
  private void keepFailure(ExecutionException e) {
    if (e.getCause() instanceof WriteFailure u && writeFailure == null) {
      writeFailure = u;
    }
  }

  /** {@code --state-dir}, else {@code DKRIG_STATE_DIR}, else {@code $XDG_STATE_HOME/dkrig}. */
  public static Path defaultDirectory(Map<String, String> environment) {
    return StateDirectory.ofEnvironment(environment);
  }

  public Path directory() {
    return directory;
  }

  /** A fingerprint of a verifier that reveals nothing of w0: SHA-256 over w0 ‖ L, first 8 bytes. */
  public static String fingerprint(Verifier verifier) {
    return verifier.fingerprint();
  }

  /**
   * Before the first APDU: the folder is a folder (created 0700 if missing) that this user can
   * write and lock, and every file in it reads. Anything else is a {@link StateException} naming
   * the file (exit 4).
   */
  public void check() {
    check(RecordsAhead.inline(directory));
  }

  /**
   * {@link #check()} with the records read by {@code records}, which may have started earlier on a
   * thread of its own (issue 20); the folder, its lock and the attempt file are checked first, as
   * before, then the check waits for every record.
   */
  public synchronized void check(RecordsAhead records) {
    if (!records.directory().equals(directory)) {
      throw new IllegalArgumentException(
          "records read ahead from " + records.directory() + ", not " + directory);
    }
    flush();
    refuseNonFolder();
    try {
      createFolder(directory);
      lockFile().close();
    } catch (IOException e) {
      throw new StateException(
          directory, "cannot use the state folder " + directory + ": " + IoErrors.reason(e), e);
    }
    readAttempts();
    records.await();
  }

  /** A state folder path that names something else than a folder is refused (exit 4). */
  public void refuseNonFolder() {
    if (Files.exists(directory) && !Files.isDirectory(directory)) {
      throw new StateException(
          directory,
          "state folder " + directory + " is not a folder (--state-dir or DKRIG_STATE_DIR)");
    }
  }

  /**
   * The attempt counter of this verifier; a different verifier than the stored one counts as
   * freshly provisioned and resets the counter (§18.9). Reads without a lock: the check before
   * REQUEST needs none (§5.6), {@link #reserveAttempt} re-reads under the lock.
   *
   * @throws StateException when the attempt file is damaged
   */
  public synchronized int attempts(Verifier verifier) {
    return readAttempts()
        .filter(c -> c.verifier().equals(fingerprint(verifier)))
        .map(Counter::attempts)
        .orElse(0);
  }

  /**
   * §5.6 before VERIFY: under the folder's exclusive lock, re-reads the counter and, when it is
   * below {@code limit}, increments it and writes it durably before returning the new count.
   * Returns empty, writing nothing, when the limit is reached (another run used the last attempt).
   *
   * @throws StateException when the attempt file is damaged
   * @throws WriteFailure when the new count cannot be written
   */
  public OptionalInt reserveAttempt(Verifier verifier, int limit, Instant at) {
    return locked(
        () -> {
          int attempts = attempts(verifier);
          if (attempts >= limit) {
            return OptionalInt.empty();
          }
          saveAttempts(verifier, attempts + 1, at);
          return OptionalInt.of(attempts + 1);
        });
  }

  /** Writes the counter durably (tests and {@link #reserveAttempt}). */
  public synchronized void saveAttempts(Verifier verifier, int attempts, Instant at) {
    ObjectNode node = JSON.createObjectNode();
    node.put("verifier", fingerprint(verifier));
    node.put("attempts", attempts);
    node.put("updated", at.toString());
    Path file = directory.resolve(VERIFIER_FILE);
    try {
      writeDurably(file, JSON.writeValueAsBytes(node));
    } catch (IOException e) {
      throw new WriteFailure(file, null, e);
    }
  }

  /** Queues the record for writing (see the class comment); {@link #flush} waits for it. */
  public synchronized void save(DkRecord record) {
    save(record, null);
  }

  /**
   * Queues the record for writing; a failure found by {@link #flush} carries {@code origin} (the
   * step that produced the record), so the run can put the ERROR where it belongs.
   */
  @Override
  public synchronized void save(DkRecord record, Object origin) {
    Path file = recordPath(record.vehicleId(), record.dkId());
    JsonNode snapshot = DkRecordJson.toTree(JSON, record);
    // Writes already done are collected now, so that the queue stays short on a long soak.
    while (!pending.isEmpty() && pending.peek().isDone()) {
      try {
        pending.poll().get();
      } catch (ExecutionException e) {
        keepFailure(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    pending.add(
        WRITER.submit(
            () -> {
              try {
                writeDurably(file, JSON.writeValueAsBytes(snapshot));
              } catch (IOException e) {
                throw new WriteFailure(file, origin, e);
              }
              return null;
            }));
  }

  /**
   * The bytes {@link #save} writes for {@code record}, written nowhere: the warm-up (issue 20) runs
   * the snapshot and its serialisation on throwaway records, so that a run's saves meet compiled
   * code.
   */
  public static byte[] serialized(DkRecord record) {
    try {
      return JSON.writeValueAsBytes(DkRecordJson.toTree(JSON, record));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a DK record that Jackson cannot write", e);
    }
  }

  public synchronized Optional<DkRecord> find(byte[] vehicleId, DkIdentifier dkId) {
    flush();
    return readRecord(recordPath(vehicleId, dkId));
  }

  @Override
  public synchronized void delete(DkRecord record) {
    flush();
    Path file = recordPath(record.vehicleId(), record.dkId());
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new WriteFailure(file, null, e);
    }
  }

  /**
   * Every DK record, oldest first; dot-files (temporary files, the lock) are skipped.
   *
   * @throws StateException naming the first damaged record
   */
  public synchronized List<DkRecord> records() {
    flush();
    Path folder = directory.resolve(DK_FOLDER);
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    List<DkRecord> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(folder)) {
      for (Path file :
          files
              .filter(p -> !p.getFileName().toString().startsWith("."))
              .filter(p -> p.getFileName().toString().endsWith(".json"))
              .sorted()
              .toList()) {
        readRecord(file).ifPresent(out::add);
      }
    } catch (IOException e) {
      throw new StateException(folder, "cannot list " + folder + ": " + IoErrors.reason(e), e);
    }
    out.sort(
        Comparator.comparing(DkRecord::updated, Comparator.nullsFirst(Comparator.naturalOrder())));
    return out;
  }

  /**
   * The stored SPAKE2+ attempt counter (§5.6, §18.9), if any.
   *
   * @param verifier the verifier's {@link #fingerprint}, which reveals nothing of w0
   */
  public record Attempts(String verifier, int attempts, String updated) {
    /** One line for {@code dkrig state show}. */
    public String summary() {
      return "verifier " + verifier + ": " + attempts + " SPAKE2+ attempt(s), updated " + updated;
    }
  }

  /**
   * The attempt counter as stored, if there is one.
   *
   * @throws StateException when the attempt file is damaged
   */
  public synchronized Optional<Attempts> storedAttempts() {
    return readAttempts().map(c -> new Attempts(c.verifier(), c.attempts(), c.updated()));
  }

  /**
   * Deletes dkrig's own files, damaged or not: the attempt file, the DK records, temporary files
   * (never the lock file, which another run may hold). A folder holding anything else is refused,
   * naming the first foreign file, and nothing is deleted: {@code --state-dir} may point anywhere.
   *
   * @param dryRun list what would go, delete nothing
   * @return the files deleted (or that would be)
   * @throws StateException for a foreign file or a folder that is not one
   */
  public synchronized List<Path> reset(boolean dryRun) {
    flush();
    if (!Files.exists(directory, LinkOption.NOFOLLOW_LINKS)) {
      return List.of();
    }
    if (!Files.isDirectory(directory)) {
      throw new StateException(
          directory, "state folder " + directory + " is not a folder; nothing deleted");
    }
    List<Path> own = ownFiles();
    if (dryRun || own.isEmpty()) {
      return own;
    }
    return locked(
        () -> {
          for (Path file : own) {
            try {
              Files.deleteIfExists(file);
            } catch (IOException e) {
              throw new StateException(
                  file, "cannot delete " + file + ": " + IoErrors.reason(e), e);
            }
          }
          return own;
        });
  }

  /** dkrig's files in the folder, or a {@link StateException} for the first foreign entry. */
  private List<Path> ownFiles() {
    List<Path> own = new ArrayList<>();
    for (Path entry : list(directory)) {
      String name = entry.getFileName().toString();
      if (name.equals(LOCK_FILE) && regularFile(entry)) {
        continue;
      }
      if ((name.equals(VERIFIER_FILE) || TEMP_NAME.matcher(name).matches()) && regularFile(entry)) {
        own.add(entry);
      } else if (name.equals(DK_FOLDER) && Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
        for (Path inner : list(entry)) {
          String innerName = inner.getFileName().toString();
          if ((RECORD_NAME.matcher(innerName).matches() || TEMP_NAME.matcher(innerName).matches())
              && regularFile(inner)) {
            own.add(inner);
          } else {
            throw foreign(inner);
          }
        }
      } else {
        throw foreign(entry);
      }
    }
    return own;
  }

  private StateException foreign(Path entry) {
    return new StateException(
        entry,
        "state folder "
            + directory
            + " holds "
            + entry
            + ", which dkrig did not make; nothing deleted (is --state-dir the right folder?)");
  }

  private static boolean regularFile(Path path) {
    return Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS);
  }

  private static List<Path> list(Path folder) {
    try (Stream<Path> entries = Files.list(folder)) {
      return entries.sorted().toList();
    } catch (IOException e) {
      throw new StateException(folder, "cannot list " + folder + ": " + IoErrors.reason(e), e);
    }
  }

  /** Runs {@code work} holding the in-process lock of the folder, then its file lock. */
  private <T> T locked(Supplier<T> work) {
    Path key;
    try {
      createFolder(directory);
      key = directory.toRealPath();
    } catch (IOException e) {
      throw new StateException(
          directory, "cannot use the state folder " + directory + ": " + IoErrors.reason(e), e);
    }
    ReentrantLock inProcess = FOLDER_LOCKS.computeIfAbsent(key, k -> new ReentrantLock());
    inProcess.lock();
    try (FileChannel channel = lockFile()) {
      FileLock lock = channel.lock();
      try {
        return work.get();
      } finally {
        lock.release();
      }
    } catch (IOException e) {
      throw new StateException(
          directory.resolve(LOCK_FILE),
          "cannot lock " + directory.resolve(LOCK_FILE) + ": " + IoErrors.reason(e),
          e);
    } finally {
      inProcess.unlock();
    }
  }

  private FileChannel lockFile() throws IOException {
    Path file = directory.resolve(LOCK_FILE);
    try {
      Files.createFile(file, ownerOnly(FILE_MODE));
    } catch (FileAlreadyExistsException e) {
      // Another run made it: it is never deleted.
    }
    return FileChannel.open(file, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
  }

  private Path recordPath(byte[] vehicleId, DkIdentifier dkId) {
    return directory.resolve(DK_FOLDER).resolve(Hex.encode(vehicleId) + "-" + dkId.hex() + ".json");
  }

  /** What the attempt file says. */
  private record Counter(String verifier, int attempts, String updated) {}

  private Optional<Counter> readAttempts() {
    Path file = directory.resolve(VERIFIER_FILE);
    Optional<JsonNode> node = readJson(file);
    if (node.isEmpty()) {
      return Optional.empty();
    }
    JsonNode n = node.get();
    JsonNode verifier = n.get("verifier");
    JsonNode attempts = n.get("attempts");
    if (verifier == null
        || !verifier.isTextual()
        || attempts == null
        || !attempts.canConvertToInt()
        || !attempts.isIntegralNumber()
        || attempts.asInt() < 0) {
      throw damaged(file, "no verifier fingerprint or no attempt count of 0 or more");
    }
    return Optional.of(
        new Counter(verifier.asText(), attempts.asInt(), n.path("updated").asText()));
  }

  private static Optional<DkRecord> readRecord(Path file) {
    return readObject(
        file,
        parser -> {
          try {
            return DkRecordJson.read(JSON, parser);
          } catch (DkRecordJson.Unreadable e) {
            throw damaged(file, e.getMessage());
          }
        });
  }

  private static Optional<JsonNode> readJson(Path file) {
    return readObject(file, JSON::readTree);
  }

  /** What reads a state file's object, the parser standing on its opening brace. */
  private interface ObjectReader<T> {
    T read(JsonParser parser) throws IOException;
  }

  /**
   * The JSON object in {@code file} read by {@code reader}; empty when there is no file. A file
   * that is empty, not JSON or not an object is damaged (a {@link StateException} naming it).
   */
  private static <T> Optional<T> readObject(Path file, ObjectReader<T> reader) {
    if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      return Optional.empty();
    }
    if (!regularFile(file)) {
      throw damaged(file, "not a regular file");
    }
    try (JsonParser parser = JSON.createParser(file.toFile())) {
      JsonToken first = parser.nextToken();
      if (first != JsonToken.START_OBJECT) {
        throw damaged(file, first == null ? "empty" : "not a JSON object");
      }
      return Optional.of(reader.read(parser));
    } catch (JsonProcessingException e) {
      throw damaged(file, "truncated or not JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new StateException(
          file, "cannot read state file " + file + ": " + IoErrors.reason(e), e);
    }
  }

  private static StateException damaged(Path file, String why) {
    return new StateException(file, "state file " + file + " is damaged (" + why + "): " + REPAIR);
  }

  /**
   * Temporary sibling, fsync, rename over the file, fsync of the folder; the temporary file is
   * deleted when anything fails.
   */
  private static void writeDurably(Path file, byte[] bytes) throws IOException {
    Path folder = file.getParent();
    createFolder(folder);
    Path temp = Files.createTempFile(folder, TEMP_PREFIX, ".json", ownerOnly(FILE_MODE));
    try {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      try {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
      }
      try (FileChannel dir = FileChannel.open(folder, StandardOpenOption.READ)) {
        dir.force(true);
      } catch (IOException e) {
        // Some file systems cannot open a folder for fsync; the rename is done either way.
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** Creates the folder (and missing parents) owner-only; an existing folder is left as it is. */
  private static void createFolder(Path folder) throws IOException {
    if (Files.isDirectory(folder)) {
      return;
    }
    Path parent = folder.toAbsolutePath().getParent();
    if (parent != null && !Files.isDirectory(parent)) {
      createFolder(parent);
    }
    try {
      Files.createDirectory(folder, ownerOnly(FOLDER_MODE));
    } catch (FileAlreadyExistsException e) {
      if (!Files.isDirectory(folder)) {
        throw e;
      }
    }
  }

  private static FileAttribute<?>[] ownerOnly(Set<PosixFilePermission> mode) {
    return java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(mode)}
        : new FileAttribute<?>[0];
  }
}
