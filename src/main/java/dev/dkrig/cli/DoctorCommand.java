package dev.dkrig.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dkrig.bench.ConfigException;
import dev.dkrig.bench.ConfigNames;
import dev.dkrig.bench.ConfigSource;
import dev.dkrig.bench.RigConfig;
import dev.dkrig.doctor.Doctor;
import dev.dkrig.doctor.Finding;
import dev.dkrig.pairing.Result;
import dev.dkrig.report.JsonReport;
import dev.dkrig.report.Palette;
import dev.dkrig.transport.pcsc.ReaderSelection;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code dkrig doctor}: is the bench ready for this rig? Each finding with its cause and fix. */
@Command(
    name = "doctor",
    mixinStandardHelpOptions = true,
    versionProvider = VersionInfo.class,
    description = {
      "Check the bench a rig needs: pcscd, Java's PC/SC library, the readers, the CCID driver's"
          + " escape option for the ACR122U, a kernel NFC driver holding the reader, BLE. Each"
          + " problem comes with its cause and the exact fix.",
      ""
    },
    footer = {"", "Exit codes: 0 the bench is ready, 3 it is not, 4 the rig file is wrong."})
final class DoctorCommand implements Callable<Integer> {
  /** The JSON document's schema name; its fields are listed in the README. */
  static final String SCHEMA = "dkrig-doctor/1";

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--rig",
      paramLabel = "RIG",
      description = "The rig to check for (default: rigs/pcsc.yaml's needs: a PC/SC reader).")
  Path rig;

  @Option(
      names = {"-r", "--reader"},
      paramLabel = "READER",
      description = "The reader the run would use (as for pair).",
      converter = RigOptions.ReaderHint.class)
  String reader;

  @Option(
      names = "--json",
      description =
          "Print the findings as one JSON document (dkrig-doctor/1, fields in the README), with the"
              + " same exit code.")
  boolean json;

  @Option(
      names = "--color",
      paramLabel = "WHEN",
      description = "auto, always or never (default: ${DEFAULT-VALUE}).")
  String color = "auto";

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    RigConfig config;
    try {
      config =
          RigConfig.load(
              rig != null
                  ? ConfigNames.fromEnvironment().rig(rig)
                  : ConfigSource.embedded("rigs/pcsc.yaml"));
    } catch (ConfigException e) {
      err.println("dkrig: configuration error: " + e.getMessage());
      if (json) {
        out.print(
            JsonReport.text(
                document(Optional.empty(), List.of(), "configuration error: " + e.getMessage())));
        out.flush();
      }
      return ExitCodes.CONFIGURATION;
    }
    ReaderSelection selection =
        ReaderSelection.forRig(
            Optional.ofNullable(reader), config.reader(), config.readerIgnore(), System.getenv());
    List<Finding> findings = Doctor.system().examine(config, selection);
    boolean ready = Doctor.ready(findings);
    if (json) {
      Optional<String> error =
          findings.stream()
              .filter(f -> f.severity() == Finding.Severity.PROBLEM)
              .findFirst()
              .map(f -> "bench not ready: " + f.subject() + ": " + f.text());
      out.print(JsonReport.text(document(Optional.of(config), findings, error.orElse(null))));
      out.flush();
      return ready ? ExitCodes.PASS : ExitCodes.ERROR;
    }
    Palette palette = Palette.of(color, System.console() != null, System.getenv());
    for (Finding f : findings) {
      Result look =
          switch (f.severity()) {
            case OK -> Result.PASS;
            case WARN -> Result.INFO;
            case PROBLEM -> Result.FAIL;
          };
      out.printf(
          "  %s  %-15s %s%n",
          palette.result(
              look,
              String.format(Locale.ROOT, "%-7s", f.severity().name().toLowerCase(Locale.ROOT))),
          f.subject(),
          f.text());
      f.fix().ifPresent(fix -> out.printf("  %-7s  %-15s fix: %s%n", "", "", fix));
    }
    long problems = findings.stream().filter(f -> f.severity() == Finding.Severity.PROBLEM).count();
    out.println(ready ? "Bench ready." : "Bench not ready: " + problems + " problem(s) above.");
    out.flush();
    return ready ? ExitCodes.PASS : ExitCodes.ERROR;
  }

  /** The JSON document ({@code dkrig-doctor/1}); {@code error} null when the bench is ready. */
  static ObjectNode document(Optional<RigConfig> config, List<Finding> findings, String error) {
    ObjectNode document = new ObjectMapper().createObjectNode();
    document.put("schema", SCHEMA);
    if (config.isPresent()) {
      document.put("rig", config.get().source().displayName());
    } else {
      document.putNull("rig");
    }
    document.put("ready", error == null && Doctor.ready(findings));
    ArrayNode list = document.putArray("findings");
    for (Finding f : findings) {
      ObjectNode node = list.addObject();
      node.put("severity", f.severity().name().toLowerCase(Locale.ROOT));
      node.put("subject", f.subject());
      node.put("text", f.text());
      node.put("fix", f.fix().orElse(null));
    }
    document.put("error", error);
    return document;
  }
}
