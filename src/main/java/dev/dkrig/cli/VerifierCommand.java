package dev.dkrig.cli;

import dev.dkrig.ccc.DkProfile;
import dev.dkrig.ccc.spake2.ScryptParameters;
import dev.dkrig.ccc.spake2.Verifier;
import dev.dkrig.io.IoErrors;
import dev.dkrig.iso7816.Hex;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Optional;
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
      "The output contains w0, a secret: store it as you would the password.",
      "",
      "The password comes from --password-file, --password-env, a prompt that does not echo"
          + " (on a terminal) or the first line of standard input; --password works but shows"
          + " in 'ps' and the shell history.",
      ""
    },
    footer = {
      "",
      "Example:",
      "  dkrig verifier --salt 000102030405060708090A0B0C0D0E0F --scrypt-n 4096  # asks",
      "  dkrig verifier --password-file pw.txt",
      "",
      "Exit codes: 0 printed, 2 usage (bad password or scrypt values), 4 the password file"
          + " or variable is missing."
    })
final class VerifierCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--password",
      paramLabel = "DIGITS",
      description =
          "The pairing password: 8 digits 0-9. It shows in 'ps' and in the shell history: prefer"
              + " the prompt, --password-file or --password-env.")
  String password;

  @Option(
      names = "--password-file",
      paramLabel = "FILE",
      description = "Read the password from the first line of FILE.")
  Path passwordFile;

  @Option(
      names = "--password-env",
      paramLabel = "NAME",
      description = "Read the password from the environment variable NAME.")
  String passwordEnv;

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
    PrintWriter err = spec.commandLine().getErr();
    Optional<String> secret = password(err);
    if (secret.isEmpty()) {
      return ExitCodes.CONFIGURATION;
    }
    if (!secret.get().matches("[0-9]{8}")) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "the password must be 8 digits 0-9 (contract §1)");
    }
    Verifier verifier = Verifier.provision(secret.get(), scrypt);
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

  /**
   * The password from the one source given: {@code --password} (with a warning), a file, a
   * variable, else a no-echo prompt on a terminal, else the first line of standard input. Empty
   * after one line naming a missing file or variable (exit 4).
   */
  private Optional<String> password(PrintWriter err) {
    long given =
        java.util.stream.Stream.of(password, passwordFile, passwordEnv)
            .filter(java.util.Objects::nonNull)
            .count();
    if (given > 1) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "give the password one way only: --password, --password-file or --password-env");
    }
    if (password != null) {
      err.println(
          "dkrig: WARNING: --password shows in 'ps' and in the shell history; use the prompt,"
              + " --password-file FILE, --password-env NAME or standard input instead.");
      err.flush();
      return Optional.of(password);
    }
    if (passwordFile != null) {
      try {
        return Optional.of(firstLine(Files.readString(passwordFile, StandardCharsets.UTF_8)));
      } catch (IOException e) {
        String why = IoErrors.reason(e);
        err.println("dkrig: --password-file " + passwordFile + ": cannot read it: " + why);
        err.flush();
        return Optional.empty();
      }
    }
    if (passwordEnv != null) {
      String value = System.getenv(passwordEnv);
      if (value == null) {
        err.println("dkrig: --password-env " + passwordEnv + ": the variable is not set");
        err.flush();
        return Optional.empty();
      }
      return Optional.of(firstLine(value));
    }
    java.io.Console console = System.console();
    if (console != null) {
      char[] typed = console.readPassword("Pairing password (8 digits, not shown): ");
      if (typed == null) {
        throw new CommandLine.ParameterException(spec.commandLine(), "no password typed");
      }
      String text = new String(typed);
      java.util.Arrays.fill(typed, ' ');
      return Optional.of(text);
    }
    try {
      String text = new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
      if (text.isEmpty()) {
        throw new CommandLine.ParameterException(
            spec.commandLine(),
            "no password: standard input is empty (give --password-file FILE, --password-env NAME,"
                + " or run on a terminal to be asked)");
      }
      return Optional.of(firstLine(text));
    } catch (IOException e) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "cannot read the password from standard input: " + e.getMessage());
    }
  }

  /** The text up to its first line end: files and pipes end their line with a newline. */
  private static String firstLine(String text) {
    int end = text.indexOf('\n');
    String line = end >= 0 ? text.substring(0, end) : text;
    return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
  }
}
