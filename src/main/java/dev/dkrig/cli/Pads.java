package dev.dkrig.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dkrig.bench.Bench;
import dev.dkrig.bench.ConfigException;
import dev.dkrig.bench.PairRequest;
import dev.dkrig.bench.RigConfig;
import dev.dkrig.report.AtomicFiles;
import dev.dkrig.report.CampaignSummary;
import dev.dkrig.report.CombinedJunit;
import dev.dkrig.report.RunMetadata;
import dev.dkrig.transport.TransportException;
import dev.dkrig.transport.pcsc.Pcsc;
import dev.dkrig.transport.pcsc.ReaderContexts;
import dev.dkrig.transport.pcsc.ReaderSelection;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import picocli.CommandLine;

/**
 * {@code dkrig pair -r A -r B} or {@code --all-readers}: one pairing per pad, side by side. The
 * JDK's PC/SC layer holds one context for the whole process and pcsc-lite serialises every call on
 * a context, so two readers driven through it take turns (measured: two vpcd readers, 20 ms per
 * APDU, 2.02x the time of one). Each pad therefore gets a context of its own.
 *
 * <p>Normally every pad runs on a thread of this process, each reader on a PC/SC context of its own
 * ({@link ReaderContexts}). Where the JVM refuses that, or with {@code DKRIG_PADS=processes} (a
 * crash on one pad cannot take the others down), the first pad runs here and each other pad in a
 * child JVM started first.
 *
 * <p>Each pad's evidence goes to {@code reader-<name>/} under {@code --report-dir} (a temporary
 * folder otherwise). The summary at the top is built from the outcomes of the pads of this process
 * in memory; a pad's process hands its runs back through its JSON reports, the only place where
 * reading a report back is right. A pad's process gets its command line from the {@link PairJob}
 * ({@link PairJob#padArguments}), not from this process's arguments.
 */
final class Pads {
  private final PairJob job;
  private final RunFiles files;
  private final List<String> hints;
  private final boolean verbose;
  private final CommandLine line;
  private final PrintWriter out;
  private final PrintWriter err;

  /**
   * @param hints the {@code -r} of each pad; none for {@code --all-readers}
   * @param verbose {@code -v}: each pad prints its table, not only its verdict
   */
  Pads(
      PairJob job,
      RunFiles files,
      List<String> hints,
      boolean verbose,
      CommandLine line,
      PrintWriter out,
      PrintWriter err) {
    this.job = job;
    this.files = files;
    this.hints = hints;
    this.verbose = verbose;
    this.line = line;
    this.out = out;
    this.err = err;
  }

  int run() {
    PairRequest template = job.request();
    // The rig alone decides the transport and the readers; the profile (keys, certificates) is
    // read by each pad, and here only once the pads are on their way.
    RigConfig rigConfig;
    try {
      rigConfig =
          RigConfig.load(
              template
                  .rig()
                  .map(dev.dkrig.bench.ConfigNames.fromEnvironment()::rig)
                  .orElse(dev.dkrig.bench.ConfigSource.embedded(RigConfig.EMBEDDED)));
    } catch (ConfigException e) {
      err.println("dkrig: configuration error: " + e.getMessage());
      return ExitCodes.CONFIGURATION;
    }
    if (rigConfig.transport() != RigConfig.Transport.PCSC) {
      err.println(
          "dkrig: configuration error: several pads need a PC/SC rig (--rig rigs/pcsc.yaml);"
              + " this rig's transport is "
              + rigConfig.transport().name().toLowerCase(Locale.ROOT));
      return ExitCodes.CONFIGURATION;
    }
    Preflight.requireSecureRandomness(
        line,
        rigConfig.transport(),
        template.seed().isPresent(),
        template.testMode(),
        job.insecureRandomness());
    Optional<Integer> refused =
        Preflight.checkBleAdapter(rigConfig, template.bleAdapter(), err)
            .or(() -> Preflight.check(Preflight.summary(files), template.stateDirectory(), err));
    if (refused.isPresent()) {
      return refused.get();
    }
    List<String> names;
    try {
      names = readers(rigConfig);
    } catch (ReaderSelection.NoReaderException e) {
      err.println("dkrig: " + e.getMessage());
      return ExitCodes.ERROR;
    } catch (TransportException e) {
      err.println("dkrig: " + e.getMessage());
      return ExitCodes.ERROR;
    }

    Path dir;
    boolean temporary = files.reportDir() == null;
    try {
      dir = temporary ? Files.createTempDirectory("dkrig-pads-") : files.reportDir();
      Files.createDirectories(dir);
    } catch (IOException e) {
      err.println("dkrig: cannot create the report folder: " + e.getMessage());
      return ExitCodes.CONFIGURATION;
    }
    List<Pad> pads = new ArrayList<>();
    Set<String> labels = new HashSet<>();
    for (String name : names) {
      String label = "reader-" + slug(name);
      for (int n = 2; !labels.add(label); n++) {
        label = "reader-" + slug(name) + "-" + n;
      }
      pads.add(new Pad(name, label, dir.resolve(label)));
    }

    CampaignSummary summary = new CampaignSummary(pads.size(), 0, Instant.now());
    // Each pad's process ends its run as ERROR and writes its evidence (SIGTERM).
    InterruptHook interrupt =
        InterruptHook.install("dkrig-interrupt", 20, () -> pads.forEach(Pad::stop));
    int exit = ExitCodes.PASS;
    try {
      boolean processes = "processes".equals(System.getenv("DKRIG_PADS"));
      if (!processes && ReaderContexts.enable()) {
        // Every pad in this process, each reader on a PC/SC context of its own.
        for (Pad pad : pads) {
          startHere(pad);
        }
      } else {
        // The JDK would share one context: the other pads in child JVMs started first, the first
        // pad in this process while they start.
        err.println(
            "dkrig: note: one process per pad ("
                + (processes
                    ? "DKRIG_PADS=processes"
                    : "no PC/SC context per reader in this JVM: "
                        + ReaderContexts.unavailableBecause())
                + ")");
        for (Pad pad : pads.subList(1, pads.size())) {
          pad.start(command(pad), out, err);
        }
        startHere(pads.get(0));
      }
      RunMetadata meta;
      try {
        meta = Bench.load(template).metadata(String.join(", ", names));
      } catch (ConfigException e) {
        // Each pad reports the same mistake (exit 4); the summary goes without the digests.
        meta = Bench.metadataWithoutFiles(template);
      }
      for (Pad pad : pads) {
        exit = worse(exit, pad.await());
      }
      collect(pads, summary);
      summary.finish(Instant.now());
      writeSummary(pads, summary, meta, dir);
    } catch (IOException e) {
      err.println("dkrig: cannot start a pad's process: " + e.getMessage());
      pads.forEach(p -> p.process().ifPresent(Process::destroyForcibly));
      exit = ExitCodes.INTERNAL;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      pads.forEach(Pad::stop);
      exit = ExitCodes.INTERRUPTED;
    } finally {
      // Everything printed before the hook lets the JVM go (issue 15).
      try {
        if (temporary) {
          TemporaryFolder.delete(dir);
        }
        for (String text : summary.lines(verbose)) {
          out.println(text);
        }
        interrupt.signal().ifPresent(s -> out.println("Verdict: ERROR (interrupted by " + s + ")"));
        out.flush();
      } finally {
        interrupt.finished();
      }
    }
    summary.close();
    if (interrupt.signalled()) {
      Main.exitingOnSignal();
      return interrupt.exitCode();
    }
    return exit;
  }

  /** The pads' readers, each resolved to its full name (a hint matching none is an error). */
  private List<String> readers(RigConfig rig) throws ReaderSelection.NoReaderException {
    List<ReaderSelection.Reader> present =
        Pcsc.describe(Pcsc.terminals(Pcsc.factory()), false).stream()
            .map(Pcsc.ReaderInfo::asReader)
            .toList();
    List<String> names = new ArrayList<>();
    if (hints.isEmpty()) {
      for (ReaderSelection.Reader r : selection(Optional.empty(), rig).candidates(present)) {
        names.add(r.name());
      }
      if (names.isEmpty()) {
        throw new ReaderSelection.NoReaderException(
            present.isEmpty()
                ? "no PC/SC reader is connected (dkrig doctor checks the bench)"
                : "every reader is excluded by " + ReaderSelection.ENV_READER_IGNORE);
      }
      return names;
    }
    for (String hint : hints) {
      String name = selection(Optional.of(hint), rig).choose(present).name();
      if (names.contains(name)) {
        throw new ReaderSelection.NoReaderException(
            "-r " + hint + " names " + name + " a second time: one pairing per pad");
      }
      names.add(name);
    }
    return names;
  }

  /** A pad's reader: its {@code -r} (none for --all-readers), with the rig's ignore lists. */
  private static ReaderSelection selection(Optional<String> hint, RigConfig rig) {
    return ReaderSelection.forRig(hint, Optional.empty(), rig.readerIgnore(), System.getenv());
  }

  /** The pad's own process: this JVM's runtime and flags, then {@link #pairArguments}. */
  private List<String> command(Pad pad) {
    List<String> command = new ArrayList<>();
    command.add(
        ProcessHandle.current()
            .info()
            .command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    for (String argument : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (!argument.startsWith("-agentlib:jdwp") && !argument.startsWith("-javaagent")) {
        command.add(argument);
      }
    }
    if (job.repeat() == 1) {
      // One pairing per pad: C1 alone and the serial collector start a JVM with less CPU, which
      // the other pads need at the same moment (a soak keeps the full JIT).
      if (command.stream().noneMatch(a -> a.startsWith("-XX:TieredStopAtLevel"))) {
        command.add("-XX:TieredStopAtLevel=1");
      }
      if (command.stream().noneMatch(a -> a.matches("-XX:\\+Use\\w+GC"))) {
        command.add("-XX:+UseSerialGC");
      }
    }
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.addAll(pairArguments(pad));
    return command;
  }

  /**
   * {@code pair} for one pad: its reader, and where its evidence goes. With {@code --report-dir}
   * (or {@code --repeat}) that is every evidence file; in a temporary folder only what the summary
   * reads back from a pad's process (the JSON report, and junit.xml for {@code --junit}), since the
   * folder is deleted.
   */
  private List<String> pairArguments(Pad pad) {
    return job.padArguments(pad.reader(), pad.dir(), allFiles(), files.junit() != null, verbose);
  }

  private boolean allFiles() {
    return files.reportDir() != null || job.repeat() != 1;
  }

  /**
   * Runs the pad on a thread of this process: the job on its reader, its evidence and console as
   * its own command line would give them, its runs kept for the summary.
   */
  private void startHere(Pad pad) throws IOException {
    List<String> arguments = pairArguments(pad);
    PairJob padJob = job.onPad(pad.reader(), arguments);
    Path padDir = pad.dir();
    RunFiles padFiles =
        allFiles()
            ? new RunFiles(null, null, null, null, null, null, padDir, null, job.withDump())
            : new RunFiles(
                padDir.resolve(RunFiles.JSON).toString(),
                files.junit() != null ? padDir.resolve(RunFiles.JUNIT) : null,
                null,
                null,
                null,
                null,
                null,
                null,
                job.withDump());
    pad.startHere(
        (padOut, padErr) -> {
          if (job.repeat() > 1) {
            return new RepeatRuns(padJob, 1, padFiles, !verbose, false, line, padOut, padErr)
                .runsTo(pad::ran)
                .run();
          }
          SinglePairing single =
              new SinglePairing(
                  padJob,
                  padFiles,
                  new SinglePairing.Console(!verbose, 0, "never"),
                  line,
                  padOut,
                  padErr);
          int exit = single.run();
          single.summaryRun(1, "", Optional.empty()).ifPresent(pad::ran);
          return exit;
        },
        out,
        err);
  }

  /**
   * Every run of every pad, in pad order: a pad of this process from its outcomes, a pad's process
   * from its report (one per run folder after --repeat).
   */
  private void collect(List<Pad> pads, CampaignSummary summary) {
    int index = 0;
    for (Pad pad : pads) {
      if (pad.process().isEmpty()) {
        List<CampaignSummary.Run> runs = pad.runs();
        if (runs.isEmpty()) {
          err.println("dkrig: " + pad.label() + ": the pad's process wrote no report");
        }
        for (CampaignSummary.Run run : runs) {
          String relative = run.label().isEmpty() ? pad.label() : pad.label() + "/" + run.label();
          summary.add(run.renumbered(++index, relative.replace('/', '.'), Optional.of(relative)));
        }
        continue;
      }
      index = readBack(pad, summary, index);
    }
  }

  /** A pad's process's runs, read back from its reports; returns the last index given. */
  private int readBack(Pad pad, CampaignSummary summary, int index) {
    ObjectMapper json = new ObjectMapper();
    List<Path> reports = new ArrayList<>();
    if (Files.isRegularFile(pad.dir().resolve(RunFiles.JSON))) {
      reports.add(pad.dir().resolve(RunFiles.JSON));
    } else if (Files.isDirectory(pad.dir())) {
      try (Stream<Path> runs = Files.list(pad.dir())) {
        runs.filter(p -> p.getFileName().toString().startsWith("run-"))
            .sorted()
            .map(p -> p.resolve(RunFiles.JSON))
            .filter(Files::isRegularFile)
            .forEach(reports::add);
      } catch (IOException e) {
        err.println("dkrig: " + pad.label() + ": " + e.getMessage());
      }
    }
    if (reports.isEmpty()) {
      err.println("dkrig: " + pad.label() + ": the pad's process wrote no report");
    }
    for (Path report : reports) {
      try {
        JsonNode node = json.readTree(report.toFile());
        String relative = pad.dir().getParent().relativize(report.getParent()).toString();
        String label = relative.replace('/', '.');
        summary.add(CampaignSummary.Run.fromReport(++index, label, Optional.of(relative), node));
      } catch (IOException | RuntimeException e) {
        // The parser's words, not its class name (issue 15).
        String why =
            e.getMessage() == null
                ? "not a JSON report"
                : e.getMessage().lines().findFirst().orElse("not a JSON report");
        err.println("dkrig: " + pad.label() + ": unreadable report " + report + ": " + why);
      }
    }
    return index;
  }

  private void writeSummary(List<Pad> pads, CampaignSummary summary, RunMetadata meta, Path dir) {
    Optional<Path> summaryJson = files.summaryJson();
    try {
      if (summaryJson.isPresent()) {
        AtomicFiles.write(summaryJson.get(), CampaignSummary.text(summary.json(meta)), false);
      }
      if (files.reportDir() != null) {
        AtomicFiles.write(dir.resolve(RunFiles.SUMMARY_HTML), summary.html(meta), false);
      }
      Optional<Path> junitFile = files.inDir(files.junit(), RunFiles.JUNIT);
      if (junitFile.isPresent()) {
        try (CombinedJunit junit = new CombinedJunit(junitFile.get())) {
          for (Pad pad : pads) {
            Path file = pad.dir().resolve(RunFiles.JUNIT);
            if (Files.isRegularFile(file)) {
              junit.add(Files.readString(file, StandardCharsets.UTF_8), pad.label());
            }
          }
          junit.finish();
        }
      }
    } catch (IOException e) {
      err.println("dkrig: cannot write the summary: " + e.getMessage());
    }
  }

  /** The worse of two exit codes: internal error, FAIL, ERROR, PASS, in that order. */
  static int worse(int a, int b) {
    List<Integer> order =
        List.of(
            ExitCodes.INTERNAL,
            ExitCodes.INTERRUPTED,
            ExitCodes.TERMINATED,
            ExitCodes.CONFIGURATION,
            ExitCodes.USAGE,
            ExitCodes.FAIL,
            ExitCodes.ERROR,
            ExitCodes.PASS);
    int ia = order.indexOf(a);
    int ib = order.indexOf(b);
    if (ia < 0) {
      return a;
    }
    if (ib < 0) {
      return b;
    }
    return ia <= ib ? a : b;
  }

  /** A folder name from a reader name: "ACS ACR122U PICC Interface 00 00" → acs-acr122u-picc-... */
  static String slug(String name) {
    String s = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
    if (s.length() > 48) {
      s = s.substring(0, 48).replaceAll("-$", "");
    }
    return s.isEmpty() ? "reader" : s;
  }
}
