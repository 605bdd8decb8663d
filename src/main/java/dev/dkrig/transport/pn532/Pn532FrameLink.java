package dev.dkrig.transport.pn532;

import dev.dkrig.iso7816.Hex;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PN532 frames over a {@link SerialLink}, for one side of the line: the host ({@link
 * Pn532UartTransport}) or the board ({@code dev.dkrig.emulate.Pn532Emulator}). Frames go out whole
 * in one write; incoming bytes are cut into frames by a {@link Pn532FrameDecoder}. Every wait has a
 * deadline.
 *
 * <p>Not thread-safe: one thread drives one side.
 */
public final class Pn532FrameLink implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Pn532FrameLink.class);

  private final SerialLink link;
  private final Pn532FrameDecoder decoder;
  private final byte[] chunk = new byte[512];
  private final String label;

  /**
   * @param outgoing the direction of the frames this side sends; it reads the other direction
   */
  public Pn532FrameLink(SerialLink link, Pn532Frame.Direction outgoing) {
    this.link = link;
    Pn532Frame.Direction incoming =
        outgoing == Pn532Frame.Direction.HOST_TO_BOARD
            ? Pn532Frame.Direction.BOARD_TO_HOST
            : Pn532Frame.Direction.HOST_TO_BOARD;
    this.decoder = new Pn532FrameDecoder(incoming);
    this.label = outgoing == Pn532Frame.Direction.HOST_TO_BOARD ? "host" : "board";
  }

  public String name() {
    return link.name();
  }

  /** Sends one frame. */
  public void send(Pn532Frame frame) throws IOException {
    sendRaw(frame.bytes(), frame.toString());
  }

  /** Sends bytes as they are: the HSU wake-up, or a frame a test spoiled on purpose. */
  public void sendRaw(byte[] bytes, String what) throws IOException {
    if (LOG.isTraceEnabled()) {
      LOG.trace("PN532 {} {} >> {} ({})", label, link.name(), Hex.encode(bytes), what);
    }
    link.write(bytes);
  }

  /**
   * The next frame from the other side.
   *
   * @param deadline a {@link System#nanoTime()} value
   * @return empty when the deadline passed first
   * @throws Pn532FrameException for a malformed frame (consumed; the next call goes on after it)
   * @throws InterruptedIOException when the thread is interrupted while waiting
   * @throws IOException when the link failed or ended
   */
  public Optional<Pn532Frame> receive(long deadline) throws IOException {
    while (true) {
      Optional<Pn532Frame> frame = decoder.next();
      if (frame.isPresent()) {
        if (LOG.isTraceEnabled()) {
          LOG.trace("PN532 {} {} << {}", label, link.name(), frame.get());
        }
        return frame;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return Optional.empty();
      }
      if (Thread.currentThread().isInterrupted()) {
        throw new InterruptedIOException("interrupted while waiting for a frame on " + name());
      }
      int read = link.read(chunk, Duration.ofNanos(left));
      if (read > 0) {
        decoder.feed(chunk, 0, read);
      }
    }
  }

  /**
   * Drops whatever has arrived and not been read: a late answer to an aborted command must not be
   * taken for the answer to the next one.
   */
  public void discardInput() throws IOException {
    decoder.clear();
    while (link.read(chunk, Duration.ZERO) > 0) {
      // Reading is discarding.
    }
  }

  /** Bytes dropped outside frames so far. */
  public int droppedBytes() {
    return decoder.dropped();
  }

  @Override
  public void close() {
    link.close();
  }

  /** Waits until what was sent has left the port, at most {@code max} (see SerialLink#drain). */
  public void drain(Duration max) {
    link.drain(max);
  }
}
