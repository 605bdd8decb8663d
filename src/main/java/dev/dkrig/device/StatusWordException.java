package dev.dkrig.device;

import dev.dkrig.ccc.StatusWord;

/**
 * A command the device refuses, with the status word it answers (§3.5, §18.10). Thrown inside the
 * device's command handlers and turned into a response by {@link VirtualDevice}; never escapes it.
 */
final class StatusWordException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int sw;

  StatusWordException(int sw, String reason) {
    // No stack trace: this is the device's normal way of saying no, not a fault.
    super(StatusWord.describe(sw) + ": " + reason, null, false, false);
    this.sw = sw;
  }

  StatusWordException(int sw, String reason, Throwable cause) {
    super(StatusWord.describe(sw) + ": " + reason, cause, false, false);
    this.sw = sw;
  }

  int sw() {
    return sw;
  }
}
