package dev.dkrig.phone;

import dev.dkrig.pairing.PairingOutcome;
import dev.dkrig.pairing.Result;
import dev.dkrig.pairing.Step;
import dev.dkrig.pairing.StepResult;
import dev.dkrig.pairing.Verdict;
import java.util.List;
import java.util.Optional;

/**
 * What one phone run produced: the 42 step results judged from the phone's side and the verdict (as
 * a {@link PairingOutcome}, so the report writers serve both roles), every event that reached the
 * phone, and, with a device quirk, why the pairing did not complete.
 *
 * @param pairing the results in catalogue order and the verdict of §2
 * @param events what reached the phone, in order (including what came after the run ended, up to
 *     the moment the outcome was taken)
 * @param notCompletedByDesign "pairing not completed by design (device quirk NAME)" when a quirk
 *     made the pairing stop
 */
public record PhoneOutcome(
    PairingOutcome pairing, List<PhoneEvent> events, Optional<String> notCompletedByDesign) {

  public PhoneOutcome {
    events = List.copyOf(events);
  }

  public Verdict verdict() {
    return pairing.verdict();
  }

  public List<StepResult> results() {
    return pairing.results();
  }

  public StepResult result(Step step) {
    return pairing.result(step);
  }

  /** The results of one kind, in catalogue order. */
  public List<StepResult> withResult(Result result) {
    return pairing.results().stream().filter(r -> r.result() == result).toList();
  }
}
