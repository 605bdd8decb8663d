package dev.dkrig.bench;

import dev.dkrig.pairing.RunListener;
import dev.dkrig.time.TimerName;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * One {@code dkrig pair} as the bench needs it, independent of the command line.
 *
 * @param rig empty for the embedded {@code rigs/virtual.yaml}
 * @param profile empty for the embedded {@code profiles/default.yaml}
 * @param devicePassword overrides the virtual device's password (to provoke a mismatch)
 * @param deviceQuirks added to the virtual device's quirks
 * @param timerOverrides {@code --timer NAME=DURATION}, applied last
 * @param testMode §18.2: T1's random values and clocks
 */
public record PairRequest(
    Optional<Path> rig,
    Optional<Path> profile,
    Optional<String> devicePassword,
    java.util.Set<dev.dkrig.device.DeviceQuirk> deviceQuirks,
    Map<TimerName, Duration> timerOverrides,
    boolean noPhase4,
    Optional<String> dut,
    Path stateDirectory,
    boolean testMode,
    RunListener listener) {}
