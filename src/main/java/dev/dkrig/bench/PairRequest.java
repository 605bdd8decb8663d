package dev.dkrig.bench;

import dev.dkrig.device.DeviceQuirk;
import dev.dkrig.pairing.RunListener;
import dev.dkrig.pairing.VehicleQuirk;
import dev.dkrig.report.Preamble;
import dev.dkrig.time.TimerName;
import dev.dkrig.transport.FaultInjectingTransport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * One {@code dkrig pair} as the bench needs it, independent of the command line.
 *
 * @param rig empty for the embedded {@code rigs/virtual.yaml}
 * @param profile empty for the embedded {@code profiles/default.yaml}
 * @param reader {@code -r}: a reader index or name fragment (before DKRIG_READER and the rig's)
 * @param bleAdapter {@code --ble-adapter}: turns BLE on with this adapter (over the rig and {@code
 *     DKRIG_BLE_ADAPTER})
 * @param serialPort {@code --serial-port}: the PN532's port, over the rig's
 * @param devicePassword overrides the virtual device's password (to provoke a mismatch)
 * @param deviceQuirks added to the virtual device's quirks
 * @param vehicleQuirks {@code --vehicle-quirk}: dkrig's own vehicle misbehaves by design (issue 19)
 * @param timerOverrides {@code --timer NAME=DURATION}, applied last
 * @param testMode §18.2: T1's random values and clocks
 * @param dump {@code --dump FILE}: record the run for {@code dkrig replay}
 * @param seed {@code --seed}: one seeded generator for every random draw of the run
 * @param faults {@code --inject-fault KIND@N}: faults the transport decorator injects (issue 9)
 */
public record PairRequest(
    Optional<Path> rig,
    Optional<Path> profile,
    Optional<String> reader,
    Optional<String> serialPort,
    Optional<String> bleAdapter,
    Optional<String> devicePassword,
    Set<DeviceQuirk> deviceQuirks,
    Set<VehicleQuirk> vehicleQuirks,
    Map<TimerName, Duration> timerOverrides,
    boolean noPhase4,
    Optional<String> dut,
    Path stateDirectory,
    boolean testMode,
    OptionalLong seed,
    Optional<Path> dump,
    RunListener listener,
    Preamble preamble,
    List<FaultInjectingTransport.Fault> faults) {
  /** The request of a bare {@code dkrig pair}: embedded rig and profile, nothing overridden. */
  public static PairRequest defaults(Path stateDirectory, RunListener listener) {
    return readerOnly(
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        stateDirectory,
        listener,
        Preamble.none());
  }

  /**
   * The request of a command that only opens the rig's reader ({@code dkrig apdu}): the rig, {@code
   * -r} and {@code --serial-port} as {@code pair} takes them, the embedded profile, nothing else.
   */
  public static PairRequest readerOnly(
      Optional<Path> rig,
      Optional<String> reader,
      Optional<String> serialPort,
      Path stateDirectory,
      RunListener listener,
      Preamble preamble) {
    return new PairRequest(
        rig,
        Optional.empty(),
        reader,
        serialPort,
        Optional.empty(),
        Optional.empty(),
        Set.of(),
        Set.of(),
        Map.of(),
        false,
        Optional.empty(),
        stateDirectory,
        false,
        OptionalLong.empty(),
        Optional.empty(),
        listener,
        preamble,
        List.of());
  }

  public PairRequest withTestMode(boolean enabled) {
    return new PairRequest(
        rig,
        profile,
        reader,
        serialPort,
        bleAdapter,
        devicePassword,
        deviceQuirks,
        vehicleQuirks,
        timerOverrides,
        noPhase4,
        dut,
        stateDirectory,
        enabled,
        seed,
        dump,
        listener,
        preamble,
        faults);
  }

  /** One run of many ({@code --repeat}, {@code --parallel}): its seed, dump and listener. */
  public PairRequest forRun(OptionalLong runSeed, Optional<Path> runDump, RunListener runListener) {
    return new PairRequest(
        rig,
        profile,
        reader,
        serialPort,
        bleAdapter,
        devicePassword,
        deviceQuirks,
        vehicleQuirks,
        timerOverrides,
        noPhase4,
        dut,
        stateDirectory,
        testMode,
        runSeed,
        runDump,
        runListener,
        preamble,
        faults);
  }
}
