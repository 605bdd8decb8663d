package dev.dkrig.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The jar's entry point. {@code dkrig --version} is answered here, before any class of picocli (a
 * 400 KB class to load and verify) or of the rig is touched, so that a version probe costs little
 * more than the JVM itself (issue 10); everything else goes to {@link Main}.
 */
public final class Launch {
  private Launch() {}

  public static void main(String[] args) {
    if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
      for (String line : versionLines()) {
        System.out.println(line);
      }
      System.exit(0);
    }
    if (Boolean.getBoolean(CdsTraining.PROPERTY)) {
      CdsTraining.loadClasses();
    }
    Main.main(args);
  }

  /**
   * The version lines (tool, commit and build date; the contract; Java and OS), shared with {@code
   * VersionInfo}. The contract version is a compile-time constant: naming it loads no class.
   */
  static String[] versionLines() {
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
      try (InputStream in = Launch.class.getResourceAsStream("/dev/dkrig/version.properties")) {
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

  static String version() {
    return build().getProperty("version", "unknown");
  }

  static String buildDate() {
    String built = build().getProperty("buildDate", "");
    return built.isBlank() || built.startsWith("${") ? "unknown" : built;
  }

  static String commit() {
    String fromLauncher = System.getProperty("dkrig.commit");
    if (fromLauncher != null && !fromLauncher.isBlank()) {
      return fromLauncher;
    }
    String built = build().getProperty("commit", "");
    return built.isBlank() || built.startsWith("${") ? "unknown" : built;
  }
}
