package dev.dkrig.conformance;

import dev.dkrig.time.Durations;
import dev.dkrig.time.RigClock;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;

/**
 * The person at the bench with a real device: told when to delete the key on the phone and what
 * else a suite asks. Interactive runs wait for Enter; non-interactive runs print the prompt and go
 * on after a wait.
 */
public interface Operator {

  /** Shows the instruction and returns when the operator is done (or the wait is over). */
  void prompt(String text) throws InterruptedException;

  /** No one to tell (tests, the virtual device). */
  static Operator none() {
    return text -> {};
  }

  /**
   * Prompts on {@code err}.
   *
   * @param input stdin when it is a terminal; empty for a non-interactive run
   * @param wait how long a non-interactive run waits after a prompt
   */
  static Operator console(
      PrintWriter err, Optional<BufferedReader> input, Duration wait, RigClock clock) {
    return text -> {
      err.println();
      err.println("dkrig suite: >>> " + text);
      if (input.isPresent()) {
        err.print("dkrig suite: press Enter when done ");
        err.flush();
        try {
          if (input.get().readLine() == null) {
            err.println();
          }
        } catch (IOException e) {
          err.println("(stdin unreadable: going on)");
        }
      } else {
        err.println(
            "dkrig suite: (non-interactive: going on"
                + (wait.isZero() ? "" : " in " + Durations.compact(wait))
                + ")");
        err.flush();
        if (!wait.isZero()) {
          clock.sleep(wait);
        }
      }
      err.flush();
    };
  }
}
