package dev.dkrig.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;

/** Tool version and commit, from the build (or the launcher's {@code -Ddkrig.commit}). */
public final class VersionInfo implements CommandLine.IVersionProvider {
  private static final Properties BUILD = load();

  public static String version() {
    return BUILD.getProperty("version", "unknown");
  }

  public static String commit() {
    String fromLauncher = System.getProperty("dkrig.commit");
    if (fromLauncher != null && !fromLauncher.isBlank()) {
      return fromLauncher;
    }
    String built = BUILD.getProperty("commit", "");
    return built.isBlank() || built.startsWith("${") ? "unknown" : built;
  }

  @Override
  public String[] getVersion() {
    return new String[] {
      "dkrig " + version() + " (commit " + commit() + ")",
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

  private static Properties load() {
    Properties properties = new Properties();
    try (InputStream in = VersionInfo.class.getResourceAsStream("/dev/dkrig/version.properties")) {
      if (in != null) {
        properties.load(in);
      }
    } catch (IOException e) {
      // An unreadable resource only costs the version line.
    }
    return properties;
  }
}
