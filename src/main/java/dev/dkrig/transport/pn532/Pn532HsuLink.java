package dev.dkrig.transport.pn532;

import dev.dkrig.iso7816.Hex;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's side of the PN532's HSU link protocol (notes §3): the board acknowledges every
 * command, a NACK or a garbled ACK earns one retransmission, a garbled answer one NACK, and the
 * host's ACK aborts the command in progress. Below it, {@link Pn532FrameLink} carries the frames;
 * above it, {@link Pn532UartTransport} decides what to send and what a silence means.
 */
final class Pn532HsuLink {
  // The transport's logger: the link's lines read as the transport's, as before the split.
  private static final Logger LOG = LoggerFactory.getLogger(Pn532UartTransport.class);

  private final Pn532FrameLink link;
  private final Pn532UartSettings settings;

  Pn532HsuLink(Pn532FrameLink link, Pn532UartSettings settings) {
    this.link = Objects.requireNonNull(link, "link");
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  void send(Pn532Frame frame) throws IOException {
    link.send(frame);
  }

  void sendRaw(byte[] bytes, String what) throws IOException {
    link.sendRaw(bytes, what);
  }

  void discardInput() throws IOException {
    link.discardInput();
  }

  void drain(Duration max) {
    link.drain(max);
  }

  void close() {
    link.close();
  }

  /** ACK, or after a NACK (or a garbled ACK) one retransmission and ACK. */
  void awaitAck(Pn532Command command, Pn532Frame.Information frame) throws IOException {
    boolean resent = false;
    long deadline = System.nanoTime() + settings.ackTimeout().toNanos();
    while (true) {
      Optional<Pn532Frame> received;
      String trouble;
      try {
        received = link.receive(deadline);
        if (received.isEmpty()) {
          throw new Pn532Exception(
              Pn532Exception.Reason.BOARD_SILENT,
              "the PN532 on "
                  + settings.port()
                  + " did not acknowledge "
                  + command
                  + " within "
                  + settings.ackTimeout().toMillis()
                  + " ms: is it powered, in HSU mode (both mode switches 0), wired TX to RX and "
                  + "RX to TX, at "
                  + settings.baudRate()
                  + " baud?");
        }
        Pn532Frame got = received.get();
        if (got instanceof Pn532Frame.Ack) {
          return;
        }
        if (got instanceof Pn532Frame.ApplicationError) {
          throw applicationError(command);
        }
        if (got instanceof Pn532Frame.Information stale) {
          // An answer never comes before its ACK: this is a late answer to an aborted command.
          LOG.debug("PN532 on {}: dropping stale frame {}", settings.port(), stale);
          continue;
        }
        trouble = "NACK";
      } catch (Pn532FrameException e) {
        trouble = "a garbled ACK (" + e.getMessage() + ")";
      }
      if (resent) {
        throw new Pn532Exception(
            Pn532Exception.Reason.NACKED,
            "the PN532 on "
                + settings.port()
                + " answered "
                + command
                + " with "
                + trouble
                + " twice: the line garbles what dkrig sends (baud rate, wiring, noise)");
      }
      LOG.debug("PN532 on {}: {} to {}; sending it again", settings.port(), trouble, command);
      resent = true;
      link.send(frame);
      deadline = System.nanoTime() + settings.ackTimeout().toNanos();
    }
  }

  /** The answer to {@code command}, after one NACK for a garbled frame; empty at the deadline. */
  Optional<Pn532Frame.Information> awaitResponse(Pn532Command command, long deadline)
      throws IOException {
    Pn532FrameException garbled = null;
    while (true) {
      Optional<Pn532Frame> received;
      try {
        received = link.receive(deadline);
      } catch (Pn532FrameException e) {
        if (garbled != null) {
          throw new Pn532Exception(
              Pn532Exception.Reason.CORRUPT_FRAME,
              "the PN532 on "
                  + settings.port()
                  + " sent a garbled answer to "
                  + command
                  + " twice ("
                  + garbled.getMessage()
                  + "; after NACK: "
                  + e.getMessage()
                  + ")",
              e);
        }
        garbled = e;
        LOG.debug("PN532 on {}: {} in the answer to {}; NACK", settings.port(), e, command);
        link.send(Pn532Frame.NACK);
        continue;
      }
      if (received.isEmpty()) {
        return Optional.empty();
      }
      Pn532Frame got = received.get();
      if (got instanceof Pn532Frame.Information answer) {
        if (answer.code() != command.responseCode()) {
          throw new Pn532Exception(
              Pn532Exception.Reason.UNEXPECTED_FRAME,
              "the PN532 on "
                  + settings.port()
                  + " answered "
                  + command
                  + " with "
                  + answer
                  + " (expected response code "
                  + Hex.u8(command.responseCode())
                  + ")");
        }
        return Optional.of(answer);
      }
      if (got instanceof Pn532Frame.ApplicationError) {
        throw applicationError(command);
      }
      if (got instanceof Pn532Frame.Nack) {
        throw new Pn532Exception(
            Pn532Exception.Reason.UNEXPECTED_FRAME,
            "the PN532 on " + settings.port() + " sent NACK after acknowledging " + command);
      }
      // A second ACK carries no news.
    }
  }

  /** The host's ACK aborts the command in progress (notes §3). */
  void abort() throws IOException {
    link.send(Pn532Frame.ACK);
  }

  void abortQuietly() {
    try {
      abort();
    } catch (IOException e) {
      LOG.debug("PN532 on {}: abort failed: {}", settings.port(), e.getMessage());
    }
  }

  private Pn532Exception applicationError(Pn532Command command) {
    return new Pn532Exception(
        Pn532Exception.Reason.APPLICATION_ERROR,
        "the PN532 on "
            + settings.port()
            + " answered "
            + command
            + " with its application error frame (it found the command malformed)");
  }
}
