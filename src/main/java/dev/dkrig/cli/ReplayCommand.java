package dev.dkrig.cli;

import dev.dkrig.bench.ConfigException;
import dev.dkrig.bench.ConfigNames;
import dev.dkrig.bench.ConfigSource;
import dev.dkrig.bench.VehicleProfile;
import dev.dkrig.dump.Dump;
import dev.dkrig.dump.Replay;
import dev.dkrig.io.IoErrors;
import dev.dkrig.io.SafeText;
import dev.dkrig.report.ConsoleReport;
import dev.dkrig.report.Palette;
import dev.dkrig.report.RunMetadata;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code dkrig replay FILE}: a recorded run re-run against its recorded responses. */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    versionProvider = VersionInfo.class,
    description = {
      "Re-run the vehicle of a recorded run (dkrig pair --dump FILE) against the recorded"
          + " responses, with the recorded draws (or seed), timers and clock readings, and check that it"
          + " reaches the same step results. A dump edited by hand, or a rig that changed, is"
          + " caught at the first APDU where the vehicle goes another way.",
      ""
    },
    footer = {
      "",
      "Exit codes: 0 identical results, 1 the replay diverged, 4 the dump or profile cannot be"
          + " used."
    })
final class ReplayCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "FILE", description = "A dump written by dkrig pair --dump.")
  Path file;

  @Option(
      names = "--profile",
      paramLabel = "FILE",
      description = "The vehicle profile of the recorded run, when it is not where the dump says.")
  Path profile;

  @Option(
      names = {"-q", "--quiet"},
      description = "Print only the outcome.")
  boolean quiet;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Dump dump;
    try {
      dump = Dump.read(file);
    } catch (Dump.BadDumpException e) {
      err.println("dkrig: " + SafeText.line(e.getMessage()));
      return ExitCodes.CONFIGURATION;
    } catch (IOException e) {
      err.println(
          "dkrig: cannot read the dump "
              + SafeText.line(file.toString())
              + ": "
              + IoErrors.reason(e));
      return ExitCodes.CONFIGURATION;
    }
    String[] recorded = dump.files().getOrDefault("profile", "").split(" ");
    VehicleProfile vehicle;
    ConfigSource source;
    try {
      source =
          profile != null
              ? ConfigNames.fromEnvironment().profile(profile)
              : recorded[0].startsWith("embedded:")
                  ? ConfigSource.embedded(recorded[0].substring("embedded:".length()))
                  : ConfigSource.file(Path.of(recorded[0]));
      vehicle = VehicleProfile.load(source);
    } catch (ConfigException e) {
      err.println("dkrig: configuration error: " + e.getMessage());
      return ExitCodes.CONFIGURATION;
    }
    String digest = RunMetadata.FileRef.of(source.displayName(), vehicle.digestSource()).sha256();
    if (recorded.length > 1 && !recorded[1].equals(digest)) {
      err.println(
          "dkrig: the profile "
              + source.displayName()
              + " is not the recorded one (sha256 "
              + digest
              + ", recorded "
              + recorded[1]
              + "): give the recorded profile with --profile");
      return ExitCodes.CONFIGURATION;
    }
    Path state = Files.createTempDirectory("dkrig-replay-");
    Replay.Result result;
    try {
      result = Replay.run(dump, vehicle.settings(), state, new dev.dkrig.pairing.RunListener() {});
    } finally {
      TemporaryFolder.delete(state);
    }
    ConsoleReport.print(
        result.outcome(),
        Palette.of("auto", System.console() != null, System.getenv()),
        quiet,
        out);
    if (result.identical()) {
      out.println(
          "Replay identical: " + result.outcome().results().size() + " step results as recorded.");
      return ExitCodes.PASS;
    }
    result.divergence().ifPresent(d -> out.println("Replay diverged: " + d));
    int shown = Math.min(5, result.differences().size());
    for (String difference : result.differences().subList(0, shown)) {
      out.println("  differs: " + difference);
    }
    if (result.differences().size() > shown) {
      out.println("  ... and " + (result.differences().size() - shown) + " more step(s)");
    }
    return ExitCodes.FAIL;
  }
}
