package dev.dkrig.it;

import dev.dkrig.conformance.ConformanceScenario;
import dev.dkrig.conformance.Scenarios;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Starts {@code ./dkrig suite ...} as a separate process, as a user runs it. */
final class SuiteLauncher {
  private SuiteLauncher() {}

  record Result(int exit, String out, String err) {}

  /** The command line that runs {@code dkrig ARGS}. */
  static List<String> command(List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of("dkrig").toAbsolutePath().toString());
    command.addAll(args);
    return command;
  }

  static Process start(Path dir, String name, List<String> args)
      throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command(args));
    builder.environment().put("DKRIG_STATE_DIR", dir.resolve("state").toString());
    builder.environment().put("NO_COLOR", "1");
    builder.environment().remove("DKRIG_READER");
    builder.redirectOutput(dir.resolve(name + ".out").toFile());
    builder.redirectError(dir.resolve(name + ".err").toFile());
    return builder.start();
  }

  static Result run(Path dir, String name, String... args)
      throws IOException, InterruptedException {
    Process process = start(dir, name, List.of(args));
    if (!process.waitFor(300, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("dkrig " + String.join(" ", args) + " did not finish");
    }
    return new Result(
        process.exitValue(),
        Files.readString(dir.resolve(name + ".out"), StandardCharsets.UTF_8),
        Files.readString(dir.resolve(name + ".err"), StandardCharsets.UTF_8));
  }

  /** What {@code dkrig} printed under {@code name} ({@code name.out}, {@code name.err}) so far. */
  static String output(Path dir, String name) {
    StringBuilder text = new StringBuilder();
    for (String stream : List.of(".out", ".err")) {
      Path file = dir.resolve(name + stream);
      try {
        if (Files.exists(file)) {
          text.append("\n--- ")
              .append(name)
              .append(stream)
              .append(":\n")
              .append(Files.readString(file, StandardCharsets.UTF_8));
        }
      } catch (IOException e) {
        text.append("\n(").append(file).append(": ").append(e).append(")");
      }
    }
    return text.toString();
  }

  /** The scenarios whose verdict line says FAIL. */
  static List<String> failing(String out) {
    return out.lines()
        .filter(l -> l.matches("[a-z0-9-]+(?: #\\d+)? +FAIL .*"))
        .map(l -> l.split(" +")[0])
        .toList();
  }

  /**
   * The scenarios, in catalogue order, that declare they catch one of these device quirks: the ones
   * a device with them must FAIL ({@link ConformanceScenario#catches}).
   */
  static List<String> catching(String... quirks) {
    return Scenarios.all().stream()
        .filter(s -> s.catches().stream().anyMatch(List.of(quirks)::contains))
        .map(ConformanceScenario::name)
        .toList();
  }

  /** The scenarios whose verdict line says PASS. */
  static List<String> passing(String out) {
    return out.lines()
        .filter(l -> l.matches("[a-z0-9-]+(?: #\\d+)? +PASS .*"))
        .map(l -> l.split(" +")[0])
        .toList();
  }
}
