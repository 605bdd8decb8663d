package dev.dkrig.conformance;

import dev.dkrig.bench.Bench;
import dev.dkrig.bench.RigConfig;
import dev.dkrig.pairing.VehicleSettings;
import dev.dkrig.random.Draws;
import dev.dkrig.random.SecureDraws;
import dev.dkrig.report.RunContext;
import dev.dkrig.state.StateStore;
import dev.dkrig.time.RigClock;
import dev.dkrig.time.TimerName;
import dev.dkrig.transport.NfcTransport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;

/**
 * A suite bench from a loaded rig and profile: {@link Bench#prepare()} builds the transport (the
 * in-process virtual device with its quirks, a PC/SC reader, a PN532 board), once for a real reader
 * and once per fresh scenario for the virtual device. The clean pairings' state lives in the
 * directory given (the CLI uses a temporary one).
 */
public final class BenchSuiteBench implements SuiteBench {
  /** Keeps the suite's vehicle draws apart from the virtual device's under one {@code --seed}. */
  private static final long VEHICLE_SEED_SALT = 0x5C0FFEE5L;

  private final Bench bench;
  private final Draws draws;
  private final StateStore state;
  private final RunContext wire;
  private Bench.Run run;
  private String reader = "(not opened)";

  public BenchSuiteBench(Bench bench, OptionalLong seed, Path stateDirectory) {
    this(bench, seed, stateDirectory, RunContext.named());
  }

  /**
   * @param wire where each transport reports what crosses the reader ({@link SuiteEvidence} names
   *     the steps there)
   */
  public BenchSuiteBench(Bench bench, OptionalLong seed, Path stateDirectory, RunContext wire) {
    this.bench = bench;
    this.wire = wire;
    this.draws =
        seed.isPresent()
            ? SecureDraws.seeded(seed.getAsLong() ^ VEHICLE_SEED_SALT)
            : SecureDraws.system();
    this.state = new StateStore(stateDirectory);
  }

  @Override
  public VehicleSettings vehicle() {
    return bench.profile().settings();
  }

  @Override
  public Map<TimerName, Duration> timers() {
    return bench.timers();
  }

  @Override
  public Draws draws() {
    return draws;
  }

  @Override
  public RigClock clock() {
    return RigClock.system();
  }

  @Override
  public StateStore state() {
    return state;
  }

  @Override
  public boolean virtualDevice() {
    return bench.rig().transport() == RigConfig.Transport.VIRTUAL;
  }

  @Override
  public NfcTransport transport(boolean fresh) {
    if (run == null || (fresh && virtualDevice())) {
      close();
      run = bench.prepare(wire);
      // The scenarios do not advertise; the clean pairings run with BLE disabled.
      run.advertiser().close();
    }
    reader = run.transport().description();
    return run.transport();
  }

  @Override
  public String reader() {
    return run == null ? reader : run.transport().description();
  }

  @Override
  public void close() {
    if (run != null) {
      wire.remove(run.apdus());
      run.transport().close();
      run.advertiser().close();
      run = null;
    }
  }
}
