package dev.dkrig.transport.pn532;

import com.fazecast.jSerialComm.SerialPort;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A {@link SerialLink} on jSerialComm: an explicit port path at the given baud rate, 8N1, no flow
 * control (the PN532's HSU default is 115200 8N1, notes §3).
 *
 * <p>Notes §3 [verified on a socat pty with jSerialComm 2.11.2]: ptys are not enumerated, so the
 * path is always explicit (symlinks work); {@code openPort} leaves error code 25 (ENOTTY, an ioctl
 * a pty does not support), which is harmless; a pty keeps the speed it is set to (termios) but
 * carries bytes at any speed; the native library is unpacked under {@code /tmp/jSerialComm}, so
 * {@code /tmp} must be writable and executable.
 *
 * <p>Reads wait in short semi-blocking slices, so a bounded wait never overshoots by more than one
 * slice and a closed port is noticed within one slice. A read that fails (EIO when the other end of
 * a pty disappears, an unplugged adapter) is end of link.
 */
public final class JSerialCommLink implements SerialLink {
  private static final int SLICE_MILLIS = 20;
  private static final int WRITE_TIMEOUT_MILLIS = 1000;

  private final String name;
  private final SerialPort port;
  private volatile boolean closed;

  private JSerialCommLink(String name, SerialPort port) {
    this.name = name;
    this.port = port;
  }

  /**
   * Opens {@code path} at {@code baudRate} 8N1.
   *
   * @throws NoSuchFileException when the path does not exist
   * @throws IOException when the port cannot be opened (busy, no permission)
   */
  public static JSerialCommLink open(String path, int baudRate) throws IOException {
    if (!Files.exists(Path.of(path))) {
      throw new NoSuchFileException(path, null, "no such serial port");
    }
    SerialPort port = SerialPort.getCommPort(path);
    port.setComPortParameters(baudRate, 8, SerialPort.ONE_STOP_BIT, SerialPort.NO_PARITY);
    port.setFlowControl(SerialPort.FLOW_CONTROL_DISABLED);
    port.setComPortTimeouts(
        SerialPort.TIMEOUT_READ_SEMI_BLOCKING | SerialPort.TIMEOUT_WRITE_BLOCKING,
        SLICE_MILLIS,
        WRITE_TIMEOUT_MILLIS);
    if (!port.openPort()) {
      throw new IOException(
          "cannot open serial port "
              + path
              + " (error "
              + port.getLastErrorCode()
              + "): is it in use by another program (ModemManager, a second dkrig), and may this "
              + "user open it (group dialout)?");
    }
    return new JSerialCommLink(path, port);
  }

  /** The device behind the path ({@code /dev/pts/3} for a pty link). */
  public String systemPath() {
    return port.getSystemPortPath();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void write(byte[] bytes) throws IOException {
    requireOpen();
    int written = port.writeBytes(bytes, bytes.length);
    if (written != bytes.length) {
      throw new IOException(
          "serial port "
              + name
              + ": wrote "
              + written
              + " of "
              + bytes.length
              + " bytes (error "
              + port.getLastErrorCode()
              + ")");
    }
  }

  @Override
  public void setBaudRate(int baudRate) throws IOException {
    requireOpen();
    if (!port.setBaudRate(baudRate)) {
      throw new IOException(
          "serial port "
              + name
              + " refused "
              + baudRate
              + " baud (error "
              + port.getLastErrorCode()
              + ")");
    }
  }

  @Override
  public void drain(Duration max) {
    long deadline = System.nanoTime() + max.toNanos();
    while (port.isOpen() && port.bytesAwaitingWrite() > 0 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  @Override
  public int read(byte[] buffer, Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      requireOpen();
      int available = port.bytesAvailable();
      if (available < 0) {
        throw gone();
      }
      if (available > 0) {
        return checked(port.readBytes(buffer, Math.min(available, buffer.length)));
      }
      if (System.nanoTime() >= deadline) {
        return 0;
      }
      int read = checked(port.readBytes(buffer, buffer.length));
      if (read > 0) {
        return read;
      }
    }
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      port.closePort();
    }
  }

  @Override
  public String toString() {
    return "serial port " + name;
  }

  private int checked(int read) throws IOException {
    if (read < 0) {
      throw gone();
    }
    return read;
  }

  private IOException gone() {
    return new IOException(
        "serial port "
            + name
            + " failed (error "
            + port.getLastErrorCode()
            + "): the device was unplugged or its other end closed");
  }

  private void requireOpen() throws IOException {
    if (closed) {
      throw new IOException("serial port " + name + " is closed");
    }
  }
}
