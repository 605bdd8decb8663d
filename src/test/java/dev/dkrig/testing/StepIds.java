package dev.dkrig.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dkrig.pairing.Step;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The step catalogue as tests compare it: ids and positions come from {@link Step}, never typed in
 * a test, so a new step touches only the catalogue's own pin ({@code StepCatalogueTest}).
 */
public final class StepIds {
  private StepIds() {}

  /** Every step id of the catalogue, in report order (§2). */
  public static List<String> catalogue() {
    return Step.catalogue().stream().map(Step::id).toList();
  }

  /** The ids of a {@code dkrig-report/1} document's {@code steps}, in the document's order. */
  public static List<String> of(JsonNode report) {
    List<String> ids = new ArrayList<>();
    report.get("steps").forEach(s -> ids.add(s.get("step").asText()));
    return ids;
  }

  /** The step ids of a run's console table: the first word of each line that starts with one. */
  public static List<String> ofConsole(String out) {
    return out.lines()
        .filter(l -> l.matches("P[1-4]\\.\\S+\\s.*"))
        .map(l -> l.split("\\s+")[0])
        .toList();
  }

  /** The first word of each line that starts with {@code prefix}: a console table or a dump. */
  public static List<String> firstWords(Stream<String> lines, String prefix) {
    return lines
        .filter(l -> l.startsWith(prefix))
        .map(l -> l.substring(prefix.length()).split("\\s+")[0])
        .toList();
  }

  /** A step's position in every report: its place in the catalogue. */
  public static int position(Step step) {
    return Step.catalogue().indexOf(step);
  }
}
