package dev.dkrig.pairing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** §2: the relations between catalogue steps that failure resolution reads, as data. */
class StepRelationsTest {
  @Test
  void section2_p2_4sContentMarkersTakeItsFailure() {
    assertEquals(
        List.of(Step.P2_4_1, Step.P2_4_2, Step.P2_4_2_1, Step.P2_4_2_2), Step.P2_4.subSteps());
    for (Step sub : Step.P2_4.subSteps()) {
      assertTrue(sub.id().startsWith("P2.4."), sub.id());
    }
    assertEquals(List.of(), Step.P2_5.subSteps());
  }

  @Test
  void section2_p1_6FailsWithPollingOrAdvertising() {
    assertTrue(Step.P1_6_1.failureDecidesParent());
    assertTrue(Step.P1_6_2.failureDecidesParent());
    assertFalse(Step.P1_6_3.failureDecidesParent(), "P1.6.3 is decided after P1.6 passed");
    assertEquals(Optional.of(Step.P1_6), Step.P1_6_1.parent());
    assertEquals(Optional.of(Step.P2_4_2), Step.P2_4_2_1.parent());
    assertEquals(Optional.empty(), Step.P1_4A.parent());
  }

  @Test
  void section12_noReceiptIsFetchedOrVerifiedAfterP4_2_1Fails() {
    assertEquals(List.of(Step.P4_2_2, Step.P4_2_3), Step.P4_2_1.skippedAfterFailure());
    assertEquals(List.of(Step.P1_6_2), Step.P1_6_1.skippedAfterFailure());
  }

  @Test
  void phase4IsSwitchedOffAsAWhole() {
    assertEquals(
        List.of(Step.P4_1, Step.P4_2, Step.P4_2_1, Step.P4_2_2, Step.P4_2_3), Step.ofPhase(4));
  }
}
