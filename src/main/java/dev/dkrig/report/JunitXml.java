package dev.dkrig.report;

import dev.dkrig.io.SafeText;
import dev.dkrig.pairing.PairingOutcome;
import dev.dkrig.pairing.Result;
import dev.dkrig.pairing.StepResult;
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
 * {@code --junit FILE}: the Ant/Jenkins JUnit XML format. One testsuite per run, one testcase per
 * step ({@code classname} = phase, {@code name} = step id and title): FAIL is a {@code failure},
 * ERROR an {@code error}, SKIPPED {@code skipped}, INFO a pass with its note in {@code system-out}.
 * Properties carry the preamble and the digests.
 */
public final class JunitXml {
  private JunitXml() {}

  public static String render(List<PairingOutcome> runs, RunMetadata meta, List<ApduLog> apdus) {
    int tests = 0;
    int failures = 0;
    int errors = 0;
    int skipped = 0;
    for (PairingOutcome run : runs) {
      tests += run.results().size();
      failures += count(run, Result.FAIL);
      errors += count(run, Result.ERROR);
      skipped += count(run, Result.SKIPPED);
    }
    return document(
        "dkrig",
        new Totals(tests, failures, errors, skipped),
        xml -> {
          for (int i = 0; i < runs.size(); i++) {
            suite(xml, runs.get(i), meta, apdus.get(i), runs.size() > 1 ? " #" + (i + 1) : "");
          }
        });
  }

  /** The counts on a {@code testsuites} or {@code testsuite} element. */
  public record Totals(int tests, int failures, int errors, int skipped) {}

  /** What goes inside {@code testsuites}. */
  @FunctionalInterface
  public interface Body {
    void write(XMLStreamWriter xml) throws XMLStreamException;
  }

  /**
   * A JUnit XML document: {@code testsuites} named {@code name} with its totals around {@code
   * body}, neutralised for XML (step details and the DUT label may carry device or command-line
   * text, issue 14). The pairing's and the suite's reports share it.
   */
  public static String document(String name, Totals totals, Body body) {
    StringWriter text = new StringWriter();
    try {
      XMLStreamWriter xml = XMLOutputFactory.newInstance().createXMLStreamWriter(text);
      xml.writeStartDocument("UTF-8", "1.0");
      xml.writeCharacters("\n");
      xml.writeStartElement("testsuites");
      xml.writeAttribute("name", name);
      totals(xml, totals);
      body.write(xml);
      xml.writeCharacters("\n");
      xml.writeEndElement();
      xml.writeEndDocument();
      xml.close();
    } catch (XMLStreamException e) {
      throw new IllegalStateException(e);
    }
    return SafeText.document(text + "\n");
  }

  /** The {@code tests}, {@code failures}, {@code errors} and {@code skipped} attributes. */
  public static void totals(XMLStreamWriter xml, Totals totals) throws XMLStreamException {
    xml.writeAttribute("tests", String.valueOf(totals.tests()));
    xml.writeAttribute("failures", String.valueOf(totals.failures()));
    xml.writeAttribute("errors", String.valueOf(totals.errors()));
    xml.writeAttribute("skipped", String.valueOf(totals.skipped()));
  }

  /** A testsuite's {@code properties}, one per line. */
  public static void properties(XMLStreamWriter xml, Map<String, String> properties)
      throws XMLStreamException {
    xml.writeCharacters("\n    ");
    xml.writeStartElement("properties");
    for (Map.Entry<String, String> p : properties.entrySet()) {
      xml.writeCharacters("\n      ");
      xml.writeEmptyElement("property");
      xml.writeAttribute("name", p.getKey());
      xml.writeAttribute("value", p.getValue());
    }
    xml.writeCharacters("\n    ");
    xml.writeEndElement();
  }

  /** A testcase's {@code failure} or {@code error}, with the evidence as its text. */
  public static void problem(
      XMLStreamWriter xml, String element, String message, String type, String evidence)
      throws XMLStreamException {
    xml.writeStartElement(element);
    xml.writeAttribute("message", message);
    xml.writeAttribute("type", type);
    xml.writeCData(cdata(message + "\n" + evidence));
    xml.writeEndElement();
  }

  private static void suite(
      XMLStreamWriter xml, PairingOutcome run, RunMetadata meta, ApduLog apdus, String suffix)
      throws XMLStreamException {
    xml.writeCharacters("\n  ");
    xml.writeStartElement("testsuite");
    xml.writeAttribute(
        "name",
        "dkrig " + meta.role().command() + meta.dut().map(d -> " " + d).orElse("") + suffix);
    totals(
        xml,
        new Totals(
            run.results().size() + run.runProblems().size(),
            count(run, Result.FAIL),
            count(run, Result.ERROR) + run.runProblems().size(),
            count(run, Result.SKIPPED)));
    xml.writeAttribute("time", seconds(Duration.between(run.start(), run.end())));
    xml.writeAttribute("timestamp", Iso.format(run.start()).substring(0, 19));
    xml.writeAttribute("hostname", hostname());
    properties(xml, properties(run, meta));
    Map<dev.dkrig.pairing.Step, List<ApduLog.Entry>> byStep = apdus.byStep();
    for (StepResult r : run.results()) {
      xml.writeCharacters("\n    ");
      xml.writeStartElement("testcase");
      xml.writeAttribute("classname", "Phase " + r.step().phase());
      xml.writeAttribute("name", r.step().id() + " " + r.step().title());
      xml.writeAttribute("time", seconds(r.duration()));
      String evidence = evidence(r, byStep.getOrDefault(r.step(), List.of()));
      switch (r.result()) {
        case FAIL -> problem(xml, "failure", r, evidence);
        case ERROR -> problem(xml, "error", r, evidence);
        case SKIPPED -> {
          xml.writeEmptyElement("skipped");
          xml.writeAttribute("message", r.detail());
        }
        case INFO, PASS -> {
          if (r.result() == Result.INFO || !evidence.isEmpty()) {
            xml.writeStartElement("system-out");
            xml.writeCData(
                cdata((r.result() == Result.INFO ? "INFO: " : "") + r.detail() + "\n" + evidence));
            xml.writeEndElement();
          }
        }
      }
      xml.writeEndElement();
    }
    // A run-level problem (issue 15) is no step's: it gets a testcase of its own, in error.
    for (String problem : run.runProblems()) {
      xml.writeCharacters("\n    ");
      xml.writeStartElement("testcase");
      xml.writeAttribute("classname", "Run");
      xml.writeAttribute("name", "run");
      xml.writeAttribute("time", "0");
      xml.writeStartElement("error");
      xml.writeAttribute("message", problem);
      xml.writeAttribute("type", "ERROR run");
      xml.writeEndElement();
      xml.writeEndElement();
    }
    xml.writeCharacters("\n  ");
    xml.writeEndElement();
  }

  private static void problem(XMLStreamWriter xml, String element, StepResult r, String evidence)
      throws XMLStreamException {
    problem(
        xml,
        element,
        r.detail(),
        r.result().name()
            + r.abortReason().map(a -> " abort " + r.abortHex() + " " + a.name()).orElse("")
            + r.timer().map(t -> " timer " + t).orElse(""),
        evidence);
  }

  private static String evidence(StepResult r, List<ApduLog.Entry> entries) {
    StringBuilder out = new StringBuilder();
    r.sw().ifPresent(sw -> out.append("SW ").append(r.swHex()).append('\n'));
    for (ApduLog.Entry e : entries) {
      apdu(out, "", e.command(), e.response());
    }
    return out.toString();
  }

  /**
   * One APDU of a testcase's evidence: {@code >> command} and {@code << response}, each line after
   * {@code prefix}; {@code response} null when none came.
   */
  public static void apdu(
      StringBuilder out,
      String prefix,
      dev.dkrig.iso7816.CommandApdu command,
      dev.dkrig.iso7816.ResponseApdu response) {
    out.append(prefix).append(">> ").append(command).append('\n');
    out.append(prefix).append(response == null ? "<< (none)" : "<< " + response).append('\n');
  }

  private static Map<String, String> properties(PairingOutcome run, RunMetadata meta) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("verdict", run.verdict().name());
    p.put("tool.version", meta.toolVersion());
    p.put("tool.commit", meta.toolCommit());
    p.put("tool.jar.sha256", meta.preamble().jarSha256());
    p.put("java", meta.preamble().java());
    p.put("os", meta.preamble().os());
    p.put("command", "dkrig " + meta.preamble().commandLineText());
    p.put("dut", meta.dut().orElse(""));
    p.put("reader", meta.reader());
    if (!meta.vehicleQuirks().isEmpty()) {
      p.put("vehicle.quirks", String.join("; ", meta.vehicleQuirkLines()));
    }
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

  private static int count(PairingOutcome run, Result kind) {
    return (int) run.results().stream().filter(r -> r.result() == kind).count();
  }

  /** A duration in seconds with three decimals, as JUnit XML's {@code time}. */
  public static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.3f", d.toNanos() / 1e9);
  }

  /** CDATA cannot hold "]]>"; split it. */
  public static String cdata(String text) {
    return text.replace("]]>", "]]]]><![CDATA[>");
  }

  private static String hostname() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      return "localhost";
    }
  }

  public static void write(String xml, Path file) throws IOException {
    AtomicFiles.write(file, xml, false);
  }
}
