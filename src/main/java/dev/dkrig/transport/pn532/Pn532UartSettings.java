package dev.dkrig.transport.pn532;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How dkrig drives a PN532 board on a serial line ({@link Pn532UartTransport}): from the rig file
 * ({@code rigs/pn532-uart.yaml}).
 *
 * @param port the serial port's path ({@code /dev/ttyUSB0}, {@code /dev/serial/by-id/…}, a pty
 *     link); never enumerated
 * @param baudRate the line speed; the PN532's HSU starts at 115200, and dkrig moves it to this
 *     speed with SetSerialBaudRate at start-up and back to 115200 when it closes
 * @param ackTimeout how long the board may take to acknowledge a command (UM0701: about 15 ms on
 *     the chip; USB-serial adapters add their latency): after it the board is silent
 * @param commandTimeout how long the board may take to answer a command of its own (all but
 *     InDataExchange) once it acknowledged it
 * @param apduTimeout T_Apdu (§13): from handing the C-APDU to the board to the complete R-APDU
 * @param maxRetries RFConfiguration MaxRetries, finite so that InListPassiveTarget returns
 * @param pollInterval the pause between two InListPassiveTarget rounds (notes §2.4: 100–250 ms)
 * @param fieldOff how long an NFC reset keeps the field off (§3.2: at least 10 ms)
 * @param ecp the Apple ECP frame to send in every polling round, or empty
 */
public record Pn532UartSettings(
    String port,
    int baudRate,
    Duration ackTimeout,
    Duration commandTimeout,
    Duration apduTimeout,
    MaxRetries maxRetries,
    Duration pollInterval,
    Duration fieldOff,
    Optional<EcpFrame> ecp) {

  /** The PN532's HSU default (notes §3). */
  public static final int DEFAULT_BAUD_RATE = SerialBaudRate.POWER_ON;

  /** §3.2. */
  public static final Duration MINIMUM_FIELD_OFF = Duration.ofMillis(10);

  public Pn532UartSettings {
    Objects.requireNonNull(port, "port");
    if (port.isBlank()) {
      throw new IllegalArgumentException("the PN532's serial port path is empty");
    }
    SerialBaudRate.code(baudRate);
    positive(ackTimeout, "ackTimeout");
    positive(commandTimeout, "commandTimeout");
    positive(apduTimeout, "apduTimeout");
    positive(pollInterval, "pollInterval");
    Objects.requireNonNull(maxRetries, "maxRetries");
    Objects.requireNonNull(ecp, "ecp");
    if (fieldOff.compareTo(MINIMUM_FIELD_OFF) < 0) {
      throw new IllegalArgumentException(
          "§3.2 needs the field off for at least 10 ms, not " + fieldOff.toMillis() + " ms");
    }
  }

  /**
   * The defaults for a board on {@code port}: 115200 baud, ACK within 500 ms, board answers within
   * 1 s, MaxRetries {@code 00 01 02}, a poll every 100 ms, the field off for 20 ms in an NFC reset,
   * no ECP.
   *
   * @param apduTimeout T_Apdu (§13), given by whoever builds the transport (the profile's 5 s)
   */
  public static Pn532UartSettings of(String port, Duration apduTimeout) {
    return new Pn532UartSettings(
        port,
        DEFAULT_BAUD_RATE,
        Duration.ofMillis(500),
        Duration.ofSeconds(1),
        apduTimeout,
        MaxRetries.BOUNDED,
        Duration.ofMillis(100),
        Duration.ofMillis(20),
        Optional.empty());
  }

  /** The same settings on another port ({@code --serial-port} over the rig's). */
  public Pn532UartSettings withPort(String value) {
    return new Pn532UartSettings(
        value,
        baudRate,
        ackTimeout,
        commandTimeout,
        apduTimeout,
        maxRetries,
        pollInterval,
        fieldOff,
        ecp);
  }

  public Pn532UartSettings withBaudRate(int value) {
    return new Pn532UartSettings(
        port,
        value,
        ackTimeout,
        commandTimeout,
        apduTimeout,
        maxRetries,
        pollInterval,
        fieldOff,
        ecp);
  }

  /** Both board timeouts: the ACK, and the answer to a command of the board's own. */
  public Pn532UartSettings withBoardTimeouts(Duration ack, Duration command) {
    return new Pn532UartSettings(
        port, baudRate, ack, command, apduTimeout, maxRetries, pollInterval, fieldOff, ecp);
  }

  /** T_Apdu (§13), from the run's timers. */
  public Pn532UartSettings withApduTimeout(Duration value) {
    return new Pn532UartSettings(
        port, baudRate, ackTimeout, commandTimeout, value, maxRetries, pollInterval, fieldOff, ecp);
  }

  public Pn532UartSettings withPolling(MaxRetries retries, Duration interval) {
    return new Pn532UartSettings(
        port, baudRate, ackTimeout, commandTimeout, apduTimeout, retries, interval, fieldOff, ecp);
  }

  public Pn532UartSettings withFieldOff(Duration value) {
    return new Pn532UartSettings(
        port,
        baudRate,
        ackTimeout,
        commandTimeout,
        apduTimeout,
        maxRetries,
        pollInterval,
        value,
        ecp);
  }

  public Pn532UartSettings withEcp(Optional<EcpFrame> value) {
    return new Pn532UartSettings(
        port,
        baudRate,
        ackTimeout,
        commandTimeout,
        apduTimeout,
        maxRetries,
        pollInterval,
        fieldOff,
        value);
  }

  private static void positive(Duration value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, not " + value);
    }
  }
}
