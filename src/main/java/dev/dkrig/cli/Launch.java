package dev.dkrig.cli;

import dev.dkrig.bench.LaunchAhead;
import dev.dkrig.bench.StartupMarks;
import dev.dkrig.bench.WarmUp;
import dev.dkrig.state.RecordsAhead;
import dev.dkrig.state.StateDirectory;
import dev.dkrig.version.BuildInfo;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The jar's entry point. {@code dkrig --version} is answered here, before any class of picocli (a
 * 400 KB class to load and verify) or of the rig is touched, so that a version probe costs little
 * more than the JVM itself (issue 10); everything else goes to {@link Main}. A single pairing
 * starts its warm-up here, and its state folder's DK records are read from here on (issue 20).
 */
public final class Launch {
  private Launch() {}

  public static void main(String[] args) {
    StartupMarks.mark("main");
    if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
      for (String line : BuildInfo.versionLines()) {
        System.out.println(line);
      }
      System.exit(0);
    }
    if (singlePairing(args)) {
      // Issue 20: the profile and P1.4's scrypt start now, on the other core while picocli builds
      // its model, and so do the warm-up's throwaway pairings, which the reader stops when the
      // device is there. The warm-up delays the first APDU by a few tens of milliseconds (three
      // threads on two cores) and makes a pairing without a wait a third quicker to answer.
      stateDirectory(args, System.getenv()).ifPresent(RecordsAhead::startAtLaunch);
      guess(args).ifPresent(LaunchAhead::start);
      WarmUp.startAtLaunch(System.getenv());
    }
    if (Boolean.getBoolean(CdsTraining.PROPERTY)) {
      CdsTraining.loadClasses();
    }
    Main.main(args);
  }

  /**
   * What a single pairing's raw arguments say about its profile and randomness; empty when they
   * cannot be read without picocli (an {@code @file} of arguments, a seed that is not a number). A
   * wrong guess only wastes the other core's time (see {@link LaunchAhead}).
   */
  static Optional<LaunchAhead.Guess> guess(String[] args) {
    if (!readable(args)) {
      return Optional.empty();
    }
    String seed = lastValue(args, "--seed");
    boolean testMode = false;
    boolean recorded = false;
    for (String arg : args) {
      testMode |= arg.equals("--test-mode");
      recorded |= arg.equals("--dump") || arg.startsWith("--dump=") || arg.equals("--with-dump");
    }
    try {
      return Optional.of(
          new LaunchAhead.Guess(
              Optional.ofNullable(lastValue(args, "--profile")),
              seed == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(seed)),
              testMode,
              recorded));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /**
   * The state folder that a single pairing's raw arguments name ({@code --state-dir}, else the
   * environment's default, as picocli would take it); empty for an {@code @file} of arguments. The
   * pairing reads the records read from it only when picocli names the same folder.
   */
  static Optional<Path> stateDirectory(String[] args, Map<String, String> environment) {
    if (!readable(args)) {
      return Optional.empty();
    }
    String named = lastValue(args, "--state-dir");
    try {
      return Optional.of(
          named != null ? Path.of(named) : StateDirectory.ofEnvironment(environment));
    } catch (InvalidPathException e) {
      return Optional.empty();
    }
  }

  /**
   * Whether the raw arguments can be read without picocli: not so with an {@code @file} of
   * arguments or after {@code --}.
   */
  private static boolean readable(String[] args) {
    for (String arg : args) {
      if (arg.startsWith("@") || arg.equals("--")) {
        return false;
      }
    }
    return true;
  }

  /** The last value given to {@code option} ({@code option X} or {@code option=X}), or null. */
  private static String lastValue(String[] args, String option) {
    String value = null;
    for (int i = 1; i < args.length; i++) {
      if (args[i].equals(option) && i + 1 < args.length) {
        value = args[++i];
      } else if (args[i].startsWith(option + "=")) {
        value = args[i].substring(option.length() + 1);
      }
    }
    return value;
  }

  /**
   * {@code pair} for one pairing on one reader: soaks ({@code --repeat}, {@code --parallel}) and
   * several pads keep their cores for the runs themselves (their readers still warm up while they
   * poll in vain).
   */
  static boolean singlePairing(String[] args) {
    if (args.length == 0 || !args[0].equals("pair") || !readable(args)) {
      // An @file of arguments may hold --repeat or --parallel: only picocli reads it.
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
