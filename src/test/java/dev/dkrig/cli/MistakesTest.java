package dev.dkrig.cli;

import static dev.dkrig.cli.CliRun.oneLine;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 15: each user mistake ends 2, 3 or 4 with one line naming it, never 70. */
class MistakesTest {
  @TempDir Path dir;

  private String state() {
    return dir.resolve("state").toString();
  }

  /** The default profile with its key files found from the test's folder, edited. */
  private Path profile(String from, String to) throws Exception {
    Path profile = dir.resolve("profile.yaml");
    String text =
        Files.readString(Path.of("profiles/default.yaml"))
            .replace("test-pki/", Path.of("profiles/test-pki").toAbsolutePath() + "/");
    assertTrue(text.contains(from), from);
    Files.writeString(profile, text.replace(from, to));
    return profile;
  }

  @Test
  @DisplayName("item 4: --scrypt-n over the §18.11 limit or not a power of two: exit 2 at once")
  void scryptCostOnCommandLine() {
    CliRun run = CliRun.of("verifier", "--password", "12345678", "--scrypt-n", "1073741824");
    oneLine(run, 2, "512 MiB", "§18.11", "N = 1073741824");
    run = CliRun.of("verifier", "--password", "12345678", "--scrypt-n", "3");
    oneLine(run, 2, "power of two");
    run = CliRun.of("verifier", "--password", "12345678", "--scrypt-r", "65535");
    oneLine(run, 2, "512 MiB");
  }

  @Test
  @DisplayName("item 4: a test profile whose scrypt cost is over the limit: exit 4 before the run")
  void scryptCostInProfile() throws Exception {
    Path profile = profile("  N: 32768\n", "  N: 4194304\n");
    CliRun run = CliRun.of("pair", "--state-dir", state(), "--profile", profile.toString());
    oneLine(run, 4, profile.toString(), "verifier.N", "512 MiB");
    assertEquals(1, run.err().lines().count(), run.err());
  }

  @Test
  @DisplayName("item 7: a unitless duration on the command line is a usage error with a hint")
  void unitlessDurations() {
    oneLine(CliRun.of("pair", "--timer", "T_Apdu=50"), 2, "write 50ms or 50s");
    oneLine(CliRun.of("pair", "--inject-fault", "delay:200@3"), 2, "write 200ms or 200s");
    oneLine(CliRun.of("pair", "--timer", "T_Apdu=2d"), 2, "not a duration");
    oneLine(CliRun.of("pair", "--timer", "T_Apdu=25h"), 2, "longer than a day");
  }

  @Test
  @DisplayName("item 5: a fault that never fired makes the run ERROR (exit 3), in every report")
  void faultNeverFired() throws Exception {
    Path reports = dir.resolve("evidence");
    CliRun run =
        CliRun.of(
            "pair",
            "--state-dir",
            state(),
            "--inject-fault",
            "tag-lost@999",
            "--report-dir",
            reports.toString());
    assertEquals(3, run.exitCode(), run.out() + run.err());
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile(
                "fault tag-lost@999 never fired: the run had (\\d+) exchanges")
            .matcher(run.out());
    assertTrue(m.find(), run.out());
    String problem = m.group();
    assertTrue(run.out().contains("Verdict: ERROR"), run.out());
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    var report = json.readTree(reports.resolve("report.json").toFile());
    assertEquals("ERROR", report.get("verdict").asText());
    assertEquals(problem, report.get("runProblems").get(0).asText());
    assertTrue(Files.readString(reports.resolve("junit.xml")).contains(problem));
    assertTrue(Files.readString(reports.resolve("report.html")).contains(problem));
    List<String> events = Files.readAllLines(reports.resolve("events.jsonl"));
    assertTrue(events.get(events.size() - 1).contains(problem), events.get(events.size() - 1));

    // A FAIL stays a FAIL, with the note beside it.
    run =
        CliRun.of(
            "pair",
            "--state-dir",
            state(),
            "--device-password",
            "87654321",
            "--inject-fault",
            "flip-byte@999");
    assertEquals(1, run.exitCode(), run.out() + run.err());
    assertTrue(run.out().contains("fault flip-byte@999 never fired"), run.out());
  }

  /** The default profile with K replaced by one the test signs, valid from {@code from}. */
  private Path profileWithK(java.time.Instant from, java.time.Instant to, String extra)
      throws Exception {
    var caKey =
        dev.dkrig.ccc.EcKeyPair.fromPrivate(dev.dkrig.testing.Vectors.hex("key.vehicle_oem_ca.SK"));
    var vehicleKey =
        dev.dkrig.ccc.EcKeyPair.fromPrivate(dev.dkrig.testing.Vectors.hex("key.vehicle.SK"));
    var ca =
        dev.dkrig.ccc.pki.Pem.readCertificate(
            Files.readString(Path.of("profiles/test-pki/vehicle-oem-ca.crt.pem")));
    var k =
        dev.dkrig.ccc.pki.CccCertificateBuilder.vehicle(
                ca, dev.dkrig.iso7816.Hex.decode("444B524947563031"), vehicleKey.publicBytes())
            .serialNumber(java.math.BigInteger.valueOf(0x1234))
            .validity(from, to)
            .sign(caKey);
    Path file = dir.resolve("k.crt.pem");
    Files.writeString(file, dev.dkrig.ccc.pki.Pem.writeCertificate(k));
    Path profile = profile("checkValidity: true", extra);
    String text = Files.readString(profile);
    Files.writeString(
        profile,
        text.replace(
            Path.of("profiles/test-pki/vehicle.crt.pem").toAbsolutePath().toString(),
            file.toString()));
    return profile;
  }

  @Test
  @DisplayName("item 6: an expired or foreign K is exit 4 before the run, naming file and dates")
  void vehicleCertificateBeforeTheRun() throws Exception {
    var from = java.time.Instant.parse("2020-01-01T00:00:00Z");
    var to = java.time.Instant.parse("2021-01-01T00:00:00Z");
    Path profile = profileWithK(from, to, "checkValidity: true");
    CliRun run = CliRun.of("pair", "--state-dir", state(), "--profile", profile.toString());
    oneLine(
        run,
        4,
        profile.toString(),
        "pki.vehicleCertificate",
        "expired",
        "2021-01-01T00:00:00Z",
        "checkValidity: false");
    assertEquals(1, run.err().lines().count(), run.err());

    // On purpose: checkValidity false lets the expired K reach the phone (the virtual device
    // checks validity itself, so P2.4 then FAILs there, which is what such a test wants to see).
    profile = profileWithK(from, to, "checkValidity: false");
    run = CliRun.of("pair", "--state-dir", state(), "--profile", profile.toString());
    assertTrue(run.exitCode() == 0 || run.exitCode() == 1, run.out() + run.err());
    assertFalse(run.err().contains("configuration error"), run.err());

    // Not yet valid at the run's clock: test mode runs at 2026-11-27.
    profile =
        profileWithK(
            java.time.Instant.parse("2026-12-01T00:00:00Z"),
            java.time.Instant.parse("2030-01-01T00:00:00Z"),
            "checkValidity: true");
    run = CliRun.of("pair", "--state-dir", state(), "--test-mode", "--profile", profile.toString());
    oneLine(run, 4, "not yet valid", "2026-12-01T00:00:00Z", "2026-11-27T12:01:00Z");

    // A K another CA signed: no anchor of the profile issued it.
    Path other = profile("checkValidity: true", "checkValidity: true");
    String text = Files.readString(other);
    Files.writeString(
        other,
        text.replace(
            Path.of("profiles/test-pki/vehicle-oem-ca.crt.pem").toAbsolutePath().toString(),
            Path.of("rigs/test-pki/device-oem-ca.crt.pem").toAbsolutePath().toString()));
    run = CliRun.of("pair", "--state-dir", state(), "--profile", other.toString());
    oneLine(run, 4, "pki.vehicleCertificate", "no trust anchor");
  }

  @Test
  @DisplayName("item 8: -q with -v, --color in any case, too-large numbers, --debug once")
  void messages() throws Exception {
    oneLine(CliRun.of("pair", "-q", "-v"), 2, "-q (quiet) and -v (verbose)");
    oneLine(CliRun.of("suite", "suites/conformance.yaml", "-q", "-v"), 2, "-q (quiet) and -v");
    oneLine(CliRun.of("pair", "--inject-fault", "tag-lost@99999999999"), 2, "is too large");
    CliRun bad = CliRun.of("pair", "--inject-fault", "tag-lost@x1");
    oneLine(bad, 2, "is not a whole number");
    CliRun run = CliRun.of("pair", "-q", "--color", "NEVER", "--state-dir", state());
    assertEquals(0, run.exitCode(), run.err());

    // --debug without a trace file: each APDU once on stderr (the trace log, not twice).
    run = CliRun.of("pair", "--debug", "--state-dir", state());
    assertEquals(0, run.exitCode(), run.err());
    long selects = run.err().lines().filter(l -> l.contains(">> 00A40400")).count();
    long selectsInTable = 4;
    assertEquals(selectsInTable, selects, run.err());

    // A trace file that cannot be opened names its option.
    Path notFolder = Files.writeString(dir.resolve("plain-file"), "x");
    run =
        CliRun.of(
            "pair",
            "-q",
            "--state-dir",
            state(),
            "--trace",
            notFolder.resolve("trace.txt").toString());
    assertTrue(run.err().contains("--trace " + notFolder.resolve("trace.txt")), run.err());
  }

  @Test
  @DisplayName("item 8: an internal error of a command without --debug does not suggest it")
  void noDebugAdviceWithoutDebug() throws Exception {
    CommandLineHolder holder = new CommandLineHolder();
    assertFalse(holder.adviceFor("state").contains("--debug"), holder.adviceFor("state"));
    assertTrue(holder.adviceFor("pair").contains("--debug"), holder.adviceFor("pair"));
  }

  /** Provokes a genuine internal error in a command on purpose, to read the advice printed. */
  private static final class CommandLineHolder {
    String adviceFor(String command) throws Exception {
      java.io.StringWriter err = new java.io.StringWriter();
      picocli.CommandLine cli = Main.commandLine(new String[] {command});
      cli.setErr(new java.io.PrintWriter(err, true));
      picocli.CommandLine sub = cli.getSubcommands().get(command);
      int code =
          cli.getExecutionExceptionHandler()
              .handleExecutionException(
                  new IllegalStateException("provoked on purpose"),
                  sub,
                  cli.parseArgs(command, "--help"));
      assertEquals(ExitCodes.INTERNAL, code);
      return err.toString();
    }
  }
}
