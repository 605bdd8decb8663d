package dev.dkrig.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dkrig.pairing.Step;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ConsoleProgressTest {
  @Test
  @DisplayName("a status line never wraps on a narrow terminal: auto-wrap off while it is printed")
  void statusLinesAreClippedNotWrapped() {
    StringWriter text = new StringWriter();
    ConsoleProgress progress = new ConsoleProgress(new PrintWriter(text), true, 0, false);
    Instant now = Instant.parse("2026-12-07T12:00:00Z");
    progress.stepStarted(Step.P2_4_2_1, now);
    progress.waiting(Step.P2_1, "put the phone on the pad", now.plusSeconds(90));
    String[] shown = text.toString().split("\r", -1);
    assertEquals(3, shown.length, text.toString());
    for (String line : new String[] {shown[1], shown[2]}) {
      assertTrue(line.startsWith("\u001B[K" + ConsoleProgress.NO_WRAP), line);
      assertTrue(line.endsWith(ConsoleProgress.WRAP), line);
    }
    assertTrue(shown[2].contains("P2.1 waiting: put the phone on the pad"), shown[2]);
  }
}
