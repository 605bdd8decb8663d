package dev.dkrig.emulate;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * vpcd's side of the wire, for tests without pcscd: a TCP server on loopback that accepts the card
 * and speaks the frames vpcd speaks (u16 length, payload; one byte is a control byte).
 */
final class FakeVpcd implements AutoCloseable {
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(5);

  private final ServerSocket server;
  private Socket card;
  private DataInputStream in;
  private DataOutputStream out;

  private FakeVpcd(ServerSocket server) {
    this.server = server;
  }

  /** Listens on {@code port} of 127.0.0.1 (0: any free port). */
  static FakeVpcd listen(int port) throws IOException {
    ServerSocket server = new ServerSocket();
    server.setReuseAddress(true);
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
    return new FakeVpcd(server);
  }

  /** A port nothing listens on right now (bound once, then released). */
  static int freePort() throws IOException {
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return probe.getLocalPort();
    }
  }

  int port() {
    return server.getLocalPort();
  }

  /** Accepts the card; fails if it does not connect within {@code timeout}. */
  void accept(Duration timeout) throws IOException {
    if (!acceptsWithin(timeout)) {
      throw new AssertionError("the card did not connect within " + timeout.toMillis() + " ms");
    }
  }

  /** Whether the card connects within {@code timeout}. */
  boolean acceptsWithin(Duration timeout) throws IOException {
    server.setSoTimeout((int) timeout.toMillis());
    try {
      card = server.accept();
    } catch (SocketTimeoutException e) {
      return false;
    }
    card.setTcpNoDelay(true);
    card.setSoTimeout((int) READ_TIMEOUT.toMillis());
    in = new DataInputStream(card.getInputStream());
    out = new DataOutputStream(card.getOutputStream());
    return true;
  }

  void control(int code) throws IOException {
    send(new byte[] {(byte) code});
  }

  /** Asks for the ATR ({@code 04}) and returns it. */
  byte[] atr() throws IOException {
    control(VpcdCardServer.GET_ATR);
    return receive();
  }

  /** Sends a command APDU and returns the card's frame. */
  byte[] transmit(byte[] command) throws IOException {
    send(command);
    return receive();
  }

  void send(byte[] payload) throws IOException {
    out.writeShort(payload.length);
    out.write(payload);
    out.flush();
  }

  byte[] receive() throws IOException {
    byte[] frame = new byte[in.readUnsignedShort()];
    in.readFully(frame);
    return frame;
  }

  /**
   * Waits for the card to end the connection without sending anything more.
   *
   * @throws AssertionError if it sends a byte, or keeps the connection up past {@code timeout}
   */
  void awaitCardGone(Duration timeout) throws IOException {
    card.setSoTimeout((int) timeout.toMillis());
    try {
      int next = in.read();
      if (next >= 0) {
        throw new AssertionError("the card sent a byte instead of leaving: " + next);
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the card still connected after " + timeout.toMillis() + " ms");
    } catch (EOFException | SocketException e) {
      // A reset: the card left.
    } finally {
      dropCard();
    }
  }

  /** Closes the card's connection, as vpcd does when pcscd stops. */
  void dropCard() throws IOException {
    if (card != null) {
      card.close();
      card = null;
    }
  }

  @Override
  public void close() throws IOException {
    dropCard();
    server.close();
  }
}
