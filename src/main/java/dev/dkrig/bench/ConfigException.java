package dev.dkrig.bench;

/**
 * A rig or profile file is wrong: it names the file, the field and what was expected, in one line
 * (exit code 4, found before the run).
 */
public class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
