package dev.dkrig.cli;

/** The standard file names inside {@code --report-dir} (issue 7); scripts rely on them. */
final class EvidenceFiles {
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

  private EvidenceFiles() {}
}
