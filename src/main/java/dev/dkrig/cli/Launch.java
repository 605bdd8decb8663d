package dev.dkrig.cli;

import dev.dkrig.version.BuildInfo;

/**
 * The jar's entry point. {@code dkrig --version} is answered here, before any class of picocli (a
 * 400 KB class to load and verify) or of the rig is touched, so that a version probe costs little
 * more than the JVM itself (issue 10); everything else goes to {@link Main}.
 */
public final class Launch {
  private Launch() {}

  public static void main(String[] args) {
    if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
      for (String line : BuildInfo.versionLines()) {
        System.out.println(line);
      }
      System.exit(0);
    }
    if (Boolean.getBoolean(CdsTraining.PROPERTY)) {
      CdsTraining.loadClasses();
    }
    Main.main(args);
  }
}
