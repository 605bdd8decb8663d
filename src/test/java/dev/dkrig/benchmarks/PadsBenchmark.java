package dev.dkrig.benchmarks;

import dev.dkrig.testing.Pcscd;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 10: the wall time of one pad against two pads side by side, as a lab runs them: {@code
 * ./dkrig pair --rig rigs/pcsc.yaml -r A [-r B]} through a real pcscd, each reader served by {@code
 * ./dkrig emulate --vpcd}, with the virtual rig's phase-4 poll interval; whole processes, launch to
 * exit. {@code evidence=report-dir} has every run write all its evidence files (and the pads their
 * summary); {@code none} writes only what the pads' summary reads back. Needs root (it starts
 * pcscd) and runs from the repository root.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 8)
@Fork(1)
public class PadsBenchmark {
  private final List<Process> emulators = new ArrayList<>();
  private Path state;

  @Param({"none", "report-dir"})
  public String evidence;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    Pcscd.shared();
    state = Files.createTempDirectory("dkrig-pads-bench-");
    for (int port : new int[] {Pcscd.PORT_0, Pcscd.PORT_1}) {
      emulators.add(
          new ProcessBuilder(dkrig(), "emulate", "--vpcd", "127.0.0.1:" + port)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start());
    }
    // Both cards present: one pairing on each pad before measuring.
    for (int attempt = 0; ; attempt++) {
      if (run(Pcscd.READER_0, Pcscd.READER_1) == 0) {
        break;
      }
      if (attempt == 20) {
        throw new IllegalStateException("the emulated cards never paired");
      }
      Thread.sleep(500);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws InterruptedException, IOException {
    for (Process p : emulators) {
      p.destroy();
      p.waitFor(10, TimeUnit.SECONDS);
    }
    // The state and every run's evidence folder.
    try (java.util.stream.Stream<Path> walk = Files.walk(state)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  @Benchmark
  public int onePad() throws Exception {
    return check(run(Pcscd.READER_0));
  }

  @Benchmark
  public int twoPads() throws Exception {
    return check(run(Pcscd.READER_0, Pcscd.READER_1));
  }

  private static int check(int exit) {
    if (exit != 0) {
      throw new IllegalStateException("dkrig pair exited " + exit);
    }
    return exit;
  }

  private int run(String... readers) throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(
            List.of(
                dkrig(),
                "pair",
                "-q",
                "--rig",
                "rigs/pcsc.yaml",
                "--timer",
                "T_KtsPollInterval=50ms",
                "--state-dir",
                state.toString()));
    for (String reader : readers) {
      command.add("-r");
      command.add(reader);
    }
    if (evidence.equals("report-dir")) {
      command.add("--report-dir");
      command.add(Files.createTempDirectory(state, "reports-").toString());
    }
    Process p =
        new ProcessBuilder(command)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("dkrig pair did not finish");
    }
    return p.exitValue();
  }

  private static String dkrig() {
    return new File("dkrig").getAbsolutePath();
  }
}
