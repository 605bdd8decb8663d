package dev.dkrig.cli;

import dev.dkrig.emulate.VpcdCardServer;
import dev.dkrig.emulate.VpcdEndpoint;
import dev.dkrig.iso7816.CommandApdu;
import dev.dkrig.iso7816.Hex;
import dev.dkrig.iso7816.Iso7816Exception;
import dev.dkrig.iso7816.ResponseApdu;
import dev.dkrig.time.Durations;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;

/** {@code dkrig emulate}'s link notes on stderr (one line each), and with -v the APDU trace. */
final class EmulateConsole implements VpcdCardServer.Listener {
  private final PrintWriter err;
  private final boolean verbose;

  EmulateConsole(PrintWriter err, boolean verbose) {
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
    } catch (Iso7816Exception e) {
      return Hex.encode(command);
    }
  }

  private static String responseText(byte[] response) {
    try {
      return ResponseApdu.parse(response).toString();
    } catch (Iso7816Exception e) {
      return Hex.encode(response);
    }
  }

  private void line(String text) {
    err.println(text);
    err.flush();
  }
}
