package dev.dkrig.transport.pn532;

import java.io.IOException;
import java.time.Duration;

/**
 * A serial line as the PN532 code needs it: bytes out, bytes in with a bounded wait. The seam
 * between the PN532 protocol and the port library ({@link JSerialCommLink}), so that a test can put
 * anything behind it.
 *
 * <p>A link that fails or reaches end of file throws {@link IOException} from then on: for a PN532
 * host that means the board is gone (a USB-serial adapter unplugged, the pty's other end closed).
 */
public interface SerialLink extends AutoCloseable {

  /** The port as the user named it ({@code /dev/ttyUSB0}, a pty link). */
  String name();

  /**
   * Writes all of {@code bytes}.
   *
   * @throws IOException when the port failed or was closed
   */
  void write(byte[] bytes) throws IOException;

  /**
   * Reads what has arrived, waiting up to {@code timeout} for the first byte.
   *
   * @return the number of bytes read into {@code buffer}, 0 when the wait ended with nothing
   * @throws IOException when the port failed, was closed, or reached end of file
   */
  int read(byte[] buffer, Duration timeout) throws IOException;

  /**
   * Waits until what was written has left (the kernel's output queue is empty), at most {@code
   * max}. Closing a port may discard what is still queued; a caller that must be heard first
   * drains.
   */
  default void drain(Duration max) {}

  /**
   * Changes the line speed of the open port (after a PN532 SetSerialBaudRate and its ACK).
   *
   * @throws IOException when the port refuses the speed
   */
  default void setBaudRate(int baudRate) throws IOException {
    throw new IOException(name() + " cannot change its speed");
  }

  /** Closes the port; harmless when already closed. Never throws. */
  @Override
  void close();

  /** Opens a port by path (the seam a transport uses to reach its board). */
  @FunctionalInterface
  interface Opener {
    /**
     * @throws IOException when the port does not exist or cannot be opened
     */
    SerialLink open(String path, int baudRate) throws IOException;
  }
}
