package dev.dkrig.cli;

import dev.dkrig.bench.ConfigException;
import dev.dkrig.bench.PhoneRig;
import dev.dkrig.io.SafeText;
import dev.dkrig.pairing.RunListener;
import dev.dkrig.phone.PhoneOutcome;
import dev.dkrig.phone.PhoneRun;
import dev.dkrig.phone.host.PhoneBench;
import dev.dkrig.phone.host.PhoneEvidence;
import dev.dkrig.phone.host.PhoneHost;
import dev.dkrig.report.ConsoleProgress;
import dev.dkrig.report.ConsoleReport;
import dev.dkrig.report.JsonReport;
import dev.dkrig.report.Palette;
import dev.dkrig.report.ReportOutputs;
import dev.dkrig.report.RunMetadata;
import dev.dkrig.report.TurnaroundSummary;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine;

/**
 * The pairings of one {@code dkrig phone}: the rig loaded and every output checked before the phone
 * enters the field, then each pairing with its evidence (as {@code pair} writes it) and its table,
 * the host handing the field from one pairing to the next. The host leaves the field (the vpcd slot
 * released, the board idle) on every way out; Ctrl-C or SIGTERM stops the pairing in progress,
 * whose reports are still written.
 */
final class PhoneSession {
  private final PhoneBench.Request request;
  private final RunFiles files;
  private final int repeat;
  private final SinglePairing.Console console;
  private final boolean revealSecrets;
  private final boolean debug;
  private final CommandLine line;
  private final PrintWriter out;
  private final PrintWriter err;
  private final AtomicReference<PhoneRun> current = new AtomicReference<>();
  private final AtomicReference<PhoneEvidence> currentEvidence = new AtomicReference<>();

  PhoneSession(
      PhoneBench.Request request,
      RunFiles files,
      int repeat,
      SinglePairing.Console console,
      boolean revealSecrets,
      boolean debug,
      CommandLine line) {
    this.request = request;
    this.files = files;
    this.repeat = repeat;
    this.console = console;
    this.revealSecrets = revealSecrets;
    this.debug = debug;
    this.line = line;
    this.out = line.getOut();
    this.err = line.getErr();
  }

  /** One pairing's files and listeners, opened before it starts. */
  private record Pairing(
      int index, PhoneRun run, PhoneEvidence evidence, ReportOutputs outputs, String label) {}

  int run() {
    PhoneBench bench;
    try {
      bench = PhoneBench.load(request);
    } catch (ConfigException e) {
      err.println("dkrig: configuration error: " + e.getMessage());
      new ReportOutputs(files.singleRun(), out, err)
          .json(
              JsonReport.notRun(
                  PhoneBench.metadataWithoutFiles(request),
                  "ERROR",
                  "configuration error: " + e.getMessage()));
      return ExitCodes.CONFIGURATION;
    }
    PhoneRig rig = bench.rig();
    PhonePlace.checkRig(line, request, rig);
    List<Preflight.Output> outputs = new ArrayList<>(files.outputs());
    Optional<Integer> refused =
        PhonePlace.checkPort(request, bench, err).or(() -> Preflight.checkOutputs(outputs, err));
    if (refused.isPresent()) {
      return refused.get();
    }
    if (revealSecrets) {
      err.println(
          "dkrig: --reveal-secrets: the evidence files are made owner-only; the phone role writes"
              + " no session key into them yet.");
    }
    Palette palette =
        Palette.of(
            console.color(), System.console() != null && !files.jsonToStdout(), System.getenv());
    PhoneHost host = PhonePlace.host(line, bench, this::note);
    // Ctrl-C or SIGTERM: the pairing in progress ends (its step ERROR), its reports are written,
    // the host leaves the field; the hook waits for that, then the JVM exits (130 or 143).
    InterruptHook interrupt =
        InterruptHook.install(
            "dkrig-phone-interrupt",
            10,
            () -> {
              PhoneRun run = current.get();
              if (run != null) {
                run.stop("the phone was stopped by a signal");
              }
            });
    int worst = ExitCodes.PASS;
    try {
      if (!console.quiet()) {
        err.println(
            "dkrig phone: the phone is in "
                + host.description()
                + "; waiting for the vehicle"
                + (repeat > 1 ? " (" + repeat + " pairings)" : "")
                + ". Verdicts are about the vehicle under test. Ctrl-C stops.");
        err.flush();
      }
      host.open();
      Pairing next = open(bench, host, 1);
      for (int i = 1; i <= repeat; i++) {
        Pairing pairing = next;
        PhoneOutcome outcome = await(pairing.run());
        boolean more = i < repeat && !interrupt.signalled();
        // The next pairing takes the field before this one's files are written: the vehicle may
        // start it at once.
        next = more ? open(bench, host, i + 1) : null;
        int code = finish(bench, host, pairing, outcome, palette, interrupt);
        worst = worse(worst, code);
        if (interrupt.signalled()) {
          break;
        }
      }
    } finally {
      host.close();
      if (interrupt.signalled()) {
        err.println("dkrig: interrupted; the report shows the pairing up to the interruption");
        err.flush();
        Main.exitingOnSignal();
      }
      interrupt.finished();
    }
    return interrupt.signalled() ? interrupt.exitCode() : worst;
  }

  private Pairing open(PhoneBench bench, PhoneHost host, int index) {
    Optional<Path> folder =
        repeat > 1
            ? Optional.ofNullable(files.reportDir())
                .map(d -> d.resolve(String.format(Locale.ROOT, "run-%04d", index)))
            : Optional.empty();
    ReportOutputs outputs =
        new ReportOutputs(repeat > 1 ? RunFiles.inFolder(folder) : files.singleRun(), out, err);
    outputs.sensitive(revealSecrets);
    PhoneEvidence evidence = new PhoneEvidence();
    RunMetadata before = bench.metadata(host.description());
    RunListener streaming =
        outputs.open(
            before.preambleLines(),
            host.description(),
            debug && files.trace() == null && files.reportDir() == null
                ? Optional.of(err)
                : Optional.empty(),
            evidence.context());
    ConsoleProgress progress =
        new ConsoleProgress(
            err,
            System.console() != null && !console.quiet(),
            console.quiet() ? -1 : console.verbosity(),
            debug && (files.trace() != null || files.reportDir() != null));
    evidence.listener(RunListener.all(List.of(streaming, progress)));
    PhoneRun run = bench.newRun(evidence);
    current.set(run);
    currentEvidence.set(evidence);
    host.serve(run);
    return new Pairing(index, run, evidence, outputs, repeat > 1 ? "pairing " + index : "");
  }

  private static PhoneOutcome await(PhoneRun run) {
    try {
      return run.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return run.stop("the wait for the vehicle was cut short");
    }
  }

  /** Writes the pairing's reports and prints its table; returns its exit code. */
  private int finish(
      PhoneBench bench,
      PhoneHost host,
      Pairing pairing,
      PhoneOutcome outcome,
      Palette palette,
      InterruptHook interrupt) {
    RunMetadata metadata = bench.metadata(host.description());
    pairing.evidence().detach();
    currentEvidence.compareAndSet(pairing.evidence(), null);
    ReportOutputs outputs = pairing.outputs();
    outputs.finish(outcome.pairing(), metadata, pairing.evidence().apdus());
    PrintWriter table = files.jsonToStdout() ? err : out;
    if (!pairing.label().isEmpty() && !console.quiet()) {
      table.println(pairing.label() + " of " + repeat + ":");
    }
    ConsoleReport.print(
        outcome.pairing(),
        Optional.of(TurnaroundSummary.of(pairing.evidence().apdus())),
        interrupt.signal(),
        palette,
        console.quiet(),
        table);
    outcome
        .notCompletedByDesign()
        .ifPresent(
            why ->
                table.println(
                    Character.toUpperCase(why.charAt(0))
                        + SafeText.line(why.substring(1))
                        + ": the verdict judges the vehicle's reaction."));
    table.flush();
    if (outcome.pairing().internalError().isPresent()) {
      err.println("dkrig: internal error: " + outcome.pairing().internalError().get());
      if (debug) {
        outcome.pairing().internalError().get().printStackTrace(err);
      } else {
        err.println("Re-run with --debug and report the output.");
      }
      return ExitCodes.INTERNAL;
    }
    return Preflight.incompleteEvidence(outputs.failures(), err)
        .orElse(ExitCodes.of(outcome.verdict()));
  }

  /** The exit code of several pairings: a bug, then ERROR, then FAIL, then PASS. */
  private static int worse(int a, int b) {
    List<Integer> order =
        List.of(ExitCodes.INTERNAL, ExitCodes.ERROR, ExitCodes.FAIL, ExitCodes.PASS);
    return order.indexOf(a) <= order.indexOf(b) ? a : b;
  }

  /** A line from the host (link up, board armed): into the pairing's trace and capture, -v. */
  private void note(String text) {
    PhoneEvidence evidence = currentEvidence.get();
    if (evidence != null) {
      evidence.note(Instant.now(), SafeText.line(text));
    }
  }
}
