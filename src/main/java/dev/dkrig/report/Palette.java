package dev.dkrig.report;

import dev.dkrig.pairing.Result;
import java.util.Map;

/**
 * Colour for consoles, decided once: {@code --color always|never|auto}; auto means colour only on a
 * terminal and never when {@code NO_COLOR} is set (no-color.org). Meaning is never in colour alone:
 * the words PASS, FAIL, ERROR are always printed.
 */
public final class Palette {
  private final boolean enabled;

  private Palette(boolean enabled) {
    this.enabled = enabled;
  }

  public static Palette of(String mode, boolean terminal, Map<String, String> environment) {
    return new Palette(
        switch (mode.toLowerCase(java.util.Locale.ROOT)) {
          case "always" -> true;
          case "never" -> false;
          default ->
              terminal
                  && !environment.containsKey("NO_COLOR")
                  && !"dumb".equals(environment.get("TERM"));
        });
  }

  public static Palette none() {
    return new Palette(false);
  }

  public boolean enabled() {
    return enabled;
  }

  public String result(Result result, String text) {
    return switch (result) {
      case PASS -> paint("32", text);
      case FAIL -> paint("1;31", text);
      case ERROR -> paint("1;35", text);
      case SKIPPED -> paint("2", text);
      case INFO -> paint("36", text);
    };
  }

  public String dim(String text) {
    return paint("2", text);
  }

  public String bold(String text) {
    return paint("1", text);
  }

  private String paint(String code, String text) {
    return enabled ? "\u001B[" + code + "m" + text + "\u001B[0m" : text;
  }
}
