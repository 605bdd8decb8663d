package dev.dkrig.cli;

import java.util.OptionalLong;
import picocli.CommandLine.Option;

/** {@code --seed} and the switch that allows it on a real reader ({@link Preflight}). */
final class SeedOptions {
  @Option(
      names = "--seed",
      paramLabel = "N",
      description =
          "One seeded generator for every random draw (vehicle and virtual device): same seed,"
              + " same bytes, timestamps aside. Anyone who knows the seed can recompute the"
              + " session keys. Virtual rig only, unless --insecure-randomness.")
  Long seed;

  @Option(
      names = "--insecure-randomness",
      description =
          "Allow --seed and --test-mode on a rig that talks to a real reader (a bench whose"
              + " reader holds a virtual device): the session keys become predictable.")
  boolean insecureRandomness;

  OptionalLong seed() {
    return seed == null ? OptionalLong.empty() : OptionalLong.of(seed);
  }
}
