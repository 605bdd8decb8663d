package dev.dkrig.cli;

import static dev.dkrig.cli.CliRun.oneLine;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A careless user's mistakes: each ends 2, 3 or 4 with one line naming it, and nothing is lost. */
class CarelessUserTest {
  @TempDir Path dir;

  private String state() {
    return dir.resolve("state").toString();
  }

  private String in(String name) {
    return dir.resolve(name).toString();
  }

  /** The built-in virtual rig, its key files named by absolute paths. */
  private static String virtualRig() throws Exception {
    return Files.readString(Path.of("rigs/virtual.yaml"))
        .replace("../profiles/", Path.of("profiles").toAbsolutePath() + "/")
        .replace(" test-pki/", " " + Path.of("rigs/test-pki").toAbsolutePath() + "/");
  }

  @Test
  @DisplayName("one file named by two options: exit 2 before the run, nothing written")
  void samePathForTwoOptions() {
    oneLine(
        CliRun.of("pair", "--state-dir", state(), "--json", in("r.json"), "--junit", in("r.json")),
        2,
        "--json and --junit name the same file");
    assertFalse(Files.exists(dir.resolve("r.json")));
    oneLine(
        CliRun.of(
            "pair",
            "--state-dir",
            state(),
            "--report-dir",
            in("ev"),
            "--html",
            in("ev/report.json")),
        2,
        "--report-dir and --html name the same file");
    assertFalse(Files.exists(dir.resolve("ev")));
    oneLine(
        CliRun.of("apdu", "--select", "framework", "--trace", in("t.txt"), "--pcapng", in("t.txt")),
        2,
        "--trace and --pcapng");
    oneLine(
        CliRun.of("suite", "conformance", "--json", in("s.json"), "--junit", in("./s.json")),
        2,
        "--json and --junit");
    oneLine(
        CliRun.of("phone", "--vpcd", "--json", in("p.json"), "--trace", in("p.json")),
        2,
        "--json and --trace");
  }

  @Test
  @DisplayName("only --json takes - for stdout: --trace - would write a file named -")
  void dashIsOnlyForJson() {
    oneLine(
        CliRun.of("pair", "--state-dir", state(), "--trace", "-"),
        2,
        "--trace -: only --json writes to stdout");
  }

  @Test
  @DisplayName("a path the system cannot name (a NUL; in LANG=C any non-ASCII): exit 2, not 70")
  void unnameablePath() {
    oneLine(
        CliRun.of("pair", "--state-dir", state(), "--json", dir + "/r\0.json"),
        2,
        "cannot be a file name");
    oneLine(CliRun.of("pair", "--rig", "r\0.yaml"), 2, "--rig", "cannot be a file name");
    oneLine(CliRun.of("apdu", "-f", dir + "/a\0.apdu"), 2, "cannot be a file name");
    oneLine(
        CliRun.of("state", "show", "--state-dir", "s\0"),
        2,
        "--state-dir",
        "cannot be a file name");
  }

  private static final String RED = "\u001b[31m";

  /** Nothing the user typed or a file held reaches the console with a raw control character. */
  private static void noRawControl(CliRun run, int exit) {
    assertEquals(exit, run.exitCode(), run.out() + run.err());
    String all = run.out() + run.err();
    assertFalse(all.contains("\u001b"), all);
    assertTrue(all.contains("\\x1b[31m"), all);
  }

  @Test
  @DisplayName("control characters from the command line and from files are escapes on the console")
  void controlCharactersNeverRaw() throws Exception {
    noRawControl(CliRun.of("pair", "--x" + RED), 2);
    noRawControl(CliRun.of("pair", "--timer", "T_Apdu=5" + RED + "s"), 2);
    noRawControl(CliRun.of("pair", "--state-dir", state(), "--rig", in("rig" + RED + ".yaml")), 4);
    noRawControl(CliRun.of("suite", "x" + RED + "y"), 4);
    noRawControl(CliRun.of("replay", in("r" + RED + ".dump")), 4);
    Files.writeString(dir.resolve("file"), "");
    noRawControl(
        CliRun.of("pair", "--state-dir", state(), "--json", in("file/" + RED + "r.json")), 4);
    noRawControl(CliRun.of("state", "show", "--state-dir", in("s" + RED)), 0);
    Path damaged = dir.resolve("damaged");
    Files.createDirectories(damaged);
    Files.writeString(damaged.resolve("verifier-attempts.json"), "x" + RED + "RED");
    CliRun run = CliRun.of("state", "show", "--state-dir", damaged.toString());
    assertEquals(4, run.exitCode(), run.err());
    assertFalse(run.err().contains("\u001b"), run.err());
    assertTrue(run.err().contains("\\x1b"), run.err());
  }

  @Test
  @DisplayName("a timer of 0 is the user's mistake (exit 2 or 4), never a FAIL of the device")
  void zeroTimers() throws Exception {
    oneLine(
        CliRun.of("pair", "--state-dir", state(), "--timer", "T_Apdu=0s"),
        2,
        "--timer T_Apdu must be more than 0");
    oneLine(
        CliRun.of("pair", "--state-dir", state(), "--timer", "T_OwnerPairing=0.0000001ms"),
        2,
        "T_OwnerPairing must be more than 0");
    Path rig = dir.resolve("rig.yaml");
    Files.writeString(rig, virtualRig().replace("timers:\n", "timers:\n  T_KeyCreation: 0ms\n"));
    oneLine(
        CliRun.of("pair", "--state-dir", state(), "--rig", rig.toString()),
        4,
        rig.toString(),
        "timers.T_KeyCreation: must be more than 0");
    CliRun kts =
        CliRun.of("pair", "--state-dir", state(), "-q", "--no-phase4", "--timer", "T_KtsDelay=0s");
    assertEquals(0, kts.exitCode(), kts.out() + kts.err());
  }

  @Test
  @DisplayName("replay of a binary file: 'not UTF-8 text', not the decoder's 'Input length = 1'")
  void replayBinary() throws Exception {
    Path dump = dir.resolve("run.dump");
    Files.write(dump, new byte[] {(byte) 0xa4, (byte) 0xff, 0x0a});
    oneLine(CliRun.of("replay", dump.toString()), 4, "run.dump: not UTF-8 text");
  }

  @Test
  @DisplayName("emulate --pn532-uart on a folder or a regular file: exit 4, 'not a serial device'")
  void emulateOnNoSerialDevice() throws Exception {
    Files.writeString(dir.resolve("notes.txt"), "keep");
    for (String path : new String[] {dir.toString(), in("notes.txt"), in("missing")}) {
      CliRun run = CliRun.of("emulate", "--pn532-uart", path);
      oneLine(run, 4, "--pn532-uart " + path + ": ");
      assertFalse(run.err().contains("in use by another program"), run.err());
    }
    assertEquals("keep", Files.readString(dir.resolve("notes.txt")));
  }

  @Test
  @DisplayName("a report written over a file the command reads: exit 2, the file intact")
  void outputOverAnInput() throws Exception {
    Path rig = dir.resolve("lab.yaml");
    String text = virtualRig();
    Files.writeString(rig, text);
    oneLine(
        CliRun.of(
            "pair", "--state-dir", state(), "--rig", rig.toString(), "--json", in("lab.yaml")),
        2,
        "--json " + rig + " is the file --rig reads");
    oneLine(
        CliRun.of(
            "pair",
            "--state-dir",
            state(),
            "--rig",
            rig.toString(),
            "--report-dir",
            dir.toString()),
        0);
    assertEquals(text, Files.readString(rig));
    Path script = dir.resolve("s.apdu");
    Files.writeString(script, "00A404000DA000000809434343444B46763100\n");
    oneLine(
        CliRun.of("apdu", "-f", script.toString(), "--trace", script.toString()),
        2,
        "is the file -f reads");
    assertEquals("00A404000DA000000809434343444B46763100\n", Files.readString(script));
    Path suite = dir.resolve("suite.yaml");
    Files.copy(Path.of("suites/conformance.yaml"), suite);
    oneLine(
        CliRun.of("suite", suite.toString(), "--junit", suite.toString()),
        2,
        "is the file SUITE reads");
  }

  @Test
  @DisplayName("an output in the state folder, or named like it: exit 2 before a pairing is spent")
  void outputInTheStateFolder() {
    oneLine(
        CliRun.of("pair", "--state-dir", state(), "--json", state()),
        2,
        "--json " + state() + " is in the state folder",
        "(--state-dir)");
    assertFalse(Files.exists(dir.resolve("state")));
    oneLine(
        CliRun.of("pair", "--state-dir", state(), "--report-dir", state()),
        2,
        "--report-dir " + state() + " is in the state folder");
    oneLine(
        CliRun.of("pair", "--state-dir", state(), "--trace", in("state/dk/trace.txt")),
        2,
        "is in the state folder");
    oneLine(
        CliRun.of("pair", "--state-dir", state(), "--json", in("state/report.json")),
        2,
        "is in the state folder");
    // A folder of its own inside it is fine (the launcher's CDS training run does this).
    oneLine(
        CliRun.of(
            "pair",
            "-q",
            "--state-dir",
            state(),
            "--report-dir",
            in("state/reports"),
            "--test-mode"),
        0);
  }

  @Test
  @DisplayName("--with-dump without --report-dir: exit 2, not a run that silently writes no dump")
  void withDumpNeedsAReportFolder() {
    oneLine(
        CliRun.of("pair", "--state-dir", state(), "--with-dump"),
        2,
        "--with-dump writes run.dump into --report-dir DIR");
  }

  @Test
  @DisplayName("--with-dump with --dump FILE needs no --report-dir: the dump goes to FILE")
  void withDumpAndADumpFile() {
    String dump = in("run.dump");
    CliRun run =
        CliRun.of(
            "pair", "-q", "--state-dir", state(), "--test-mode", "--with-dump", "--dump", dump);
    assertEquals(0, run.exitCode(), run.err());
    assertTrue(Files.isRegularFile(Path.of(dump)), run.err());
  }

  @Test
  @DisplayName("a key file that is a folder or huge: exit 4 naming the file, not a hang")
  void keyFileIsAFolderOrHuge() throws Exception {
    Path keys = dir.resolve("keys");
    Files.createDirectories(keys);
    Path huge = dir.resolve("huge.pem");
    try (java.io.RandomAccessFile file = new java.io.RandomAccessFile(huge.toFile(), "rw")) {
      file.setLength(64L << 20);
    }
    Path profile = dir.resolve("profile.yaml");
    String text =
        Files.readString(Path.of("profiles/default.yaml"))
            .replace("test-pki/", Path.of("profiles/test-pki").toAbsolutePath() + "/");
    String key = Path.of("profiles/test-pki/vehicle.key.pem").toAbsolutePath().toString();
    assertTrue(text.contains(key), text);
    Files.writeString(profile, text.replace(key, keys.toString()));
    oneLine(
        CliRun.of("pair", "--state-dir", state(), "--profile", profile.toString()),
        4,
        "pki.vehicleKey: cannot read " + keys + ": ");
    Files.writeString(profile, text.replace(key, huge.toString()));
    oneLine(
        CliRun.of("pair", "--state-dir", state(), "--profile", profile.toString()),
        4,
        "pki.vehicleKey: cannot read " + huge + ": too large");
  }
}
