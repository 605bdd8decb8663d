package dev.dkrig.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dkrig.pairing.Step;
import dev.dkrig.pairing.StepTimers;
import dev.dkrig.report.JsonReport;
import dev.dkrig.time.TimerName;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code dkrig steps}: the step catalogue of the contract (§2), as every report orders it. */
@Command(
    name = "steps",
    mixinStandardHelpOptions = true,
    versionProvider = VersionInfo.class,
    description = {
      "List the steps of the contract's catalogue (§2) in report order: id, phase, title,"
          + " [profile] for the checks the profile adds, the timers the step starts, watches or"
          + " stops (§13), and the steps that do not gate the verdict.",
      ""
    },
    footer = {"", "Exit codes: 0 listed."})
final class StepsCommand implements Callable<Integer> {
  /** The JSON document's schema name; its fields are listed in the README. */
  static final String SCHEMA = "dkrig-steps/1";

  private static final String PROFILE_MARK = "[profile]";

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--json", description = "Print the catalogue as one JSON document.")
  boolean json;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.print(JsonReport.text(document()));
    } else {
      for (Step step : Step.catalogue()) {
        StepTimers timers = StepTimers.of(step);
        out.println(
            String.format(
                    Locale.ROOT,
                    "%-9s %d  %-9s  %s",
                    step.id(),
                    step.phase(),
                    profile(step) ? PROFILE_MARK : "",
                    title(step))
                + (timers.isEmpty() ? "" : "  (timers: " + timers + ")")
                + (step.gating() ? "" : "  (not gating)"));
      }
      out.println(Step.catalogue().size() + " steps (contract §2).");
    }
    out.flush();
    return ExitCodes.PASS;
  }

  static ObjectNode document() {
    ObjectNode document = new ObjectMapper().createObjectNode();
    document.put("schema", SCHEMA);
    ArrayNode steps = document.putArray("steps");
    for (Step step : Step.catalogue()) {
      StepTimers timers = StepTimers.of(step);
      ObjectNode node = steps.addObject();
      node.put("id", step.id());
      node.put("phase", step.phase());
      node.put("title", title(step));
      node.put("profile", profile(step));
      node.put("gating", step.gating());
      names(node.putArray("starts"), timers.starts());
      names(node.putArray("watches"), timers.watches());
      names(node.putArray("stops"), timers.stops());
    }
    return document;
  }

  private static void names(ArrayNode array, List<TimerName> timers) {
    timers.forEach(t -> array.add(t.name()));
  }

  /** The catalogue marks the checks the profile adds with a leading {@code [profile]}. */
  private static boolean profile(Step step) {
    return step.title().startsWith(PROFILE_MARK);
  }

  private static String title(Step step) {
    return profile(step) ? step.title().substring(PROFILE_MARK.length()).strip() : step.title();
  }
}
