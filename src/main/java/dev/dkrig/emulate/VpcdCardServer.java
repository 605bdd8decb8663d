package dev.dkrig.emulate;

import dev.dkrig.ccc.DkProfile;
import dev.dkrig.iso7816.ContactlessCard;
import dev.dkrig.iso7816.Hex;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays a {@link ContactlessCard} to a real pcscd through the vsmartcard {@code vpcd} driver, so
 * javax.smartcardio, {@code pcsc_scan} and {@code scriptor} see it in the reader slot {@code
 * host:port} (by default {@value VpcdEndpoint#DEFAULT_HOST}:{@value VpcdEndpoint#DEFAULT_PORT}).
 * How vpcd's protocol, its timing, a silent card and a card taken away play out with pcscd is
 * explained in the {@linkplain dev.dkrig.emulate package description}; the frames on the socket are
 * {@link VpcdWire}'s.
 *
 * <p>The server runs on its own daemon thread, reconnects with a short backoff while vpcd is not
 * reachable (pcscd not started yet, or restarting), never throws out of that thread, and logs
 * through slf4j. {@link #start()}, {@link #remove()}, {@link #insert()}, {@link #vanishAfter} and
 * {@link #close()} are thread-safe.
 */
public final class VpcdCardServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(VpcdCardServer.class);

  static final int POWER_OFF = 0x00;
  static final int POWER_ON = 0x01;
  static final int RESET = 0x02;
  static final int GET_ATR = 0x04;

  /** T_Apdu + 1 s: the rig's T_Apdu timer fires before vpcd is told anything. */
  public static final Duration DEFAULT_SILENCE_LIMIT = DkProfile.T_APDU.plusSeconds(1);

  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofMillis(500);

  /** Five of pcscd's 0.4 s presence polls missed: see {@link #answerPendingCommand}. */
  public static final Duration DEFAULT_PENDING_COMMAND_SILENCE = Duration.ofSeconds(2);

  private static final int NO_CONTROL = -1;
  private static final Duration FIRST_BACKOFF = Duration.ofMillis(50);

  /**
   * How long the card stays out of the field after its link ends, before it may be inserted again:
   * more than two pcscd polling periods (0.4 s each). vpcd accepts a waiting card in the same poll
   * that finds the old one gone, and when it ejected the old card during a transmit no poll ever
   * sees the slot empty: pcscd would then never power the new card up (no {@code 01}), and the
   * device would ignore every APDU.
   */
  static final Duration MIN_ABSENCE = Duration.ofSeconds(1);

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(5);

  /**
   * pcscd polls about every 0.4 s; this long without a frame right after connecting means vpcd has
   * not accepted us, most likely because another card already sits in that slot.
   */
  private static final Duration SILENT_VPCD_WARNING = Duration.ofSeconds(5);

  private final VpcdEndpoint endpoint;
  private final byte[] atr;
  private final Duration silenceLimit;
  private final Duration maxBackoff;
  private final Listener listener;
  private final Duration pendingCommandSilence;

  private final Object lock = new Object();
  // Guarded by lock.
  private Thread thread;
  private boolean closed;
  private boolean wanted = true;
  private Socket socket;
  private long reinsertAtNanos;
  private boolean reinsertPending;
  private int vanishRemaining;
  private Duration vanishReinsert;
  private long changes;
  private long absentUntilNanos = System.nanoTime();

  // Touched by the server thread only.
  private final VpcdPoweredCard powered;

  /**
   * Answers given on silence ({@link #answerPendingCommand}) that vpcd has not yet proved it asked
   * for. vpcd proves it by waiting for the answer to its next frame: it sends nothing while it
   * waits. Until then each frame that needs an answer is held for the pending-command silence; a
   * frame arriving meanwhile means vpcd took an unasked answer for the held one ({@link
   * #desynchronised}).
   */
  private int unconfirmed;

  private final AtomicLong resynchronisations = new AtomicLong();
  private final VpcdWire wire = new VpcdWire();

  private final AtomicLong served = new AtomicLong();
  private final AtomicLong links = new AtomicLong();

  /** What happened to the link to vpcd, for {@link Listener#linkDown}. */
  public enum LinkEnd {
    /** {@link #remove()} or {@link #vanishAfter}: the card left the field. */
    REMOVED("card removed"),
    /** {@link #close()}. */
    CLOSED("server closed"),
    /** vpcd closed the connection: pcscd stopped, or it ejected the card. */
    VPCD_CLOSED("vpcd closed the connection"),
    /** The card stayed silent past the silence limit; the server dropped the link. */
    SILENT("card silent past the silence limit"),
    /** Any other failure of the connection, a reset by vpcd included. */
    IO_ERROR("connection failed");

    private final String description;

    LinkEnd(String description) {
      this.description = description;
    }

    public String description() {
      return description;
    }
  }

  /**
   * Observes the server; every method is called on the server thread, and an exception it throws is
   * logged and ignored. All methods do nothing by default.
   */
  public interface Listener {
    /** The card is in the reader: the connection to vpcd is up. */
    default void linkUp(VpcdEndpoint endpoint) {}

    /** The card left the reader. */
    default void linkDown(VpcdEndpoint endpoint, LinkEnd why) {}

    /**
     * vpcd could not be reached; the server retries after a backoff.
     *
     * @param attempt 1 for the first failure since the last successful connection
     */
    default void unreachable(VpcdEndpoint endpoint, IOException cause, int attempt) {}

    /** A control byte from vpcd ({@code 00}, {@code 01}, {@code 02} or {@code 04}). */
    default void control(int code) {}

    /**
     * A command and the card's answer: any frame but a control byte, malformed ones (no byte, one
     * byte) included.
     *
     * @param response data ‖ SW, or {@code null} when the card stayed silent
     * @param nanos the time the card took
     */
    default void apdu(byte[] command, byte[] response, long nanos) {}

    /**
     * vpcd took an answer the card gave on silence, which it had not asked for (pcscd stalled past
     * the pending-command silence), as the answer to {@code frame}: the caller behind vpcd got a
     * stale answer; the frame is dropped unprocessed, and the link is in step again.
     */
    default void desynchronised(byte[] frame) {}
  }

  VpcdCardServer(VpcdCardServerBuilder builder) {
    this.endpoint = builder.endpoint;
    this.powered = new VpcdPoweredCard(builder.card, builder.endpoint);
    this.atr = builder.atr.clone();
    this.silenceLimit = builder.silenceLimit;
    this.maxBackoff = builder.maxBackoff;
    this.listener = builder.listener;
    this.tapDelay = builder.tapDelay;
    this.pendingCommandSilence = builder.pendingCommandSilence;
  }

  private final Duration tapDelay;

  /** A server for this card; defaults: the default endpoint, an HCE phone's ATR. */
  public static VpcdCardServerBuilder builder(ContactlessCard card) {
    return new VpcdCardServerBuilder(card);
  }

  /**
   * Starts the server thread, which connects to vpcd (retrying until it can) and serves the card.
   * Calling it again does nothing.
   *
   * @throws IllegalStateException after {@link #close()}
   */
  public VpcdCardServer start() {
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException("the vpcd card server for " + endpoint + " is closed");
      }
      if (thread == null) {
        if (!tapDelay.isZero()) {
          // Off the reader until the tap: the reinsertion of a card taken away.
          wanted = false;
          reinsertPending = true;
          reinsertAtNanos = System.nanoTime() + tapDelay.toNanos();
        }
        thread = new Thread(this::run, "dkrig-vpcd-" + endpoint);
        thread.setDaemon(true);
        thread.start();
      }
    }
    return this;
  }

  /**
   * Takes the card out of the field: resets the connection, and stays out until {@link #insert()}.
   * pcscd sees the card gone at its next presence poll; a transmit before that gets {@code
   * SCARD_E_NOT_TRANSACTED}, after it {@code SCARD_W_REMOVED_CARD}.
   */
  public void remove() {
    leaveFor(null);
  }

  /** As {@link #remove()}, then back in the reader after {@code back} unless null (a hand). */
  public void leaveFor(Duration back) {
    Socket current;
    synchronized (lock) {
      wanted = false;
      reinsertPending = back != null;
      reinsertAtNanos = back == null ? reinsertAtNanos : System.nanoTime() + back.toNanos();
      current = socket;
      socket = null;
      changed();
    }
    VpcdWire.reset(current);
  }

  /**
   * Puts the card back in the field: connects again at once (a pending backoff is skipped), but not
   * before the card has been out for 1 s, so that pcscd sees it gone in between.
   */
  public void insert() {
    synchronized (lock) {
      wanted = true;
      reinsertPending = false;
      changed();
    }
  }

  /** The card leaves the field once it has answered {@code apdus} more APDUs, and stays out. */
  public void vanishAfter(int apdus) {
    vanishAfter(apdus, null);
  }

  /**
   * The card leaves the field once it has answered {@code apdus} more APDUs (a tag lost in the
   * middle of a run), and comes back after {@code reinsertAfter} (at least 1 s) unless that is
   * {@code null}. The caller's next transmit fails with {@code SCARD_E_NOT_TRANSACTED}, or {@code
   * SCARD_W_REMOVED_CARD} once pcscd has polled; in the rare case that it reaches vpcd before the
   * connection reset (the server thread preempted between its last write and the reset), vpcd
   * reports an empty response and javax.smartcardio throws {@code IllegalArgumentException}.
   */
  public void vanishAfter(int apdus, Duration reinsertAfter) {
    if (apdus < 1) {
      throw new IllegalArgumentException("vanish after at least 1 APDU, not " + apdus);
    }
    if (reinsertAfter != null && reinsertAfter.isNegative()) {
      throw new IllegalArgumentException("the re-insertion delay must not be negative");
    }
    synchronized (lock) {
      vanishRemaining = apdus;
      vanishReinsert = reinsertAfter;
    }
  }

  /** How many APDUs the card has answered. */
  public long apdusServed() {
    return served.get();
  }

  /**
   * How many frames went unanswered because vpcd had taken an answer given on silence for theirs (a
   * pcscd stalled past the pending-command silence); 0 on a healthy link.
   */
  public long resynchronisations() {
    return resynchronisations.get();
  }

  /** How many times the card has been put in the reader (connections to vpcd made). */
  public long insertions() {
    return links.get();
  }

  /** Whether the card is in the reader now: connected to vpcd. */
  public boolean isInserted() {
    synchronized (lock) {
      return socket != null;
    }
  }

  public VpcdEndpoint endpoint() {
    return endpoint;
  }

  public byte[] atr() {
    return atr.clone();
  }

  /**
   * Takes the card away for good and stops the server thread (waiting up to 5 s for it). Calling it
   * again does nothing.
   */
  @Override
  public void close() {
    Socket current;
    Thread serverThread;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      current = socket;
      socket = null;
      serverThread = thread;
      changed();
    }
    VpcdWire.reset(current);
    if (serverThread == null || serverThread == Thread.currentThread()) {
      return;
    }
    try {
      serverThread.join(JOIN_TIMEOUT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (serverThread.isAlive()) {
      LOG.warn(
          "vpcd card server {}: the server thread did not stop within {}", endpoint, JOIN_TIMEOUT);
    }
  }

  // ---- the server thread ----

  private void run() {
    try {
      serveUntilClosed();
    } catch (RuntimeException | Error e) {
      LOG.error("vpcd card server {}: stopped by an unexpected failure", endpoint, e);
    } finally {
      powered.powerDown();
    }
  }

  private void serveUntilClosed() {
    int failures = 0;
    while (awaitWanted()) {
      if (!awaitAbsenceOver()) {
        continue;
      }
      Socket connection;
      try {
        connection = connect();
      } catch (IOException e) {
        failures++;
        LOG.debug("vpcd {} not reachable (attempt {}): {}", endpoint, failures, e.toString());
        int attempt = failures;
        tell(l -> l.unreachable(endpoint, e, attempt));
        pause(backoff(failures));
        continue;
      }
      failures = 0;
      synchronized (lock) {
        if (closed || !wanted) {
          VpcdWire.reset(connection);
          continue;
        }
        socket = connection;
      }
      links.incrementAndGet();
      LOG.debug("card inserted into vpcd {}", endpoint);
      tell(l -> l.linkUp(endpoint));
      LinkEnd end = serve(connection);
      synchronized (lock) {
        if (socket == connection) {
          socket = null;
        }
        absentUntilNanos = System.nanoTime() + MIN_ABSENCE.toNanos();
      }
      VpcdWire.reset(connection);
      powered.powerDown();
      LOG.debug("card out of vpcd {}: {}", endpoint, end.description());
      tell(l -> l.linkDown(endpoint, end));
    }
  }

  /**
   * Keeps the card out of the field for {@link #MIN_ABSENCE} after a link ends; false if it was
   * closed or removed meanwhile.
   */
  private boolean awaitAbsenceOver() {
    synchronized (lock) {
      while (!closed && wanted) {
        long left = absentUntilNanos - System.nanoTime();
        if (left <= 0) {
          return true;
        }
        waitOnLock(left);
      }
      return false;
    }
  }

  /** Waits while the card is out of the field; false once the server is closed. */
  private boolean awaitWanted() {
    synchronized (lock) {
      while (!closed && !wanted) {
        if (!reinsertPending) {
          waitOnLock(Long.MAX_VALUE);
          continue;
        }
        long left = reinsertAtNanos - System.nanoTime();
        if (left <= 0) {
          reinsertPending = false;
          wanted = true;
        } else {
          waitOnLock(left);
        }
      }
      return !closed;
    }
  }

  /** Waits up to {@code duration}, or less when the server is told to do something else. */
  private void pause(Duration duration) {
    long deadline = System.nanoTime() + duration.toNanos();
    synchronized (lock) {
      long seen = changes;
      while (!closed && changes == seen) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return;
        }
        waitOnLock(left);
      }
    }
  }

  private Duration backoff(int failures) {
    long millis = FIRST_BACKOFF.toMillis() << Math.min(failures - 1, 10);
    return Duration.ofMillis(Math.min(millis, maxBackoff.toMillis()));
  }

  private Socket connect() throws IOException {
    Socket connection = new Socket();
    try {
      connection.setTcpNoDelay(true);
      connection.connect(
          new InetSocketAddress(endpoint.host(), endpoint.port()),
          (int) CONNECT_TIMEOUT.toMillis());
      wire.quickAck(connection);
      return connection;
    } catch (IOException | RuntimeException e) {
      VpcdWire.reset(connection);
      throw e;
    }
  }

  /** Serves one connection until it ends, and says why it ended. */
  private LinkEnd serve(Socket connection) {
    try {
      InputStream in = connection.getInputStream();
      OutputStream out = connection.getOutputStream();
      byte[] header = new byte[2];
      unconfirmed = 0;
      connection.setSoTimeout((int) SILENT_VPCD_WARNING.toMillis());
      wire.readFirstHeader(connection, in, header, endpoint, SILENT_VPCD_WARNING);
      connection.setSoTimeout((int) pendingCommandSilence.toMillis());
      while (true) {
        byte[] message = new byte[((header[0] & 0xFF) << 8) | (header[1] & 0xFF)];
        while (!wire.readFullyUnlessIdle(connection, in, message)) {
          // A frame's payload is late: vpcd writes it right after its length, so keep waiting.
        }
        if (unconfirmed > 0
            && expectsAnswer(message)
            && wire.readFullyUnlessIdle(connection, in, header)) {
          // vpcd sent another frame instead of waiting for this one's answer: it read an answer
          // given on silence as this one's. Not answering it puts the link back in step.
          desynchronised(message);
          continue;
        }
        // Silence: vpcd waits for this answer, so it has read every answer given on silence.
        unconfirmed = 0;
        int control = NO_CONTROL;
        if (message.length == 1 && isControl(message[0] & 0xFF)) {
          control = message[0] & 0xFF;
          control(control, out);
        } else {
          // Any other frame is a command, a malformed one too (no byte, or one byte that is no
          // control): the card answers it (6700), or vpcd and its caller would wait forever.
          LinkEnd end = apdu(connection, message, out);
          if (end != null) {
            return end;
          }
        }
        // A silent vpcd waits on a zero-length command, or after 00-02 maybe on that byte; after
        // an answer, on the next zero-length command (vpcd sends nothing between the two).
        int ambiguous = control == GET_ATR ? NO_CONTROL : control;
        while (!wire.readFullyUnlessIdle(connection, in, header)) {
          LinkEnd end = answerPendingCommand(connection, ambiguous, out);
          if (end != null) {
            return end;
          }
          unconfirmed++;
          ambiguous = NO_CONTROL;
        }
      }
    } catch (IOException e) {
      synchronized (lock) {
        if (closed) {
          return LinkEnd.CLOSED;
        }
        if (socket != connection) {
          return LinkEnd.REMOVED;
        }
      }
      if (e instanceof EOFException) {
        return LinkEnd.VPCD_CLOSED;
      }
      LOG.debug("vpcd {}: {}", endpoint, e.toString());
      return LinkEnd.IO_ERROR;
    }
  }

  private static boolean isControl(int code) {
    return code == POWER_OFF || code == POWER_ON || code == RESET || code == GET_ATR;
  }

  /** Every frame but the power controls {@code 00}-{@code 02} waits for an answer. */
  private static boolean expectsAnswer(byte[] message) {
    return !(message.length == 1 && isControl(message[0] & 0xFF) && message[0] != GET_ATR);
  }

  /**
   * An answer given on silence was not asked for (pcscd stalled past the pending-command silence):
   * vpcd read it as the answer to {@code message}, which therefore goes unanswered and unprocessed.
   */
  private void desynchronised(byte[] message) {
    unconfirmed--;
    resynchronisations.incrementAndGet();
    String frame =
        message.length == 1 && (message[0] & 0xFF) == GET_ATR
            ? "ATR request 04"
            : "command " + Hex.encode(message);
    LOG.warn(
        "vpcd {}: sent its next frame without waiting for the answer to the {}: an answer given"
            + " on silence was not asked for (pcscd stalled?), and vpcd took it for this one's;"
            + " the {} is not answered again, so the link is in step",
        endpoint,
        frame,
        frame);
    byte[] copy = message.clone();
    tell(l -> l.desynchronised(copy));
  }

  /**
   * vpcd has said nothing for the pending-command silence after a frame, though pcscd polls the
   * card every 0.4 s: it waits, holding its reader lock, for the answer to a command it could not
   * put on the wire. Either a zero-length command (vpcd sends no frame at all for it, then reads)
   * or a one-byte command {@code 00}, {@code 01} or {@code 02}, which the vpcd protocol cannot tell
   * from the control byte just served. The card answers that command now, so the caller gets its
   * status word (the virtual device's is {@code 6700}); a one-byte {@code 04} gets the ATR, as vpcd
   * asked for, and no wait.
   *
   * @param control the control byte {@code 00}-{@code 02} just served, or {@link #NO_CONTROL}
   */
  private LinkEnd answerPendingCommand(Socket connection, int control, OutputStream out)
      throws IOException {
    byte[] command = control == NO_CONTROL ? new byte[0] : new byte[] {(byte) control};
    LOG.warn(
        "vpcd {}: silent for {} ms after {}: taken as waiting for the answer to {}, which the card"
            + " answers now",
        endpoint,
        pendingCommandSilence.toMillis(),
        control == NO_CONTROL ? "the last frame" : "control byte " + Hex.u8(control),
        control == NO_CONTROL
            ? "a zero-length command"
            : "the one-byte command " + Hex.u8(control));
    if (control == POWER_OFF) {
      // It was a command, not a power-off: the card is still powered for pcscd.
      powered.powerUp();
    }
    return apdu(connection, command, out);
  }

  private void control(int code, OutputStream out) throws IOException {
    tell(l -> l.control(code));
    switch (code) {
      case POWER_OFF -> powered.powerDown();
      case POWER_ON, RESET -> {
        // A power-on while powered is a reset too: the card starts over.
        powered.powerDown();
        powered.powerUp();
      }
      case GET_ATR -> VpcdWire.send(out, atr);
      default -> throw new IllegalArgumentException("not a control byte: " + Hex.u8(code));
    }
  }

  /** Answers one APDU; returns why the link ended if it did. */
  private LinkEnd apdu(Socket connection, byte[] command, OutputStream out) throws IOException {
    long started = System.nanoTime();
    byte[] response = powered.process(command);
    long took = System.nanoTime() - started;
    if (response == null) {
      tell(l -> l.apdu(command.clone(), null, took));
      return holdSilence(connection);
    }
    boolean vanish;
    synchronized (lock) {
      vanish = vanishRemaining > 0 && --vanishRemaining == 0;
      if (vanish) {
        wanted = false;
        reinsertPending = vanishReinsert != null;
        if (reinsertPending) {
          reinsertAtNanos = System.nanoTime() + vanishReinsert.toNanos();
        }
        if (socket == connection) {
          socket = null;
        }
        changed();
      }
    }
    // Counted before it leaves: whoever reads the answer finds it counted.
    served.incrementAndGet();
    VpcdWire.send(out, response);
    if (vanish) {
      // Reset right after the answer, nothing in between: vpcd's next write then fails. Only if
      // the caller's next APDU reached vpcd first would vpcd report an empty response instead.
      VpcdWire.reset(connection);
    }
    // Listeners (the -v trace) hear of it once it is on its way, so they add nothing to the timing.
    tell(l -> l.apdu(command.clone(), response.clone(), took));
    if (vanish) {
      LOG.debug("vpcd {}: the card vanished after {} APDU(s)", endpoint, served.get());
      return LinkEnd.REMOVED;
    }
    return null;
  }

  /** vpcd has no receive timeout: hold it like a mute phone would, then drop the link. */
  private LinkEnd holdSilence(Socket connection) {
    long deadline = System.nanoTime() + silenceLimit.toNanos();
    synchronized (lock) {
      while (!closed && socket == connection) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        waitOnLock(left);
      }
      if (closed) {
        return LinkEnd.CLOSED;
      }
      if (socket != connection) {
        return LinkEnd.REMOVED;
      }
    }
    LOG.warn(
        "vpcd {}: the card stayed silent for {} ms; dropping the link (the caller's transmit"
            + " fails, the card is inserted again)",
        endpoint,
        silenceLimit.toMillis());
    VpcdWire.reset(connection);
    return LinkEnd.SILENT;
  }

  private void tell(Consumer<Listener> call) {
    try {
      call.accept(listener);
    } catch (RuntimeException e) {
      LOG.warn("vpcd card server {}: the listener failed", endpoint, e);
    }
  }

  /** Waits on the lock for at most this many nanoseconds. Called under the lock. */
  private void waitOnLock(long nanos) {
    try {
      lock.wait(Math.max(1, nanos / 1_000_000));
    } catch (InterruptedException e) {
      // Only close() ends the server; an interrupt from elsewhere is not a stop request.
      LOG.debug("vpcd card server {}: interrupt ignored", endpoint);
    }
  }

  /** Wakes the server thread: something it waits for may have changed. Called under the lock. */
  private void changed() {
    changes++;
    lock.notifyAll();
  }
}
