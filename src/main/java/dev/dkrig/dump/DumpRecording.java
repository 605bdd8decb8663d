package dev.dkrig.dump;

import dev.dkrig.pairing.PairingOutcome;
import dev.dkrig.time.RigClock;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** The dump file of one run: opened owner-only (it holds the seed), written as the run goes. */
public final class DumpRecording implements AutoCloseable {
  private final PrintWriter out;
  private final DumpWriter writer;

  private DumpRecording(PrintWriter out, DumpWriter writer) {
    this.out = out;
    this.writer = writer;
  }

  public static DumpRecording open(Path file, RigClock clock) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.deleteIfExists(file);
      try {
        Files.createFile(
            file,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (UnsupportedOperationException e) {
        Files.createFile(file);
      }
      PrintWriter out = new PrintWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8));
      return new DumpRecording(out, new DumpWriter(out, clock.now()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the dump " + file + ": " + e.getMessage(), e);
    }
  }

  public DumpWriter writer() {
    return writer;
  }

  public void finish(PairingOutcome outcome) {
    writer.results(outcome);
  }

  @Override
  public void close() {
    out.close();
  }
}
