package dev.dkrig.report;

import dev.dkrig.io.IoErrors;
import dev.dkrig.io.SafeText;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Output paths are probed before the first APDU (issue 14): a run that cannot write the evidence it
 * was asked for must not spend a phone's pairing. A path is refused when it is a symbolic link (the
 * file written could be anyone's), a folder, under a regular file, or cannot be created; the probe
 * creates missing folders and creates (then removes) a missing file, so every cause the system
 * knows (permission, read-only file system, a name too long) shows now.
 */
public final class OutputPaths {
  private OutputPaths() {}

  /** A path that cannot be written; the message names the option, the path and the cause. */
  public static final class Unwritable extends Exception {
    private static final long serialVersionUID = 1L;

    Unwritable(String option, Path path, String cause) {
      super(option + " " + SafeText.line(path.toString()) + ": " + SafeText.line(cause));
    }
  }

  /** A file the run will write (or replace). */
  public static void probeFile(String option, Path file) throws Unwritable {
    try {
      if (Files.isSymbolicLink(file)) {
        throw new Unwritable(option, file, "is a symbolic link; give the real path");
      }
      if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
        throw new Unwritable(option, file, "is a folder, not a file");
      }
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        folder(option, file, parent);
      }
      if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) || !Files.isWritable(file)) {
          throw new Unwritable(option, file, "exists and cannot be replaced");
        }
        if (parent != null && !Files.isWritable(parent)) {
          throw new Unwritable(option, file, "its folder is not writable (permission denied)");
        }
        return;
      }
      Files.createFile(file);
      Files.delete(file);
    } catch (IOException e) {
      throw new Unwritable(option, file, IoErrors.reason(e));
    } catch (InvalidPathException e) {
      throw new Unwritable(option, file, "not a valid path: " + e.getReason());
    }
  }

  /** A folder the run will write files into ({@code --report-dir}). */
  public static void probeFolder(String option, Path folder) throws Unwritable {
    try {
      if (Files.isSymbolicLink(folder)) {
        throw new Unwritable(option, folder, "is a symbolic link; give the real path");
      }
      folder(option, folder, folder.toAbsolutePath());
      Path probe = Files.createTempFile(folder, ".dkrig-probe-", ".tmp");
      Files.delete(probe);
    } catch (IOException e) {
      throw new Unwritable(option, folder, IoErrors.reason(e));
    } catch (InvalidPathException e) {
      throw new Unwritable(option, folder, "not a valid path: " + e.getReason());
    }
  }

  /** Makes {@code folder} exist as a folder, naming the ancestor that is a regular file. */
  private static void folder(String option, Path given, Path folder)
      throws Unwritable, IOException {
    for (Path p = folder; p != null; p = p.getParent()) {
      if (Files.exists(p)) {
        if (!Files.isDirectory(p)) {
          throw new Unwritable(option, given, p + " is a regular file, not a folder");
        }
        break;
      }
    }
    Files.createDirectories(folder);
  }
}
