package dev.dkrig.bench;

import dev.dkrig.ble.Advertiser;
import dev.dkrig.ble.BleException;
import dev.dkrig.ble.VehicleIdentity;
import dev.dkrig.ble.bluez.BluezAdvertiser;
import dev.dkrig.device.DeviceQuirk;
import dev.dkrig.device.DeviceSettings;
import dev.dkrig.device.VirtualDevice;
import dev.dkrig.dump.DumpRecording;
import dev.dkrig.dump.RecordingClock;
import dev.dkrig.dump.RecordingTransport;
import dev.dkrig.pairing.OwnerPairing;
import dev.dkrig.pairing.PairingOutcome;
import dev.dkrig.pairing.RunListener;
import dev.dkrig.pairing.VehicleSettings;
import dev.dkrig.pairing.VerifierSource;
import dev.dkrig.random.Draws;
import dev.dkrig.random.RecordingDraws;
import dev.dkrig.random.SecureDraws;
import dev.dkrig.random.SeededDraws;
import dev.dkrig.random.TestModeDraws;
import dev.dkrig.report.ApduLog;
import dev.dkrig.report.EvidenceTransport;
import dev.dkrig.report.RunContext;
import dev.dkrig.report.RunMetadata;
import dev.dkrig.state.StateStore;
import dev.dkrig.time.FixedClock;
import dev.dkrig.time.RigClock;
import dev.dkrig.time.TimerName;
import dev.dkrig.time.VirtualClock;
import dev.dkrig.transport.DecoratingTransport;
import dev.dkrig.transport.FaultInjectingTransport;
import dev.dkrig.transport.NfcTransport;
import dev.dkrig.transport.VirtualNfcTransport;
import dev.dkrig.transport.WarmingTransport;
import dev.dkrig.transport.acr122u.Indicator;
import dev.dkrig.transport.pcsc.PcscTransport;
import dev.dkrig.transport.pcsc.ReaderSelection;
import dev.dkrig.transport.pn532.Pn532UartSettings;
import dev.dkrig.transport.pn532.Pn532UartTransport;
import dev.dkrig.version.BuildInfo;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns a rig file and a vehicle profile into a wired-up run: transport, BLE, clocks, draws, state,
 * listeners (STYLE: cli → bench → pairing). Configuration problems surface as {@link
 * ConfigException} before anything touches the bench.
 */
public final class Bench {
  /** §18.2 test-mode clocks. */
  public static final Instant TEST_VEHICLE_TIME = Instant.parse("2026-11-27T12:01:00Z");

  public static final Instant TEST_DEVICE_TIME = Instant.parse("2026-11-27T12:00:00Z");
  public static final Instant TEST_KTS_TIME = Instant.parse("2026-11-27T12:05:00Z");

  private final RigConfig rig;
  private final VehicleProfile profile;
  private final PairRequest request;

  private Bench(RigConfig rig, VehicleProfile profile, PairRequest request) {
    this.rig = rig;
    this.profile = profile;
    this.request = request;
  }

  /** Loads both files; throws {@link ConfigException} naming the file and field. */
  public static Bench load(PairRequest request) {
    ConfigNames names = ConfigNames.fromEnvironment();
    ConfigSource rigSource =
        request.rig().map(names::rig).orElse(ConfigSource.embedded(RigConfig.EMBEDDED));
    ConfigSource profileSource =
        request
            .profile()
            .map(names::profile)
            .orElse(ConfigSource.embedded(VehicleProfile.EMBEDDED));
    VehicleProfile profile = VehicleProfile.load(profileSource);
    StartupMarks.mark("profile");
    profile.checkVehicleCertificate(request.testMode() ? TEST_VEHICLE_TIME : Instant.now());
    StartupMarks.mark("certificate");
    RigConfig rig = RigConfig.load(rigSource);
    if ((request.devicePassword().isPresent() || !request.deviceQuirks().isEmpty())
        && rig.device().isEmpty()) {
      throw new ConfigException(
          "--device-password and --device-quirk need a rig with a virtual device ("
              + rigSource.displayName()
              + " has none)");
    }
    return new Bench(rig, profile, request);
  }

  /** The same loaded files for another request (one run of many): no re-reading, no re-parsing. */
  public Bench with(PairRequest other) {
    return new Bench(rig, profile, other);
  }

  public PairRequest request() {
    return request;
  }

  public RigConfig rig() {
    return rig;
  }

  public VehicleProfile profile() {
    return profile;
  }

  public RunMetadata metadata(String reader) {
    return new RunMetadata(
        BuildInfo.version(),
        BuildInfo.commit(),
        request.dut(),
        RunMetadata.FileRef.of(rig.source().displayName(), rig.bytes()),
        RunMetadata.FileRef.of(profile.source().displayName(), profile.digestSource()),
        reader,
        request.preamble(),
        request.vehicleQuirks());
  }

  /** Metadata for a run that could not load its files. */
  public static RunMetadata metadataWithoutFiles(PairRequest request) {
    return new RunMetadata(
        BuildInfo.version(),
        BuildInfo.commit(),
        request.dut(),
        null,
        null,
        "(not opened)",
        request.preamble(),
        request.vehicleQuirks());
  }

  /** The timers of the run: contract defaults, then profile, then rig, then --timer. */
  public Map<TimerName, Duration> timers() {
    Map<TimerName, Duration> out = new EnumMap<>(TimerName.class);
    out.putAll(profile.timers());
    out.putAll(rig.timers());
    out.putAll(request.timerOverrides());
    return out;
  }

  /** The reader under the decorators (fault injection, warm-up, recording, evidence). */
  static NfcTransport reader(NfcTransport transport) {
    return DecoratingTransport.reader(transport);
  }

  /**
   * A run ready to go; {@code wire} is where the trace and the pcapng listen to its transport
   * ({@link dev.dkrig.report.ReportOutputs#open}).
   */
  public record Run(
      OwnerPairing pairing,
      NfcTransport transport,
      Advertiser advertiser,
      ApduLog apdus,
      RunContext wire,
      Bench bench,
      Optional<VirtualDevice> device,
      Optional<DumpRecording> recording) {
    /** Metadata as known now: after the run it names the reader and the ATR. */
    public RunMetadata metadata() {
      return bench.metadata(transport.description());
    }

    public PairingOutcome execute() {
      PairingOutcome outcome = null;
      try {
        outcome = unfiredFaults(pairing.run(), transport);
        PairingOutcome finished = outcome;
        recording.ifPresent(r -> r.finish(finished));
        return outcome;
      } finally {
        if (reader(transport) instanceof PcscTransport pcsc) {
          pcsc.showVerdict(
              outcome == null
                  ? Indicator.ERROR
                  : switch (outcome.verdict()) {
                    case PASS -> Indicator.PASS;
                    case FAIL -> Indicator.FAIL;
                    case ERROR -> Indicator.ERROR;
                  });
        }
        transport.close();
        advertiser.close();
        recording.ifPresent(DumpRecording::close);
      }
    }
  }

  /**
   * An injected fault whose exchange never came means the run did not test what was asked (issue
   * 15): the outcome says so, and is not a PASS.
   */
  private static PairingOutcome unfiredFaults(PairingOutcome outcome, NfcTransport transport) {
    Optional<FaultInjectingTransport> found =
        DecoratingTransport.find(transport, FaultInjectingTransport.class);
    if (found.isEmpty()) {
      return outcome;
    }
    FaultInjectingTransport faults = found.get();
    PairingOutcome out = outcome;
    for (var fault : faults.faults()) {
      if (fault.exchange() > faults.exchanges()) {
        out =
            out.withRunProblem(
                "fault "
                    + fault.spec()
                    + " never fired: the run had "
                    + faults.exchanges()
                    + (faults.exchanges() == 1 ? " exchange" : " exchanges"));
      }
    }
    return out;
  }

  public Run prepare() {
    return prepare(RunContext.forPairing());
  }

  /**
   * A run whose transport reports to {@code wire}: a pairing's own ({@link RunContext#forPairing}),
   * or a suite's, which names its steps itself and outlives this run.
   */
  public Run prepare(RunContext wire) {
    Map<TimerName, Duration> timers = timers();
    Duration apduTimeout = timers.getOrDefault(TimerName.T_Apdu, TimerName.T_Apdu.defaultValue());
    boolean test = request.testMode();
    RigClock clock = test ? new VirtualClock(TEST_VEHICLE_TIME) : RigClock.system();
    RigClock protocolClock = test ? new FixedClock(TEST_VEHICLE_TIME) : clock;
    // --seed: one generator for every draw in the process, vehicle and virtual device alike.
    // Without
    // it every secret comes from SecureRandom; a dump records the vehicle's draws for replay
    // (issue 14: no seed that would make a pairing's keys a 64-bit search away).
    java.util.OptionalLong seed = request.seed();
    Draws seeded = seed.isPresent() ? new SeededDraws(seed.getAsLong()) : null;
    Draws vehicleDraws =
        test ? new TestModeDraws() : seeded != null ? seeded : SecureDraws.system();

    VehicleSettings settings =
        profile
            .settings()
            .withPhase4(profile.settings().phase4() && !request.noPhase4())
            .withQuirks(request.vehicleQuirks());
    if (test) {
      settings = settings.withVerifier(VerifierSource.forTestMode(settings.verifier()));
    }

    Pad pad =
        openPad(
            clock,
            apduTimeout,
            test ? new TestModeDraws() : seeded != null ? seeded : SecureDraws.system());
    NfcTransport transport = pad.transport();
    Optional<VirtualDevice> device = pad.device();
    RunListener benchNotes = request.listener();
    WarmingTransport.Warmer warmer = WarmingTransport.OFF;
    if (WarmUp.enabled(System.getenv())) {
      warmer = WarmUp.create();
    }
    transport =
        WarmingTransport.wrap(transport, warmer, text -> benchNotes.note(clock.now(), text));
    if (!request.faults().isEmpty()) {
      RunListener notes = request.listener();
      transport =
          dev.dkrig.transport.FaultInjectingTransport.wrap(
              transport,
              request.faults(),
              clock,
              apduTimeout,
              text -> notes.note(clock.now(), text));
    }
    Advertiser ble = advertiser(settings);
    Optional<DumpRecording> recording = Optional.empty();
    if (request.dump().isPresent()) {
      DumpRecording r = DumpRecording.open(request.dump().get(), clock);
      RunMetadata metadata = metadata(transport.description());
      r.writer()
          .header(
              seed,
              test,
              metadata.preambleLines(),
              Map.of(
                  "profile",
                  profile.source().displayName() + " " + metadata.profile().sha256(),
                  "rig",
                  rig.source().displayName() + " " + metadata.rig().sha256()),
              effectiveTimers(timers),
              ble.enabled(),
              settings.phase4());
      if (!test && seed.isEmpty()) {
        vehicleDraws = new RecordingDraws(vehicleDraws, r.writer()::draw);
      }
      transport = new RecordingTransport(transport, r.writer(), clock);
      protocolClock = new RecordingClock(protocolClock, clock, r.writer());
      recording = Optional.of(r);
    }
    if (recording.isEmpty() && settings.ignitionOn()) {
      // Issue 20: P1.4's scrypt starts now, on another thread; P1.4 gets the salt drawn here.
      vehicleDraws = VerifierAhead.start(settings.verifier(), vehicleDraws);
    }
    // Outermost, so the evidence shows what the vehicle sent and got back, faults included.
    transport = EvidenceTransport.wrap(transport, wire, clock);
    ApduLog apdus = new ApduLog();
    wire.listen(apdus);
    RunListener listener = RunListener.all(List.of(wire.pairingSteps(), apdus, request.listener()));
    OwnerPairing pairing =
        new OwnerPairing(
            settings,
            transport,
            ble,
            clock,
            protocolClock,
            timers,
            vehicleDraws,
            new StateStore(request.stateDirectory()),
            listener);
    return new Run(pairing, transport, ble, apdus, wire, this, device, recording);
  }

  /**
   * The rig's reader with whatever is in its field, before any decorator: the in-process virtual
   * device, a PC/SC reader chosen by {@code -r}, {@code DKRIG_READER} and the rig ({@link
   * ReaderSelection#forRig}), or a PN532 board on the rig's (or {@code --serial-port}'s) serial
   * port. {@code pair} and {@code apdu} open it the same way.
   *
   * @param device the virtual device, for a virtual rig
   */
  public record Pad(NfcTransport transport, Optional<VirtualDevice> device) {}

  /** Opens the rig's reader (see {@link Pad}); nothing touches the bench before its first call. */
  public Pad openPad(RigClock clock, Duration apduTimeout, Draws deviceDraws) {
    boolean test = request.testMode();
    switch (rig.transport()) {
      case VIRTUAL -> {
        DeviceSettings deviceSettings = rig.device().orElseThrow();
        if (request.devicePassword().isPresent()) {
          deviceSettings = deviceSettings.withPassword(request.devicePassword().get());
        }
        if (!request.deviceQuirks().isEmpty()) {
          Set<DeviceQuirk> quirks = EnumSet.noneOf(DeviceQuirk.class);
          quirks.addAll(deviceSettings.quirks());
          quirks.addAll(request.deviceQuirks());
          deviceSettings = deviceSettings.withQuirks(quirks);
        }
        VirtualDevice virtual =
            new VirtualDevice(
                deviceSettings,
                deviceDraws,
                test ? new FixedClock(TEST_DEVICE_TIME) : RigClock.system(),
                test ? new FixedClock(TEST_KTS_TIME) : RigClock.system());
        java.util.function.BooleanSupplier arrives = arrivesAfter(rig.tapDelay(), clock);
        // A device that leaves the field by itself (quirk leave-field-mid-stream) stays away.
        return new Pad(
            new VirtualNfcTransport(
                virtual,
                () -> !virtual.hasLeftField() && arrives.getAsBoolean(),
                clock,
                apduTimeout),
            Optional.of(virtual));
      }
      case PCSC -> {
        RunListener notes = request.listener();
        return new Pad(
            new PcscTransport(
                ReaderSelection.forRig(
                    request.reader(), rig.reader(), rig.readerIgnore(), System.getenv()),
                apduTimeout,
                clock,
                rig.acr122u(),
                text -> notes.note(clock.now(), text)),
            Optional.empty());
      }
      case PN532_UART -> {
        Pn532UartSettings pn532 = rig.pn532().orElseThrow();
        if (request.serialPort().isPresent()) {
          pn532 = pn532.withPort(request.serialPort().get());
        }
        return new Pad(
            new Pn532UartTransport(pn532.withApduTimeout(apduTimeout)), Optional.empty());
      }
      default -> throw new IllegalStateException("transport " + rig.transport());
    }
  }

  /**
   * The virtual device's presence with the rig's {@code device: tapDelay:} (issue 20): out of the
   * field until {@code delay} after the reader's first poll, then in it, as a phone laid on the pad
   * while the car waits.
   */
  static java.util.function.BooleanSupplier arrivesAfter(Duration delay, RigClock clock) {
    if (delay.isZero()) {
      return () -> true;
    }
    return new java.util.function.BooleanSupplier() {
      private Instant firstPoll;

      @Override
      public boolean getAsBoolean() {
        Instant now = clock.now();
        if (firstPoll == null) {
          firstPoll = now;
        }
        return !now.isBefore(firstPoll.plus(delay));
      }
    };
  }

  /**
   * The pairing-mode advertiser (§14): {@code --ble-adapter} turns BLE on; otherwise the rig's
   * {@code ble:} decides, with {@code DKRIG_BLE_ADAPTER} or the rig's {@code bleAdapter} naming the
   * adapter. {@code ble: optional} turns a missing adapter into a SKIPPED P1.6.2 with its cause;
   * {@code ble: on} makes it P1.6.2's ERROR.
   */
  private Advertiser advertiser(VehicleSettings settings) {
    RigConfig.BleMode mode = request.bleAdapter().isPresent() ? RigConfig.BleMode.ON : rig.ble();
    if (mode == RigConfig.BleMode.OFF) {
      return Advertiser.disabled();
    }
    Optional<String> adapter = request.bleAdapter().or(() -> rig.bleAdapter(System.getenv()));
    VehicleSettings.BleParameters b = settings.ble();
    try {
      return BluezAdvertiser.open(
          adapter,
          Optional.empty(),
          Optional.of(new VehicleIdentity(b.irk(), b.addressType(), b.identityAddress())));
    } catch (BleException e) {
      if (mode == RigConfig.BleMode.OPTIONAL) {
        return Advertiser.disabled("BLE optional and unavailable: " + e.getMessage());
      }
      return Advertiser.failing(e.getMessage());
    }
  }

  /** Every timer's value in this run, by name, for the dump header. */
  private static Map<String, Duration> effectiveTimers(Map<TimerName, Duration> overrides) {
    Map<String, Duration> out = new java.util.LinkedHashMap<>();
    for (TimerName name : TimerName.values()) {
      out.put(name.name(), overrides.getOrDefault(name, name.defaultValue()));
    }
    return out;
  }

  public static Path defaultStateDirectory() {
    return StateStore.defaultDirectory(System.getenv());
  }
}
