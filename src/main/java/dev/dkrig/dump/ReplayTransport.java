package dev.dkrig.dump;

import dev.dkrig.iso7816.CommandApdu;
import dev.dkrig.iso7816.Hex;
import dev.dkrig.iso7816.ResponseApdu;
import dev.dkrig.time.VirtualClock;
import dev.dkrig.transport.NfcTransport;
import dev.dkrig.transport.TransportException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A recorded bench played back (apdu4j's dump + mock): the vehicle's commands must be the recorded
 * ones, in the recorded order; each gets its recorded answer at its recorded time. The first
 * difference ends the replay with a named divergence, reported as the bench failing at that step.
 */
public final class ReplayTransport implements NfcTransport {
  private final List<Dump.Event> events;
  private final VirtualClock clock;
  private int next;
  private int apdus;
  private String divergence;

  public ReplayTransport(Dump dump, VirtualClock clock) {
    this.events = dump.transportEvents();
    this.clock = clock;
  }

  /** The first place where the vehicle did not do what the recording says, if any. */
  public Optional<String> divergence() {
    return Optional.ofNullable(divergence);
  }

  @Override
  public String description() {
    return "replay of a recorded run";
  }

  @Override
  public void startPolling() {}

  @Override
  public boolean awaitTarget(Duration wait) {
    Dump.Event event = expect("target", "a poll for the device");
    return event.payload().equals("yes");
  }

  @Override
  public ResponseApdu transmit(CommandApdu command) {
    apdus++;
    Dump.Event sent = expect(">>", "APDU " + apdus + " " + Hex.encode(command.header()));
    if (!sent.payload().equals(Hex.encode(command.bytes()))) {
      throw diverge(
          "APDU "
              + apdus
              + " (dump line "
              + sent.line()
              + ") diverges: recorded "
              + shorten(sent.payload())
              + ", the vehicle sent "
              + shorten(Hex.encode(command.bytes()))
              + "; "
              + firstDifference(sent.payload(), Hex.encode(command.bytes())));
    }
    Dump.Event answer = take("the answer to APDU " + apdus);
    return switch (answer.kind()) {
      case "<<" -> answer.response();
      case "!!" -> {
        String[] parts = answer.payload().split(" ", 2);
        throw new TransportException(
            TransportException.Kind.valueOf(parts[0]), parts.length > 1 ? parts[1] : "");
      }
      default ->
          throw diverge(
              "dump line "
                  + answer.line()
                  + ": expected the answer to APDU "
                  + apdus
                  + ", found '"
                  + answer.kind()
                  + "'");
    };
  }

  @Override
  public void reset() {
    if (next < events.size() && events.get(next).kind().equals("reset")) {
      advanceTo(events.get(next++).at());
    } else if (divergence == null) {
      // An NFC reset the recording does not have: the flow took another path.
      divergence = "an NFC reset that the recording does not have, before " + describeNext();
    }
  }

  @Override
  public void stopPolling() {}

  @Override
  public void close() {}

  /** Whether the vehicle used up the recording (a complete replay). */
  public boolean exhausted() {
    return next >= events.size();
  }

  private Dump.Event expect(String kind, String what) {
    Dump.Event event = take(what);
    if (!event.kind().equals(kind)) {
      throw diverge(
          what
              + ": the recording has '"
              + event.kind()
              + " "
              + event.payload()
              + "' at dump line "
              + event.line());
    }
    return event;
  }

  private Dump.Event take(String what) {
    if (next >= events.size()) {
      throw diverge(what + " after the end of the recording");
    }
    Dump.Event event = events.get(next++);
    advanceTo(event.at());
    return event;
  }

  /** Long APDUs as their start, where they differ, and their length, so one line stays short. */
  /** Where two hex strings first differ, by byte, since the shortened forms may not show it. */
  static String firstDifference(String recorded, String sent) {
    int i = 0;
    while (i + 2 <= recorded.length()
        && i + 2 <= sent.length()
        && recorded.regionMatches(true, i, sent, i, 2)) {
      i += 2;
    }
    String was = i + 2 <= recorded.length() ? recorded.substring(i, i + 2) : "(end)";
    String now = i + 2 <= sent.length() ? sent.substring(i, i + 2) : "(end)";
    return "first difference at byte " + i / 2 + ": recorded " + was + ", sent " + now;
  }

  private static String shorten(String hex) {
    return hex.length() <= 40 ? hex : hex.substring(0, 32) + "… (" + hex.length() / 2 + " bytes)";
  }

  private String describeNext() {
    return next < events.size()
        ? "dump line " + events.get(next).line()
        : "the end of the recording";
  }

  private void advanceTo(Instant at) {
    if (at.isAfter(clock.now())) {
      clock.advance(Duration.between(clock.now(), at));
    }
  }

  private TransportException diverge(String message) {
    if (divergence == null) {
      divergence = message;
    }
    return new TransportException(TransportException.Kind.IO, "replay diverges: " + message);
  }
}
