package dev.dkrig.cli;

import dev.dkrig.report.ReportOutputs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The evidence files a {@code pair} asked for, as options name them: what a single run, the runs of
 * {@code --repeat} and the pads read, instead of the command's fields.
 *
 * @param json {@code --json}: a file, {@code -} for stdout, or null
 * @param dump {@code --dump}, or null
 * @param withDump {@code --with-dump}: {@code run.dump} in the report folder
 */
record RunFiles(
    String json,
    Path junit,
    Path trace,
    Path events,
    Path pcapng,
    Path html,
    Path reportDir,
    Path dump,
    boolean withDump) {

  // The standard file names inside --report-dir (issue 7); scripts rely on them.
  static final String JSON = "report.json";
  static final String JUNIT = "junit.xml";
  static final String PCAPNG = "capture.pcapng";
  static final String TRACE = "trace.txt";
  static final String EVENTS = "events.jsonl";
  static final String DUMP = "run.dump";
  static final String HTML = "report.html";

  /** At the top of several runs ({@code --repeat}, several pads). */
  static final String SUMMARY_JSON = "summary.json";

  static final String SUMMARY_HTML = "summary.html";

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

  /**
   * {@code --dump FILE}, else {@code run.dump} in {@code --report-dir} with {@code --with-dump}.
   */
  Optional<Path> dumpFile() {
    if (dump != null) {
      return Optional.of(dump);
    }
    return withDump ? inDir(null, DUMP) : Optional.empty();
  }

  /** The files of a single run, each explicit option or its name in the report folder. */
  ReportOutputs.Files singleRun() {
    return new ReportOutputs.Files(
        json != null ? Optional.of(json) : inDir(null, JSON).map(Path::toString),
        inDir(junit, JUNIT),
        inDir(trace, TRACE),
        inDir(events, EVENTS),
        inDir(pcapng, PCAPNG),
        inDir(html, HTML));
  }

  /** The files of one run of many, all in its own folder (none without a report folder). */
  static ReportOutputs.Files inFolder(Optional<Path> runDir) {
    return new ReportOutputs.Files(
        runDir.map(d -> d.resolve(JSON).toString()),
        runDir.map(d -> d.resolve(JUNIT)),
        runDir.map(d -> d.resolve(TRACE)),
        runDir.map(d -> d.resolve(EVENTS)),
        runDir.map(d -> d.resolve(PCAPNG)),
        runDir.map(d -> d.resolve(HTML)));
  }

  /** Where the summary of several runs goes: {@code --json FILE}, else in the report folder. */
  Optional<Path> summaryJson() {
    return json != null
        ? Optional.of(Path.of(json))
        : Optional.ofNullable(reportDir).map(d -> d.resolve(RunFiles.SUMMARY_JSON));
  }

  /** Each file a single run writes, by the option that asked for it (checked before the run). */
  List<Preflight.Output> outputs() {
    List<Preflight.Output> files = new ArrayList<>();
    if (reportDir() != null) {
      files.add(new Preflight.Output("--report-dir", reportDir(), true));
    }
    Preflight.add(files, "--json", json() == null || jsonToStdout() ? null : Path.of(json()));
    if (json() == null) {
      addInDir(files, "--json", null, JSON);
    }
    addInDir(files, "--junit", junit(), JUNIT);
    addInDir(files, "--trace", trace(), TRACE);
    addInDir(files, "--events", events(), EVENTS);
    addInDir(files, "--pcapng", pcapng(), PCAPNG);
    addInDir(files, "--html", html(), HTML);
    dumpFile()
        .ifPresent(
            f -> files.add(Preflight.Output.file(dump() != null ? "--dump" : "--with-dump", f)));
    return files;
  }

  private void addInDir(List<Preflight.Output> files, String option, Path explicit, String name) {
    if (explicit != null) {
      files.add(Preflight.Output.file(option, explicit));
    } else if (reportDir != null) {
      files.add(Preflight.Output.file("--report-dir", reportDir.resolve(name)));
    }
  }
}
