package dev.dkrig.bench;

import dev.dkrig.io.SafeText;

/**
 * A rig or profile file is wrong: it names the file, the field and what was expected, in one line
 * (exit code 4, found before the run).
 */
public class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  // The message quotes file names and values from the user's files and command line: their control
  // characters are shown as escapes, never sent raw to the console.
  public ConfigException(String message) {
    super(SafeText.line(message));
  }

  public ConfigException(String message, Throwable cause) {
    super(SafeText.line(message), cause);
  }
}
