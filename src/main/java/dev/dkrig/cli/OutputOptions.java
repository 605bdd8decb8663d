package dev.dkrig.cli;

import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Where a run's reports go, shared by {@code pair} and {@code suite}. */
final class OutputOptions {
  @Option(
      names = "--json",
      paramLabel = "FILE|-",
      description = "Write the JSON report (dkrig-report/1) to FILE, or to stdout with -.")
  String json;

  @Option(
      names = "--junit",
      paramLabel = "FILE",
      description = "Write a JUnit XML report: one testcase per step (for Jenkins).")
  Path junit;

  @Option(
      names = "--report-dir",
      paramLabel = "DIR",
      description =
          "Write every evidence file into DIR: report.json, junit.xml, capture.pcapng, trace.txt,"
              + " events.jsonl and report.html (run.dump only with --with-dump). An explicit"
              + " --json, --junit, ... still wins for its own file.")
  Path reportDir;

  /** {@code --json -}: the report goes to stdout, the console table to stderr. */
  boolean jsonToStdout() {
    return "-".equals(json);
  }

  /** The explicit file if given, else its standard name inside {@code --report-dir}, if given. */
  Optional<Path> inDir(Path explicit, String standardName) {
    if (explicit != null) {
      return Optional.of(explicit);
    }
    return Optional.ofNullable(reportDir).map(dir -> dir.resolve(standardName));
  }
}
