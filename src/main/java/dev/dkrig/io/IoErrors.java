package dev.dkrig.io;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/** One wording for why a file could not be read or written, for one-line user messages. */
public final class IoErrors {
  private IoErrors() {}

  /**
   * Why {@code e} happened, without the file's name again (the caller leads with it) and without a
   * Java class name: "no such file", "permission denied", "not UTF-8 text", or the system's reason.
   */
  public static String reason(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof CharacterCodingException) {
      return "not UTF-8 text";
    }
    if (e instanceof FileSystemException f && f.getReason() != null) {
      return f.getReason();
    }
    return e.getMessage() == null ? "input/output error" : e.getMessage();
  }
}
