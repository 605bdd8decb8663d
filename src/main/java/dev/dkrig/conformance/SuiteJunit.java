package dev.dkrig.conformance;

import dev.dkrig.pairing.Result;
import dev.dkrig.report.Iso;
import dev.dkrig.report.RunMetadata;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.xml.stream.XMLOutputFactory;
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
    StringWriter text = new StringWriter();
    try {
      XMLStreamWriter xml = XMLOutputFactory.newInstance().createXMLStreamWriter(text);
      xml.writeStartDocument("UTF-8", "1.0");
      xml.writeCharacters("\n");
      xml.writeStartElement("testsuites");
      xml.writeAttribute("name", "dkrig suite " + outcome.suite().name());
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
      xml.writeAttribute("tests", String.valueOf(tests));
      xml.writeAttribute("failures", String.valueOf(failures));
      xml.writeAttribute("errors", String.valueOf(errors));
      xml.writeAttribute("skipped", String.valueOf(skipped));
      for (ScenarioResult r : outcome.results()) {
        suite(xml, r, meta, quirks);
      }
      xml.writeCharacters("\n");
      xml.writeEndElement();
      xml.writeEndDocument();
      xml.close();
    } catch (XMLStreamException e) {
      throw new IllegalStateException(e);
    }
    return dev.dkrig.report.SafeText.document(text + "\n");
  }

  private static void suite(
      XMLStreamWriter xml, ScenarioResult r, RunMetadata meta, List<String> quirks)
      throws XMLStreamException {
    xml.writeCharacters("\n  ");
    xml.writeStartElement("testsuite");
    xml.writeAttribute("name", r.label());
    xml.writeAttribute("tests", String.valueOf(r.steps().size()));
    xml.writeAttribute("failures", String.valueOf(count(r, Result.FAIL)));
    xml.writeAttribute("errors", String.valueOf(count(r, Result.ERROR)));
    xml.writeAttribute("skipped", String.valueOf(count(r, Result.SKIPPED)));
    xml.writeAttribute("time", seconds(r.duration()));
    xml.writeAttribute("timestamp", Iso.format(r.start()).substring(0, 19));
    xml.writeCharacters("\n    ");
    xml.writeStartElement("properties");
    for (Map.Entry<String, String> p : properties(r, meta, quirks).entrySet()) {
      xml.writeCharacters("\n      ");
      xml.writeEmptyElement("property");
      xml.writeAttribute("name", p.getKey());
      xml.writeAttribute("value", p.getValue());
    }
    xml.writeCharacters("\n    ");
    xml.writeEndElement();
    for (ScenarioStep step : r.steps()) {
      xml.writeCharacters("\n    ");
      xml.writeStartElement("testcase");
      xml.writeAttribute("classname", "dkrig.suite." + r.scenario().name());
      xml.writeAttribute("name", step.kind().label() + ": " + step.name());
      xml.writeAttribute("time", seconds(step.duration()));
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
              cdata(
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
    xml.writeStartElement(element);
    xml.writeAttribute("message", step.detail());
    xml.writeAttribute(
        "type", step.result().name() + (step.sw().isPresent() ? " SW " + step.swHex() : ""));
    xml.writeCData(cdata(step.detail() + "\n" + ev));
    xml.writeEndElement();
  }

  private static String evidence(ScenarioStep step, ScenarioResult r) {
    StringBuilder out = new StringBuilder();
    for (Exchange e : r.exchangesOf(step.name())) {
      String prefix = e.substep().isEmpty() ? "" : e.substep() + " ";
      out.append(prefix).append(">> ").append(e.command()).append('\n');
      out.append(prefix)
          .append(e.response() == null ? "<< (none)" : "<< " + e.response())
          .append('\n');
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

  private static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.3f", d.toNanos() / 1e9);
  }

  /** CDATA cannot hold "]]>"; split it. */
  private static String cdata(String text) {
    return text.replace("]]>", "]]]]><![CDATA[>");
  }

  public static void write(String xml, Path file) throws IOException {
    SuiteJson.writeAtomically(xml, file);
  }
}
