package dev.dkrig.cli;

import static dev.dkrig.cli.CliRun.oneLine;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.dkrig.ccc.DkProfile;
import dev.dkrig.pairing.VerifierSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The careless user's trial of 2026-12-07: {@code --parallel 100000} ended in an OutOfMemoryError,
 * {@code --parallel 200} on two processors in T_Apdu FAILs the host caused. Each mistake is refused
 * before the run with one line naming the option, its value and the bound (exit 2).
 */
class ParallelBoundTest {
  private static final long MIB = 1024 * 1024;

  @TempDir Path dir;

  private String state() {
    return dir.resolve("state").toString();
  }

  @Test
  @DisplayName("--parallel 100000: exit 2 naming the value and the bound, before any run")
  void theTrialsParallel() {
    CliRun run =
        CliRun.of(
            "pair",
            "--state-dir",
            state(),
            "--report-dir",
            dir.resolve("soak").toString(),
            "--repeat",
            "100000",
            "--parallel",
            "100000");
    oneLine(run, 2, "--parallel 100000", "over the bound of", "at most 256");
    assertEquals(1, run.err().lines().filter(l -> l.startsWith("dkrig:")).count(), run.err());
    assertFalse(Files.exists(dir.resolve("soak")), "nothing made before the refusal");
    assertFalse(Files.exists(dir.resolve("state")), "nothing made before the refusal");
  }

  @Test
  @DisplayName("--parallel 0 or negative: exit 2 naming it")
  void parallelFromOne() {
    oneLine(
        CliRun.of("pair", "--state-dir", state(), "--repeat", "3", "--parallel", "0"),
        2,
        "--parallel 0",
        "a number from 1");
    oneLine(
        CliRun.of("pair", "--state-dir", state(), "--repeat", "3", "--parallel", "-2"),
        2,
        "--parallel -2",
        "a number from 1");
    oneLine(CliRun.of("pair", "--state-dir", state(), "--repeat", "0"), 2, "--repeat 0", "from 1");
  }

  @Test
  @DisplayName("a costlier scrypt in the profile lowers the bound: its working set is named")
  void costlierScrypt() throws Exception {
    // N = 131072, r = 8: 128 MiB a derivation, two a pairing; the §18.11 limit still allows it.
    assumeTrue(Runtime.getRuntime().maxMemory() < 200 * 256 * MIB, "a heap of 50 GiB holds 200");
    Path profile = dir.resolve("profile.yaml");
    String text =
        Files.readString(Path.of("profiles/default.yaml"))
            .replace("test-pki/", Path.of("profiles/test-pki").toAbsolutePath() + "/");
    assertTrue(text.contains("  N: 32768\n"));
    Files.writeString(profile, text.replace("  N: 32768\n", "  N: 131072\n"));
    CliRun run =
        CliRun.of(
            "pair",
            "--state-dir",
            state(),
            "--profile",
            profile.toString(),
            "--repeat",
            "200",
            "--parallel",
            "200");
    oneLine(run, 2, "--parallel 200", "two scrypt working sets of 128 MiB", "DKRIG_JAVA_OPTS");
  }

  @Test
  @DisplayName("the bound: the pairings whose two scrypt working sets fit the heap, 1 to 256")
  void bound() {
    long defaultScrypt = 128L * DkProfile.SCRYPT_DEFAULT_R * DkProfile.SCRYPT_DEFAULT_N;
    assertEquals(32 * MIB, defaultScrypt);
    // The trial's machine: a 6 GiB heap holds 96 pairings, not the trial's 200.
    assertEquals(96, ParallelBound.of(6144 * MIB, defaultScrypt));
    assertEquals(256, ParallelBound.of(1024L * 1024 * MIB, defaultScrypt));
    assertEquals(1, ParallelBound.of(16 * MIB, defaultScrypt));
    assertEquals(
        128L * 8 * 4096,
        ParallelBound.scryptBytes(
            VerifierSource.forTestMode(
                new VerifierSource.FromPassword("12345678", Optional.empty(), 32768, 8, 1))));
    assertEquals(defaultScrypt, ParallelBound.scryptBytes(new VerifierSource.Absent("none")));
  }

  @Test
  @DisplayName("more pairings than processors: one warning line before the run, none up to them")
  void aboveTheProcessors() {
    assertEquals(Optional.empty(), ParallelBound.warning(2, 2));
    String warning = ParallelBound.warning(200, 2).orElseThrow();
    assertTrue(warning.startsWith("dkrig: warning: --parallel 200 on 2 processors"), warning);
    assertTrue(warning.contains("ends ERROR, not FAIL"), warning);
    assertEquals(1, warning.lines().count());
  }
}
