package dev.dkrig.doctor;

import java.util.Optional;

/** One thing {@code dkrig doctor} found: what, how bad, and the exact fix. */
public record Finding(Severity severity, String subject, String text, Optional<String> fix) {

  /** How much a finding stands in the way of a run. */
  public enum Severity {
    OK,
    /** The run can go ahead, but something will be missing (LED, ECP, ...). */
    WARN,
    /** The run cannot go ahead until this is fixed. */
    PROBLEM
  }

  public static Finding ok(String subject, String text) {
    return new Finding(Severity.OK, subject, text, Optional.empty());
  }

  public static Finding warn(String subject, String text, String fix) {
    return new Finding(Severity.WARN, subject, text, Optional.of(fix));
  }

  public static Finding problem(String subject, String text, String fix) {
    return new Finding(Severity.PROBLEM, subject, text, Optional.of(fix));
  }
}
