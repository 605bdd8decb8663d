package dev.dkrig.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7 with the packaged tool and the real Wireshark: {@code ./dkrig pair --report-dir D}, then
 * {@code tshark -r D/capture.pcapng -d iso14443.subdissector,iso7816} must decode every APDU the
 * JSON report lists, command and response, with the same status word.
 */
class EvidenceIT {
  @TempDir Path dir;

  record Result(int exit, String out, String err) {}

  private Result run(Path cwd, List<String> command) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).directory(cwd.toFile());
    builder.environment().put("DKRIG_STATE_DIR", dir.resolve("state").toString());
    builder.environment().put("NO_COLOR", "1");
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    builder.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process process = builder.start();
    assertTrue(process.waitFor(120, TimeUnit.SECONDS), command + " did not finish");
    return new Result(
        process.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  private Result dkrig(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of("dkrig").toAbsolutePath().toString());
    command.addAll(List.of(args));
    return run(Path.of("").toAbsolutePath(), command);
  }

  private List<Tshark.Frame> tshark(Path capture) throws Exception {
    return Tshark.frames(capture, dir);
  }

  @Test
  @DisplayName("tshark decodes every APDU of the capture with its status word (T1 run and a fail)")
  void tsharkDecodesEveryApdu() throws Exception {
    Path pass = dir.resolve("pass");
    Result ok = dkrig("pair", "-q", "--test-mode", "--report-dir", pass.toString(), "--with-dump");
    assertEquals(0, ok.exit(), ok.out() + ok.err());
    Set<String> names = checkCapture(pass);
    // Every command type of the contract's owner pairing (§3, §9) is in the capture, named.
    assertEquals(
        new LinkedHashSet<>(
            List.of(
                "SELECT",
                "SPAKE2+ REQUEST",
                "SPAKE2+ VERIFY",
                "WRITE DATA",
                "OP CONTROL FLOW",
                "GET DATA",
                "GET RESPONSE",
                "AUTH0",
                "AUTH1",
                "CONTROL FLOW",
                "EXCHANGE")),
        names);

    Path fail = dir.resolve("fail");
    Result bad =
        dkrig(
            "pair",
            "-q",
            "--seed",
            "9",
            "--device-password",
            "87654321",
            "--report-dir",
            fail.toString(),
            "--with-dump");
    assertEquals(1, bad.exit(), bad.out() + bad.err());
    checkCapture(fail);

    Result replay = dkrig("replay", pass.resolve("run.dump").toString());
    assertEquals(0, replay.exit(), replay.out() + replay.err());
    assertTrue(replay.out().contains("Replay identical"), replay.out());
  }

  /** Checks the capture against the JSON report's APDUs; returns the command names seen. */
  private Set<String> checkCapture(Path reportDir) throws Exception {
    JsonNode report = new ObjectMapper().readTree(reportDir.resolve("report.json").toFile());
    List<String[]> expected = new ArrayList<>(); // step, command hex, response hex
    for (JsonNode step : report.get("steps")) {
      if (step.has("apdus")) {
        for (JsonNode apdu : step.get("apdus")) {
          expected.add(
              new String[] {
                step.get("step").asText(), apdu.get("c").asText(), apdu.get("r").asText()
              });
        }
      }
    }
    assertTrue(expected.size() >= 3, "the run exchanged APDUs");
    List<Tshark.Frame> frames = tshark(reportDir.resolve("capture.pcapng"));
    assertEquals(2 * expected.size(), frames.size(), "one command and one response per APDU");
    Set<String> names = new LinkedHashSet<>();
    for (int i = 0; i < expected.size(); i++) {
      String step = expected.get(i)[0];
      String command = expected.get(i)[1];
      String response = expected.get(i)[2];
      Tshark.Frame c = frames.get(2 * i);
      Tshark.Frame r = frames.get(2 * i + 1);
      String where = step + " APDU " + (i + 1) + " " + command.substring(0, 8);
      assertEquals("0xfa", c.event(), where);
      assertEquals(
          Integer.parseInt(command.substring(0, 2), 16), Integer.decode(c.cla()), where + " CLA");
      if (command.startsWith("00")) {
        assertEquals(
            Integer.parseInt(command.substring(2, 4), 16), Integer.decode(c.ins()), where + " INS");
      }
      assertTrue(c.comment().startsWith(step + " "), where + ": " + c.comment());
      String name = c.comment().substring(step.length() + 1, c.comment().lastIndexOf(" (")).trim();
      names.add(name);
      assertEquals("0xfb", r.event(), where);
      assertEquals(String.valueOf(c.number()), r.respTo(), where + ": response linked");
      assertEquals(response.substring(response.length() - 4), r.sw(), where + " SW");
      assertTrue(
          r.comment().contains(" -> " + response.substring(response.length() - 4)),
          where + ": " + r.comment());
    }
    // Step boundaries are comments on interface 1, timestamped within the run.
    Result comments =
        run(
            dir,
            List.of(
                "tshark",
                "-r",
                reportDir.resolve("capture.pcapng").toString(),
                "-Y",
                "frame.interface_id == 1",
                "-T",
                "fields",
                "-E",
                "separator=|",
                "-e",
                "frame.time_epoch",
                "-e",
                "frame.comment"));
    assertEquals(0, comments.exit(), comments.err());
    Instant start = Instant.parse(report.get("start").asText());
    Instant end = Instant.parse(report.get("end").asText());
    long begins = 0;
    for (String line : comments.out().lines().toList()) {
      String[] f = line.split("\\|", 2);
      double epoch = Double.parseDouble(f[0]);
      assertTrue(
          epoch >= start.getEpochSecond() - 1 && epoch <= end.getEpochSecond() + 1,
          "absolute timestamp " + f[0] + " outside the run " + start + " .. " + end);
      if (f[1].startsWith("step ") && f[1].contains(" begins: ")) {
        begins++;
      }
    }
    assertTrue(begins >= 10, "step boundaries in the capture: " + begins);
    return names;
  }
}
