package dev.dkrig.cli;

import dev.dkrig.bench.Bench;
import dev.dkrig.bench.Campaign;
import dev.dkrig.bench.ConfigException;
import dev.dkrig.bench.PairRequest;
import dev.dkrig.bench.RigConfig;
import dev.dkrig.pairing.RunListener;
import dev.dkrig.pairing.VerifierSource;
import dev.dkrig.report.AtomicFiles;
import dev.dkrig.report.CampaignSummary;
import dev.dkrig.report.CombinedJunit;
import dev.dkrig.report.JunitXml;
import dev.dkrig.report.ReportOutputs;
import dev.dkrig.report.ResourceSampler;
import dev.dkrig.report.RunMetadata;
import dev.dkrig.time.Durations;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import picocli.CommandLine;

/**
 * {@code dkrig pair --repeat N [--parallel K]}: N pairings in this process, K at a time, each with
 * its own evidence folder ({@code run-0001/} ...) under {@code --report-dir}, then the summary at
 * the top: {@code summary.json}, {@code summary.html} and one JUnit XML with a testsuite per run.
 * The runs are a {@link Campaign} on one loaded bench; this class writes each run's evidence and
 * line, and the summary from the outcomes. {@code --seed S} gives run i the seed S + i - 1.
 */
final class RepeatRuns {
  private final PairJob job;
  private final int parallel;
  private final RunFiles files;
  private final boolean quiet;
  private final boolean perStep;
  private final CommandLine line;
  private final PrintWriter out;
  private final PrintWriter err;

  /** Each run's summary entry, also to a caller summing several campaigns up (the pads). */
  private Consumer<CampaignSummary.Run> runsTo = run -> {};

  /** Runs whose evidence files could not all be written: the campaign ends ERROR. */
  private final AtomicInteger incomplete = new AtomicInteger();

  /**
   * @param quiet no line per run
   * @param perStep {@code -v}: the summary lists step times
   */
  RepeatRuns(
      PairJob job,
      int parallel,
      RunFiles files,
      boolean quiet,
      boolean perStep,
      CommandLine line,
      PrintWriter out,
      PrintWriter err) {
    this.job = job;
    this.parallel = parallel;
    this.files = files;
    this.quiet = quiet;
    this.perStep = perStep;
    this.line = line;
    this.out = out;
    this.err = err;
  }

  /** Hands each run's summary entry to {@code sink} too, on the run's thread. */
  RepeatRuns runsTo(Consumer<CampaignSummary.Run> sink) {
    this.runsTo = sink;
    return this;
  }

  int run() {
    PairRequest template = job.request();
    Bench bench;
    try {
      bench = Bench.load(template);
    } catch (ConfigException e) {
      err.println("dkrig: configuration error: " + e.getMessage());
      return ExitCodes.CONFIGURATION;
    }
    if (parallel > 1) {
      sideBySide(bench, template.testMode());
    }
    Preflight.requireSecureRandomness(
        line,
        bench.rig().transport(),
        template.seed().isPresent(),
        template.testMode(),
        job.insecureRandomness());
    Optional<Integer> refused =
        Preflight.checkRig(bench.rig(), template.reader(), template.serialPort(), err)
            .or(() -> Preflight.checkBleAdapter(bench.rig(), template.bleAdapter(), err))
            .or(() -> Preflight.check(Preflight.summary(files), template.stateDirectory(), err));
    if (refused.isPresent()) {
      return refused.get();
    }

    Optional<Path> dir = Optional.ofNullable(files.reportDir());
    Optional<Path> junitFile = files.inDir(files.junit(), RunFiles.JUNIT);
    CombinedJunit junit;
    try {
      junit = junitFile.isPresent() ? new CombinedJunit(junitFile.get()) : null;
    } catch (IOException e) {
      err.println("dkrig: cannot write the JUnit XML: " + e.getMessage());
      return ExitCodes.CONFIGURATION;
    }
    int repeat = job.repeat();
    RunMetadata meta = bench.metadata("(several runs)");
    CampaignSummary summary =
        new CampaignSummary(parallel, CampaignSummary.warmupOf(repeat), Instant.now());
    ResourceSampler sampler = new ResourceSampler();
    summary.resources(sampler);
    int width = String.valueOf(repeat).length();
    List<PairRequest> requests = new ArrayList<>();
    for (int i = 1; i <= repeat; i++) {
      int index = i;
      OptionalLong runSeed =
          template.seed().isEmpty()
              ? OptionalLong.empty()
              : OptionalLong.of(template.seed().getAsLong() + index - 1);
      Optional<Path> runDump =
          dir.filter(d -> job.withDump())
              .map(d -> d.resolve(label(index, width)).resolve(RunFiles.DUMP));
      requests.add(template.forRun(runSeed, runDump, new RunListener() {}));
    }
    Runs runs = new Runs(dir, width, repeat, summary, junit, sampler);
    Campaign campaign = new Campaign(bench);
    InterruptHook interrupt = InterruptHook.install("dkrig-interrupt", 15, campaign::stop);
    try {
      campaign.shared(requests, parallel, "dkrig-run", runs);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      // Everything printed before the hook lets the JVM go (issue 15).
      try {
        summary.finish(Instant.now());
        writeSummary(summary, meta, dir, files.summaryJson(), junit);
        for (String text : summary.lines(perStep)) {
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
    if (runs.internal.get() > 0) {
      return ExitCodes.INTERNAL;
    }
    Map<String, Integer> verdicts = summary.verdicts();
    if (verdicts.get("FAIL") > 0) {
      return ExitCodes.FAIL;
    }
    return verdicts.get("ERROR") > 0 || incomplete.get() > 0 ? ExitCodes.ERROR : ExitCodes.PASS;
  }

  /**
   * {@code --parallel K} before anything is made: only virtual devices run side by side, at most
   * {@link ParallelBound} of them, and more than the processors get a warning: the in-process
   * device waits for a processor like the vehicle, so a late answer may be the host's (the virtual
   * transport then judges it ERROR, not FAIL).
   */
  private void sideBySide(Bench bench, boolean testMode) {
    if (bench.rig().transport() != RigConfig.Transport.VIRTUAL) {
      throw new CommandLine.ParameterException(
          line,
          "--parallel runs virtual devices side by side; this rig's transport is "
              + bench.rig().transport().name().toLowerCase(Locale.ROOT)
              + " (for several pads give -r A -r B)");
    }
    VerifierSource verifier = bench.profile().settings().verifier();
    ParallelBound.check(line, parallel, testMode ? VerifierSource.forTestMode(verifier) : verifier);
    ParallelBound.warning(parallel, Runtime.getRuntime().availableProcessors())
        .ifPresent(
            warning -> {
              err.println(warning);
              err.flush();
            });
  }

  private static String label(int index, int width) {
    return String.format(Locale.ROOT, "run-%0" + Math.max(4, width) + "d", index);
  }

  /** Each run's evidence files, its line and its entry in the summary. */
  private final class Runs implements Campaign.Observer {
    private final Optional<Path> dir;
    private final int width;
    private final int repeat;
    private final int every;
    private final CampaignSummary summary;
    private final CombinedJunit junit;
    private final ResourceSampler sampler;
    private final AtomicInteger completed = new AtomicInteger();
    private final AtomicInteger internal = new AtomicInteger();
    private final Map<Integer, ReportOutputs> outputs = new ConcurrentHashMap<>();

    Runs(
        Optional<Path> dir,
        int width,
        int repeat,
        CampaignSummary summary,
        CombinedJunit junit,
        ResourceSampler sampler) {
      this.dir = dir;
      this.width = width;
      this.repeat = repeat;
      this.every = Math.max(1, (repeat + 9) / 10);
      this.summary = summary;
      this.junit = junit;
      this.sampler = sampler;
    }

    @Override
    public RunListener starting(int index, Bench.Run run) {
      if (job.revealSecrets()) {
        run.pairing().revealSecrets(true);
      }
      Optional<Path> runDir = dir.map(d -> d.resolve(label(index, width)));
      ReportOutputs files =
          new ReportOutputs(RunFiles.inFolder(runDir), out, err).sensitive(job.revealSecrets());
      outputs.put(index, files);
      RunMetadata before = run.metadata();
      return files.open(before.preambleLines(), before.reader(), Optional.empty(), run.wire());
    }

    @Override
    public void finished(Campaign.Result result) {
      int index = result.index();
      String label = label(index, width);
      ReportOutputs files = outputs.remove(index);
      files.finish(result.outcome(), result.metadata(), result.apdus());
      if (!files.failures().isEmpty()) {
        incomplete.incrementAndGet();
        err.println("dkrig: " + label + ": the evidence is incomplete: " + files.failures());
      }
      CampaignSummary.Run entry =
          CampaignSummary.Run.of(
              index,
              label,
              dir.map(d -> label),
              result.outcome(),
              result.metadata(),
              result.apdus());
      summary.add(entry);
      runsTo.accept(entry);
      if (junit != null) {
        try {
          junit.add(
              JunitXml.render(
                  List.of(result.outcome()), result.metadata(), List.of(result.apdus())),
              label);
        } catch (IOException e) {
          err.println("dkrig: the JUnit XML: " + e.getMessage());
        }
      }
      if (result.outcome().internalError().isPresent()) {
        internal.incrementAndGet();
        err.println(
            "dkrig: " + label + ": internal error: " + result.outcome().internalError().get());
      }
      if (!quiet) {
        synchronized (out) {
          out.println(
              String.format(
                      Locale.ROOT,
                      "%s  %-5s %9s",
                      label,
                      result.outcome().verdict(),
                      Durations.format(entry.duration()))
                  + entry.firstProblem().map(p -> "  " + p).orElse(""));
          out.flush();
        }
      }
      done();
    }

    @Override
    public void notPrepared(int index, RuntimeException cause) {
      err.println("dkrig: " + label(index, width) + ": " + cause.getMessage());
      internal.incrementAndGet();
      done();
    }

    @Override
    public void unfinished(int index) {
      ReportOutputs files = outputs.remove(index);
      if (files != null) {
        files.close();
      }
    }

    private void done() {
      int count = completed.incrementAndGet();
      if (count == 1 || count % every == 0 || count == repeat) {
        sampler.sample(count);
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
            AtomicFiles.write(d.resolve(RunFiles.SUMMARY_HTML), summary.html(meta), false);
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
