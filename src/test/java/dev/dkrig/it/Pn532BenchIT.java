package dev.dkrig.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dkrig.testing.SocatPty;
import dev.dkrig.testing.StepIds;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6 end to end, as a bench user runs it: a socat pty pair, {@code dkrig emulate --pn532-uart}
 * on one end, {@code dkrig pair --rig rigs/pn532-uart.yaml --serial-port} on the other.
 */
class Pn532BenchIT {
  @TempDir Path dir;
  private SocatPty pty;
  private Process emulator;

  @AfterEach
  void stop() throws InterruptedException {
    if (emulator != null) {
      emulator.destroy();
      if (!emulator.waitFor(10, TimeUnit.SECONDS)) {
        emulator.destroyForcibly();
      }
    }
    if (pty != null) {
      pty.close();
    }
  }

  private Process start(String name, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of("dkrig").toAbsolutePath().toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("DKRIG_STATE_DIR", dir.resolve("state").toString());
    builder.environment().put("NO_COLOR", "1");
    builder.redirectOutput(dir.resolve(name + ".out").toFile());
    builder.redirectError(dir.resolve(name + ".err").toFile());
    return builder.start();
  }

  @Test
  @DisplayName("dkrig pair over a socat pty against dkrig emulate --pn532-uart passes every step")
  void pairsOverSerial() throws Exception {
    pairsAgainst(Path.of("rigs/pn532-uart.yaml"));
  }

  @Test
  @DisplayName("issue 16: a board with automatic RATS off (--pn532-quirk no-auto-rats) pairs")
  void automaticRatsOff() throws Exception {
    pairsAgainst(Path.of("rigs/pn532-uart.yaml"), "--pn532-quirk", "no-auto-rats");
  }

  @Test
  @DisplayName("issue 16: baudRate 230400 against a board reachable only at 230400 pairs")
  void anotherSpeed() throws Exception {
    Path rig = dir.resolve("pn532-230400.yaml");
    Files.writeString(
        rig,
        Files.readString(Path.of("rigs/pn532-uart.yaml"))
            .replace("baudRate: 115200", "baudRate: 230400"));
    pairsAgainst(rig, "--pn532-quirk", "baud-230400");
  }

  @Test
  @DisplayName("issue 16: a speed the PN532 does not know is refused before the run: exit 4")
  void unknownSpeed() throws Exception {
    Path rig = dir.resolve("pn532-250000.yaml");
    Files.writeString(
        rig,
        Files.readString(Path.of("rigs/pn532-uart.yaml"))
            .replace("baudRate: 115200", "baudRate: 250000"));
    Process pair = start("pair", "pair", "--rig", rig.toString());
    assertTrue(pair.waitFor(60, TimeUnit.SECONDS));
    String err = Files.readString(dir.resolve("pair.err"), StandardCharsets.UTF_8);
    assertEquals(4, pair.exitValue(), err);
    assertTrue(err.contains("250000"), err);
  }

  private void awaitServing() throws Exception {
    Path out = dir.resolve("emulate.out");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!(Files.exists(out) && Files.readString(out).contains("dkrig emulate: serving"))) {
      assertTrue(emulator.isAlive(), () -> "emulate ended: " + read("emulate.err"));
      assertTrue(System.nanoTime() < deadline, "emulate never said it was serving");
      Thread.sleep(50);
    }
  }

  private String read(String name) {
    try {
      return Files.readString(dir.resolve(name), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return e.toString();
    }
  }

  private void pairsAgainst(Path rig, String... quirks) throws Exception {
    pty = SocatPty.start(dir.resolve("pty"));
    List<String> emulate =
        new ArrayList<>(List.of("emulate", "--pn532-uart", pty.device().toString()));
    emulate.addAll(List.of(quirks));
    emulator = start("emulate", emulate.toArray(String[]::new));
    // As a user does (README: emulate ... &, then pair): the board answers once emulate says so. A
    // pair started at the same moment can reach SAMConfiguration before the emulator's JVM is up.
    awaitServing();
    Path json = dir.resolve("r.json");
    Process pair =
        start(
            "pair",
            "pair",
            "--rig",
            rig.toString(),
            "--serial-port",
            pty.host().toString(),
            "--json",
            json.toString());
    assertTrue(pair.waitFor(120, TimeUnit.SECONDS));
    String out = Files.readString(dir.resolve("pair.out"), StandardCharsets.UTF_8);
    String err = Files.readString(dir.resolve("pair.err"), StandardCharsets.UTF_8);
    assertEquals(0, pair.exitValue(), out + err + Files.readString(dir.resolve("emulate.err")));
    JsonNode report = new ObjectMapper().readTree(json.toFile());
    assertEquals("PASS", report.get("verdict").asText());
    assertEquals(StepIds.catalogue(), StepIds.of(report));
    assertTrue(report.get("reader").asText().contains("PN532"), report.get("reader").asText());
  }

  @Test
  @DisplayName("a missing serial port: exit 4 before the run, one line naming the port, no step")
  void missingPort() throws Exception {
    Process pair =
        start(
            "pair",
            "pair",
            "--rig",
            "rigs/pn532-uart.yaml",
            "--serial-port",
            dir.resolve("nope").toString());
    assertTrue(pair.waitFor(60, TimeUnit.SECONDS));
    String out = Files.readString(dir.resolve("pair.out"), StandardCharsets.UTF_8);
    String err = Files.readString(dir.resolve("pair.err"), StandardCharsets.UTF_8);
    assertEquals(4, pair.exitValue(), out + err);
    assertEquals("", out, "no step runs");
    assertEquals(
        List.of("dkrig: --serial-port " + dir.resolve("nope") + ": no such file"),
        err.lines().map(l -> l.replaceFirst(" \\(plug .*", "")).toList(),
        err);
  }
}
