package dev.dkrig.emulate;

/**
 * Where a vpcd reader slot listens: {@code host:port}. pcscd's vpcd driver is the TCP server; the
 * card connects to it. Port 35963 is the first slot of Debian's {@code /etc/reader.conf.d/vpcd}.
 *
 * @param host a host name or IP address (IPv6 without brackets)
 * @param port 1 to 65535
 */
public record VpcdEndpoint(String host, int port) {
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 35963;

  public VpcdEndpoint {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("the vpcd host is empty");
    }
    if (port < 1 || port > 0xFFFF) {
      throw new IllegalArgumentException("the vpcd port must be 1 to 65535, not " + port);
    }
  }

  public static VpcdEndpoint defaultEndpoint() {
    return new VpcdEndpoint(DEFAULT_HOST, DEFAULT_PORT);
  }

  /**
   * Parses {@code HOST:PORT}, {@code HOST}, {@code :PORT} or {@code [IPv6]:PORT}; what is left out
   * is {@value #DEFAULT_HOST} and {@value #DEFAULT_PORT}. An empty text is the default endpoint.
   */
  public static VpcdEndpoint parse(String text) {
    String value = text.trim();
    if (value.isEmpty()) {
      return defaultEndpoint();
    }
    String host;
    String port;
    if (value.startsWith("[")) {
      int close = value.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("'" + text + "': missing ']' after the IPv6 address");
      }
      host = value.substring(1, close);
      String rest = value.substring(close + 1);
      if (!rest.isEmpty() && !rest.startsWith(":")) {
        throw new IllegalArgumentException("'" + text + "': expected [IPv6]:PORT");
      }
      port = rest.isEmpty() ? "" : rest.substring(1);
    } else {
      int colon = value.lastIndexOf(':');
      if (colon >= 0 && value.indexOf(':') != colon) {
        throw new IllegalArgumentException(
            "'" + text + "': write an IPv6 address as [ADDRESS]:PORT");
      }
      host = colon < 0 ? value : value.substring(0, colon);
      port = colon < 0 ? "" : value.substring(colon + 1);
    }
    return new VpcdEndpoint(host.isEmpty() ? DEFAULT_HOST : host, parsePort(port, text));
  }

  private static int parsePort(String port, String text) {
    if (port.isEmpty()) {
      return DEFAULT_PORT;
    }
    if (!port.matches("[0-9]{1,5}")) {
      throw new IllegalArgumentException("'" + text + "': the port must be a number");
    }
    return Integer.parseInt(port);
  }

  /** {@code host:port}, with brackets around an IPv6 address. */
  @Override
  public String toString() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }
}
