package dev.dkrig.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Issue 15 item 7: a duration carries its unit and stays under a day. */
class DurationsTest {
  @Test
  @DisplayName("units are read; a bare number suggests ms and s")
  void unitRequired() {
    assertEquals(Duration.ofMillis(50), Durations.parse("50ms"));
    assertEquals(Duration.ofMillis(1500), Durations.parse("1.5s"));
    assertEquals(Duration.ofMinutes(10), Durations.parse("10m"));
    assertEquals(Duration.ofHours(24), Durations.parse("24h"));
    String m =
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("50")).getMessage();
    assertTrue(m.contains("50ms") && m.contains("50s") && m.contains("no unit"), m);
  }

  @Test
  @DisplayName("over a day is refused, not capped")
  void overADay() {
    String m =
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("25h")).getMessage();
    assertTrue(m.contains("longer than a day"), m);
    assertThrows(IllegalArgumentException.class, () -> Durations.parse("99999999999s"));
  }
}
