package dev.dkrig.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Issue 17 item 3: what {@code dkrig suite --report-dir D} leaves beside {@code suite.json} for
 * each scenario run, read back by a user's tools: {@code D/NAME/trace.txt}, {@code capture.pcapng}
 * (the real tshark decodes it) and {@code events.jsonl}, each holding exactly the APDUs {@code
 * suite.json} lists for that scenario, in order.
 */
final class SuiteEvidenceCheck {
  private SuiteEvidenceCheck() {}

  /** Checks every scenario of {@code D/suite.json}; returns how many it checked. */
  static int check(Path reportDir, Path scratch) throws Exception {
    ObjectMapper json = new ObjectMapper();
    JsonNode suite = json.readTree(reportDir.resolve("suite.json").toFile());
    int checked = 0;
    for (JsonNode scenario : suite.get("scenarios")) {
      String label = scenario.get("label").asText();
      Path folder = reportDir.resolve(label.replace(" #", "."));
      List<String[]> apdus = new ArrayList<>();
      for (JsonNode step : scenario.get("steps")) {
        for (JsonNode apdu : step.path("apdus")) {
          apdus.add(new String[] {apdu.get("c").asText(), apdu.path("r").asText("")});
        }
      }
      assertTrue(!apdus.isEmpty(), label + ": the scenario exchanged APDUs");

      List<String> sent =
          Files.readAllLines(folder.resolve("trace.txt"), StandardCharsets.UTF_8).stream()
              .filter(l -> l.matches("\\S+ s\\d+ +>> .*"))
              .map(l -> l.substring(l.indexOf(">> ") + 3).replace(" ", ""))
              .toList();
      assertEquals(
          apdus.stream().map(a -> a[0]).toList(), sent, label + ": trace.txt holds its APDUs");

      List<Tshark.Frame> frames = Tshark.frames(folder.resolve("capture.pcapng"), scratch);
      assertEquals(2 * apdus.size(), frames.size(), label + ": one command and one response each");
      for (int i = 0; i < apdus.size(); i++) {
        String command = apdus.get(i)[0];
        String response = apdus.get(i)[1];
        Tshark.Frame c = frames.get(2 * i);
        Tshark.Frame r = frames.get(2 * i + 1);
        String where = label + " APDU " + (i + 1) + " " + command.substring(0, 8);
        assertEquals("0xfa", c.event(), where);
        assertEquals(
            Integer.parseInt(command.substring(0, 2), 16), Integer.decode(c.cla()), where + " CLA");
        assertTrue(c.comment().matches("s\\d+ .*"), where + ": " + c.comment());
        assertEquals("0xfb", r.event(), where);
        String sw = response.substring(response.length() - 4);
        assertTrue(r.comment().contains(" -> " + sw), where + ": " + r.comment());
        // Wireshark decodes the status word of an answer the capture holds as one I-block of at
        // most 254 bytes (PCB + 253), and takes an answer that starts with 3B or 3F for an ATR;
        // those answers (a 256-byte GET RESPONSE piece through PC/SC, random data that happens to
        // start so) are in the file with their status word in the comment only.
        if (response.length() / 2 <= 253
            && !response.startsWith("3B")
            && !response.startsWith("3F")) {
          assertEquals(sw, r.sw(), where + " SW");
        }
      }

      List<String> events = Files.readAllLines(folder.resolve("events.jsonl"));
      assertEquals("Preamble", json.readTree(events.get(0)).get("event").asText(), label);
      JsonNode last = json.readTree(events.get(events.size() - 1));
      assertEquals("Verdict", last.get("event").asText(), label);
      assertEquals(scenario.get("verdict").asText(), last.get("verdict").asText(), label);
      checked++;
    }
    return checked;
  }
}
