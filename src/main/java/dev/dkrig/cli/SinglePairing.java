package dev.dkrig.cli;

import dev.dkrig.bench.Bench;
import dev.dkrig.bench.Campaign;
import dev.dkrig.bench.ConfigException;
import dev.dkrig.bench.PairRequest;
import dev.dkrig.bench.StartupMarks;
import dev.dkrig.pairing.PairingOutcome;
import dev.dkrig.pairing.RunListener;
import dev.dkrig.report.CampaignSummary;
import dev.dkrig.report.ConsoleProgress;
import dev.dkrig.report.ConsoleReport;
import dev.dkrig.report.JsonReport;
import dev.dkrig.report.Palette;
import dev.dkrig.report.ReportOutputs;
import dev.dkrig.report.RunMetadata;
import dev.dkrig.report.TurnaroundSummary;
import dev.dkrig.state.RecordsAhead;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;

/**
 * One pairing with its console and evidence: {@code dkrig pair} without {@code --repeat} or several
 * pads, and each pad of this process. It reads a {@link PairJob} and {@link RunFiles}, not the
 * command's fields, and keeps the finished run ({@link #result}) for a caller that sums several up.
 */
final class SinglePairing {
  /**
   * How the run talks to the console.
   *
   * @param verbosity how many {@code -v}
   * @param color {@code --color}, already checked
   */
  record Console(boolean quiet, int verbosity, String color) {}

  private final PairJob job;
  private final RunFiles files;
  private final Console console;
  private final CommandLine line;
  private final PrintWriter out;
  private final PrintWriter err;
  private Campaign.Result result;
  private CampaignSummary.Run notRun;

  SinglePairing(
      PairJob job,
      RunFiles files,
      Console console,
      CommandLine line,
      PrintWriter out,
      PrintWriter err) {
    this.job = job;
    this.files = files;
    this.console = console;
    this.line = line;
    this.out = out;
    this.err = err;
  }

  /** The finished run, if it ran to an outcome. */
  Optional<Campaign.Result> result() {
    return Optional.ofNullable(result);
  }

  /**
   * The run as a summary counts it: from its outcome, or, if its files could not be loaded, as the
   * ERROR its JSON report records; empty if it wrote no report.
   */
  Optional<CampaignSummary.Run> summaryRun(int index, String label, Optional<String> directory) {
    if (result != null) {
      return Optional.of(
          CampaignSummary.Run.of(
              index, label, directory, result.outcome(), result.metadata(), result.apdus()));
    }
    return Optional.ofNullable(notRun).map(r -> r.renumbered(index, label, directory));
  }

  int run() {
    boolean quiet = console.quiet();
    boolean debug = job.debug();
    boolean jsonToStdout = files.jsonToStdout();
    boolean terminal = System.console() != null;
    Palette palette = Palette.of(console.color(), terminal && !jsonToStdout, System.getenv());
    PrintWriter table = jsonToStdout ? err : out;
    ConsoleProgress progress =
        new ConsoleProgress(
            err,
            terminal && !quiet,
            quiet ? -1 : console.verbosity(),
            debug && (files.trace() != null || files.reportDir() != null));

    List<RunListener> listeners = new ArrayList<>();
    listeners.add(progress);
    PairRequest request =
        job.request().forRun(job.request().seed(), files.dumpFile(), RunListener.all(listeners));
    ReportOutputs outputs = new ReportOutputs(files.singleRun(), out, err);

    Bench bench;
    Bench.Run run;
    try {
      // The state folder's records are read since launch or while the profile loads (issue 20);
      // the check below waits for them, before anything is opened or sent.
      RecordsAhead records = RecordsAhead.take(request.stateDirectory());
      StartupMarks.mark("load");
      bench = Bench.load(request);
      StartupMarks.mark("loaded");
      Preflight.requireSecureRandomness(
          line,
          bench.rig().transport(),
          request.seed().isPresent(),
          request.testMode(),
          job.insecureRandomness());
      Optional<Integer> refused =
          Preflight.checkRig(bench.rig(), request.reader(), request.serialPort(), err)
              .or(() -> Preflight.checkBleAdapter(bench.rig(), request.bleAdapter(), err))
              .or(
                  () ->
                      Preflight.check(
                          files.outputs(), request.stateDirectory(), Optional.of(records), err));
      if (refused.isPresent()) {
        return refused.get();
      }
      StartupMarks.mark("checked");
      run = bench.prepare();
      StartupMarks.mark("prepared");
    } catch (ConfigException e) {
      err.println("dkrig: configuration error: " + e.getMessage());
      RunMetadata without = Bench.metadataWithoutFiles(request);
      String error = "configuration error: " + e.getMessage();
      outputs.json(JsonReport.notRun(without, "ERROR", error));
      if (files.json() != null || files.reportDir() != null) {
        notRun = CampaignSummary.Run.notRun(1, "", Optional.empty(), without, error);
      }
      return ExitCodes.CONFIGURATION;
    }
    if (job.revealSecrets()) {
      err.println(
          "dkrig: WARNING: --reveal-secrets: session keys and derived secrets go into the trace"
              + " and the JSON report. Treat those files as confidential.");
      run.pairing().revealSecrets(true);
      outputs.sensitive(true);
    }
    if (!request.vehicleQuirks().isEmpty()) {
      err.println(
          "dkrig: --vehicle-quirk "
              + String.join(", ", run.metadata().vehicleQuirkLines())
              + ": dkrig's vehicle misbehaves by design; the reports say so.");
    }
    RunMetadata before = run.metadata();
    listeners.add(
        outputs.open(
            before.preambleLines(),
            before.reader(),
            debug && files.trace() == null && files.reportDir() == null
                ? Optional.of(err)
                : Optional.empty(),
            run.wire()));
    StartupMarks.mark("opened");
    // Ctrl-C or SIGTERM: the run ends its current step as ERROR, stops polling and advertising and
    // writes its reports; the hook waits for that, then the JVM exits (130 or 143).
    Thread runner = Thread.currentThread();
    InterruptHook interrupt = InterruptHook.install("dkrig-interrupt", 10, runner::interrupt);
    PairingOutcome outcome = null;
    try {
      outcome = run.execute();
      progress.finish();
      outputs.finish(outcome, run.metadata(), run.apdus());
      result = new Campaign.Result(1, outcome, run.metadata(), run.apdus());
      // Before the hook lets the JVM go (issue 15): a signal's verdict line reaches the console
      // whether stdout is a terminal, a pipe or a file.
      ConsoleReport.print(
          outcome,
          Optional.of(TurnaroundSummary.of(run.apdus())),
          interrupt.signal(),
          palette,
          quiet,
          table);
      if (interrupt.signalled()) {
        err.println("dkrig: interrupted; the report shows the run up to the interruption");
        err.flush();
        Main.exitingOnSignal();
        return interrupt.exitCode();
      }
    } finally {
      if (outcome == null) {
        progress.finish();
        outputs.close();
      }
      interrupt.finished();
    }
    if (outcome.internalError().isPresent()) {
      err.println("dkrig: internal error: " + outcome.internalError().get());
      if (debug) {
        outcome.internalError().get().printStackTrace(err);
      } else {
        err.println("Re-run with --debug and report the output.");
      }
      return ExitCodes.INTERNAL;
    }
    return Preflight.incompleteEvidence(outputs.failures(), err)
        .orElse(ExitCodes.of(outcome.verdict()));
  }
}
