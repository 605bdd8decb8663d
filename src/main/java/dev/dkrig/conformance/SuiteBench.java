package dev.dkrig.conformance;

import dev.dkrig.pairing.VehicleSettings;
import dev.dkrig.random.Draws;
import dev.dkrig.state.StateStore;
import dev.dkrig.time.RigClock;
import dev.dkrig.time.TimerName;
import dev.dkrig.transport.NfcTransport;
import java.time.Duration;
import java.util.Map;

/**
 * The bench a suite runs on: the vehicle of the profile, the timers, the suite's draws and clock,
 * and the reader with the device under test. {@link BenchSuiteBench} builds it from a rig file;
 * tests may build one in memory.
 */
public interface SuiteBench extends AutoCloseable {

  VehicleSettings vehicle();

  Map<TimerName, Duration> timers();

  Draws draws();

  RigClock clock();

  /** Where the clean pairings keep their DK records. */
  StateStore state();

  /**
   * Whether the device under test is dkrig's own in-process virtual device: it can start a scenario
   * fresh, and no operator is there to prompt.
   */
  boolean virtualDevice();

  /**
   * The transport for the next scenario. With {@code fresh} on a virtual device it holds a new
   * device; otherwise it is the transport of the scenario before.
   */
  NfcTransport transport(boolean fresh);

  /** The reader as reports name it. */
  String reader();

  /** Releases the reader. Never throws. */
  @Override
  void close();
}
