package dev.dkrig.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs the command line in process and captures what it prints. */
record CliRun(int exitCode, String out, String err) {

  static CliRun of(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new CliRun(code, out.toString(), err.toString());
  }

  /** The run ended {@code exit}, its stderr names each needle, and no exception text shows. */
  static void oneLine(CliRun run, int exit, String... needles) {
    assertEquals(exit, run.exitCode(), run.out() + run.err());
    for (String needle : needles) {
      assertTrue(run.err().contains(needle), needle + " in: " + run.err());
    }
    assertFalse(run.err().contains("Exception"), run.err());
  }
}
