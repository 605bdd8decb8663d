package dev.dkrig.cli;

import dev.dkrig.report.CampaignSummary;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;

/** One pad of {@link Pads}: its reader, its label and folder, its thread or its process. */
final class Pad {
  private final String reader;
  private final String label;
  private final Path dir;
  private volatile Process process;
  private volatile Thread here;
  private volatile int hereExit = ExitCodes.INTERNAL;
  private final List<Thread> pumps = new ArrayList<>();
  private final List<CampaignSummary.Run> runs =
      java.util.Collections.synchronizedList(new ArrayList<>());

  Pad(String reader, String label, Path dir) {
    this.reader = reader;
    this.label = label;
    this.dir = dir;
  }

  String reader() {
    return reader;
  }

  String label() {
    return label;
  }

  Path dir() {
    return dir;
  }

  Optional<Process> process() {
    return Optional.ofNullable(process);
  }

  /** A run of this pad, as the summary counts it (a pad of this process). */
  void ran(CampaignSummary.Run run) {
    runs.add(run);
  }

  /** The runs of this pad in the order they ended (its runs go one after the other). */
  List<CampaignSummary.Run> runs() {
    synchronized (runs) {
      return List.copyOf(runs);
    }
  }

  /**
   * Runs the pad on a thread of this process, its console lines prefixed with its label; a mistake
   * found on the way ends it as a command would (exit 2, 4 or 70, one line).
   */
  void startHere(PadRun body, PrintWriter out, PrintWriter err) throws IOException {
    Files.createDirectories(dir);
    PrintWriter padOut = new PrintWriter(new Prefixing(label, out), true);
    PrintWriter padErr = new PrintWriter(new Prefixing(label, err), true);
    here =
        new Thread(
            () -> {
              try {
                hereExit = body.run(padOut, padErr);
              } catch (CommandLine.ParameterException e) {
                padErr.println("dkrig: " + e.getMessage());
                hereExit = ExitCodes.USAGE;
              } catch (dev.dkrig.state.StateException e) {
                padErr.println("dkrig: " + e.getMessage());
                hereExit = ExitCodes.CONFIGURATION;
              } catch (RuntimeException e) {
                padErr.println("dkrig: internal error: " + e);
                padErr.println("Re-run with --debug and report the output.");
                hereExit = ExitCodes.INTERNAL;
              }
              padOut.flush();
              padErr.flush();
            },
            "dkrig-pad-" + label);
    here.start();
  }

  /** Ctrl-C or SIGTERM: ends the pad's run as ERROR with its evidence written. */
  void stop() {
    if (process != null) {
      process.destroy();
    }
    if (here != null) {
      here.interrupt();
    }
  }

  void start(List<String> command, PrintWriter out, PrintWriter err) throws IOException {
    Files.createDirectories(dir);
    process = new ProcessBuilder(command).start();
    process.getOutputStream().close();
    pumps.add(pump(process.getInputStream(), out));
    pumps.add(pump(process.getErrorStream(), err));
  }

  /** Waits for the pad's process (or thread) and its output; its exit code. */
  int await() throws InterruptedException {
    if (here != null) {
      here.join();
      return hereExit;
    }
    int code = process.waitFor();
    for (Thread pump : pumps) {
      pump.join(TimeUnit.SECONDS.toMillis(5));
    }
    return code;
  }

  private Thread pump(InputStream stream, PrintWriter target) {
    Thread t =
        new Thread(
            () -> {
              try (BufferedReader reader =
                  new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String text;
                while ((text = reader.readLine()) != null) {
                  synchronized (target) {
                    target.println("[" + label + "] " + text);
                    target.flush();
                  }
                }
              } catch (IOException e) {
                // The process ended; its last lines are already out.
              }
            },
            "dkrig-pad-" + label);
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** What a pad of this process runs: its console, its exit code. */
  @FunctionalInterface
  interface PadRun {
    int run(PrintWriter out, PrintWriter err);
  }

  /** Prefixes each line written through it with the pad's label, as the child pads' lines are. */
  static final class Prefixing extends java.io.Writer {
    private final String prefix;
    private final PrintWriter target;
    private final StringBuilder line = new StringBuilder();

    Prefixing(String label, PrintWriter target) {
      this.prefix = "[" + label + "] ";
      this.target = target;
    }

    @Override
    public void write(char[] buffer, int offset, int length) {
      for (int i = offset; i < offset + length; i++) {
        char c = buffer[i];
        if (c == '\n') {
          synchronized (target) {
            target.println(prefix + line);
            target.flush();
          }
          line.setLength(0);
        } else if (c != '\r') {
          line.append(c);
        }
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
      if (line.length() > 0) {
        write(new char[] {'\n'}, 0, 1);
      }
    }
  }
}
