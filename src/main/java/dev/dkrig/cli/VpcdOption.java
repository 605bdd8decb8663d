package dev.dkrig.cli;

import dev.dkrig.emulate.VpcdEndpoint;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code --vpcd [HOST:PORT]}: the phone in a pcscd reader slot through the vpcd driver, shared by
 * {@code phone} and {@code suite --role phone}; {@code emulate} declares its own in an option group
 * and parses it here too.
 */
final class VpcdOption {
  /** The vpcd driver's first slot when {@code --vpcd} comes without a value. */
  static final String DEFAULT = VpcdEndpoint.DEFAULT_HOST + ":" + VpcdEndpoint.DEFAULT_PORT;

  @Option(
      names = "--vpcd",
      arity = "0..1",
      paramLabel = "HOST:PORT",
      fallbackValue = DEFAULT,
      description =
          "Phone role: the phone sits in the pcscd reader slot whose vpcd driver listens at"
              + " HOST:PORT (default ${FALLBACK-VALUE}), for a vehicle that speaks PC/SC on this"
              + " host, e.g. dkrig pair --rig rigs/pcsc.yaml.")
  String vpcd;

  boolean given() {
    return vpcd != null;
  }

  /** The endpoint given; a malformed one is a usage error (exit 2). */
  VpcdEndpoint endpoint(CommandLine line) {
    return parse(line, vpcd);
  }

  /** {@code text} as a vpcd endpoint; malformed: a usage error naming {@code --vpcd} (exit 2). */
  static VpcdEndpoint parse(CommandLine line, String text) {
    try {
      return VpcdEndpoint.parse(text);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(line, "--vpcd " + e.getMessage());
    }
  }
}
