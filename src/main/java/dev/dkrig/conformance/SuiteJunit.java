package dev.dkrig.conformance;

import dev.dkrig.pairing.Result;
import dev.dkrig.report.Iso;
import dev.dkrig.report.JunitXml;
import dev.dkrig.report.RunMetadata;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * {@code --junit FILE} of a suite run, in the Ant/Jenkins JUnit XML format: one {@code testsuite}
 * per scenario run (named by its label), one {@code testcase} per step. FAIL is a {@code failure},
 * ERROR an {@code error}, SKIPPED {@code skipped}, INFO a pass with its note in {@code system-out};
 * the APDUs of a step are its evidence. Properties carry the deviation, the required reaction and
 * the bench.
 */
public final class SuiteJunit {
  private SuiteJunit() {}

  public static String render(SuiteOutcome outcome, RunMetadata meta, List<String> quirks) {
    int tests = 0;
    int failures = 0;
    int errors = 0;
    int skipped = 0;
    for (ScenarioResult r : outcome.results()) {
      tests += r.steps().size();
      failures += count(r, Result.FAIL);
      errors += count(r, Result.ERROR);
      skipped += count(r, Result.SKIPPED);
    }
    return JunitXml.document(
        "dkrig suite " + outcome.suite().name(),
        new JunitXml.Totals(tests, failures, errors, skipped),
        xml -> {
          for (ScenarioResult r : outcome.results()) {
            suite(xml, r, meta, quirks);
          }
        });
  }

  private static void suite(
      XMLStreamWriter xml, ScenarioResult r, RunMetadata meta, List<String> quirks)
      throws XMLStreamException {
    xml.writeCharacters("\n  ");
    xml.writeStartElement("testsuite");
    xml.writeAttribute("name", r.label());
    JunitXml.totals(
        xml,
        new JunitXml.Totals(
            r.steps().size(),
            count(r, Result.FAIL),
            count(r, Result.ERROR),
            count(r, Result.SKIPPED)));
    xml.writeAttribute("time", JunitXml.seconds(r.duration()));
    xml.writeAttribute("timestamp", Iso.format(r.start()).substring(0, 19));
    JunitXml.properties(xml, properties(r, meta, quirks));
    for (ScenarioStep step : r.steps()) {
      xml.writeCharacters("\n    ");
      xml.writeStartElement("testcase");
      xml.writeAttribute("classname", "dkrig.suite." + r.scenario().name());
      xml.writeAttribute("name", step.kind().label() + ": " + step.name());
      xml.writeAttribute("time", JunitXml.seconds(step.duration()));
      String evidence = evidence(step, r);
      switch (step.result()) {
        case FAIL -> problem(xml, "failure", step, evidence);
        case ERROR -> problem(xml, "error", step, evidence);
        case SKIPPED -> {
          xml.writeEmptyElement("skipped");
          xml.writeAttribute("message", step.detail());
        }
        case INFO, PASS -> {
          xml.writeStartElement("system-out");
          xml.writeCData(
              JunitXml.cdata(
                  (step.result() == Result.INFO ? "INFO: " : "")
                      + step.detail()
                      + "\n"
                      + evidence));
          xml.writeEndElement();
        }
      }
      xml.writeEndElement();
    }
    xml.writeCharacters("\n  ");
    xml.writeEndElement();
  }

  private static void problem(XMLStreamWriter xml, String element, ScenarioStep step, String ev)
      throws XMLStreamException {
    JunitXml.problem(
        xml,
        element,
        step.detail(),
        step.result().name() + (step.sw().isPresent() ? " SW " + step.swHex() : ""),
        ev);
  }

  private static String evidence(ScenarioStep step, ScenarioResult r) {
    StringBuilder out = new StringBuilder();
    for (Exchange e : r.exchangesOf(step.name())) {
      JunitXml.apdu(out, e.substep().isEmpty() ? "" : e.substep() + " ", e.command(), e.response());
    }
    return out.toString();
  }

  private static Map<String, String> properties(
      ScenarioResult r, RunMetadata meta, List<String> quirks) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("verdict", r.verdict().name());
    p.put("cause", r.cause().orElse(""));
    p.put("deviation", r.scenario().deviation());
    p.put("requiredReaction", r.scenario().requiredReaction());
    p.put("tool.version", meta.toolVersion());
    p.put("tool.commit", meta.toolCommit());
    p.put("dut", meta.dut().orElse(""));
    p.put("reader", meta.reader());
    p.put("deviceQuirks", String.join(" ", quirks));
    if (meta.rig() != null) {
      p.put("rig.path", meta.rig().path());
      p.put("rig.sha256", meta.rig().sha256());
    }
    if (meta.profile() != null) {
      p.put("profile.path", meta.profile().path());
      p.put("profile.sha256", meta.profile().sha256());
    }
    return p;
  }

  private static int count(ScenarioResult r, Result kind) {
    return (int) r.steps().stream().filter(s -> s.result() == kind).count();
  }

  public static void write(String xml, Path file) throws IOException {
    SuiteJson.writeAtomically(xml, file);
  }
}
