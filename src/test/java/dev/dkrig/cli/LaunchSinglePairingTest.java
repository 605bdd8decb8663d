package dev.dkrig.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
  }
}
