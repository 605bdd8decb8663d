package dev.dkrig.report;

import java.time.Instant;
import java.util.Optional;

/**
 * Step boundaries and bench notes by id and text, for a run whose steps are not the pairing's
 * catalogue (a conformance scenario): the trace, the events and the pcapng write them as they write
 * a pairing's steps.
 */
public interface StepLines {

  void stepBegins(Instant at, String id, String title);

  /**
   * @param sw the step's last status word in hex, if it has one
   */
  void stepEnds(Instant at, String id, String result, String detail, Optional<String> sw);

  void note(Instant at, String text);
}
