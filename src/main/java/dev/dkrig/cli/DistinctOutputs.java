package dev.dkrig.cli;

import dev.dkrig.io.SafeText;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/**
 * Each evidence file has one writer. Two options naming the same file ({@code --json r.json --junit
 * r.json}, or {@code --report-dir D --junit D/report.json}) would have the second report silently
 * replace the first, so the run would end without the evidence it promised; and only {@code --json}
 * takes {@code -} for stdout (any other option would write a file named {@code -}). Both are usage
 * errors (exit 2), found before anything is opened.
 */
final class DistinctOutputs {
  private DistinctOutputs() {}

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
