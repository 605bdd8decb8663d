package dev.dkrig.emulate;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import jdk.net.ExtendedSocketOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * vpcd's frames on the socket: a big-endian u16 length and the payload, each frame written in one
 * piece, {@code TCP_QUICKACK} re-armed around every read, and the link ended with a reset (see the
 * {@linkplain dev.dkrig.emulate package description} for why). One per server; used by its thread.
 */
final class VpcdWire {
  // The server's logger: these lines read as the server's, as before the split.
  private static final Logger LOG = LoggerFactory.getLogger(VpcdCardServer.class);

  // Touched by the server thread only.
  private boolean quickAckSupported = true;

  /** One frame, one write: with TCP_NODELAY it leaves in one segment. */
  static void send(OutputStream out, byte[] payload) throws IOException {
    byte[] frame = new byte[payload.length + 2];
    frame[0] = (byte) (payload.length >>> 8);
    frame[1] = (byte) payload.length;
    System.arraycopy(payload, 0, frame, 2, payload.length);
    out.write(frame);
    out.flush();
  }

  void readFully(Socket connection, InputStream in, byte[] buffer) throws IOException {
    int done = 0;
    while (done < buffer.length) {
      quickAck(connection);
      int n = in.read(buffer, done, buffer.length - done);
      quickAck(connection);
      if (n < 0) {
        throw new EOFException("vpcd closed the connection");
      }
      done += n;
    }
  }

  /** The first frame header; warns once if vpcd says nothing for {@code warnAfter}. */
  void readFirstHeader(
      Socket connection, InputStream in, byte[] header, VpcdEndpoint endpoint, Duration warnAfter)
      throws IOException {
    while (true) {
      try {
        readFully(connection, in, header);
        return;
      } catch (SocketTimeoutException e) {
        LOG.warn(
            "connected to vpcd {} but it has sent nothing for {} s: is another card already in"
                + " that reader slot?",
            endpoint,
            warnAfter.toSeconds());
        connection.setSoTimeout(0);
      }
    }
  }

  /**
   * Reads the buffer full, as {@link #readFully}, but returns false when not one byte arrived
   * within the socket's read timeout; once the first byte is in, it waits for the rest however
   * long.
   */
  boolean readFullyUnlessIdle(Socket connection, InputStream in, byte[] buffer) throws IOException {
    int done = 0;
    while (done < buffer.length) {
      quickAck(connection);
      int n;
      try {
        n = in.read(buffer, done, buffer.length - done);
      } catch (SocketTimeoutException e) {
        if (done == 0) {
          return false;
        }
        continue;
      }
      quickAck(connection);
      if (n < 0) {
        throw new EOFException("vpcd closed the connection");
      }
      done += n;
    }
    return true;
  }

  /** Linux clears TCP_QUICKACK after it sends an ACK, so it is set around every read. */
  void quickAck(Socket connection) {
    if (!quickAckSupported) {
      return;
    }
    try {
      connection.setOption(ExtendedSocketOptions.TCP_QUICKACK, true);
    } catch (UnsupportedOperationException e) {
      quickAckSupported = false;
      LOG.info("TCP_QUICKACK is not supported here: each APDU may take about 45 ms more");
    } catch (IOException e) {
      // The socket is closing; the read that follows reports it.
      LOG.trace("TCP_QUICKACK: {}", e.toString());
    }
  }

  /**
   * Closes with a reset (SO_LINGER 0): vpcd's next write fails at once, and pcscd reports a failed
   * transmit instead of the empty response a plain close would produce.
   */
  static void reset(Socket connection) {
    if (connection == null) {
      return;
    }
    try {
      if (!connection.isClosed()) {
        connection.setSoLinger(true, 0);
      }
    } catch (IOException e) {
      LOG.trace("SO_LINGER: {}", e.toString());
    }
    try {
      connection.close();
    } catch (IOException e) {
      LOG.trace("close: {}", e.toString());
    }
  }
}
