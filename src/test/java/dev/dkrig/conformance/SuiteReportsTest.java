package dev.dkrig.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dkrig.bench.ConfigSource;
import dev.dkrig.device.DeviceQuirk;
import dev.dkrig.report.Palette;
import dev.dkrig.report.Preamble;
import dev.dkrig.report.RunMetadata;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The console table, the dkrig-suite/1 JSON and the JUnit XML of a suite run render its results.
 */
class SuiteReportsTest {
  @TempDir Path dir;

  private SuiteOutcome outcome;
  private final RunMetadata meta =
      new RunMetadata(
          "1.2.3",
          "abc",
          Optional.of("Pixel test"),
          RunMetadata.FileRef.of("rigs/virtual.yaml", new byte[] {1}),
          RunMetadata.FileRef.of("profiles/default.yaml", new byte[] {2}),
          "in-memory virtual reader",
          Preamble.none());

  @BeforeEach
  void run() throws Exception {
    Path file = dir.resolve("s.yaml");
    Files.writeString(
        file,
        "suite: two\n"
            + "scenarios:\n"
            + "  - scenario: sm-bad-cmac\n"
            + "  - scenario: spake2-wrong-m1\n"
            + "    repeat: 2\n");
    outcome =
        new SuiteRunner(
                Suite.load(ConfigSource.file(file)),
                new InMemorySuiteBench(
                    dir.resolve("state"), EnumSet.of(DeviceQuirk.ACCEPT_BAD_MAC)),
                Operator.none(),
                SuiteListener.none(),
                1)
            .run();
  }

  @Test
  @DisplayName("JSON dkrig-suite/1: verdict, summary, scenario runs with steps, SWs and APDUs")
  void json() throws Exception {
    Path file = dir.resolve("out/suite.json");
    SuiteJson.write(SuiteJson.render(outcome, meta, List.of("accept-bad-mac")), file);
    JsonNode root = new ObjectMapper().readTree(file.toFile());
    assertEquals("dkrig-suite/1", root.get("schema").asText());
    assertEquals("FAIL", root.get("verdict").asText());
    assertEquals("two", root.get("suite").get("name").asText());
    assertEquals(64, root.get("suite").get("sha256").asText().length());
    assertEquals("Pixel test", root.get("dut").asText());
    assertEquals("accept-bad-mac", root.get("deviceQuirks").get(0).asText());
    assertEquals(3, root.get("summary").get("runs").asInt());
    assertEquals(2, root.get("summary").get("PASS").asInt());
    assertEquals(1, root.get("summary").get("FAIL").asInt());
    JsonNode first = root.get("scenarios").get(0);
    assertEquals("sm-bad-cmac", first.get("label").asText());
    assertEquals("FAIL", first.get("verdict").asText());
    assertTrue(first.get("cause").asText().contains("answered 9000"), first.toString());
    JsonNode deviation = null;
    for (JsonNode step : first.get("steps")) {
      if (step.get("kind").asText().equals("deviation")) {
        deviation = step;
      }
    }
    assertEquals("FAIL", deviation.get("result").asText());
    assertEquals("9000", deviation.get("sw").asText());
    assertEquals(1, deviation.get("apdus").size());
    assertTrue(deviation.get("apdus").get(0).get("c").asText().startsWith("84D40000"));
    JsonNode recovery = first.get("steps").get(first.get("steps").size() - 1);
    assertEquals("recovery", recovery.get("kind").asText());
    assertEquals("P2.1", recovery.get("apdus").get(0).get("substep").asText());
    assertEquals("spake2-wrong-m1 #2", root.get("scenarios").get(2).get("label").asText());
    assertTrue(root.get("scenarios").get(2).get("cause").isNull());
  }

  @Test
  @DisplayName("JUnit XML: one testsuite per scenario run, a failure per FAIL step with evidence")
  void junit() throws Exception {
    Path file = dir.resolve("suite.xml");
    SuiteJunit.write(SuiteJunit.render(outcome, meta, List.of("accept-bad-mac")), file);
    Document xml =
        DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(new ByteArrayInputStream(Files.readAllBytes(file)));
    NodeList suites = xml.getElementsByTagName("testsuite");
    assertEquals(3, suites.getLength());
    Element first = (Element) suites.item(0);
    assertEquals("sm-bad-cmac", first.getAttribute("name"));
    assertEquals("2", first.getAttribute("failures"));
    Element failure = (Element) first.getElementsByTagName("failure").item(0);
    assertTrue(failure.getAttribute("message").contains("expected 6982"));
    assertTrue(failure.getTextContent().contains(">> 84D40000"), failure.getTextContent());
    assertEquals("0", ((Element) suites.item(1)).getAttribute("failures"));
    assertEquals("spake2-wrong-m1 #1", ((Element) suites.item(1)).getAttribute("name"));
  }

  @Test
  @DisplayName("console: a block per run as it ends, then a table and the suite verdict")
  void console() {
    StringWriter text = new StringWriter();
    PrintWriter out = new PrintWriter(text);
    SuiteConsole console =
        new SuiteConsole(out, new PrintWriter(new StringWriter()), Palette.none(), false, false);
    outcome.results().forEach(console::scenarioFinished);
    console.summary(outcome);
    String printed = text.toString();
    assertTrue(
        printed.lines().anyMatch(l -> l.startsWith("sm-bad-cmac") && l.contains("FAIL")), printed);
    assertTrue(
        printed
            .lines()
            .anyMatch(
                l ->
                    l.startsWith(
                        "  deviation FAIL    WRITE DATA with a wrong C-MAC: answered" + " 9000")),
        printed);
    assertTrue(printed.lines().anyMatch(l -> l.matches("spake2-wrong-m1 +2 +2 +0 +0 +")), printed);
    assertTrue(
        printed.contains("Suite two: FAIL (3 scenario run(s): 2 PASS, 1 FAIL, 0 ERROR)"), printed);
  }
}
