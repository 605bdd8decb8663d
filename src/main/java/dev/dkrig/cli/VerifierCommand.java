package dev.dkrig.cli;

import dev.dkrig.ccc.DkProfile;
import dev.dkrig.ccc.Hex;
import dev.dkrig.ccc.spake2.ScryptParameters;
import dev.dkrig.ccc.spake2.Verifier;
import java.io.PrintWriter;
import java.security.SecureRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dkrig verifier}: plays the Vehicle OEM server and provisions a SPAKE2+ verifier from a
 * pairing password (§5.1), printed as a YAML block a vehicle profile can include.
 */
@Command(
    name = "verifier",
    mixinStandardHelpOptions = true,
    versionProvider = VersionInfo.class,
    description = {
      "Derive a SPAKE2+ verifier (w0, L, salt, N, r, p) from a pairing password, as the Vehicle"
          + " OEM server provisions it (contract §5.1), and print it as a YAML block for a profile.",
      "The output contains w0, a secret: store it as you would the password."
    },
    footer = {
      "",
      "Example:",
      "  dkrig verifier --password 12345678 --salt 000102030405060708090A0B0C0D0E0F --scrypt-n 4096"
    })
final class VerifierCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--password",
      required = true,
      paramLabel = "DIGITS",
      description = "The pairing password: 8 digits 0-9.")
  String password;

  @Option(
      names = "--salt",
      paramLabel = "HEX",
      description = "16-byte salt in hex (default: 16 random bytes).")
  String salt;

  @Option(
      names = "--scrypt-n",
      paramLabel = "N",
      description = "scrypt cost N, a power of two (default: ${DEFAULT-VALUE}).")
  long n = DkProfile.SCRYPT_DEFAULT_N;

  @Option(
      names = "--scrypt-r",
      paramLabel = "R",
      description = "scrypt r (default: ${DEFAULT-VALUE}).")
  int r = DkProfile.SCRYPT_DEFAULT_R;

  @Option(
      names = "--scrypt-p",
      paramLabel = "P",
      description = "scrypt p (default: ${DEFAULT-VALUE}).")
  int p = DkProfile.SCRYPT_DEFAULT_P;

  @Override
  public Integer call() {
    byte[] saltBytes;
    if (salt == null) {
      saltBytes = new byte[DkProfile.SALT_LENGTH];
      new SecureRandom().nextBytes(saltBytes);
    } else {
      try {
        saltBytes = Hex.decode(salt);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--salt: " + e.getMessage());
      }
    }
    ScryptParameters scrypt = new ScryptParameters(saltBytes, n, r, p);
    try {
      scrypt.validate();
    } catch (RuntimeException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    scrypt
        .costProblem()
        .ifPresent(
            problem -> {
              throw new CommandLine.ParameterException(
                  spec.commandLine(), "--scrypt-n/--scrypt-r/--scrypt-p: " + problem);
            });
    if (!password.matches("[0-9]{8}")) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--password must be 8 digits 0-9 (contract §1)");
    }
    Verifier verifier = Verifier.provision(password, scrypt);
    PrintWriter out = spec.commandLine().getOut();
    out.println("# SPAKE2+ verifier (contract §5.1). w0 is secret: keep this file private.");
    out.println("verifier:");
    out.println("  w0: " + Hex.encode(verifier.w0()));
    out.println("  L: " + Hex.encode(verifier.l()));
    out.println("  salt: " + Hex.encode(saltBytes));
    out.println("  N: " + n);
    out.println("  r: " + r);
    out.println("  p: " + p);
    out.flush();
    return ExitCodes.PASS;
  }
}
