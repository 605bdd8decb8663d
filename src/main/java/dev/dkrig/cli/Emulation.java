package dev.dkrig.cli;

import dev.dkrig.device.VirtualDevice;
import dev.dkrig.emulate.EmulatedBoard;
import dev.dkrig.emulate.Pn532Emulator;
import dev.dkrig.emulate.Pn532TargetEmulator;
import dev.dkrig.emulate.VpcdCardServer;
import dev.dkrig.emulate.VpcdEndpoint;
import dev.dkrig.emulate.VpcdField;
import dev.dkrig.io.SafeText;
import dev.dkrig.iso7816.Hex;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * {@code dkrig emulate}'s two ways of serving the virtual device, each until Ctrl-C or SIGTERM:
 * into a pcscd slot through vpcd, or as a PN532 board on a serial port. The command checks the
 * options and builds the device; this class runs it.
 */
final class Emulation {
  private Emulation() {}

  /** Serves the card through vpcd until a signal; the server is built and armed. */
  static int throughVpcd(
      VpcdCardServer server, String what, VpcdEndpoint endpoint, PrintWriter out, PrintWriter err) {
    out.println(
        "dkrig emulate: serving "
            + what
            + " as a contactless card (ATR "
            + Hex.encode(server.atr())
            + ") to vpcd at "
            + endpoint
            + "; Ctrl-C stops");
    out.flush();
    return runUntilSignal(server, out, err);
  }

  /**
   * Plays a PN532 board on {@code port} with the device as its target, until a signal. A path that
   * is not a serial device (a folder, a regular file, a typo) is a configuration error (4) named as
   * such, found before anything runs; one that cannot be opened is the bench's (3).
   */
  static int asPn532(
      VirtualDevice device,
      String what,
      String port,
      List<String> quirks,
      PrintWriter out,
      PrintWriter err) {
    String problem = Preflight.serialDeviceProblem(port).orElse(null);
    if (problem != null) {
      err.println(
          "dkrig emulate: --pn532-uart " + SafeText.line(port) + ": " + SafeText.line(problem));
      err.flush();
      return ExitCodes.CONFIGURATION;
    }
    Pn532Emulator emulator;
    try {
      Pn532Emulator.Options options = Pn532Emulator.Options.defaults();
      for (String quirk : quirks) {
        options = options.withQuirk(quirk);
      }
      emulator = Pn532Emulator.serve(port, device, options);
    } catch (IOException e) {
      err.println("dkrig emulate: cannot open the serial port " + port + ": " + e.getMessage());
      err.flush();
      return ExitCodes.ERROR;
    }
    out.println(
        "dkrig emulate: serving "
            + what
            + " as the target of a PN532 board on "
            + port
            + "; Ctrl-C stops");
    out.flush();
    return untilStopped(emulator, "the PN532 emulation stopped", out, err);
  }

  /**
   * Plays the phone's PN532 board in card emulation on {@code path}, its field the vpcd slot at
   * {@code endpoint}, until a signal (0) or a failed serial line (3). A path that is not a serial
   * device, or that cannot be opened, is a configuration error (4), found before anything runs.
   */
  static int asPn532Target(
      String path,
      VpcdEndpoint endpoint,
      Duration answerLimit,
      VpcdCardServer.Listener console,
      PrintWriter out,
      PrintWriter err) {
    String problem = Preflight.serialDeviceProblem(path).orElse(null);
    Pn532TargetEmulator emulator = null;
    if (problem == null) {
      try {
        emulator =
            Pn532TargetEmulator.serve(
                path,
                new VpcdField(endpoint, console),
                Pn532TargetEmulator.Options.defaults().withAnswerLimit(answerLimit));
      } catch (IOException e) {
        problem = "cannot open it: " + e.getMessage();
      }
    }
    if (problem != null) {
      err.println(
          "dkrig emulate: --pn532-target " + SafeText.line(path) + ": " + SafeText.line(problem));
      err.flush();
      return ExitCodes.CONFIGURATION;
    }
    out.println(
        "dkrig emulate: playing the phone's PN532 board in card emulation on "
            + path
            + "; the card enters the vpcd slot at "
            + endpoint
            + " while the phone arms the board; Ctrl-C stops");
    out.flush();
    return untilStopped(emulator, "the PN532 board stopped", out, err);
  }

  /**
   * Serves {@code board} until a signal (0: the hook closes it and halts) or until it stops by
   * itself: 0 when closed, 3 with {@code stopped} and the reason when its line failed.
   */
  private static int untilStopped(
      EmulatedBoard board, String stopped, PrintWriter out, PrintWriter err) {
    Thread hook =
        new Thread(
            () -> {
              board.close();
              err.println("dkrig emulate: stopped");
              err.flush();
              out.flush();
              Runtime.getRuntime().halt(ExitCodes.PASS);
            },
            "dkrig-emulate-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      while (!board.awaitStop(Duration.ofDays(1))) {
        // Until a signal or a failed line.
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      return ExitCodes.PASS;
    }
    board.close();
    String why = board.stopReason();
    if (why.isEmpty()) {
      return ExitCodes.PASS;
    }
    err.println("dkrig emulate: " + stopped + ": " + why);
    return ExitCodes.ERROR;
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
}
