package dev.dkrig.transport.acr122u;

import static org.junit.jupiter.api.Assertions.fail;

import dev.dkrig.iso7816.Hex;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A scripted ACR122U behind the {@link ReaderControl} seam: each step names the path (escape or
 * transmit), the control code, the exact bytes the rig must send, and what the reader answers
 * (bytes, or a failure). Any deviation fails the test with both sides in hex (apdu4j's MockBIBO
 * style, anchors B.1).
 */
final class ScriptedReaderControl implements ReaderControl {

  /** The two PC/SC calls. */
  enum Path {
    CONTROL,
    TRANSMIT
  }

  private record Step(
      Path path,
      int controlCode,
      String expected,
      byte[] answer,
      RuntimeException failure,
      Connection connectionAfter) {}

  private final Deque<Step> steps = new ArrayDeque<>();
  private final List<String> calls = new ArrayList<>();
  private Connection connection = Connection.DIRECT;

  static ScriptedReaderControl direct() {
    return new ScriptedReaderControl();
  }

  static ScriptedReaderControl withCard() {
    ScriptedReaderControl control = new ScriptedReaderControl();
    control.connection = Connection.CARD;
    return control;
  }

  /** Expects {@code SCardControl(code, hex)} and answers {@code answerHex}. */
  ScriptedReaderControl control(int code, String hex, String answerHex) {
    steps.add(new Step(Path.CONTROL, code, normal(hex), Hex.decode(answerHex), null, null));
    return this;
  }

  /** Expects {@code SCardControl(code, hex)} and fails with {@code failure}. */
  ScriptedReaderControl controlFails(int code, String hex, RuntimeException failure) {
    steps.add(new Step(Path.CONTROL, code, normal(hex), null, failure, null));
    return this;
  }

  /** Expects {@code SCardTransmit(hex)} and answers {@code answerHex}. */
  ScriptedReaderControl transmit(String hex, String answerHex) {
    steps.add(new Step(Path.TRANSMIT, 0, normal(hex), Hex.decode(answerHex), null, null));
    return this;
  }

  /** Expects {@code SCardTransmit(hex)} and fails with {@code failure}. */
  ScriptedReaderControl transmitFails(String hex, RuntimeException failure) {
    steps.add(new Step(Path.TRANSMIT, 0, normal(hex), null, failure, null));
    return this;
  }

  /** After the last scripted step, {@link #connection()} reports {@code next} (card gone, ...). */
  ScriptedReaderControl thenConnection(Connection next) {
    Step last = steps.removeLast();
    steps.add(
        new Step(
            last.path(), last.controlCode(), last.expected(), last.answer(), last.failure(), next));
    return this;
  }

  @Override
  public Connection connection() {
    return connection;
  }

  @Override
  public byte[] control(int controlCode, byte[] command) {
    return answer(Path.CONTROL, controlCode, command);
  }

  @Override
  public byte[] transmit(byte[] apdu) {
    return answer(Path.TRANSMIT, 0, apdu);
  }

  /** Every call seen, as {@code CONTROL 42000001 FF00480000}. */
  List<String> calls() {
    return List.copyOf(calls);
  }

  void assertDone() {
    if (!steps.isEmpty()) {
      fail("the rig stopped early; still expected: " + describe(steps.peekFirst()));
    }
  }

  private byte[] answer(Path path, int code, byte[] sent) {
    String sentHex = Hex.encode(sent);
    calls.add(
        path + (path == Path.CONTROL ? " " + String.format("%08X", code) : "") + " " + sentHex);
    if (path == Path.CONTROL && connection != Connection.DIRECT) {
      fail("SCardControl used while a card is connected: " + sentHex);
    }
    if (path == Path.TRANSMIT && connection != Connection.CARD) {
      fail("SCardTransmit used on a direct connection (no card): " + sentHex);
    }
    Step step = steps.pollFirst();
    if (step == null) {
      fail("unexpected " + path + " " + sentHex + ": the script is finished");
    }
    if (step.path() != path || step.controlCode() != code || !step.expected().equals(sentHex)) {
      fail("expected " + describe(step) + " but got " + path + " " + sentHex);
    }
    if (step.connectionAfter() != null) {
      connection = step.connectionAfter();
    }
    if (step.failure() != null) {
      throw step.failure();
    }
    return step.answer().clone();
  }

  private static String describe(Step step) {
    return step.path()
        + (step.path() == Path.CONTROL ? " " + String.format("%08X", step.controlCode()) : "")
        + " "
        + step.expected();
  }

  private static String normal(String hex) {
    return Hex.encode(Hex.decode(hex));
  }
}
