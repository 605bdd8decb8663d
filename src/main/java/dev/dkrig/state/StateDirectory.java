package dev.dkrig.state;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where the state folder is when {@code --state-dir} does not say: a class of its own, so that the
 * launch can ask (issue 20) without initialising {@link StateStore} and its JSON mapper on the main
 * thread.
 */
public final class StateDirectory {
  private StateDirectory() {}

  /** {@code DKRIG_STATE_DIR}, else {@code $XDG_STATE_HOME/dkrig}, else the XDG default. */
  public static Path ofEnvironment(Map<String, String> environment) {
    String explicit = environment.get("DKRIG_STATE_DIR");
    if (explicit != null && !explicit.isBlank()) {
      return Path.of(explicit);
    }
    String xdg = environment.get("XDG_STATE_HOME");
    if (xdg != null && !xdg.isBlank()) {
      return Path.of(xdg, "dkrig");
    }
    return Path.of(System.getProperty("user.home"), ".local", "state", "dkrig");
  }
}
