package dev.dkrig.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dkrig.pairing.Step;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Issue 18 item 2: {@code dkrig steps} lists the §2 catalogue, as text and as JSON. */
class StepsCommandTest {

  @Test
  @DisplayName("steps --json: every catalogue step in order, with phase, [profile] and timers")
  void json() throws Exception {
    CliRun run = CliRun.of("steps", "--json");
    assertEquals(0, run.exitCode(), run.err());
    JsonNode doc = new ObjectMapper().readTree(run.out());
    assertEquals("dkrig-steps/1", doc.get("schema").asText());
    JsonNode steps = doc.get("steps");
    assertEquals(Step.catalogue().size(), steps.size());
    List<String> ids = new ArrayList<>();
    steps.forEach(s -> ids.add(s.get("id").asText()));
    assertEquals(Step.catalogue().stream().map(Step::id).toList(), ids);
    JsonNode chain = byId(steps, "P2.6.1");
    assertEquals(2, chain.get("phase").asInt());
    assertEquals("chain verified", chain.get("title").asText());
    assertTrue(chain.get("profile").asBoolean());
    assertEquals(false, byId(steps, "P2.6").get("profile").asBoolean());
    assertEquals("[\"T_PairingModeTimeout\"]", byId(steps, "P1.6").get("starts").toString());
    assertEquals("[\"T_OwnerPairing\"]", byId(steps, "P1.7a").get("watches").toString());
    assertEquals("[\"T_OwnerPairing\"]", byId(steps, "P3.6").get("stops").toString());
    assertEquals(
        "[\"T_Apdu\",\"T_TxGap\",\"T_KeyCreation\",\"T_OwnerPairing\"]",
        byId(steps, "P2.5").get("watches").toString());
    assertEquals(0, byId(steps, "P2.2").get("watches").size());
    assertEquals(false, byId(steps, "P3.5").get("gating").asBoolean());
  }

  @Test
  @DisplayName("steps: one line per catalogue step (id, phase, [profile], title, timers), a count")
  void text() {
    CliRun run = CliRun.of("steps");
    assertEquals(0, run.exitCode(), run.err());
    List<String> lines = run.out().lines().toList();
    assertEquals(Step.catalogue().size() + 1, lines.size(), run.out());
    for (int i = 0; i < Step.catalogue().size(); i++) {
      assertTrue(lines.get(i).startsWith(Step.catalogue().get(i).id() + " "), lines.get(i));
    }
    assertTrue(
        run.out().lines().anyMatch(l -> l.matches("P4\\.2\\.1 +4  \\[profile\\]  SigBmp bit 0 .*")),
        run.out());
    assertTrue(
        run.out()
            .lines()
            .anyMatch(
                l ->
                    l.startsWith("P2.3 ")
                        && l.endsWith("(timers: T_Apdu, T_PairingModeTimeout, T_OwnerPairing)")),
        run.out());
    assertEquals(Step.catalogue().size() + " steps (contract §2).", lines.get(lines.size() - 1));
  }

  private static JsonNode byId(JsonNode steps, String id) {
    for (JsonNode step : steps) {
      if (step.get("id").asText().equals(id)) {
        return step;
      }
    }
    throw new AssertionError("no step " + id);
  }
}
