package dev.dkrig.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Files the issue-14 tests share: a profile with a provisioned verifier. */
public final class TrustFixtures {
  private TrustFixtures() {}

  /** The verifier of password 12345678 at N = 1024 (dkrig verifier), salt 00..0F. */
  static final String PROVISIONED =
      "verifier:\n"
          + "  w0: B4AF7EAA409044181B1A465D3BFEE3AD06DB909AC2ABD6ACFD9E2FE8218D9830\n"
          + "  L: 041E1D3ABF5D9FC71861DB864A17D3A0E2F0A61852717FC1FB6A8F6DE27B9AD3A52E0EBD49234B6AB"
          + "102EF1B26CABBDC1ADCC1985D067A7EAB02F121A3AFDB9B61\n"
          + "  salt: 000102030405060708090A0B0C0D0E0F\n"
          + "  N: 1024\n"
          + "  r: 8\n"
          + "  p: 1\n";

  /**
   * The default profile with a provisioned verifier instead of a password (its counter persists,
   * §18.9), written with its PKI files into {@code folder}.
   */
  public static Path provisionedProfile(Path folder) throws IOException {
    Path pki = folder.resolve("test-pki");
    Files.createDirectories(pki);
    try (Stream<Path> files = Files.list(Path.of("profiles", "test-pki"))) {
      for (Path file : files.toList()) {
        Files.copy(file, pki.resolve(file.getFileName()));
      }
    }
    String yaml = Files.readString(Path.of("profiles", "default.yaml"));
    String replaced = yaml.replaceAll("(?s)\nverifier:\n.*?\n\n", "\n" + PROVISIONED + "\n");
    if (replaced.equals(yaml)) {
      throw new IllegalStateException("profiles/default.yaml has no verifier block to replace");
    }
    Path profile = folder.resolve("provisioned.yaml");
    Files.writeString(profile, replaced);
    return profile;
  }
}
