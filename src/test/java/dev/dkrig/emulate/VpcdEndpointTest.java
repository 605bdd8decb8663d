package dev.dkrig.emulate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@code --vpcd [HOST:PORT]}: what is left out is 127.0.0.1 and 35963. */
class VpcdEndpointTest {

  @Test
  @DisplayName("HOST:PORT, HOST, :PORT, [IPv6]:PORT and the empty default")
  void parses() {
    assertEquals(new VpcdEndpoint("127.0.0.1", 35963), VpcdEndpoint.parse(""));
    assertEquals(new VpcdEndpoint("127.0.0.1", 36000), VpcdEndpoint.parse("127.0.0.1:36000"));
    assertEquals(new VpcdEndpoint("bench-pc", 35963), VpcdEndpoint.parse("bench-pc"));
    assertEquals(new VpcdEndpoint("127.0.0.1", 36001), VpcdEndpoint.parse(":36001"));
    assertEquals(new VpcdEndpoint("::1", 36000), VpcdEndpoint.parse("[::1]:36000"));
    assertEquals("[::1]:36000", VpcdEndpoint.parse("[::1]:36000").toString());
    assertEquals("127.0.0.1:35963", VpcdEndpoint.defaultEndpoint().toString());
  }

  @Test
  @DisplayName("A bad port or a bare IPv6 address is refused with the text in the message")
  void refuses() {
    for (String bad : new String[] {"host:port", "host:0", "host:65536", "::1", "[::1", "h:-1"}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> VpcdEndpoint.parse(bad), bad);
      assertEquals(true, e.getMessage().length() > 0, bad);
    }
  }
}
