package dev.dkrig.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dkrig.ccc.Ins;
import dev.dkrig.ccc.StatusWord;
import dev.dkrig.iso7816.CommandApdu;
import dev.dkrig.iso7816.Hex;
import dev.dkrig.iso7816.ResponseApdu;
import dev.dkrig.pairing.RunListener;
import dev.dkrig.report.Iso;
import dev.dkrig.time.Durations;
import dev.dkrig.time.RigClock;
import dev.dkrig.transport.NfcTransport;
import dev.dkrig.transport.TransportException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The exchanges of one {@code dkrig apdu}: printed as they happen (or kept for the JSON document),
 * handed to the evidence writers, each response with its status word explained.
 */
final class ApduSession {
  /** The JSON document's schema name; its fields are listed in the README. */
  static final String SCHEMA = "dkrig-apdu/1";

  /** A card that keeps answering 61xx is cut off after this many GET RESPONSEs. */
  static final int MAX_GET_RESPONSES = 64;

  private final NfcTransport transport;
  private final RigClock clock;
  private final Duration patience;
  private final PrintWriter out;
  private final PrintWriter err;
  private final boolean json;
  private final boolean getResponse;
  private final ArrayNode exchanges = new ObjectMapper().createArrayNode();
  RunListener evidence = new RunListener() {};
  Optional<String> error = Optional.empty();
  private boolean moreDataExplained;

  /**
   * @param patience how long to wait for a device in the field, at the start and after a reset
   * @param json keep the exchanges for {@link #document} and print nothing as they happen
   * @param getResponse answer 61xx with a plain GET RESPONSE
   */
  ApduSession(
      NfcTransport transport,
      RigClock clock,
      Duration patience,
      PrintWriter out,
      PrintWriter err,
      boolean json,
      boolean getResponse) {
    this.json = json;
    this.getResponse = getResponse;
    this.transport = transport;
    this.clock = clock;
    this.patience = patience;
    this.out = out;
    this.err = err;
  }

  void run(List<ApduScript.Item> items) throws InterruptedException {
    transport.startPolling();
    awaitDevice();
    // The preamble was written before a reader was chosen; now the trace can name it.
    evidence.note(clock.now(), "device found on " + transport.description());
    for (ApduScript.Item item : items) {
      if (item instanceof ApduScript.Reset reset) {
        Instant at = clock.now();
        transport.reset();
        evidence.nfcReset(at);
        evidence.note(at, "NFC reset (" + reset.source() + ")");
        ObjectNode entry = exchanges.addObject();
        entry.put("source", reset.source());
        entry.put("kind", "reset");
        entry.put("at", Iso.format(at));
        text("-- NFC reset (" + reset.source() + ")");
        awaitDevice();
        continue;
      }
      ApduScript.Send send = (ApduScript.Send) item;
      ResponseApdu response = exchange(send);
      int pieces = 0;
      while (response.isMoreData() && getResponse && pieces < MAX_GET_RESPONSES) {
        pieces++;
        CommandApdu next =
            new CommandApdu(Ins.CLA_ISO, Ins.GET_RESPONSE, 0x00, 0x00, new byte[0], response.sw2());
        response = exchange(ApduScript.of(send.source() + " GET RESPONSE", next));
      }
      if (response.isMoreData() && !getResponse && !moreDataExplained) {
        moreDataExplained = true;
        err.println(
            "dkrig: "
                + Hex.u16(response.sw())
                + ": more data waits. In this protocol it comes only under secure messaging,"
                + " where GET RESPONSE is a MACed 84 C0 (contract §3.2); --get-response sends a"
                + " plain 00 C0 for other cards.");
        err.flush();
      }
    }
    transport.stopPolling();
  }

  private void awaitDevice() throws InterruptedException {
    if (!transport.awaitTarget(patience)) {
      throw new TransportException(
          TransportException.Kind.TAG_LOST,
          "no device answered on "
              + transport.description()
              + " within "
              + Durations.format(patience)
              + " (--wait)");
    }
  }

  private ResponseApdu exchange(ApduScript.Send send) {
    ObjectNode entry = exchanges.addObject();
    entry.put("source", send.source());
    entry.put("kind", "apdu");
    entry.put("command", Hex.encode(send.bytes()));
    entry.put("raw", send.command().isEmpty());
    text(">> " + send.command().map(CommandApdu::toString).orElse(Hex.encode(send.bytes())));
    Instant sent = clock.now();
    entry.put("sent", Iso.format(sent));
    ResponseApdu response = null;
    try {
      response =
          send.command().isPresent()
              ? transport.transmit(send.command().get())
              : transport.transmitRaw(send.bytes());
      return response;
    } finally {
      Instant received = clock.now();
      Duration took = Duration.between(sent, received);
      entry.put("received", Iso.format(received));
      entry.put("ms", took.toNanos() / 1_000_000.0);
      if (send.command().isPresent()) {
        evidence.exchange(null, send.command().get(), response, sent, received);
      } else {
        evidence.rawExchange(send.bytes(), response, sent, received);
      }
      if (response == null) {
        entry.putNull("response");
        entry.putNull("sw");
        entry.putNull("meaning");
        text("<< (none) (" + Durations.format(took) + ")");
      } else {
        entry.put("response", Hex.encode(response.bytes()));
        entry.put("sw", Hex.u16(response.sw()));
        entry.put("meaning", StatusWord.meaning(response.sw()));
        String data = response.data().length == 0 ? "" : Hex.encode(response.data()) + " ";
        text(
            "<< "
                + data
                + StatusWord.describe(response.sw())
                + " ("
                + Durations.format(took)
                + ")");
      }
    }
  }

  private void text(String line) {
    if (!json) {
      out.println(line);
      out.flush();
    }
  }

  ObjectNode document() {
    ObjectNode document = new ObjectMapper().createObjectNode();
    document.put("schema", SCHEMA);
    document.put("reader", transport.description());
    document.set("exchanges", exchanges);
    if (error.isPresent()) {
      document.put("error", error.get());
    } else {
      document.putNull("error");
    }
    return document;
  }
}
