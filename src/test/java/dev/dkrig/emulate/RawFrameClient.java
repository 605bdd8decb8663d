package dev.dkrig.emulate;

import dev.dkrig.iso7816.Hex;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.smartcardio.Card;
import javax.smartcardio.CardTerminal;
import javax.smartcardio.TerminalFactory;

/**
 * A careless vehicle on PC/SC (issue 19 item 5): sends random frames of every length, 0 to 65535
 * bytes, through libpcsclite, pcscd and vpcd to whatever card sits in the reader, and checks that
 * each gets an answer with a status word in bounded time. Run in a JVM of its own (the failsafe JVM
 * never opens a PC/SC context): {@code java --add-opens
 * java.smartcardio/sun.security.smartcardio=ALL-UNNAMED ... RawFrameClient READER SEED COUNT}.
 *
 * <p>javax.smartcardio refuses commands shorter than 4 bytes and MANAGE CHANNEL before they reach
 * pcscd; a vehicle's own PC/SC stack does not. So the frames go through the JDK's binding of {@code
 * SCardTransmit} itself, on the handle of a card connected the ordinary way.
 *
 * <p>An answer is at least two bytes (a status word); a command shorter than 4 bytes must get
 * {@code 6700}, except the one-byte command {@code 04}, which gets the card's ATR, as vpcd reads it
 * as its ATR request. Prints one line per frame length class and exits 0 when every frame was
 * answered, 1 on the first frame without an answer (named in hex), 2 on a usage or set-up problem.
 */
public final class RawFrameClient {
  /** A card that answers at all answers within this (vpcd itself never times out). */
  static final long ANSWER_TIMEOUT_MILLIS = 10_000;

  /** vpcd's frame length is a u16: longer commands never reach the card. */
  static final int VPCD_MAX_FRAME = 0xFFFF;

  private RawFrameClient() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      System.err.println("usage: RawFrameClient READER SEED COUNT");
      System.exit(2);
    }
    CardTerminal terminal =
        TerminalFactory.getInstance("PC/SC", null).terminals().getTerminal(args[0]);
    if (terminal == null || !terminal.waitForCardPresent(10_000)) {
      System.err.println("no card in " + args[0]);
      System.exit(2);
    }
    Card card = terminal.connect("*");
    Method transmit =
        Class.forName("sun.security.smartcardio.PCSC")
            .getDeclaredMethod(
                "SCardTransmit", long.class, int.class, byte[].class, int.class, int.class);
    transmit.setAccessible(true);
    long handle = field(card, "cardId").getLong(card);
    int protocol = field(card, "protocol").getInt(card);

    List<byte[]> frames = frames(Long.parseLong(args[1]), Integer.parseInt(args[2]));
    TreeMap<String, int[]> answered = new TreeMap<>();
    ExecutorService worker = Executors.newSingleThreadExecutor(r -> daemon(r));
    long started = System.nanoTime();
    for (byte[] frame : frames) {
      Future<byte[]> answer =
          worker.submit(
              () -> (byte[]) transmit.invoke(null, handle, protocol, frame, 0, frame.length));
      byte[] response;
      try {
        response = answer.get(ANSWER_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        fail(frame, "no answer within " + ANSWER_TIMEOUT_MILLIS + " ms");
        return;
      } catch (java.util.concurrent.ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof InvocationTargetException target) {
          cause = target.getCause();
        }
        fail(frame, "PC/SC error " + cause);
        return;
      }
      if (response == null || response.length < 2) {
        fail(
            frame,
            "answer without a status word: " + (response == null ? "null" : Hex.encode(response)));
        return;
      }
      int[] counts = answered.computeIfAbsent(lengthClass(frame.length), k -> new int[2]);
      counts[0]++;
      int sw =
          ((response[response.length - 2] & 0xFF) << 8) | (response[response.length - 1] & 0xFF);
      if (sw == 0x6700) {
        counts[1]++;
      } else if (frame.length < 4 && !(frame.length == 1 && frame[0] == VpcdCardServer.GET_ATR)) {
        fail(frame, "answered " + Hex.encode(response) + ", not 6700 (malformed)");
        return;
      }
    }
    answered.forEach(
        (length, counts) ->
            System.out.printf(
                Locale.ROOT,
                "length %s: %d answered (%d with 6700)%n",
                length,
                counts[0],
                counts[1]));
    System.out.printf(
        Locale.ROOT,
        "%d frames answered in %d ms%n",
        frames.size(),
        (System.nanoTime() - started) / 1_000_000);
    card.disconnect(false);
    System.exit(0);
  }

  /**
   * The frames: five empty ones and every one-byte value (the commands vpcd cannot put on the wire
   * as such), the longest frame vpcd carries, then {@code count} more drawn from the seed: 1-5
   * bytes, short APDU lengths, extended lengths and now and then up to 65535 bytes.
   */
  static List<byte[]> frames(long seed, int count) {
    SplittableRandom random = new SplittableRandom(seed);
    List<byte[]> frames = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      frames.add(new byte[0]);
    }
    for (int b = 0; b < 256; b++) {
      frames.add(new byte[] {(byte) b});
    }
    frames.add(new byte[VPCD_MAX_FRAME]);
    for (int i = 0; i < count; i++) {
      int kind = random.nextInt(32);
      int length =
          kind < 12
              ? random.nextInt(1, 6)
              : kind < 24
                  ? random.nextInt(6, 262)
                  : kind < 31
                      ? random.nextInt(262, 2_001)
                      : random.nextInt(2_001, VPCD_MAX_FRAME + 1);
      byte[] frame = new byte[length];
      random.nextBytes(frame);
      frames.add(frame);
    }
    return frames;
  }

  static String lengthClass(int length) {
    if (length <= 5) {
      return String.valueOf(length);
    }
    return length <= 261 ? "6-261" : length <= 2_000 ? "262-2000" : "2001-65535";
  }

  private static void fail(byte[] frame, String why) {
    String shown =
        frame.length > 32
            ? Hex.encode(java.util.Arrays.copyOf(frame, 32)) + "..."
            : Hex.encode(frame);
    System.out.printf(Locale.ROOT, "UNANSWERED %d-byte frame %s: %s%n", frame.length, shown, why);
    System.out.flush();
    Runtime.getRuntime().halt(1);
  }

  private static Field field(Object card, String name) throws ReflectiveOperationException {
    Field field = card.getClass().getDeclaredField(name);
    field.setAccessible(true);
    return field;
  }

  private static Thread daemon(Runnable r) {
    Thread thread = new Thread(r, "raw-frame-transmit");
    thread.setDaemon(true);
    return thread;
  }
}
