package dev.dkrig.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dkrig.bench.PairRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Issue 17: a pad's process gets its command line from the typed job, not from the parent's
 * arguments minus a deny-list; parsed again, it asks for the same pairing on the pad's reader.
 */
class PadArgumentsTest {

  private static PairJob parse(List<String> args) {
    CommandLine cli = Main.commandLine(args.toArray(String[]::new));
    CommandLine.ParseResult parsed = cli.parseArgs(args.toArray(String[]::new));
    CommandLine pair = parsed.subcommand().commandSpec().commandLine();
    return ((PairCommand) pair.getCommand()).job();
  }

  @Test
  @DisplayName("every option of the run survives the trip to a pad's command line")
  void padArgumentsRecreateTheJob(@TempDir Path dir) {
    List<String> parent =
        List.of(
            "pair",
            "--rig",
            "rigs/pcsc.yaml",
            "--profile",
            "profiles/default.yaml",
            "-r",
            "vpcd 00 00",
            "-r",
            "vpcd 00 01",
            "--repeat",
            "3",
            "--serial-port",
            "/dev/ttyUSB9",
            "--ble-adapter",
            "hci1",
            "--report-dir",
            dir.resolve("out").toString(),
            "--with-dump",
            "--device-password",
            "87654321",
            "--device-quirk",
            "accept-bad-mac",
            "--vehicle-quirk",
            "no-abort",
            "--vehicle-quirk",
            "poll-past-kts-wait",
            "--timer",
            "T_OwnerPairing=1.5s",
            "--timer",
            "T_Apdu=12.345ms",
            "--no-phase4",
            "--dut",
            "Pixel 9 / build 1234",
            "--state-dir",
            dir.resolve("state").toString(),
            "--test-mode",
            "--inject-fault",
            "delay:200ms@3",
            "--inject-fault",
            "tag-lost@9",
            "--reveal-secrets",
            "--seed",
            "42",
            "--insecure-randomness",
            "--debug",
            "-v",
            "--color",
            "always");
    PairJob job = parse(parent);
    Path padDir = dir.resolve("out").resolve("reader-vpcd-00-01");
    List<String> padArgs = job.padArguments("vpcd 00 01", padDir, true, false, false);
    PairJob pad = parse(padArgs);

    assertEquals(comparable(job.onPad("vpcd 00 01", padArgs)), comparable(pad));
    assertEquals(Optional.of("vpcd 00 01"), pad.request().reader());
    assertEquals(
        java.time.Duration.ofNanos(12_345_000),
        pad.request().timerOverrides().get(dev.dkrig.time.TimerName.T_Apdu));
    assertEquals(2, pad.request().faults().size());
    assertEquals(2, pad.request().vehicleQuirks().size());
    assertEquals(3, pad.repeat());
    assertTrue(pad.revealSecrets() && pad.withDump() && pad.debug() && pad.insecureRandomness());
    assertTrue(padArgs.containsAll(List.of("--report-dir", padDir.toString())), padArgs::toString);
    assertTrue(padArgs.containsAll(List.of("--color", "never", "--quiet")), padArgs::toString);
    assertEquals(1, padArgs.stream().filter(a -> a.equals("--reader")).count(), padArgs::toString);
  }

  @Test
  @DisplayName("without a report folder a pad writes only what the summary reads back")
  void withoutFolderOnlyTheReports(@TempDir Path dir) {
    PairJob job =
        parse(
            List.of(
                "pair",
                "--rig",
                "rigs/pcsc.yaml",
                "--all-readers",
                "--junit",
                "j.xml",
                "-v",
                "--state-dir",
                dir.resolve("state").toString()));
    List<String> padArgs = job.padArguments("ACS ACR122U", dir, false, true, true);
    assertEquals(
        List.of(
            "pair",
            "--rig",
            "rigs/pcsc.yaml",
            "--state-dir",
            dir.resolve("state").toString(),
            "--reader",
            "ACS ACR122U",
            "--json",
            dir.resolve("report.json").toString(),
            "--junit",
            dir.resolve("junit.xml").toString(),
            "--color",
            "never"),
        padArgs);
  }

  /** The job without what may differ: its listener object and its preamble. */
  private static List<Object> comparable(PairJob job) {
    PairRequest r = job.request();
    List<Object> fields = new ArrayList<>();
    fields.add(r.rig());
    fields.add(r.profile());
    fields.add(r.reader());
    fields.add(r.serialPort());
    fields.add(r.bleAdapter());
    fields.add(r.devicePassword());
    fields.add(r.deviceQuirks());
    fields.add(r.vehicleQuirks());
    fields.add(r.timerOverrides());
    fields.add(r.noPhase4());
    fields.add(r.dut());
    fields.add(r.stateDirectory());
    fields.add(r.testMode());
    fields.add(r.seed());
    fields.add(r.dump());
    fields.add(r.faults());
    fields.add(Optional.of(List.of(job.repeat(), job.revealSecrets(), job.insecureRandomness())));
    fields.add(List.of(job.withDump(), job.debug()));
    return fields;
  }
}
