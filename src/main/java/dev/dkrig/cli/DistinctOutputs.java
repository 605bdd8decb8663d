package dev.dkrig.cli;

import dev.dkrig.io.SafeText;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/**
 * Each evidence file has one writer. Two options naming the same file ({@code --json r.json --junit
 * r.json}, or {@code --report-dir D --junit D/report.json}) would have the second report silently
 * replace the first, so the run would end without the evidence it promised; and only {@code --json}
 * takes {@code -} for stdout (any other option would write a file named {@code -}). A report
 * written over a file the same command reads ({@code --rig lab.yaml --json lab.yaml}) would destroy
 * the user's file. All are usage errors (exit 2), found before anything is opened.
 */
final class DistinctOutputs {
  private DistinctOutputs() {}

  /**
   * Throws a usage error naming the two options and the file they share, or the output that would
   * replace an input: {@code inputs} are the files the command reads, by option (a name that is not
   * an existing file, such as {@code --rig pcsc}, is skipped).
   */
  static void require(
      CommandLine line, List<Preflight.Output> outputs, List<Preflight.Output> inputs) {
    require(line, outputs);
    for (Preflight.Output input : inputs) {
      if (input.path() == null || !Files.isRegularFile(input.path())) {
        continue;
      }
      for (Preflight.Output output : outputs) {
        if (!output.folder() && sameFile(input.path(), output.path())) {
          throw new CommandLine.ParameterException(
              line,
              output.option()
                  + " "
                  + SafeText.line(output.path().toString())
                  + " is the file "
                  + input.option()
                  + " reads: the report would replace it; give another path");
        }
      }
    }
  }

  /**
   * No output that is the state folder, a file directly in it or anything under its {@code dk/}:
   * one named like the folder finds a folder where its file should be, after the pairing was spent
   * (the folder is made after the outputs are checked), and a report beside the state files is a
   * foreign file that {@code state reset} refuses to touch. A subfolder of its own is left alone
   * (the launcher's class-data-sharing training keeps its reports in one).
   */
  static void requireOutsideState(
      CommandLine line, List<Preflight.Output> outputs, String stateOption, Path state) {
    Path folder = state.toAbsolutePath().normalize();
    for (Preflight.Output output : outputs) {
      Path path = output.path().toAbsolutePath().normalize();
      if (path.equals(folder)
          || (!output.folder() && folder.equals(path.getParent()))
          || path.startsWith(folder.resolve("dk"))) {
        throw new CommandLine.ParameterException(
            line,
            output.option()
                + " "
                + SafeText.line(output.path().toString())
                + " is in the state folder "
                + SafeText.line(state.toString())
                + " ("
                + stateOption
                + "), which holds only dkrig's state; give another path");
      }
    }
  }

  /** Every input given to an option of this name, as a list for {@link #require}. */
  static List<Preflight.Output> inputs(String option, Collection<?> paths) {
    List<Preflight.Output> inputs = new ArrayList<>();
    for (Object path : paths) {
      if (path != null && !"-".equals(path.toString())) {
        inputs.add(Preflight.Output.file(option, Path.of(path.toString())));
      }
    }
    return inputs;
  }

  private static boolean sameFile(Path input, Path output) {
    try {
      return Files.exists(output) && Files.isSameFile(input, output);
    } catch (IOException e) {
      return false;
    }
  }

  /** Throws a usage error naming the two options and the file they share. */
  static void require(CommandLine line, List<Preflight.Output> outputs) {
    Map<Path, String> seen = new HashMap<>();
    for (Preflight.Output output : outputs) {
      if (!output.folder() && output.path().toString().equals("-")) {
        throw new CommandLine.ParameterException(
            line, output.option() + " -: only --json writes to stdout; give a file name");
      }
      Path key = output.path().toAbsolutePath().normalize();
      String first = seen.putIfAbsent(key, output.option());
      if (first != null) {
        throw new CommandLine.ParameterException(
            line,
            (first.equals(output.option()) ? first + " twice" : first + " and " + output.option())
                + " name the same file "
                + SafeText.line(output.path().toString())
                + ": one would overwrite the other; give each its own file");
      }
    }
  }
}
