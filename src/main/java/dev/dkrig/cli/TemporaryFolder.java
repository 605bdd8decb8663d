package dev.dkrig.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Removes a command's temporary folder (the state of a suite or a replay, several pads' reports) at
 * the end.
 */
final class TemporaryFolder {
  private TemporaryFolder() {}

  /** Deletes the folder and all it holds, as far as it can: what is left the system cleans up. */
  static void delete(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException e) {
                  // Left for the system's own clean-up; the rest still goes.
                }
              });
    } catch (IOException e) {
      // Same.
    }
  }
}
