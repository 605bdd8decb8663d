package dev.dkrig.cli;

import dev.dkrig.bench.Bench;
import dev.dkrig.bench.ConfigException;
import dev.dkrig.bench.ConfigNames;
import dev.dkrig.bench.ConfigSource;
import dev.dkrig.bench.RigConfig;
import dev.dkrig.ccc.CccException;
import dev.dkrig.ccc.CommandApdu;
import dev.dkrig.ccc.Hex;
import dev.dkrig.ccc.ResponseApdu;
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
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
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
      "",
      "Exit codes:",
      "  0   stopped by Ctrl-C or SIGTERM",
      "  2   usage error",
      "  4   configuration error (rig file)",
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
        fallbackValue = VpcdEndpoint.DEFAULT_HOST + ":" + VpcdEndpoint.DEFAULT_PORT,
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
  boolean verbose;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Options options = checkOptions();
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
      return serveAsPn532(device, what, out, err);
    }
    return serveThroughVpcd(options, device, what, out, err);
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
    VpcdEndpoint endpoint;
    try {
      endpoint = VpcdEndpoint.parse(target.vpcd);
    } catch (IllegalArgumentException e) {
      throw usage("--vpcd " + e.getMessage());
    }
    return new Options(endpoint, silence, reinsert, tap);
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

  private int serveThroughVpcd(
      Options options, VirtualDevice device, String what, PrintWriter out, PrintWriter err) {
    VpcdCardServer server =
        VpcdCardServer.builder(device)
            .endpoint(options.endpoint())
            .silenceLimit(options.silenceLimit())
            .tapDelay(options.tapDelay() != null ? options.tapDelay() : rigTapDelay)
            .listener(new ConsoleListener(err, verbose))
            .build();
    if (vanishAfter != null) {
      server.vanishAfter(vanishAfter, options.reinsertAfter());
    }
    out.println(
        "dkrig emulate: serving "
            + what
            + " as a contactless card (ATR "
            + Hex.encode(server.atr())
            + ") to vpcd at "
            + options.endpoint()
            + "; Ctrl-C stops");
    out.flush();
    return runUntilSignal(server, out, err);
  }

  private int serveAsPn532(VirtualDevice device, String what, PrintWriter out, PrintWriter err) {
    Pn532Emulator emulator;
    try {
      Pn532Emulator.Options options = Pn532Emulator.Options.defaults();
      for (String quirk : pn532Quirks) {
        options = options.withQuirk(quirk);
      }
      emulator = Pn532Emulator.serve(target.pn532, device, options);
    } catch (IOException e) {
      err.println(
          "dkrig emulate: cannot open the serial port " + target.pn532 + ": " + e.getMessage());
      err.flush();
      return ExitCodes.ERROR;
    }
    out.println(
        "dkrig emulate: serving "
            + what
            + " as the target of a PN532 board on "
            + target.pn532
            + "; Ctrl-C stops");
    out.flush();
    Thread hook =
        new Thread(
            () -> {
              emulator.close();
              err.println("dkrig emulate: stopped");
              err.flush();
              out.flush();
              Runtime.getRuntime().halt(ExitCodes.PASS);
            },
            "dkrig-emulate-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      emulator.awaitStop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      return ExitCodes.PASS;
    }
    emulator.close();
    String why = emulator.stopReason();
    if (!why.isEmpty()) {
      err.println("dkrig emulate: the PN532 emulation stopped: " + why);
    }
    return why.isEmpty() ? ExitCodes.PASS : ExitCodes.ERROR;
  }

  /**
   * Runs until Ctrl-C or SIGTERM. Stopping that way is how an emulation ends, so the exit status is
   * 0, not 130 or 143: the shutdown hook takes the card out, reports, and halts with 0 (System.exit
   * would block inside a hook).
   */
  private static int runUntilSignal(VpcdCardServer server, PrintWriter out, PrintWriter err) {
    Thread hook =
        new Thread(
            () -> {
              server.close();
              err.println("dkrig emulate: stopped after " + server.apdusServed() + " APDU(s)");
              err.flush();
              out.flush();
              System.out.flush();
              System.err.flush();
              Runtime.getRuntime().halt(ExitCodes.PASS);
            },
            "dkrig-emulate-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    server.start();
    try {
      new CountDownLatch(1).await();
    } catch (InterruptedException e) {
      // Not a signal (the hook halts the JVM first): someone embedding the command stopped it.
      Thread.currentThread().interrupt();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // The JVM is shutting down after all; the hook finishes the job.
      return ExitCodes.PASS;
    }
    server.close();
    return ExitCodes.PASS;
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

  /** Link notes on stderr (one line each), and with -v the APDU trace. */
  private static final class ConsoleListener implements VpcdCardServer.Listener {
    private final PrintWriter err;
    private final boolean verbose;

    ConsoleListener(PrintWriter err, boolean verbose) {
      this.err = err;
      this.verbose = verbose;
    }

    @Override
    public void linkUp(VpcdEndpoint endpoint) {
      line("dkrig emulate: card in the reader (vpcd " + endpoint + ")");
    }

    @Override
    public void linkDown(VpcdEndpoint endpoint, VpcdCardServer.LinkEnd why) {
      if (why != VpcdCardServer.LinkEnd.CLOSED) {
        line("dkrig emulate: card out of the reader: " + why.description());
      }
    }

    @Override
    public void unreachable(VpcdEndpoint endpoint, IOException cause, int attempt) {
      if (attempt == 1) {
        line(
            "dkrig emulate: vpcd at "
                + endpoint
                + " not reachable ("
                + cause.getMessage()
                + "): is pcscd running with the vpcd driver? Retrying.");
      }
    }

    @Override
    public void control(int code) {
      if (!verbose) {
        return;
      }
      switch (code) {
        case 0x00 -> line("-- power off");
        case 0x01 -> line("-- power on");
        case 0x02 -> line("-- reset");
        default -> {
          // 04 (ATR) comes with every presence poll of pcscd: too frequent to be news.
        }
      }
    }

    @Override
    public void apdu(byte[] command, byte[] response, long nanos) {
      if (!verbose) {
        return;
      }
      line(">> " + commandText(command));
      line(
          response == null
              ? "<< (silent)"
              : "<< "
                  + responseText(response)
                  + " ("
                  + Durations.format(Duration.ofNanos(nanos))
                  + ")");
    }

    private static String commandText(byte[] command) {
      try {
        return CommandApdu.parse(command).toString();
      } catch (CccException e) {
        return Hex.encode(command);
      }
    }

    private static String responseText(byte[] response) {
      try {
        return ResponseApdu.parse(response).toString();
      } catch (CccException e) {
        return Hex.encode(response);
      }
    }

    private void line(String text) {
      err.println(text);
      err.flush();
    }
  }
}
