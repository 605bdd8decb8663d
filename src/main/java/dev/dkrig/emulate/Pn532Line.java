package dev.dkrig.emulate;

import dev.dkrig.transport.pn532.Pn532Command;
import dev.dkrig.transport.pn532.Pn532Frame;
import dev.dkrig.transport.pn532.Pn532FrameException;
import dev.dkrig.transport.pn532.Pn532FrameLink;
import dev.dkrig.transport.pn532.SerialLink;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The serial side of an emulated PN532 board, one copy for both boards: {@link Pn532Emulator} (the
 * board as a reader) and {@link Pn532TargetEmulator} (the board in card emulation). One daemon
 * thread reads HSU frames in short slices until the board is closed, vanishes or its port fails; a
 * garbled frame is answered NACK, every other frame goes to the {@link Board}. The line-level
 * faults are kept here too, so both boards misbehave alike: {@link Pn532Emulator.Fault.Kind#SILENT}
 * makes the board answer nothing from that command on, {@link Pn532Emulator.Fault.Kind#VANISH} puts
 * its ACK on the wire and then takes the port away, as a board unplugged.
 */
final class Pn532Line implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Pn532Line.class);
  private static final Duration READ_SLICE = Duration.ofMillis(50);
  private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(5);

  /**
   * How long a vanishing board lets its last ACK travel before its port goes: closing discards a
   * queued write, and socat drops what it has not yet read from a pty that hangs up. A real board's
   * bytes are on the wire before it is unplugged; this gives the line (and a busy machine) that
   * moment.
   */
  private static final Duration VANISH_AFTER_ACK = Duration.ofMillis(300);

  /** What a board does with a well-formed frame from the host (ACK, NACK or a command). */
  @FunctionalInterface
  interface Board {
    void handle(Pn532Frame frame) throws IOException;
  }

  private final Pn532FrameLink link;
  private final String label;
  private final List<Pn532Emulator.Fault> faults;
  private final Thread thread;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final Map<Integer, Integer> occurrences = new HashMap<>();
  private final Object sendLock = new Object();
  private volatile Board board;
  private volatile Runnable whenStopped;
  private volatile boolean stopping;
  private volatile String stopReason = "";
  private volatile boolean silent;
  private volatile int commands;

  /**
   * @param label how logs name the board ("PN532 emulator")
   * @param threadName the serving thread's name prefix; the port's name follows
   */
  Pn532Line(SerialLink serial, String label, String threadName, List<Pn532Emulator.Fault> faults) {
    this.link = new Pn532FrameLink(serial, Pn532Frame.Direction.BOARD_TO_HOST);
    this.label = label;
    this.faults = List.copyOf(faults);
    this.thread = new Thread(this::serve, threadName + " " + serial.name());
    this.thread.setDaemon(true);
  }

  /**
   * Starts serving frames to {@code board}; {@code whenStopped} runs on the serving thread once it
   * stopped and the port is closed (the board takes its card out of the field).
   */
  void start(Board board, Runnable whenStopped) {
    this.board = board;
    this.whenStopped = whenStopped;
    thread.start();
  }

  /** The serial port's name. */
  String port() {
    return link.name();
  }

  /** Whether the serving thread still runs. */
  boolean running() {
    return stopped.getCount() > 0;
  }

  /** Waits until the line stopped serving. */
  void awaitStop() throws InterruptedException {
    stopped.await();
  }

  /**
   * @return whether it stopped within {@code wait}
   */
  boolean awaitStop(Duration wait) throws InterruptedException {
    return stopped.await(wait.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Why it stopped: empty while it runs or after {@link #close}. */
  String stopReason() {
    return stopReason;
  }

  /** Whether it is stopping or stopped: waits on the board's side end when this turns true. */
  boolean stopping() {
    return stopping;
  }

  /** Stops serving after the current frame: the board found its line failed. */
  void stopSoon() {
    stopping = true;
  }

  /** Whether a SILENT fault made the board mute. */
  boolean silent() {
    return silent;
  }

  /** Well-formed commands received so far. */
  int commands() {
    return commands;
  }

  /**
   * Counts a well-formed command and gives the fault that applies to it, if any. A SILENT fault
   * makes the board mute from this command on: check {@link #silent()} after this.
   */
  Optional<Pn532Emulator.Fault> command(int code) {
    int anyCount = ++commands;
    int codeCount = occurrences.merge(code, 1, Integer::sum);
    Optional<Pn532Emulator.Fault> fault =
        faults.stream().filter(f -> f.matches(code, codeCount, anyCount)).findFirst();
    if (fault.isPresent() && fault.get().kind() == Pn532Emulator.Fault.Kind.SILENT) {
      silent = true;
      LOG.info("{}: silent from {} on (fault)", label, Pn532Command.describe(code));
    }
    return fault;
  }

  /** The VANISH fault, after the board's ACK for {@code code}: the port goes. */
  void vanish(int code) {
    stopping = true;
    stopReason = "vanished during " + Pn532Command.describe(code) + " (fault)";
    LOG.info("{}: {}", label, stopReason);
    link.drain(Duration.ofSeconds(2));
    try {
      Thread.sleep(VANISH_AFTER_ACK.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    link.close();
  }

  /** Sends a frame; callers on other threads than the serving one are serialised. */
  void send(Pn532Frame frame) throws IOException {
    sendRaw(frame.bytes(), frame.toString());
  }

  /** Sends raw frame bytes (a remembered answer, one with a fault), with a note for the log. */
  void sendRaw(byte[] bytes, String note) throws IOException {
    synchronized (sendLock) {
      link.sendRaw(bytes, note);
    }
  }

  /**
   * Stops serving and closes the port; {@code wake} wakes whatever of the board's side waits. Never
   * throws.
   */
  void close(Runnable wake) {
    stopping = true;
    wake.run();
    if (Thread.currentThread() != thread) {
      try {
        thread.join(JOIN_TIMEOUT.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    link.close();
  }

  @Override
  public void close() {
    close(() -> {});
  }

  private void serve() {
    try {
      while (!stopping) {
        Optional<Pn532Frame> frame;
        try {
          frame = link.receive(System.nanoTime() + READ_SLICE.toNanos());
        } catch (Pn532FrameException e) {
          LOG.debug("{}: {}; NACK", label, e.getMessage());
          if (!silent) {
            send(Pn532Frame.NACK);
          }
          continue;
        }
        if (frame.isPresent()) {
          board.handle(frame.get());
        }
      }
    } catch (IOException e) {
      if (!stopping) {
        stopReason = "port " + link.name() + " failed: " + e.getMessage();
        LOG.info("{}: {}", label, stopReason);
      }
    } catch (RuntimeException e) {
      stopReason = "internal error: " + e;
      LOG.error("{} on {} stopped", label, link.name(), e);
    } finally {
      stopping = true;
      link.close();
      try {
        whenStopped.run();
      } catch (RuntimeException e) {
        LOG.error("{} on {}: taking the card out of the field failed", label, link.name(), e);
      } finally {
        stopped.countDown();
      }
    }
  }
}
