package dev.dkrig.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DurationStatsTest {
  private static List<Duration> millis(int... values) {
    List<Duration> out = new ArrayList<>();
    for (int v : values) {
      out.add(Duration.ofMillis(v));
    }
    return out;
  }

  @Test
  void nearestRank() {
    DurationStats s = new DurationStats(millis(15, 20, 35, 40, 50));
    assertEquals(Duration.ofMillis(15), s.percentile(5));
    assertEquals(Duration.ofMillis(20), s.percentile(30));
    assertEquals(Duration.ofMillis(20), s.percentile(40));
    assertEquals(Duration.ofMillis(35), s.median());
    assertEquals(Duration.ofMillis(50), s.percentile(100));
    assertEquals(Duration.ofMillis(50), s.max());
    assertEquals(Duration.ofMillis(15), s.min());
    assertEquals(Duration.ofMillis(160), s.total());
  }

  @Test
  void hundredValues() {
    List<Duration> values = new ArrayList<>();
    for (int i = 100; i >= 1; i--) {
      values.add(Duration.ofMillis(i));
    }
    DurationStats s = new DurationStats(values);
    assertEquals(Duration.ofMillis(50), s.median());
    assertEquals(Duration.ofMillis(99), s.percentile(99));
    assertEquals(Duration.ofMillis(90), s.percentile(90));
  }

  @Test
  void emptyAndBounds() {
    DurationStats s = new DurationStats(List.of());
    assertEquals(Duration.ZERO, s.median());
    assertEquals(0, s.count());
    assertThrows(IllegalArgumentException.class, () -> s.percentile(0));
    assertThrows(IllegalArgumentException.class, () -> s.percentile(101));
  }

  @Test
  void formats() {
    assertEquals(0.215, DurationStats.millis(Duration.ofNanos(214_600)));
    assertEquals("0.215 ms", DurationStats.ms(Duration.ofNanos(214_600)));
  }
}
