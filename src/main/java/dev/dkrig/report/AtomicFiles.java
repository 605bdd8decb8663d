package dev.dkrig.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Whole-file writes that a reader (Jenkins, a colleague's browser) never sees half done: write a
 * sibling temporary file, then rename it over the target. The file gets the operator's umask, or
 * owner-only permissions when it holds secrets.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  public static void write(Path file, String text, boolean ownerOnly) throws IOException {
    Path absolute = file.toAbsolutePath();
    Path parent = absolute.getParent();
    Files.createDirectories(parent);
    Path temp = createSibling(parent, absolute.getFileName().toString(), ownerOnly);
    try {
      Files.writeString(temp, text, StandardCharsets.UTF_8);
      try {
        Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE);
      } catch (java.nio.file.AtomicMoveNotSupportedException e) {
        Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private static Path createSibling(Path parent, String name, boolean ownerOnly)
      throws IOException {
    for (int attempt = 0; ; attempt++) {
      Path temp =
          parent.resolve(
              "." + name + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
      try {
        if (ownerOnly) {
          try {
            return Files.createFile(
                temp,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
          } catch (UnsupportedOperationException e) {
            return Files.createFile(temp);
          }
        }
        return Files.createFile(temp);
      } catch (FileAlreadyExistsException e) {
        if (attempt > 8) {
          throw e;
        }
      }
    }
  }
}
