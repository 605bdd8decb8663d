package dev.dkrig.pairing.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The written-out equality of {@link Negotiated} is a record's: every component, nothing more. */
class NegotiatedTest {
  @Test
  void equalWhenEveryComponentIs() {
    Negotiated a = new Negotiated(0x0100, List.of(0x0101, 0x0100));
    Negotiated b = new Negotiated(0x0100, new java.util.ArrayList<>(List.of(0x0101, 0x0100)));
    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
    assertEquals(a, a);
  }

  @Test
  void differentWhenAnyComponentIs() {
    Negotiated a = new Negotiated(0x0100, List.of(0x0101, 0x0100));
    assertNotEquals(a, new Negotiated(0x0101, List.of(0x0101, 0x0100)));
    assertNotEquals(a, new Negotiated(0x0100, List.of(0x0100, 0x0101)));
    assertNotEquals(a, new Negotiated(0x0100, List.of(0x0101)));
    assertNotEquals(a, null);
    assertNotEquals(a, (Object) "Negotiated[spake2Version=256, appletVersions=[257, 256]]");
  }
}
