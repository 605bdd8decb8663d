package dev.dkrig.emulate;

import dev.dkrig.iso7816.ContactlessCard;
import dev.dkrig.iso7816.Hex;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/** A card double that records what it was asked and answers with a function of the command. */
final class RecordingCard implements ContactlessCard {
  private final List<String> events = new ArrayList<>();
  private final UnaryOperator<byte[]> answer;

  RecordingCard(UnaryOperator<byte[]> answer) {
    this.answer = answer;
  }

  /** A card answering every command with these bytes. */
  static RecordingCard answering(String hex) {
    return new RecordingCard(command -> Hex.decode(hex));
  }

  @Override
  public synchronized void activate() {
    events.add("activate");
  }

  @Override
  public synchronized byte[] process(byte[] command) {
    events.add(">> " + Hex.encode(command));
    return answer.apply(command);
  }

  @Override
  public synchronized void deactivate() {
    events.add("deactivate");
  }

  synchronized List<String> events() {
    return List.copyOf(events);
  }

  /** The commands it received, in hex. */
  synchronized List<String> commands() {
    return events.stream().filter(e -> e.startsWith(">> ")).map(e -> e.substring(3)).toList();
  }
}
