package dev.dkrig.state;

import dev.dkrig.io.SafeText;
import dev.dkrig.pairing.VehicleStore;
import java.nio.file.Path;

/**
 * The state folder or one of its files cannot be used: a damaged attempt file or DK record, a
 * folder that is a regular file, a foreign file where {@code state reset} would delete. Found
 * before the first APDU it is a configuration problem (exit 4); the message names the file and the
 * repair.
 */
public final class StateException extends VehicleStore.Unusable {
  private static final long serialVersionUID = 1L;

  private final transient Path file;

  // The message quotes paths and a damaged file's own bytes: control characters become escapes.
  public StateException(Path file, String message) {
    super(SafeText.line(message));
    this.file = file;
  }

  public StateException(Path file, String message, Throwable cause) {
    super(SafeText.line(message), cause);
    this.file = file;
  }

  /** The file or folder at fault. */
  public Path file() {
    return file;
  }
}
