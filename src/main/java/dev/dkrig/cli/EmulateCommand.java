package dev.dkrig.cli;

import dev.dkrig.bench.Bench;
import dev.dkrig.bench.ConfigException;
import dev.dkrig.bench.ConfigNames;
import dev.dkrig.bench.ConfigSource;
import dev.dkrig.bench.RigConfig;
import dev.dkrig.device.DeviceQuirk;
import dev.dkrig.device.DeviceSettings;
import dev.dkrig.device.VirtualDevice;
import dev.dkrig.emulate.Pn532Emulator;
import dev.dkrig.emulate.VpcdCardServer;
import dev.dkrig.emulate.VpcdEndpoint;
import dev.dkrig.random.SecureDraws;
import dev.dkrig.random.TestModeDraws;
import dev.dkrig.time.Durations;
import dev.dkrig.time.FixedClock;
import dev.dkrig.time.RigClock;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dkrig emulate}: plays the rig's virtual device as a contactless card to a reader stack, so
 * PC/SC tools, another rig or this rig's PC/SC transport can talk to it. One emulation target is
 * chosen from a group: {@code --vpcd} or {@code --pn532-uart}.
 */
@Command(
    name = "emulate",
    mixinStandardHelpOptions = true,
    versionProvider = VersionInfo.class,
    sortOptions = false,
    description = {
      "Play the virtual device as a contactless card (ISO 14443-4, the ATR of an Android HCE phone)"
          + " to a reader stack, until Ctrl-C or SIGTERM.",
      "",
      "--vpcd puts it into a pcscd reader slot through the vsmartcard vpcd driver (Debian packages"
          + " pcscd and vsmartcard-vpcd), where javax.smartcardio, pcsc_scan and scriptor see it.",
      "--pn532-uart plays a PN532 board on a serial port (a socat pty pair on a bench without"
          + " hardware), where dkrig pair --rig rigs/pn532-uart.yaml and libnfc's nfc-list see it.",
      "--pn532-target PATH --vpcd HOST:PORT plays the phone's PN532 board in card emulation on the"
          + " serial line PATH, its RF side a vpcd slot: a PC/SC vehicle reaches dkrig phone"
          + " --serial-port through pcscd, vpcd, this board and a socat pty pair (no device here).",
      ""
    },
    footer = {
      "",
      "Examples:",
      "  dkrig emulate --vpcd",
      "  dkrig emulate --vpcd 127.0.0.1:36000 -v",
      "  dkrig emulate --vpcd --vanish-after 12 --reinsert-after 2s   # lost tag",
      "  dkrig emulate --vpcd --device-password 87654321",
      "  dkrig emulate --pn532-uart /tmp/pn/dev              # a PN532 board on a pty",
      "  dkrig emulate --pn532-uart /tmp/pn/dev --pn532-quirk no-auto-rats",
      "  dkrig emulate --pn532-target /tmp/pn/dev --vpcd 127.0.0.1:35963  # its board",
      "",
      "Exit codes:",
      "  0   stopped by Ctrl-C or SIGTERM",
      "  2   usage error",
      "  3   the emulated board's serial line failed",
      "  4   configuration error (rig file, a --pn532-uart or --pn532-target PATH that",
      "      is no serial device)",
      "  70  internal error (a bug in dkrig: please report it)"
    })
final class EmulateCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;

  @ArgGroup(exclusive = true, multiplicity = "1", heading = "Where the card goes (one of):%n")
  Target target;

  /** The emulation targets; exactly one is given. */
  static final class Target {
    @Option(
        names = "--vpcd",
        arity = "0..1",
        paramLabel = "HOST:PORT",
        fallbackValue = VpcdOption.DEFAULT,
        description =
            "Into the pcscd reader slot whose vpcd driver listens at HOST:PORT (default"
                + " ${FALLBACK-VALUE}: the first slot of Debian's vpcd reader file).")
    String vpcd;

    @Option(
        names = "--pn532-uart",
        paramLabel = "PATH",
        description =
            "As a PN532 board on the serial port PATH (a pty of a socat pair, or a real UART"
                + " cable), with the virtual device as its ISO 14443-4A target.")
    String pn532;
  }

  @Option(
      names = "--pn532-target",
      paramLabel = "PATH",
      description =
          "With --vpcd: play the phone's PN532 board in card emulation on the serial line PATH (one"
              + " end of a socat pty pair); the card enters the vpcd slot while the phone arms the"
              + " board (TgInitAsTarget) and relays each APDU to it.")
  String pn532Target;

  @Option(
      names = "--rig",
      paramLabel = "RIG",
      description =
          "Rig (a name or a file) whose device: section defines the device (default: built-in).")
  Path rig;

  @Option(
      names = "--device-password",
      paramLabel = "DIGITS",
      description = "Set the device's pairing password (8 digits).")
  String devicePassword;

  @Option(
      names = "--device-quirk",
      paramLabel = "NAME",
      description =
          "Make the device misbehave in a named way (repeatable): ${COMPLETION-CANDIDATES}.",
      converter = PairCommand.QuirkConverter.class,
      completionCandidates = PairCommand.QuirkNames.class)
  List<DeviceQuirk> deviceQuirks = new ArrayList<>();

  @Option(
      names = "--test-mode",
      description =
          "Contract §18.2 test mode: T1's random values and the device and KTS clocks of T1, so a"
              + " rig in test mode reproduces the T1 transcript through the reader.")
  boolean testMode;

  @Option(
      names = "--insecure-randomness",
      description =
          "Allow --test-mode: the emulated device then draws T1's fixed values, so a reader (or"
              + " anyone recording the field) can recompute its session keys.")
  boolean insecureRandomness;

  @Option(
      names = "--vanish-after",
      paramLabel = "N",
      description = "Take the card out of the reader once it has answered N APDUs (a lost tag).")
  Integer vanishAfter;

  @Option(
      names = "--tap-delay",
      paramLabel = "DURATION",
      description =
          "Keep the card off the reader this long after emulate starts, then lay it on (e.g. 2s: the"
              + " car waits for the phone). Default: the rig's device tapDelay, else 0.")
  String tapDelay;

  @Option(
      names = "--reinsert-after",
      paramLabel = "DURATION",
      description = "With --vanish-after: put the card back this long after it vanished (e.g. 2s).")
  String reinsertAfter;

  @Option(
      names = "--silence-limit",
      paramLabel = "DURATION",
      description =
          "How long a silent device holds the reader before the link is dropped (default: T_Apdu"
              + " + 1 s = 6s).")
  String silenceLimit;

  @Option(
      names = "--pn532-quirk",
      paramLabel = "NAME",
      description =
          "With --pn532-uart, start the board in a state another tool may leave it in"
              + " (repeatable): no-auto-rats (automatic RATS off until SetParameters turns it on),"
              + " baud-N (reachable at N baud only, after a proper SetSerialBaudRate).")
  List<String> pn532Quirks = new ArrayList<>();

  @Option(
      names = {"-v", "--verbose"},
      description = "APDU trace on stderr (>> command, << response) and power events.")
  boolean[] verbose = new boolean[0];

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Options options = checkOptions();
    if (pn532Target != null) {
      return Emulation.asPn532Target(
          pn532Target,
          options.endpoint(),
          options.silenceLimit(),
          new EmulateConsole(err, verbose.length > 0),
          out,
          err);
    }
    // The emulated device faces a real reader: predictable draws only when asked (issue 14).
    Preflight.requireSecureRandomness(
        spec.commandLine(),
        target.pn532 != null ? RigConfig.Transport.PN532_UART : RigConfig.Transport.PCSC,
        false,
        testMode,
        insecureRandomness);
    ConfigSource source;
    DeviceSettings settings;
    try {
      source =
          rig == null
              ? ConfigSource.embedded(RigConfig.EMBEDDED)
              : ConfigNames.fromEnvironment().rig(rig);
      settings = deviceSettings(source);
    } catch (ConfigException e) {
      err.println("dkrig: configuration error: " + e.getMessage());
      err.flush();
      return ExitCodes.CONFIGURATION;
    }
    VirtualDevice device =
        new VirtualDevice(
            settings,
            testMode ? new TestModeDraws() : SecureDraws.system(),
            testMode ? new FixedClock(Bench.TEST_DEVICE_TIME) : RigClock.system(),
            testMode ? new FixedClock(Bench.TEST_KTS_TIME) : RigClock.system());
    String what = "the virtual device of " + source.displayName() + " (" + describe(settings) + ")";
    if (target.pn532 != null) {
      return Emulation.asPn532(device, what, target.pn532, pn532Quirks, out, err);
    }
    VpcdCardServer server =
        VpcdCardServer.builder(device)
            .endpoint(options.endpoint())
            .silenceLimit(options.silenceLimit())
            .tapDelay(options.tapDelay() != null ? options.tapDelay() : rigTapDelay)
            .listener(new EmulateConsole(err, verbose.length > 0))
            .build();
    if (vanishAfter != null) {
      server.vanishAfter(vanishAfter, options.reinsertAfter());
    }
    return Emulation.throughVpcd(server, what, options.endpoint(), out, err);
  }

  /** The options after the checks a parser cannot make. */
  private record Options(
      VpcdEndpoint endpoint, Duration silenceLimit, Duration reinsertAfter, Duration tapDelay) {}

  private Options checkOptions() {
    if (devicePassword != null && !devicePassword.matches("[0-9]{8}")) {
      throw usage("--device-password must be 8 digits 0-9");
    }
    if (vanishAfter != null && vanishAfter < 1) {
      throw usage("--vanish-after must be at least 1");
    }
    if (reinsertAfter != null && vanishAfter == null) {
      throw usage("--reinsert-after needs --vanish-after");
    }
    Duration reinsert = reinsertAfter == null ? null : duration("--reinsert-after", reinsertAfter);
    Duration tap = tapDelay == null ? null : duration("--tap-delay", tapDelay);
    Duration silence =
        silenceLimit == null
            ? VpcdCardServer.DEFAULT_SILENCE_LIMIT
            : duration("--silence-limit", silenceLimit);
    if (silence.isZero()) {
      throw usage("--silence-limit must be more than 0");
    }
    if (pn532Target != null) {
      checkTargetOptions();
    }
    if (!pn532Quirks.isEmpty() && target.pn532 == null) {
      throw usage("--pn532-quirk works with --pn532-uart");
    }
    for (String quirk : pn532Quirks) {
      try {
        Pn532Emulator.Options.defaults().withQuirk(quirk);
      } catch (IllegalArgumentException e) {
        throw usage("--pn532-quirk: " + e.getMessage());
      }
    }
    if (target.vpcd == null) {
      if (vanishAfter != null) {
        throw usage("--vanish-after works with --vpcd");
      }
      if (tapDelay != null) {
        throw usage("--tap-delay works with --vpcd");
      }
      return new Options(null, silence, reinsert, tap);
    }
    return new Options(VpcdOption.parse(spec.commandLine(), target.vpcd), silence, reinsert, tap);
  }

  /** --pn532-target relays to the phone's board: it goes with --vpcd and plays no device. */
  private void checkTargetOptions() {
    if (target.vpcd == null) {
      throw usage("--pn532-target works with --vpcd HOST:PORT, not --pn532-uart");
    }
    String device =
        rig != null
            ? "--rig"
            : devicePassword != null
                ? "--device-password"
                : !deviceQuirks.isEmpty()
                    ? "--device-quirk"
                    : testMode
                        ? "--test-mode"
                        : insecureRandomness ? "--insecure-randomness" : null;
    if (device != null) {
      throw usage(device + " does not work with --pn532-target: the device is the phone's");
    }
    String emulation =
        vanishAfter != null
            ? "--vanish-after"
            : tapDelay != null
                ? "--tap-delay"
                : reinsertAfter != null
                    ? "--reinsert-after"
                    : !pn532Quirks.isEmpty() ? "--pn532-quirk" : null;
    if (emulation != null) {
      throw usage(emulation + " does not work with --pn532-target");
    }
  }

  /** The rig's {@code device: tapDelay:}, used when {@code --tap-delay} is not given. */
  private Duration rigTapDelay = Duration.ZERO;

  private DeviceSettings deviceSettings(ConfigSource source) {
    RigConfig config = RigConfig.load(source);
    rigTapDelay = config.tapDelay();
    DeviceSettings settings =
        config
            .device()
            .orElseThrow(
                () ->
                    new ConfigException(
                        source.displayName()
                            + ": no device section: emulate plays a rig's"
                            + " virtual device"));
    if (devicePassword != null) {
      settings = settings.withPassword(devicePassword);
    }
    if (!deviceQuirks.isEmpty()) {
      Set<DeviceQuirk> quirks = EnumSet.noneOf(DeviceQuirk.class);
      quirks.addAll(settings.quirks());
      quirks.addAll(deviceQuirks);
      settings = settings.withQuirks(quirks);
    }
    return settings;
  }

  private String describe(DeviceSettings settings) {
    StringBuilder text = new StringBuilder(settings.hasPassword() ? "password set" : "no password");
    if (!settings.quirks().isEmpty()) {
      text.append(", quirks ")
          .append(String.join(" ", settings.quirks().stream().map(DeviceQuirk::cliName).toList()));
    }
    if (testMode) {
      text.append(", test mode");
    }
    return text.toString();
  }

  private Duration duration(String option, String text) {
    try {
      return Durations.parse(text);
    } catch (IllegalArgumentException e) {
      throw usage(option + ": " + e.getMessage());
    }
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }
}
