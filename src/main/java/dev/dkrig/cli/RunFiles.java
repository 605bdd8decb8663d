package dev.dkrig.cli;

import dev.dkrig.report.ReportOutputs;
import java.nio.file.Path;
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
    return withDump ? inDir(null, EvidenceFiles.DUMP) : Optional.empty();
  }

  /** The files of a single run, each explicit option or its name in the report folder. */
  ReportOutputs.Files singleRun() {
    return new ReportOutputs.Files(
        json != null ? Optional.of(json) : inDir(null, EvidenceFiles.JSON).map(Path::toString),
        inDir(junit, EvidenceFiles.JUNIT),
        inDir(trace, EvidenceFiles.TRACE),
        inDir(events, EvidenceFiles.EVENTS),
        inDir(pcapng, EvidenceFiles.PCAPNG),
        inDir(html, EvidenceFiles.HTML));
  }

  /** The files of one run of many, all in its own folder (none without a report folder). */
  static ReportOutputs.Files inFolder(Optional<Path> runDir) {
    return new ReportOutputs.Files(
        runDir.map(d -> d.resolve(EvidenceFiles.JSON).toString()),
        runDir.map(d -> d.resolve(EvidenceFiles.JUNIT)),
        runDir.map(d -> d.resolve(EvidenceFiles.TRACE)),
        runDir.map(d -> d.resolve(EvidenceFiles.EVENTS)),
        runDir.map(d -> d.resolve(EvidenceFiles.PCAPNG)),
        runDir.map(d -> d.resolve(EvidenceFiles.HTML)));
  }

  /** Where the summary of several runs goes: {@code --json FILE}, else in the report folder. */
  Optional<Path> summaryJson() {
    return json != null
        ? Optional.of(Path.of(json))
        : Optional.ofNullable(reportDir).map(d -> d.resolve(EvidenceFiles.SUMMARY_JSON));
  }
}
