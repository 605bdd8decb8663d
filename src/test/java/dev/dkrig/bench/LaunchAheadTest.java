package dev.dkrig.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dkrig.ccc.spake2.ScryptParameters;
import dev.dkrig.pairing.VerifierSource;
import dev.dkrig.random.Draws;
import dev.dkrig.random.SecureDraws;
import dev.dkrig.random.SeededDraws;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 20: what a single pairing starts at launch is used only when it is exactly what the run
 * asks for, and the salt stays the run's first draw.
 */
class LaunchAheadTest {
  private static final ConfigSource DEFAULT = ConfigSource.embedded(VehicleProfile.EMBEDDED);

  @BeforeEach
  @AfterEach
  void reset() throws InterruptedException {
    LaunchAhead.resetForTests();
  }

  private static LaunchAhead.Guess guess(Optional<String> profile, OptionalLong seed) {
    return new LaunchAhead.Guess(profile, seed, false, false);
  }

  private static VerifierSource.FromPassword fromPassword(VehicleProfile profile) {
    return (VerifierSource.FromPassword) profile.settings().verifier();
  }

  @Test
  @DisplayName("the profile parsed ahead is the run's for the same file and bytes, once")
  void profileTakenOnce() throws Exception {
    LaunchAhead.start(guess(Optional.empty(), OptionalLong.of(1)));
    byte[] bytes = DEFAULT.read();
    VehicleProfile ahead = LaunchAhead.profile(DEFAULT, bytes);
    assertNotNull(ahead);
    assertArrayEquals(bytes, ahead.digestSource());
    assertNull(LaunchAhead.profile(DEFAULT, bytes), "taken once");
    assertFalse(VehicleProfile.load(DEFAULT) == ahead, "a later load parses its own");
  }

  @Test
  @DisplayName("other bytes or another file than the guess: the run parses its own")
  void otherBytes(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("lab.yaml");
    Files.write(file, DEFAULT.read());
    LaunchAhead.start(guess(Optional.of(file.toString()), OptionalLong.of(1)));
    LaunchAhead.awaitForTests();
    // The file changed between the guess and the run's read.
    Files.writeString(file, Files.readString(file) + "\n# edited\n");
    assertNull(LaunchAhead.profile(ConfigSource.file(file), Files.readAllBytes(file)));

    LaunchAhead.resetForTests();
    LaunchAhead.start(guess(Optional.of(file.toString()), OptionalLong.of(1)));
    assertNull(LaunchAhead.profile(DEFAULT, DEFAULT.read()), "not the guessed file");
  }

  @Test
  @DisplayName("--seed: the verifier derived ahead has the salt the run draws first")
  void seededSalt() throws InterruptedException {
    LaunchAhead.start(guess(Optional.empty(), OptionalLong.of(42)));
    LaunchAhead.awaitForTests();
    ScryptParameters ahead = LaunchAhead.derivedForTests().orElseThrow();
    VerifierSource.FromPassword source = fromPassword(VehicleProfile.load(DEFAULT));
    Draws run = VerifierAhead.start(source, new SeededDraws(42));
    assertArrayEquals(ahead.salt(), run.bytes(Draws.Names.VERIFIER_SALT, 16));
    assertTrue(ahead.n() == source.n() && ahead.r() == source.r() && ahead.p() == source.p());
  }

  @Test
  @DisplayName("secure randomness: the salt drawn at launch is the run's first draw, once")
  void secureSalt() throws InterruptedException {
    LaunchAhead.start(guess(Optional.empty(), OptionalLong.empty()));
    LaunchAhead.awaitForTests();
    ScryptParameters ahead = LaunchAhead.derivedForTests().orElseThrow();
    VerifierSource.FromPassword source = fromPassword(VehicleProfile.load(DEFAULT));
    byte[] first =
        VerifierAhead.start(source, SecureDraws.system()).bytes(Draws.Names.VERIFIER_SALT, 16);
    assertArrayEquals(ahead.salt(), first);
    byte[] second =
        VerifierAhead.start(source, SecureDraws.system()).bytes(Draws.Names.VERIFIER_SALT, 16);
    assertFalse(java.util.Arrays.equals(first, second), "a second run draws its own");
  }

  @Test
  @DisplayName("test mode or a dump without a seed: nothing derived ahead")
  void nothingDerived() throws InterruptedException {
    LaunchAhead.start(new LaunchAhead.Guess(Optional.empty(), OptionalLong.of(1), true, false));
    LaunchAhead.awaitForTests();
    assertTrue(LaunchAhead.derivedForTests().isEmpty());
    LaunchAhead.resetForTests();
    LaunchAhead.start(new LaunchAhead.Guess(Optional.empty(), OptionalLong.empty(), false, true));
    LaunchAhead.awaitForTests();
    assertTrue(LaunchAhead.derivedForTests().isEmpty());
    assertNull(LaunchAhead.secureSaltForTests());
  }

  @Test
  @DisplayName("nothing started at launch (not a single pairing): the warm-up is the reader's")
  void notStarted() {
    assertFalse(LaunchAhead.started());
    assertSame(null, LaunchAhead.profile(DEFAULT, new byte[0]));
  }
}
