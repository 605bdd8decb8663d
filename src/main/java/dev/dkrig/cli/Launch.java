package dev.dkrig.cli;

import dev.dkrig.bench.WarmUp;
import dev.dkrig.version.BuildInfo;

/**
 * The jar's entry point. {@code dkrig --version} is answered here, before any class of picocli (a
 * 400 KB class to load and verify) or of the rig is touched, so that a version probe costs little
 * more than the JVM itself (issue 10); everything else goes to {@link Main}. A single pairing asks
 * for its warm-up to start early (issue 20).
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
    if (singlePairing(args)) {
      // Issue 20: the warm-up's throwaway pairings start as soon as the run is prepared, on the
      // other core while P1.4 derives the verifier; the reader stops them when the device is there.
      WarmUp.earlyStart(System.getenv());
    }
    if (Boolean.getBoolean(CdsTraining.PROPERTY)) {
      CdsTraining.loadClasses();
    }
    Main.main(args);
  }

  /**
   * {@code pair} for one pairing on one reader: soaks ({@code --repeat}, {@code --parallel}) and
   * several pads keep their cores for the runs themselves (their readers still warm up while they
   * poll in vain).
   */
  static boolean singlePairing(String[] args) {
    if (args.length == 0 || !args[0].equals("pair")) {
      return false;
    }
    int readers = 0;
    for (int i = 1; i < args.length; i++) {
      String arg = args[i];
      String next = i + 1 < args.length ? args[i + 1] : "";
      if ((arg.equals("--repeat") || arg.equals("--parallel")) && !next.equals("1")) {
        return false;
      }
      if ((arg.startsWith("--repeat=") || arg.startsWith("--parallel=")) && !arg.endsWith("=1")) {
        return false;
      }
      if (arg.equals("--all-readers")) {
        return false;
      }
      if (arg.equals("-r")
          || arg.equals("--reader")
          || arg.startsWith("--reader=")
          || (arg.startsWith("-r") && !arg.startsWith("-r-") && arg.length() > 2)) {
        readers++;
      }
    }
    return readers <= 1;
  }
}
