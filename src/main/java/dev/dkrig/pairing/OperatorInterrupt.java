package dev.dkrig.pairing;

/** The operator stopped the run (Ctrl-C): the current step ends ERROR, the report is written. */
final class OperatorInterrupt extends RuntimeException {
  private static final long serialVersionUID = 1L;

  OperatorInterrupt() {
    super("interrupted", null, false, false);
  }
}
