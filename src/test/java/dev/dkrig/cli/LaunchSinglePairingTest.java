package dev.dkrig.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dkrig.bench.LaunchAhead;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Issue 20: the warm-up starts at launch for one pairing on one reader only. */
class LaunchSinglePairingTest {
  private static boolean single(String... args) {
    return Launch.singlePairing(args);
  }

  @Test
  @DisplayName(
      "one pairing, with or without a reader, --repeat 1 or --parallel=1: warm up at launch")
  void onePairing() {
    assertTrue(single("pair"));
    assertTrue(single("pair", "-q", "--seed", "1", "--rig", "rigs/virtual.yaml"));
    assertTrue(single("pair", "-r", "ACS"));
    assertTrue(single("pair", "--repeat", "1", "--parallel=1"));
  }

  @Test
  @DisplayName("other commands, soaks and several pads: no warm-up at launch")
  void notOnePairing() {
    assertFalse(single());
    assertFalse(single("suite"));
    assertFalse(single("emulate", "--vpcd"));
    assertFalse(single("pair", "--repeat", "50"));
    assertFalse(single("pair", "--repeat=50"));
    assertFalse(single("pair", "--parallel", "2"));
    assertFalse(single("pair", "-r", "A", "--reader", "B"));
    assertFalse(single("pair", "-rA", "--reader=B"));
    assertFalse(single("pair", "--all-readers"));
    // An @file of arguments may hold --repeat or --parallel: only picocli reads it.
    assertFalse(single("pair", "@soak.args"));
    assertFalse(single("pair", "-q", "--", "x"));
  }

  @Test
  @DisplayName(
      "the state folder whose DK records are read from launch: --state-dir, else the default")
  void stateDirectory() {
    Map<String, String> env = Map.of("DKRIG_STATE_DIR", "/tmp/lab-state");
    assertEquals(
        Optional.of(Path.of("s")),
        Launch.stateDirectory(new String[] {"pair", "-q", "--state-dir", "s"}, env));
    assertEquals(
        Optional.of(Path.of("t")),
        Launch.stateDirectory(new String[] {"pair", "--state-dir=t", "--seed", "1"}, env));
    assertEquals(
        Optional.of(Path.of("/tmp/lab-state")),
        Launch.stateDirectory(new String[] {"pair", "--seed", "1"}, env));
    assertEquals(
        Optional.of(Path.of("/x/dkrig")),
        Launch.stateDirectory(new String[] {"pair"}, Map.of("XDG_STATE_HOME", "/x")));
    assertEquals(Optional.empty(), Launch.stateDirectory(new String[] {"pair", "@args"}, env));
  }

  @Test
  @DisplayName("the guess ahead of picocli: --profile, --seed, --test-mode and a dump, as written")
  void guess() {
    assertEquals(
        Optional.of(new LaunchAhead.Guess(Optional.empty(), OptionalLong.empty(), false, false)),
        Launch.guess(new String[] {"pair", "-q"}));
    assertEquals(
        Optional.of(
            new LaunchAhead.Guess(Optional.of("lab.yaml"), OptionalLong.of(-7), false, false)),
        Launch.guess(new String[] {"pair", "--profile", "lab.yaml", "--seed", "-7"}));
    assertEquals(
        Optional.of(new LaunchAhead.Guess(Optional.of("p"), OptionalLong.of(3), true, true)),
        Launch.guess(new String[] {"pair", "--profile=p", "--seed=3", "--test-mode", "--dump=d"}));
    assertEquals(
        Optional.of(new LaunchAhead.Guess(Optional.empty(), OptionalLong.empty(), false, true)),
        Launch.guess(new String[] {"pair", "--report-dir", "r", "--with-dump"}));
  }

  @Test
  @DisplayName("arguments picocli alone can read (an @file, a seed that is not a number): no guess")
  void noGuess() {
    assertEquals(Optional.empty(), Launch.guess(new String[] {"pair", "@args.txt"}));
    assertEquals(Optional.empty(), Launch.guess(new String[] {"pair", "--seed", "one"}));
    assertEquals(Optional.empty(), Launch.guess(new String[] {"pair", "--seed=0x10"}));
    assertEquals(Optional.empty(), Launch.guess(new String[] {"pair", "--", "--seed"}));
  }
}
