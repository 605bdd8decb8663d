package dev.dkrig.pairing;

import dev.dkrig.bench.ConfigSource;
import dev.dkrig.bench.VehicleProfile;
import dev.dkrig.ble.Advertiser;
import dev.dkrig.device.DeviceSettings;
import dev.dkrig.device.VirtualDevice;
import dev.dkrig.iso7816.CommandApdu;
import dev.dkrig.iso7816.ContactlessCard;
import dev.dkrig.iso7816.ResponseApdu;
import dev.dkrig.random.SecureDraws;
import dev.dkrig.report.ApduLog;
import dev.dkrig.report.EvidenceTransport;
import dev.dkrig.report.RunContext;
import dev.dkrig.state.StateStore;
import dev.dkrig.time.TimerName;
import dev.dkrig.time.VirtualClock;
import dev.dkrig.transport.NfcTransport;
import dev.dkrig.transport.VirtualNfcTransport;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;

/**
 * A test bench: the vehicle of the default profile (verifier at the test cost N = 4096) against a
 * virtual device, on a virtual clock with seeded draws, optionally with a card wrapper that
 * rewrites responses the way a faulty device would. Unit-test wiring only; the CLI has its own.
 */
final class Scenario {
  static final Instant START = Instant.parse("2026-11-27T12:00:00Z");

  final VirtualClock clock = new VirtualClock(START);
  final AtomicBoolean present = new AtomicBoolean(true);
  final Map<TimerName, Duration> timers = new EnumMap<>(TimerName.class);
  final ApduLog apdus = new ApduLog();
  final StateStore state;
  VehicleSettings vehicle;
  DeviceSettings device = DeviceSettings.t1();
  BiFunction<CommandApdu, ResponseApdu, ResponseApdu> rewrite = (c, r) -> r;
  Duration perApdu = Duration.ZERO;
  VirtualDevice virtualDevice;

  /** Whether the next run keeps the device of the run before (its keys, its spent quirks). */
  boolean keepDevice;

  Advertiser advertiser = Advertiser.disabled();

  /** Decorates the virtual reader (fault injection); the identity by default. */
  UnaryOperator<NfcTransport> wrapTransport = t -> t;

  /** The virtual reader of the last run, to check that polling stopped. */
  VirtualNfcTransport reader;

  /** The bench notes of the last run (retries, NFC resets, injected faults). */
  final List<String> notes = new ArrayList<>();

  Scenario(Path stateDirectory) {
    this.state = new StateStore(stateDirectory);
    VehicleSettings defaults =
        VehicleProfile.load(ConfigSource.embedded(VehicleProfile.EMBEDDED)).settings();
    vehicle =
        defaults.withVerifier(
            new VerifierSource.FromPassword("12345678", Optional.empty(), 4096, 8, 1));
    timers.put(TimerName.T_KtsPollInterval, Duration.ofMillis(50));
  }

  Scenario vehicle(UnaryOperator<VehicleSettings> change) {
    vehicle = change.apply(vehicle);
    return this;
  }

  Scenario device(UnaryOperator<DeviceSettings> change) {
    device = change.apply(device);
    return this;
  }

  Scenario timer(TimerName name, Duration value) {
    timers.put(name, value);
    return this;
  }

  /** Rewrites the device's answer to the commands whose INS matches. */
  Scenario onResponse(int ins, UnaryOperator<ResponseApdu> change) {
    BiFunction<CommandApdu, ResponseApdu, ResponseApdu> previous = rewrite;
    rewrite = (c, r) -> c.ins() == ins ? change.apply(previous.apply(c, r)) : previous.apply(c, r);
    return this;
  }

  PairingOutcome run() {
    if (!keepDevice || virtualDevice == null) {
      virtualDevice = new VirtualDevice(device, SecureDraws.seeded(7), clock, clock);
    }
    ContactlessCard card =
        new ContactlessCard() {
          @Override
          public void activate() {
            virtualDevice.activate();
          }

          @Override
          public byte[] process(byte[] command) {
            clock.advance(perApdu);
            byte[] answer = virtualDevice.process(command);
            if (answer == null) {
              // The hand takes away a device that left the field by itself (§18.18).
              present.set(present.get() && !virtualDevice.hasLeftField());
              return null;
            }
            ResponseApdu rewritten =
                rewrite.apply(CommandApdu.parse(command), ResponseApdu.parse(answer));
            return rewritten == null ? null : rewritten.bytes();
          }

          @Override
          public void deactivate() {
            virtualDevice.deactivate();
          }
        };
    reader =
        new VirtualNfcTransport(
            card,
            present::get,
            clock,
            timers.getOrDefault(TimerName.T_Apdu, Duration.ofSeconds(5)));
    RunListener noteTaker =
        new RunListener() {
          @Override
          public void note(Instant at, String text) {
            notes.add(text);
          }
        };
    // The APDU log hears the wire, as in a bench run (Bench.prepare).
    RunContext wire = RunContext.forPairing();
    wire.listen(apdus);
    OwnerPairing pairing =
        new OwnerPairing(
            vehicle,
            EvidenceTransport.wrap(wrapTransport.apply(reader), wire, clock),
            advertiser,
            clock,
            timers,
            SecureDraws.seeded(11),
            state,
            RunListener.all(List.of(wire.pairingSteps(), apdus, noteTaker)));
    try {
      return pairing.run();
    } finally {
      advertiser.close();
    }
  }

  /** The commands the vehicle sent, as hex headers (CLA INS P1 P2), in order. */
  List<String> headers() {
    return apdus.entries().stream()
        .map(e -> dev.dkrig.iso7816.Hex.encode(e.command().header()))
        .toList();
  }
}
