package dev.dkrig.cli;

import static dev.dkrig.cli.CliRun.oneLine;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A mistake in an option or a file that the run would meet only when it first uses it (the
 * careless-user trial of 2026-12-07): found before the run starts, exit 2 (option) or 4 (file,
 * environment), one line naming it, no P1 step and no report.
 */
class EarlyMistakesTest {
  @TempDir Path dir;

  private String in(String name) {
    return dir.resolve(name).toString();
  }

  /** The run ended {@code exit} with one line naming each needle, ran no step and wrote nothing. */
  private void before(CliRun run, int exit, String... needles) {
    oneLine(run, exit, needles);
    // A usage error adds picocli's "Try 'dkrig pair --help'" hint.
    assertEquals(1, run.err().lines().filter(l -> !l.startsWith("Try 'dkrig ")).count(), run.err());
    assertFalse(run.out().contains("P1.1") || run.err().contains("P1.1"), run.out());
    assertFalse(Files.exists(dir.resolve("r.json")), "no report claims a run");
    assertFalse(Files.exists(dir.resolve("state")), "the state folder is not made");
  }

  /** {@code args} after {@code command}, with a state folder and a JSON report in the folder. */
  private List<String> pair(String... args) {
    List<String> all = new ArrayList<>(List.of("pair", "--state-dir", in("state")));
    all.addAll(List.of(args));
    all.addAll(List.of("--json", in("r.json")));
    return all;
  }

  @Test
  @DisplayName("-r with a name fragment under 3 characters or the number 0: exit 2 when parsed")
  void readerFragmentTooShort() {
    for (String hint : new String[] {"ab", "0", "x"}) {
      before(CliRun.of(pair("-r", hint).toArray(String[]::new)), 2, "--reader", hint);
      before(
          CliRun.of(pair("--rig", "rigs/pcsc.yaml", "-r", hint).toArray(String[]::new)),
          2,
          "--reader");
    }
    before(CliRun.of(pair("-r", "ab").toArray(String[]::new)), 2, "shorter than 3 characters");
    before(CliRun.of(pair("-r", "0").toArray(String[]::new)), 2, "numbered from 1");
    // A second pad's -r too, before any pad starts.
    before(
        CliRun.of(pair("--rig", "rigs/pcsc.yaml", "-r", "ACR", "-r", "ab").toArray(String[]::new)),
        2,
        "'ab' is shorter");
    before(
        CliRun.of("suite", "conformance", "-r", "ab", "--json", in("r.json")),
        2,
        "--reader",
        "'ab'");
    before(CliRun.of("apdu", "--rig", "rigs/pcsc.yaml", "-r", "ab", "00A4040000"), 2, "'ab'");
    before(CliRun.of("doctor", "-r", "ab"), 2, "--reader", "'ab'");
  }

  @Test
  @DisplayName("a PC/SC rig whose reader: is too short: exit 4 naming the rig, before the run")
  void rigReaderTooShort() throws Exception {
    Path rig =
        Files.writeString(dir.resolve("lab.yaml"), "transport: pcsc\nble: off\nreader: AC\n");
    before(
        CliRun.of(pair("--rig", rig.toString()).toArray(String[]::new)),
        4,
        "configuration error: " + rig + ": reader: AC: reader name fragment 'AC' is shorter");
  }

  @Test
  @DisplayName("DKRIG_READER too short: exit 4 naming the variable; -r overrides it")
  void environmentReaderTooShort() {
    StringWriter text = new StringWriter();
    PrintWriter err = new PrintWriter(text, true);
    assertEquals(
        Optional.of(4),
        Preflight.checkReader(
            Optional.of("ACR122"), "lab.yaml", Map.of("DKRIG_READER", "ab"), err));
    assertTrue(
        text.toString().startsWith("dkrig: configuration error: DKRIG_READER=ab: "),
        text.toString());
    assertEquals(
        Optional.empty(),
        Preflight.checkReader(Optional.of("ACR122"), "lab.yaml", Map.of("DKRIG_READER", "3"), err));
    assertEquals(
        Optional.empty(), Preflight.checkReader(Optional.of("ACR"), "lab.yaml", Map.of(), err));
  }

  @Test
  @DisplayName(
      "a serial port that is not there, a folder or a regular file: exit 4 before the run, for"
          + " pair (one run and several), suite, apdu and phone; the file intact")
  void serialPortNoDevice() throws Exception {
    Path file = Files.writeString(dir.resolve("notes.txt"), "keep");
    Path folder = Files.createDirectories(dir.resolve("folder"));
    String[][] ports = {
      {in("ttyNOPE"), "no such file"},
      {folder.toString(), "not a serial device (a pty or a tty) but a folder"},
      {file.toString(), "not a serial device"},
      {"", "empty; give the board's port"},
    };
    for (String[] port : ports) {
      String named = "--serial-port " + port[0] + ": " + port[1];
      before(
          CliRun.of(
              pair("--rig", "rigs/pn532-uart.yaml", "--serial-port", port[0])
                  .toArray(String[]::new)),
          4,
          named);
      before(
          CliRun.of(
              pair("--rig", "rigs/pn532-uart.yaml", "--serial-port", port[0], "--repeat", "2")
                  .toArray(String[]::new)),
          4,
          named);
      before(
          CliRun.of(
              "suite",
              "conformance",
              "--rig",
              "rigs/pn532-uart.yaml",
              "--serial-port",
              port[0],
              "--json",
              in("r.json")),
          4,
          named);
      before(
          CliRun.of(
              "apdu", "--rig", "rigs/pn532-uart.yaml", "--serial-port", port[0], "00A4040000"),
          4,
          named);
      before(
          CliRun.of(
              "phone",
              "--rig",
              "rigs/phone-pn532.yaml",
              "--serial-port",
              port[0],
              "--json",
              in("r.json")),
          4,
          named);
    }
    assertEquals("keep", Files.readString(file));
    assertTrue(Files.isDirectory(folder));
  }

  @Test
  @DisplayName("a rig whose port: is not there: exit 4 naming the rig and its port")
  void rigPortMissing() throws Exception {
    Path rig = dir.resolve("board.yaml");
    Files.writeString(
        rig,
        Files.readString(Path.of("rigs/pn532-uart.yaml"))
            .replace("port: /dev/ttyUSB0", "port: " + in("ttyGONE")));
    before(
        CliRun.of(pair("--rig", rig.toString()).toArray(String[]::new)),
        4,
        rig + ": port: " + in("ttyGONE") + ": no such file",
        "--serial-port PATH overrides");
  }

  @Test
  @DisplayName("a BLE rig whose bleAdapter: is no adapter name: exit 4 naming the rig, before P1")
  void rigBleAdapterName() throws Exception {
    Path rig = dir.resolve("ble.yaml");
    Files.writeString(
        rig,
        Files.readString(Path.of("rigs/virtual-ble.yaml"))
            .replace("bleAdapter: hci0", "bleAdapter: /org/bluez/hci0")
            .replace("../profiles/", Path.of("profiles").toAbsolutePath() + "/")
            .replace(" test-pki/", " " + Path.of("rigs/test-pki").toAbsolutePath() + "/"));
    before(
        CliRun.of(pair("--rig", rig.toString()).toArray(String[]::new)),
        4,
        rig + ": bleAdapter: /org/bluez/hci0: '/org/bluez/hci0' is no BlueZ adapter name");
    before(
        CliRun.of(pair("--rig", rig.toString(), "--repeat", "2").toArray(String[]::new)),
        4,
        "is no BlueZ adapter name");
  }

  @Test
  @DisplayName("--ble-adapter that is no adapter name (a D-Bus path, a space): exit 2 when parsed")
  void bleAdapterName() {
    for (String name : new String[] {"/org/bluez/hci0", "hci 0", ""}) {
      before(
          CliRun.of(pair("--ble-adapter", name).toArray(String[]::new)),
          2,
          "--ble-adapter",
          "is no BlueZ adapter name");
    }
  }
}
