package dev.dkrig.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dkrig.bench.Bench;
import dev.dkrig.bench.ConfigException;
import dev.dkrig.bench.PairRequest;
import dev.dkrig.bench.RigConfig;
import dev.dkrig.pairing.PairingOutcome;
import dev.dkrig.pairing.RunListener;
import dev.dkrig.report.AtomicFiles;
import dev.dkrig.report.CampaignSummary;
import dev.dkrig.report.CombinedJunit;
import dev.dkrig.report.JunitXml;
import dev.dkrig.report.ReportOutputs;
import dev.dkrig.report.ResourceSampler;
import dev.dkrig.report.RunMetadata;
import dev.dkrig.time.Durations;
import dev.dkrig.time.TimerName;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine;

/**
 * {@code dkrig pair --repeat N [--parallel K]}: N pairings in this process, K at a time, each with
 * its own evidence folder ({@code run-0001/} ...) under {@code --report-dir}, then the summary at
 * the top: {@code summary.json}, {@code summary.html} and one JUnit XML with a testsuite per run.
 * The rig and profile are read once. {@code --seed S} gives run i the seed S + i - 1.
 */
final class Campaign {
  private final PairCommand cmd;
  private final PrintWriter out;
  private final PrintWriter err;

  /** Runs whose evidence files could not all be written: the campaign ends ERROR. */
  private final AtomicInteger incomplete = new AtomicInteger();

  Campaign(PairCommand cmd, PrintWriter out, PrintWriter err) {
    this.cmd = cmd;
    this.out = out;
    this.err = err;
  }

  int run() {
    CommandLine line = cmd.spec.commandLine();
    cmd.refuseSingleRunFiles("with --repeat every run's files go under --report-dir DIR");
    if ("-".equals(cmd.json)) {
      throw new CommandLine.ParameterException(
          line, "--json - prints one report; with --repeat use --json FILE for the summary");
    }
    Map<TimerName, Duration> overrides = cmd.parseTimers();
    PairRequest template = cmd.request(overrides, Optional.empty(), new RunListener() {});
    Bench bench;
    try {
      bench = Bench.load(template);
    } catch (ConfigException e) {
      err.println("dkrig: configuration error: " + e.getMessage());
      return ExitCodes.CONFIGURATION;
    }
    cmd.requireSecureRandomness(bench);
    Optional<Integer> refused =
        Preflight.check(Preflight.summary(cmd), template.stateDirectory(), err);
    if (refused.isPresent()) {
      return refused.get();
    }
    if (cmd.parallel > 1 && bench.rig().transport() != RigConfig.Transport.VIRTUAL) {
      throw new CommandLine.ParameterException(
          line,
          "--parallel runs virtual devices side by side; this rig's transport is "
              + bench.rig().transport().name().toLowerCase(Locale.ROOT)
              + " (for several pads give -r A -r B)");
    }

    Optional<Path> dir = Optional.ofNullable(cmd.reportDir);
    Optional<Path> junitFile = cmd.inDir(cmd.junit, EvidenceFiles.JUNIT);
    Optional<Path> summaryJson =
        cmd.json != null
            ? Optional.of(Path.of(cmd.json))
            : dir.map(d -> d.resolve(EvidenceFiles.SUMMARY_JSON));
    CombinedJunit junit;
    try {
      junit = junitFile.isPresent() ? new CombinedJunit(junitFile.get()) : null;
    } catch (IOException e) {
      err.println("dkrig: cannot write the JUnit XML: " + e.getMessage());
      return ExitCodes.CONFIGURATION;
    }
    RunMetadata meta = bench.metadata("(several runs)");
    CampaignSummary summary =
        new CampaignSummary(cmd.parallel, CampaignSummary.warmupOf(cmd.repeat), Instant.now());
    ResourceSampler sampler = new ResourceSampler();
    summary.resources(sampler);
    AtomicInteger completed = new AtomicInteger();
    int every = Math.max(1, (cmd.repeat + 9) / 10);
    int width = String.valueOf(cmd.repeat).length();
    AtomicInteger internal = new AtomicInteger();
    AtomicBoolean stopping = new AtomicBoolean();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            cmd.parallel,
            new java.util.concurrent.ThreadFactory() {
              private final AtomicInteger n = new AtomicInteger();

              @Override
              public Thread newThread(Runnable r) {
                return new Thread(r, "dkrig-run-" + n.incrementAndGet());
              }
            });
    InterruptHook interrupt =
        InterruptHook.install(
            "dkrig-interrupt",
            15,
            () -> {
              stopping.set(true);
              pool.shutdownNow();
            });
    try {
      for (int i = 1; i <= cmd.repeat; i++) {
        int index = i;
        pool.execute(
            () -> {
              if (!stopping.get()) {
                runOne(bench, index, width, dir, summary, junit, internal);
                int done = completed.incrementAndGet();
                if (done == 1 || done % every == 0 || done == cmd.repeat) {
                  sampler.sample(done);
                }
              }
            });
      }
      pool.shutdown();
      while (!pool.awaitTermination(1, TimeUnit.SECONDS)) {
        // Runs end by themselves (every run is bounded by its timers) or on Ctrl-C.
      }
    } catch (InterruptedException e) {
      pool.shutdownNow();
      Thread.currentThread().interrupt();
    } finally {
      // Everything printed before the hook lets the JVM go (issue 15).
      try {
        summary.finish(Instant.now());
        writeSummary(summary, meta, dir, summaryJson, junit);
        for (String text : summary.lines(cmd.verbose.length > 0)) {
          out.println(text);
        }
        interrupt.signal().ifPresent(s -> out.println("Verdict: ERROR (interrupted by " + s + ")"));
        out.flush();
        if (interrupt.signalled()) {
          err.println("dkrig: interrupted; the summary shows the runs up to the interruption");
          err.flush();
        }
      } finally {
        interrupt.finished();
      }
    }
    summary.close();
    if (interrupt.signalled()) {
      Main.exitingOnSignal();
      return interrupt.exitCode();
    }
    if (internal.get() > 0) {
      return ExitCodes.INTERNAL;
    }
    Map<String, Integer> verdicts = summary.verdicts();
    if (verdicts.get("FAIL") > 0) {
      return ExitCodes.FAIL;
    }
    return verdicts.get("ERROR") > 0 || incomplete.get() > 0 ? ExitCodes.ERROR : ExitCodes.PASS;
  }

  private void runOne(
      Bench bench,
      int index,
      int width,
      Optional<Path> dir,
      CampaignSummary summary,
      CombinedJunit junit,
      AtomicInteger internal) {
    String label = String.format(Locale.ROOT, "run-%0" + Math.max(4, width) + "d", index);
    Optional<Path> runDir = dir.map(d -> d.resolve(label));
    OptionalLong runSeed =
        cmd.seed == null ? OptionalLong.empty() : OptionalLong.of(cmd.seed + index - 1);
    List<RunListener> listeners = new ArrayList<>();
    PairRequest request =
        bench
            .request()
            .forRun(
                runSeed,
                runDir.filter(d -> cmd.withDump).map(d -> d.resolve(EvidenceFiles.DUMP)),
                RunListener.all(listeners));
    Bench.Run run;
    try {
      run = bench.with(request).prepare();
    } catch (ConfigException | java.io.UncheckedIOException e) {
      err.println("dkrig: " + label + ": " + e.getMessage());
      internal.incrementAndGet();
      return;
    }
    if (cmd.revealSecrets) {
      run.pairing().revealSecrets(true);
    }
    ReportOutputs outputs =
        new ReportOutputs(
                new ReportOutputs.Files(
                    runDir.map(d -> d.resolve(EvidenceFiles.JSON).toString()),
                    runDir.map(d -> d.resolve(EvidenceFiles.JUNIT)),
                    runDir.map(d -> d.resolve(EvidenceFiles.TRACE)),
                    runDir.map(d -> d.resolve(EvidenceFiles.EVENTS)),
                    runDir.map(d -> d.resolve(EvidenceFiles.PCAPNG)),
                    runDir.map(d -> d.resolve(EvidenceFiles.HTML))),
                out,
                err)
            .sensitive(cmd.revealSecrets);
    RunMetadata before = run.metadata();
    listeners.add(
        outputs.open(before.preambleLines(), before.reader(), Optional.empty(), run.wire()));
    PairingOutcome outcome = null;
    ObjectNode report;
    try {
      outcome = run.execute();
      report = outputs.finish(outcome, run.metadata(), run.apdus());
      if (!outputs.failures().isEmpty()) {
        incomplete.incrementAndGet();
        err.println("dkrig: " + label + ": the evidence is incomplete: " + outputs.failures());
      }
    } finally {
      if (outcome == null) {
        outputs.close();
      }
    }
    CampaignSummary.Run entry =
        CampaignSummary.Run.fromReport(index, label, runDir.map(d -> label), report);
    summary.add(entry);
    if (junit != null) {
      try {
        junit.add(JunitXml.render(List.of(outcome), run.metadata(), List.of(run.apdus())), label);
      } catch (IOException e) {
        err.println("dkrig: the JUnit XML: " + e.getMessage());
      }
    }
    if (outcome.internalError().isPresent()) {
      internal.incrementAndGet();
      err.println("dkrig: " + label + ": internal error: " + outcome.internalError().get());
    }
    if (!cmd.quiet) {
      synchronized (out) {
        out.println(
            String.format(
                    Locale.ROOT,
                    "%s  %-5s %9s",
                    label,
                    outcome.verdict(),
                    Durations.format(entry.duration()))
                + entry.firstProblem().map(p -> "  " + p).orElse(""));
        out.flush();
      }
    }
  }

  private void writeSummary(
      CampaignSummary summary,
      RunMetadata meta,
      Optional<Path> dir,
      Optional<Path> summaryJson,
      CombinedJunit junit) {
    summaryJson.ifPresent(
        path -> {
          try {
            AtomicFiles.write(path, CampaignSummary.text(summary.json(meta)), false);
          } catch (IOException e) {
            err.println("dkrig: cannot write the summary " + path + ": " + e.getMessage());
          }
        });
    dir.ifPresent(
        d -> {
          try {
            AtomicFiles.write(d.resolve(EvidenceFiles.SUMMARY_HTML), summary.html(meta), false);
          } catch (IOException e) {
            err.println("dkrig: cannot write the summary page: " + e.getMessage());
          }
        });
    if (junit != null) {
      try {
        junit.finish();
      } catch (IOException e) {
        err.println("dkrig: cannot write the JUnit XML: " + e.getMessage());
      }
    }
  }
}
