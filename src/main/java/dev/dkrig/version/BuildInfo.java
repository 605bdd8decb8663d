package dev.dkrig.version;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The tool's version, commit and build date, read from the build's {@code version.properties} (or
 * the launcher's {@code -Ddkrig.commit}). It lives below every other package so that the bench
 * (report metadata), the CLI ({@code --version}) and the release tests read one source without the
 * bench importing the CLI (issue 17), and it loads nothing else, so that {@code dkrig --version}
 * stays a cheap probe (issue 10).
 */
public final class BuildInfo {
  private BuildInfo() {}

  /**
   * The version lines (tool, commit and build date; the contract; Java and OS). The contract
   * version is a compile-time constant: naming it loads no class.
   */
  public static String[] versionLines() {
    return new String[] {
      "dkrig " + version() + " (commit " + commit() + ", built " + buildDate() + ")",
      "contract: dkrig owner-pairing protocol profile, version "
          + dev.dkrig.ccc.DkProfile.CONTRACT_VERSION,
      "Java "
          + System.getProperty("java.version")
          + " ("
          + System.getProperty("java.vendor")
          + "), "
          + System.getProperty("os.name")
          + " "
          + System.getProperty("os.arch")
    };
  }

  private static Properties build;

  private static synchronized Properties build() {
    if (build == null) {
      Properties properties = new Properties();
      try (InputStream in = BuildInfo.class.getResourceAsStream("/dev/dkrig/version.properties")) {
        if (in != null) {
          properties.load(in);
        }
      } catch (IOException e) {
        // An unreadable resource only costs the version line.
      }
      build = properties;
    }
    return build;
  }

  public static String version() {
    return build().getProperty("version", "unknown");
  }

  public static String buildDate() {
    String built = build().getProperty("buildDate", "");
    return built.isBlank() || built.startsWith("${") ? "unknown" : built;
  }

  public static String commit() {
    String fromLauncher = System.getProperty("dkrig.commit");
    if (fromLauncher != null && !fromLauncher.isBlank()) {
      return fromLauncher;
    }
    String built = build().getProperty("commit", "");
    return built.isBlank() || built.startsWith("${") ? "unknown" : built;
  }
}
