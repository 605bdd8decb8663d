package dev.dkrig.report;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dkrig.io.IoErrors;
import dev.dkrig.pairing.PairingOutcome;
import dev.dkrig.pairing.RunListener;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The evidence files of one run (issue 7): the trace, events, pcapng (written as the run goes, so
 * they survive any abort), and the JSON and JUnit reports (written at the end, on every way out). A
 * file that cannot be written costs that file only: the run and the other files go on, and the
 * operator is told once.
 */
public final class ReportOutputs implements Closeable {
  /** Where each file goes; empty = not wanted. {@code json} may be "-" for stdout. */
  public record Files(
      Optional<String> json,
      Optional<Path> junit,
      Optional<Path> trace,
      Optional<Path> events,
      Optional<Path> pcapng,
      Optional<Path> html) {}

  private final Files files;
  private final PrintWriter stdout;
  private final PrintWriter stderr;
  private final List<RunListener> listeners = new ArrayList<>();
  private final List<Closeable> open = new ArrayList<>();
  private final List<GuardedListener> guards = new ArrayList<>();
  private final java.util.Map<PrintWriter, Path> writers = new java.util.LinkedHashMap<>();
  private final List<String> failures = new ArrayList<>();
  private final List<WireListener> wired = new ArrayList<>();
  private RunContext context;
  private TraceLog trace;
  private EventsLog events;
  private PcapngCapture pcapng;
  private boolean sensitive;
  private Optional<String> option = Optional.empty();

  public ReportOutputs(Files files, PrintWriter stdout, PrintWriter stderr) {
    this.files = files;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  /**
   * The option a failure names for every file ({@code --report-dir} for a suite's scenario files),
   * instead of each file's own option.
   */
  public ReportOutputs option(String name) {
    this.option = Optional.of(name);
    return this;
  }

  /**
   * {@code --reveal-secrets}: the trace will hold secrets, so it is created owner-only (the JSON
   * report makes itself owner-only when it holds them).
   */
  public ReportOutputs sensitive(boolean sensitive) {
    this.sensitive = sensitive;
    return this;
  }

  /**
   * Opens the streaming files for a run whose transport is not decorated ({@code dkrig apdu}): the
   * exchanges its listener reports go into the trace and the pcapng.
   */
  public RunListener open(List<String> preamble, String reader, Optional<PrintWriter> debugTrace) {
    RunContext context = RunContext.fedByListener();
    RunListener files = open(preamble, reader, debugTrace, context);
    return RunListener.all(List.of(context.pairingSteps(), files));
  }

  /**
   * Opens the streaming files; call before the run. The trace and the pcapng hear the wire through
   * {@code context} (its {@link EvidenceTransport}), everything else through the listener returned.
   */
  public RunListener open(
      List<String> preamble, String reader, Optional<PrintWriter> debugTrace, RunContext context) {
    this.context = context;
    // Which option's file is being opened, so that a failure names it (issue 15).
    String opening = "";
    try {
      if (files.trace().isPresent()) {
        opening = option.orElse("--trace") + " " + files.trace().get();
        PrintWriter writer = writer(files.trace().get());
        trace = new TraceLog(writer, preamble);
        listeners.add(wired(context, guard("trace", trace)));
      } else if (debugTrace.isPresent()) {
        trace = new TraceLog(debugTrace.get(), preamble);
        listeners.add(wired(context, guard("trace", trace)));
      }
      if (files.events().isPresent()) {
        opening = option.orElse("--events") + " " + files.events().get();
        events = new EventsLog(writer(files.events().get()), preamble);
        listeners.add(guard("events", events));
      }
      if (files.pcapng().isPresent()) {
        opening = option.orElse("--pcapng") + " " + files.pcapng().get();
        OutputStream stream = stream(files.pcapng().get());
        pcapng =
            new PcapngCapture(
                stream, "dkrig " + String.join(" / ", preamble.subList(0, 1)), preamble, reader);
        listeners.add(wired(context, guard("pcapng", pcapng)));
      }
    } catch (IOException e) {
      String reason = IoErrors.reason(e);
      stderr.println("dkrig: " + opening + ": cannot open: " + reason);
      failures.add(opening + ": cannot open: " + reason);
    }
    return RunListener.all(listeners);
  }

  /**
   * Writes the end-of-run files and closes everything; returns the JSON report (whether or not a
   * file wanted it), so a caller that reads it back does not render it again. Never throws.
   */
  public ObjectNode finish(PairingOutcome outcome, RunMetadata metadata, ApduLog apdus) {
    Instant end = outcome.end();
    String verdict =
        "verdict "
            + outcome.verdict()
            + outcome
                .firstProblem()
                .map(
                    p ->
                        " (first problem "
                            + p.step().id()
                            + " "
                            + p.result()
                            + ": "
                            + p.detail()
                            + ")")
                .orElse("")
            + outcome.runProblems().stream().map(p -> "; " + p).reduce("", String::concat);
    if (trace != null) {
      safely("trace", () -> trace.comment(verdict));
    }
    if (events != null) {
      safely("events", () -> events.verdict(end, outcome.verdict().name(), outcome.runProblems()));
    }
    if (pcapng != null) {
      safely("pcapng", () -> pcapng.comment(end, verdict));
    }
    ObjectNode report = JsonReport.render(outcome, metadata, apdus);
    json(report);
    files
        .junit()
        .ifPresent(
            path ->
                safely(
                    "JUnit XML",
                    () ->
                        JunitXml.write(
                            JunitXml.render(List.of(outcome), metadata, List.of(apdus)), path)));
    files
        .html()
        .ifPresent(
            path ->
                safely(
                    "HTML report",
                    () ->
                        AtomicFiles.write(
                            path, HtmlReport.render(outcome, metadata, apdus), false)));
    close();
    return report;
  }

  /** The JSON report alone, for a run that never started (configuration error). */
  public void json(ObjectNode report) {
    if (files.json().isEmpty()) {
      return;
    }
    if (files.json().get().equals("-")) {
      stdout.print(JsonReport.text(report));
      stdout.flush();
      return;
    }
    safely("JSON report", () -> JsonReport.write(report, Path.of(files.json().get())));
  }

  /**
   * What could not be written (disk full, a closed file): a run whose evidence is incomplete ends
   * ERROR (exit 3), whatever its verdict. Complete after {@link #finish} or {@link #close}.
   */
  public synchronized List<String> failures() {
    List<String> out = new ArrayList<>(failures);
    for (GuardedListener g : guards) {
      if (g.failed()) {
        out.add("the " + g.what() + " stopped being written");
      }
    }
    return out;
  }

  /** A step of a run that is not a pairing (a conformance scenario) begins. */
  public void stepBegins(Instant at, String id, String title) {
    lines(l -> l.stepBegins(at, id, title));
  }

  /** That step ends; {@code sw} is its last status word in hex, if any. */
  public void stepEnds(Instant at, String id, String result, String detail, Optional<String> sw) {
    lines(l -> l.stepEnds(at, id, result, detail, sw));
  }

  /** A bench note of such a run. */
  public void note(Instant at, String text) {
    lines(l -> l.note(at, text));
  }

  /**
   * Ends a run that is not a pairing: its verdict into the trace, the events and the pcapng, then
   * closes everything. Never throws.
   */
  public void finish(Instant end, String verdict, String line) {
    if (trace != null) {
      safely("trace", () -> trace.comment(line));
    }
    if (events != null) {
      safely("events", () -> events.verdict(end, verdict, List.of()));
    }
    if (pcapng != null) {
      safely("pcapng", () -> pcapng.comment(end, line));
    }
    close();
  }

  private void lines(java.util.function.Consumer<StepLines> action) {
    for (GuardedListener g : guards) {
      g.lines(action);
    }
  }

  @Override
  public void close() {
    // The transport may outlive these files (a suite's reader, scenario after scenario).
    if (context != null) {
      wired.forEach(context::remove);
    }
    wired.clear();
    writers.forEach(
        (w, path) -> {
          if (w.checkError()) {
            failures.add(path + " could not be written completely");
          }
        });
    writers.clear();
    for (Closeable c : open) {
      try {
        c.close();
      } catch (IOException e) {
        stderr.println("dkrig: closing an output file: " + e.getMessage());
        failures.add("closing an output file: " + e.getMessage());
      }
    }
    open.clear();
  }

  private PrintWriter writer(Path path) throws IOException {
    PrintWriter writer =
        new PrintWriter(
            java.nio.file.Files.newBufferedWriter(
                sensitive ? createOwnerOnly(path) : create(path), StandardCharsets.UTF_8));
    open.add(writer);
    writers.put(writer, path);
    return writer;
  }

  private OutputStream stream(Path path) throws IOException {
    OutputStream stream =
        new BufferedOutputStream(java.nio.file.Files.newOutputStream(create(path)));
    open.add(stream);
    return stream;
  }

  private static Path create(Path path) throws IOException {
    Path parent = path.toAbsolutePath().getParent();
    if (parent != null) {
      java.nio.file.Files.createDirectories(parent);
    }
    return path;
  }

  private static Path createOwnerOnly(Path path) throws IOException {
    create(path);
    java.nio.file.Files.deleteIfExists(path);
    try {
      return java.nio.file.Files.createFile(
          path,
          java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
              java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      return java.nio.file.Files.createFile(path);
    }
  }

  private interface Work {
    void run() throws IOException;
  }

  private void safely(String what, Work work) {
    try {
      work.run();
    } catch (IOException | RuntimeException e) {
      stderr.println("dkrig: cannot write the " + what + ": " + e.getMessage());
      failures.add("cannot write the " + what + ": " + e.getMessage());
    }
  }

  private GuardedListener wired(RunContext context, GuardedListener writer) {
    context.listen(writer);
    wired.add(writer);
    return writer;
  }

  /** A listener whose failure (disk full, closed pipe) disables it with one message. */
  private GuardedListener guard(String what, RunListener inner) {
    GuardedListener guard = new GuardedListener(what, inner, stderr);
    guards.add(guard);
    return guard;
  }

  /** Whether a wanted file could not be opened or written: the evidence is incomplete. */
  public boolean failed() {
    return !failures().isEmpty();
  }
}
