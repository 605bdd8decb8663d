package dev.dkrig.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dkrig.testing.Pcscd;
import dev.dkrig.testing.StepIds;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4 end to end, as a bench user runs it: a real pcscd with the vpcd driver, {@code dkrig
 * emulate --vpcd} serving the virtual device, and {@code dkrig pair --rig rigs/pcsc.yaml} going
 * through javax.smartcardio. This JVM never opens a PC/SC context itself (only its child processes
 * do), so it may stop and start pcscd freely.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PcscBenchIT {
  private static Pcscd pcscd;
  private final List<Process> emulators = new ArrayList<>();
  @TempDir Path dir;
  private String padsMode = "threads";
  private final java.util.Map<String, String> extraEnvironment = new java.util.HashMap<>();

  record Result(int exit, String out, String err) {}

  @BeforeAll
  static void startPcscd() {
    pcscd = Pcscd.standalone().start();
  }

  @AfterAll
  static void stopPcscd() {
    if (pcscd != null && pcscd.isRunning()) {
      pcscd.stop();
    }
  }

  @AfterEach
  void stopEmulators() throws Exception {
    for (Process p : emulators) {
      p.destroy();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
    if (!emulators.isEmpty() && pcscd.isRunning()) {
      // The next test must not find a card pcscd has not yet seen leave.
      Instant deadline = Instant.now().plus(Duration.ofSeconds(15));
      while (dkrig("readers").out().contains("card")) {
        assertTrue(Instant.now().isBefore(deadline), "a card stayed in a reader");
        Thread.sleep(200);
      }
    }
    emulators.clear();
  }

  private Result dkrig(String... args) throws IOException, InterruptedException {
    Process process = start("run", args);
    assertTrue(process.waitFor(120, TimeUnit.SECONDS), "dkrig did not finish");
    return new Result(
        process.exitValue(),
        Files.readString(dir.resolve("run.out"), StandardCharsets.UTF_8),
        Files.readString(dir.resolve("run.err"), StandardCharsets.UTF_8));
  }

  private Process start(String name, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of("dkrig").toAbsolutePath().toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("DKRIG_STATE_DIR", dir.resolve("state").toString());
    builder.environment().put("NO_COLOR", "1");
    builder.environment().remove("DKRIG_READER");
    if (padsMode.equals("processes")) {
      builder.environment().put("DKRIG_PADS", "processes");
    }
    builder.environment().putAll(extraEnvironment);
    builder.redirectOutput(dir.resolve(name + ".out").toFile());
    builder.redirectError(dir.resolve(name + ".err").toFile());
    return builder.start();
  }

  /** Starts the emulator on reader 00 00 and waits until pcscd reports the card. */
  private void emulate(String... extra) throws Exception {
    emulateOn(Pcscd.PORT_0, Pcscd.READER_0, extra);
  }

  private void emulateOn(int port, String reader, String... extra) throws Exception {
    List<String> args = new ArrayList<>(List.of("emulate", "--vpcd", "127.0.0.1:" + port));
    args.addAll(List.of(extra));
    String name = "emulate-" + port;
    emulators.add(start(name, args.toArray(new String[0])));
    Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
    while (Instant.now().isBefore(deadline)) {
      Result readers = dkrig("readers");
      if (readers.out().lines().anyMatch(l -> l.contains(reader) && l.contains("card"))) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError(
        "the emulated card never appeared: " + Files.readString(dir.resolve(name + ".err")));
  }

  @Test
  @Order(1)
  @DisplayName(
      "dkrig readers lists the vpcd readers; -r by index, by fragment; ambiguity lists them")
  void readers() throws Exception {
    Result r = dkrig("readers");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("1  " + Pcscd.READER_0), r.out());
    assertTrue(r.out().contains("2  " + Pcscd.READER_1), r.out());
    Result ambiguous = dkrig("pair", "--rig", "rigs/pcsc.yaml", "-r", "vpcd", "-q");
    assertEquals(3, ambiguous.exit(), ambiguous.out() + ambiguous.err());
    assertTrue(
        ambiguous.out().contains("matches several readers: [1] " + Pcscd.READER_0),
        ambiguous.out());
  }

  @Test
  @Order(2)
  @DisplayName(
      "dkrig pair --rig rigs/pcsc.yaml passes every step through javax.smartcardio against dkrig emulate --vpcd")
  void pairsThroughPcscd() throws Exception {
    emulate();
    Path json = dir.resolve("r.json");
    Result byIndex = dkrig("pair", "--rig", "rigs/pcsc.yaml", "-r", "1", "--json", json.toString());
    assertEquals(0, byIndex.exit(), byIndex.out() + byIndex.err());
    JsonNode report = new ObjectMapper().readTree(json.toFile());
    assertEquals("PASS", report.get("verdict").asText());
    assertEquals(StepIds.catalogue(), StepIds.of(report));
    assertTrue(
        report.get("reader").asText().startsWith(Pcscd.READER_0 + " (ATR 3B80800101"),
        report.get("reader").asText());
    Result byFragment = dkrig("pair", "--rig", "rigs/pcsc.yaml", "-r", "VPCD 00 00", "-q");
    assertEquals(0, byFragment.exit(), byFragment.out() + byFragment.err());
    Result automatic = dkrig("pair", "--rig", "rigs/pcsc.yaml", "-q");
    assertEquals(
        0, automatic.exit(), "the only reader with a card: " + automatic.out() + automatic.err());
  }

  @Test
  @Order(2)
  @DisplayName(
      "issue 14: a dump recorded on the pcsc rig is owner-only, holds no seed, and replays to the"
          + " same result for every step")
  void dumpOnPcscHoldsNoSeed() throws Exception {
    emulate();
    Path dump = dir.resolve("pcsc.dump");
    Result r = dkrig("pair", "--rig", "rigs/pcsc.yaml", "-q", "--dump", dump.toString());
    assertEquals(0, r.exit(), r.out() + r.err());
    List<String> lines = Files.readAllLines(dump);
    assertTrue(lines.stream().noneMatch(l -> l.startsWith("seed ")), "a seed in the dump");
    assertTrue(lines.contains("draws recorded"), "the draws are recorded");
    assertEquals(StepIds.catalogue(), StepIds.firstWords(lines.stream(), "result "));
    assertEquals(
        java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"),
        Files.getPosixFilePermissions(dump));
    Result replay = dkrig("replay", dump.toString());
    assertEquals(0, replay.exit(), replay.out() + replay.err());
  }

  @org.junit.jupiter.params.ParameterizedTest(name = "two pads at once, {0}")
  @org.junit.jupiter.params.provider.ValueSource(strings = {"threads", "processes"})
  @Order(3)
  @DisplayName(
      "two pads at once: -r A -r B pairs on both vpcd readers side by side, a folder each, one summary")
  void twoPads(String mode) throws Exception {
    emulateOn(Pcscd.PORT_0, Pcscd.READER_0);
    emulateOn(Pcscd.PORT_1, Pcscd.READER_1);
    Path reports = dir.resolve("pads-" + mode);
    padsMode = mode;
    Result r =
        dkrig(
            "pair",
            "--rig",
            "rigs/pcsc.yaml",
            "-r",
            Pcscd.READER_0,
            "-r",
            Pcscd.READER_1,
            "--dut",
            "two virtual phones",
            "--report-dir",
            reports.toString(),
            "--with-dump");
    String pad0 = "reader-dkrig-vpcd-00-00";
    assertEquals(
        0,
        r.exit(),
        r.out() + r.err() + Files.readString(reports.resolve(pad0).resolve("trace.txt")));
    String pad1 = "reader-dkrig-vpcd-00-01";
    assertTrue(r.out().contains("[" + pad0 + "] Verdict: PASS"), r.out());
    assertTrue(r.out().contains("[" + pad1 + "] Verdict: PASS"), r.out());
    assertTrue(r.out().contains("Summary: 2 run(s): 2 PASS, 0 FAIL, 0 ERROR"), r.out());
    assertEquals(
        mode.equals("processes"),
        r.err().contains("one process per pad (DKRIG_PADS=processes)"),
        r.err());
    ObjectMapper json = new ObjectMapper();
    JsonNode a = json.readTree(reports.resolve(pad0).resolve("report.json").toFile());
    JsonNode b = json.readTree(reports.resolve(pad1).resolve("report.json").toFile());
    assertTrue(a.get("reader").asText().startsWith(Pcscd.READER_0), a.get("reader").asText());
    assertTrue(b.get("reader").asText().startsWith(Pcscd.READER_1), b.get("reader").asText());
    for (String file : List.of("report.html", "capture.pcapng", "run.dump", "trace.txt")) {
      assertTrue(Files.isRegularFile(reports.resolve(pad0).resolve(file)), file);
      assertTrue(Files.isRegularFile(reports.resolve(pad1).resolve(file)), file);
    }
    // Side by side: each pad's pairing started before the other's ended.
    Instant aStart = Instant.parse(a.get("start").asText());
    Instant aEnd = Instant.parse(a.get("end").asText());
    Instant bStart = Instant.parse(b.get("start").asText());
    Instant bEnd = Instant.parse(b.get("end").asText());
    assertTrue(
        aStart.isBefore(bEnd) && bStart.isBefore(aEnd),
        "runs did not overlap: " + aStart + ".." + aEnd + " and " + bStart + ".." + bEnd);
    JsonNode summary = json.readTree(reports.resolve("summary.json").toFile());
    assertEquals(2, summary.get("runs").asInt());
    assertEquals(2, summary.get("sideBySide").asInt());
    String junit = Files.readString(reports.resolve("junit.xml"));
    assertEquals(84, junit.split("<testcase ", -1).length - 1);
    assertTrue(junit.contains("classname=\"" + pad1 + ".Phase 4\""), junit.substring(0, 400));
  }

  @Test
  @Order(3)
  @DisplayName(
      "two pads without --report-dir: --json and --junit get the summary, the pads' folders go")
  void twoPadsWithoutFolder() throws Exception {
    emulateOn(Pcscd.PORT_0, Pcscd.READER_0);
    emulateOn(Pcscd.PORT_1, Pcscd.READER_1);
    Path tmp = Files.createDirectories(dir.resolve("java-tmp"));
    extraEnvironment.put("DKRIG_JAVA_OPTS", "-Djava.io.tmpdir=" + tmp);
    Path summaryFile = dir.resolve("pads-summary.json");
    Path junitFile = dir.resolve("pads-junit.xml");
    Result r;
    try {
      r =
          dkrig(
              "pair",
              "--rig",
              "rigs/pcsc.yaml",
              "--all-readers",
              "--json",
              summaryFile.toString(),
              "--junit",
              junitFile.toString());
    } finally {
      extraEnvironment.clear();
    }
    assertEquals(0, r.exit(), r.out() + r.err());
    assertTrue(r.out().contains("Summary: 2 run(s): 2 PASS, 0 FAIL, 0 ERROR"), r.out());
    JsonNode summary = new ObjectMapper().readTree(summaryFile.toFile());
    assertEquals(2, summary.get("runs").asInt(), summary.toString());
    String junit = Files.readString(junitFile);
    assertEquals(84, junit.split("<testcase ", -1).length - 1);
    try (java.util.stream.Stream<Path> left = Files.list(tmp)) {
      List<Path> pads =
          left.filter(p -> p.getFileName().toString().startsWith("dkrig-pads-")).toList();
      assertEquals(List.of(), pads, "the pads' temporary folder is deleted");
    }
  }

  @Test
  @Order(4)
  @DisplayName("a device removed mid-run: ERROR at that step (tag lost), report written, exit 3")
  void tagLost() throws Exception {
    emulate("--vanish-after", "12");
    Path json = dir.resolve("lost.json");
    Result r = dkrig("pair", "--rig", "rigs/pcsc.yaml", "--json", json.toString());
    assertEquals(3, r.exit(), r.out() + r.err());
    JsonNode report = new ObjectMapper().readTree(json.toFile());
    assertEquals("ERROR", report.get("verdict").asText());
    JsonNode error = null;
    for (JsonNode step : report.get("steps")) {
      if (step.get("result").asText().equals("ERROR")) {
        error = step;
        break;
      }
    }
    assertTrue(error != null, report.toPrettyString());
    assertEquals("P2.6", error.get("step").asText(), error.toString());
    assertTrue(error.get("detail").asText().contains("tag lost"), error.toString());
  }

  @Test
  @Order(5)
  @DisplayName("no pcscd: one-line cause and exit 3 from pair and doctor")
  void pcscdMissing() throws Exception {
    pcscd.stop();
    Result pair = dkrig("pair", "--rig", "rigs/pcsc.yaml");
    assertEquals(3, pair.exit(), pair.out() + pair.err());
    String p161 = pair.out().lines().filter(l -> l.startsWith("P1.6.1 ")).findFirst().orElseThrow();
    assertTrue(p161.contains("ERROR") && p161.contains("pcscd is not running"), p161);
    Result doctor = dkrig("doctor");
    assertEquals(3, doctor.exit(), doctor.out() + doctor.err());
    assertTrue(doctor.out().contains("problem  pcscd"), doctor.out());
  }
}
