package dev.dkrig.ble;

import java.util.Optional;

/**
 * The bench could not advertise. P1.6.2 reports it as ERROR (§2: adapter error → ERROR) with {@link
 * #getMessage()}: one line, the problem and then what to do about it.
 */
public class BleException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What went wrong, by name. */
  public enum Kind {
    /** No D-Bus system bus to connect to (no socket, or the address is wrong). */
    NO_SYSTEM_BUS("no D-Bus system bus"),
    /** The bus is there, but nobody owns {@code org.bluez}: bluetoothd is not running. */
    NO_BLUEZ("BlueZ not running"),
    /** No adapter of that name, or no adapter at all. */
    NO_ADAPTER("no Bluetooth adapter"),
    /** The adapter exists but offers no LE advertising or no GATT server. */
    NO_LE_ADVERTISING("no LE advertising"),
    /** The adapter is off and could not be powered on (rfkill, hardware switch). */
    ADAPTER_OFF("adapter powered off"),
    /** BlueZ refused the advertisement or the GATT application. */
    REGISTRATION_REFUSED("registration refused"),
    /** Any other D-Bus failure. */
    BUS_ERROR("D-Bus error");

    private final String label;

    Kind(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  private final Kind kind;
  private final String problem;
  private final Optional<String> fix;

  /**
   * @param problem what is wrong, one line
   * @param fix what the operator should do, one line; may be null
   */
  public BleException(Kind kind, String problem, String fix, Throwable cause) {
    super(oneLine(problem) + (fix == null ? "" : "; " + oneLine(fix)), cause);
    this.kind = kind;
    this.problem = oneLine(problem);
    this.fix = Optional.ofNullable(fix).map(BleException::oneLine);
  }

  public BleException(Kind kind, String problem, String fix) {
    this(kind, problem, fix, null);
  }

  public Kind kind() {
    return kind;
  }

  /** The problem alone, without the fix. */
  public String problem() {
    return problem;
  }

  public Optional<String> fix() {
    return fix;
  }

  /** D-Bus error texts may carry newlines; a step detail is one line. */
  private static String oneLine(String text) {
    return String.valueOf(text).replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
  }
}
