package dev.dkrig.it;

import dev.dkrig.cli.Main;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starts {@code ./dkrig suite ...} as a separate process, as a user runs it. Until {@link Main}
 * registers the command, the same jar runs it through {@code dev.dkrig.cli.SuiteCommand}'s own main
 * (the launcher builds the jar first).
 */
final class SuiteLauncher {
  private SuiteLauncher() {}

  record Result(int exit, String out, String err) {}

  static boolean registered() {
    return Main.commandLine().getSubcommands().containsKey("suite");
  }

  /** The command line that runs {@code dkrig ARGS}; ARGS start with {@code suite}. */
  static List<String> command(List<String> args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    Path launcher = Path.of("dkrig").toAbsolutePath();
    if (registered() || !args.get(0).equals("suite")) {
      command.add(launcher.toString());
    } else {
      // The launcher rebuilds a stale jar; --version is its cheapest way to do so.
      Process build = new ProcessBuilder(launcher.toString(), "--version").inheritIO().start();
      if (!build.waitFor(300, TimeUnit.SECONDS) || build.exitValue() != 0) {
        throw new IOException("./dkrig --version failed: the jar did not build");
      }
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.add("-Dsun.security.smartcardio.t0GetResponse=false");
      command.add("-Dsun.security.smartcardio.t1GetResponse=false");
      command.add("-cp");
      command.add(Path.of("target", "dkrig.jar").toAbsolutePath().toString());
      command.add("dev.dkrig.cli.SuiteCommand");
    }
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

  /** The scenarios whose verdict line says FAIL. */
  static List<String> failing(String out) {
    return out.lines()
        .filter(l -> l.matches("[a-z0-9-]+(?: #\\d+)? +FAIL .*"))
        .map(l -> l.split(" +")[0])
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
