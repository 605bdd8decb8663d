package dev.dkrig.cli;

import dev.dkrig.pairing.Verdict;

/** The documented, stable exit codes (STYLE lesson 7; README). */
public final class ExitCodes {
  private ExitCodes() {}

  public static final int PASS = 0;
  public static final int FAIL = 1;
  public static final int USAGE = 2;
  public static final int ERROR = 3;
  public static final int CONFIGURATION = 4;
  public static final int INTERNAL = 70;
  public static final int INTERRUPTED = 130;
  public static final int TERMINATED = 143;

  /** The exit-code table for {@code --help} footers. */
  public static final String[] HELP_TABLE = {
    "",
    "Exit codes:",
    "  0   PASS: every gating step passed",
    "  1   FAIL: the device under test misbehaved (a gating step FAILed)",
    "  2   usage error (bad option or argument)",
    "  3   ERROR: bench unavailable or run inconclusive (reader, tag lost, rig fault)",
    "  4   configuration error found before the first APDU (rig or profile file,",
    "      output path, state folder)",
    "  70  internal error (a bug in dkrig: please report it with --debug output)",
    "  130 interrupted (SIGINT, Ctrl-C): reports written up to that point",
    "  143 terminated (SIGTERM, e.g. a cancelled CI job): the same as 130",
  };

  /** The exit code of a run's verdict. */
  static int of(Verdict verdict) {
    return switch (verdict) {
      case PASS -> PASS;
      case FAIL -> FAIL;
      case ERROR -> ERROR;
    };
  }
}
