package dev.dkrig.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dkrig.testing.StepIds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 9: SIGINT (Ctrl-C) and SIGTERM (a CI job cancelled) in the middle of phase 2, with the
 * packaged tool in its own process. The device takes a minute to create its key, so the run is
 * polling GET DATA 7F26 in P2.5 when the signal comes.
 */
class InterruptIT {
  @TempDir Path dir;

  @ParameterizedTest(
      name = "{0} during P2.5, stdout to a {2}: complete report, verdict ERROR, exit {1}")
  @CsvSource({"INT, 130, file", "TERM, 143, file", "INT, 130, pipe", "TERM, 143, terminal"})
  @DisplayName("a signal mid-run leaves complete evidence and the verdict on stdout")
  void signalMidRun(String signal, int exit, String stdout) throws Exception {
    Path rigs = Path.of("rigs").toAbsolutePath();
    String rig =
        Files.readString(rigs.resolve("virtual.yaml"))
            .replace("device:\n", "device:\n  keyCreationDelay: 60s\n")
            .replace(": ../profiles/", ": " + rigs.getParent().resolve("profiles") + "/")
            .replace(": test-pki/", ": " + rigs.resolve("test-pki") + "/");
    Path rigFile = dir.resolve("slow-key-creation.yaml");
    Files.writeString(rigFile, rig);
    Path reports = dir.resolve("evidence");
    Path out = dir.resolve("out.txt");
    Path err = dir.resolve("err.txt");
    List<String> command = new ArrayList<>();
    // Issue 15: the console keeps its lines whatever stdout is. A pipe is read by cat; a terminal
    // is script(1)'s pseudo-terminal, which copies what dkrig prints (stderr too) to its stdout.
    if (stdout.equals("pipe")) {
      command.addAll(
          List.of("bash", "-c", "set -o pipefail; \"$@\" | cat > '" + out + "'", "bash"));
    }
    // A CI job run in the background (no job control) starts with SIGINT ignored, and an ignored
    // signal stays ignored across exec: give dkrig the default handling, as a terminal would.
    command.add("env");
    command.add("--default-signal=INT");
    command.add(Path.of("dkrig").toAbsolutePath().toString());
    command.addAll(
        List.of(
            "pair",
            "--rig",
            rigFile.toString(),
            "--timer",
            "T_KeyCreation=120s",
            "--report-dir",
            reports.toString(),
            "--with-dump"));
    if (stdout.equals("terminal")) {
      String line = String.join(" ", command.stream().map(a -> "'" + a + "'").toList());
      command = List.of("script", "-qefc", line, "/dev/null");
    }
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("DKRIG_STATE_DIR", dir.resolve("state").toString());
    builder.environment().put("NO_COLOR", "1");
    builder.redirectError(err.toFile());
    if (stdout.equals("pipe")) {
      builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    } else {
      builder.redirectOutput(out.toFile());
    }
    Process pair = builder.start();

    Path events = reports.resolve("events.jsonl");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (!(Files.exists(events) && Files.readString(events).contains("\"step\":\"P2.5\""))) {
      assertTrue(pair.isAlive(), () -> "dkrig ended early: " + read(out) + read(err));
      assertTrue(System.nanoTime() < deadline, "the run never reached P2.5");
      Thread.sleep(100);
    }
    Thread.sleep(300);
    long java =
        Stream.concat(Stream.of(pair.toHandle()), pair.toHandle().descendants())
            .filter(p -> p.info().command().map(c -> c.endsWith("/java")).orElse(false))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no java process under dkrig"))
            .pid();
    new ProcessBuilder("kill", "-" + signal, String.valueOf(java)).inheritIO().start().waitFor();
    assertTrue(pair.waitFor(30, TimeUnit.SECONDS), "dkrig did not stop on SIG" + signal);
    String output = read(out) + read(err);
    assertEquals(exit, pair.exitValue(), output);
    assertTrue(!output.contains("Exception") && !output.contains("\tat "), output);
    // The step lines so far, the rest SKIPPED, and the verdict naming the signal, last.
    List<String> console = read(out).lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    assertTrue(console.stream().anyMatch(l -> l.matches("P2\\.4 .* PASS .*")), output);
    assertTrue(console.stream().anyMatch(l -> l.matches("P2\\.5 .* ERROR .*")), output);
    assertTrue(console.stream().anyMatch(l -> l.matches("P4\\.2\\.3 .* SKIPPED .*")), output);
    String verdict = "Verdict: ERROR (interrupted by SIG" + signal + ")";
    int last = console.size() - 1;
    if (stdout.equals("terminal")) {
      // stderr shares the terminal: its closing note may follow.
      last = console.indexOf(verdict) >= 0 ? console.indexOf(verdict) : last;
    }
    assertEquals(verdict, console.get(last), output);

    JsonNode report = new ObjectMapper().readTree(reports.resolve("report.json").toFile());
    assertEquals("ERROR", report.get("verdict").asText());
    assertEquals(StepIds.catalogue(), StepIds.of(report), "every step has a result");
    JsonNode p25 = stepOf(report, "P2.5");
    assertEquals("ERROR", p25.get("result").asText(), p25.toString());
    assertEquals("SKIPPED", stepOf(report, "P2.6").get("result").asText());
    assertEquals("SKIPPED", stepOf(report, "P4.2.3").get("result").asText());

    // Every file is there and whole: the JUnit XML parses, the events end with the verdict, the
    // capture is read by tshark to its end.
    for (String name :
        List.of(
            "junit.xml",
            "capture.pcapng",
            "trace.txt",
            "events.jsonl",
            "run.dump",
            "report.html")) {
      assertTrue(Files.size(reports.resolve(name)) > 100, name);
    }
    javax.xml.parsers.DocumentBuilderFactory.newInstance()
        .newDocumentBuilder()
        .parse(reports.resolve("junit.xml").toFile());
    List<String> lines = Files.readAllLines(events);
    assertTrue(lines.get(lines.size() - 1).contains("ERROR"), lines.get(lines.size() - 1));
    Process tshark =
        new ProcessBuilder("tshark", "-r", reports.resolve("capture.pcapng").toString())
            .redirectErrorStream(true)
            .start();
    String decoded = new String(tshark.getInputStream().readAllBytes());
    assertTrue(tshark.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, tshark.exitValue(), decoded);
    assertTrue(!decoded.contains("appears to have been cut short"), decoded);
  }

  private static JsonNode stepOf(JsonNode report, String id) {
    for (JsonNode step : report.get("steps")) {
      if (step.get("step").asText().equals(id)) {
        return step;
      }
    }
    throw new AssertionError(id + " not in the report");
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (java.io.IOException e) {
      return "(" + e.getMessage() + ")";
    }
  }
}
