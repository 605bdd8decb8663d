package dev.dkrig.pairing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The one test that pins the step catalogue ({@link Step}) against the contract: §2's tables, which
 * follow the numbered steps of the use case. Every other test reads counts, ids and positions from
 * {@link Step#catalogue()}, so a new step touches this list and no other test.
 */
class StepCatalogueTest {
  /** §2.1–§2.4, in report order. */
  private static final List<String> CONTRACT_IDS =
      List.of(
          "P1.1",
          "P1.2",
          "P1.3",
          "P1.4",
          "P1.4a",
          "P1.5",
          "P1.6",
          "P1.6.1",
          "P1.6.2",
          "P1.6.3",
          "P1.7",
          "P1.7a",
          "P2.1",
          "P2.1a",
          "P2.2",
          "P2.3",
          "P2.4",
          "P2.4.1",
          "P2.4.2",
          "P2.4.2.1",
          "P2.4.2.2",
          "P2.5",
          "P2.6",
          "P2.6.1",
          "P2.6.2",
          "P2.7",
          "P2.8",
          "P3.1",
          "P3.1a",
          "P3.2",
          "P3.3",
          "P3.4",
          "P3.5",
          "P3.6",
          "P3.7",
          "P3.7.1",
          "P3.7.2",
          "P4.1",
          "P4.2",
          "P4.2.1",
          "P4.2.2",
          "P4.2.3");

  /** §2: "All steps are gating except P1.4a, P3.5, P3.7, P3.7.1, P3.7.2." */
  private static final Set<String> NOT_GATING = Set.of("P1.4a", "P3.5", "P3.7", "P3.7.1", "P3.7.2");

  @Test
  @DisplayName("§2: the catalogue holds the contract's 42 step ids, in report order")
  void idsInContractOrder() {
    assertEquals(42, CONTRACT_IDS.size());
    assertEquals(CONTRACT_IDS, Step.catalogue().stream().map(Step::id).toList());
  }

  @Test
  @DisplayName("§2.1–§2.4: each step's phase is the table it stands in")
  void phases() {
    for (Step step : Step.catalogue()) {
      assertEquals(step.id().charAt(1) - '0', step.phase(), step.id());
    }
  }

  @Test
  @DisplayName("§2: every step gates the verdict except P1.4a, P3.5, P3.7, P3.7.1 and P3.7.2")
  void gating() {
    for (Step step : Step.catalogue()) {
      assertEquals(!NOT_GATING.contains(step.id()), step.gating(), step.id());
    }
  }

  @Test
  @DisplayName("byId finds every step by its contract id")
  void byId() {
    for (Step step : Step.catalogue()) {
      assertSame(step, Step.byId(step.id()));
    }
  }
}
