package dev.dkrig.report;

import dev.dkrig.ccc.StatusWord;
import dev.dkrig.iso7816.CommandApdu;
import dev.dkrig.iso7816.ResponseApdu;
import dev.dkrig.pairing.HuEvent;
import dev.dkrig.pairing.RunListener;
import dev.dkrig.pairing.Step;
import dev.dkrig.pairing.StepResult;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * {@code --pcapng FILE}: the run as Wireshark reads it. Interface 0 is LINKTYPE_ISO_14443 (264):
 * every APDU as an ISO-DEP I-block with the APDU-level direction events ({@code FA} PCD to PICC,
 * {@code FB} PICC to PCD, CRC dropped), field off/on ({@code FD}/{@code FC}) at each NFC reset.
 * Interface 1 is LINKTYPE_USER0 (147): step boundaries, §15 events, advertising start/stop and
 * bench notes as text, each also a packet comment. Timestamps are absolute, in microseconds. Blocks
 * are written and flushed as they happen, so the file is valid after any abort; decode with {@code
 * tshark -r FILE -d iso14443.subdissector,iso7816}.
 */
public final class PcapngCapture implements RunListener, WireListener, StepLines, AutoCloseable {
  private static final int LINKTYPE_ISO_14443 = 264;
  private static final int LINKTYPE_USER0 = 147;
  private static final int NFC = 0;
  private static final int EVENTS = 1;
  private static final int PCD_TO_PICC = 0xFA;
  private static final int PICC_TO_PCD = 0xFB;
  private static final int FIELD_OFF = 0xFD;
  private static final int FIELD_ON = 0xFC;

  private final OutputStream out;
  private int blockNumber;
  private final ApduNames names = new ApduNames();

  /**
   * @param preamble the run's preamble lines, one section-header comment each (Wireshark shows them
   *     under Statistics, Capture File Properties)
   */
  public PcapngCapture(
      OutputStream out, String application, java.util.List<String> preamble, String readerName) {
    this.out = out;
    write(sectionHeader(application, preamble));
    write(interfaceDescription(LINKTYPE_ISO_14443, "nfc-pcd", readerName));
    write(interfaceDescription(LINKTYPE_USER0, "dkrig-events", "dkrig steps, events, notes"));
    flush();
  }

  @Override
  public synchronized void exchange(
      RunContext.Label step,
      CommandApdu command,
      ResponseApdu response,
      Instant sent,
      Instant received) {
    // Wireshark's ISO 7816 dissector names only interindustry commands (CLA 00); the comment
    // names the CCC ones (CLA 80/84) and the status word, so every APDU reads in the packet list.
    String name = (step.id().isEmpty() ? "" : step.id() + " ") + names.next(command);
    frames(name, command.bytes(), command.header(), response, sent, received);
  }

  @Override
  public synchronized void rawExchange(
      RunContext.Label step,
      byte[] command,
      ResponseApdu response,
      Instant sent,
      Instant received) {
    frames(
        "raw C-APDU",
        command,
        java.util.Arrays.copyOf(command, Math.min(4, command.length)),
        response,
        sent,
        received);
  }

  private void frames(
      String name,
      byte[] command,
      byte[] header,
      ResponseApdu response,
      Instant sent,
      Instant received) {
    int pcb = 0x02 | blockNumber;
    blockNumber ^= 1;
    write(
        packet(
            NFC,
            sent,
            iso14443(PCD_TO_PICC, pcb, command),
            name + " (" + dev.dkrig.iso7816.Hex.encode(header) + ")"));
    if (response != null) {
      write(
          packet(
              NFC,
              received,
              iso14443(PICC_TO_PCD, pcb, response.bytes()),
              name + " -> " + StatusWord.describe(response.sw())));
    } else {
      text(received, "no response to " + name);
    }
    flush();
  }

  @Override
  public synchronized void fieldReset(Instant at) {
    write(packet(NFC, at, pseudo(FIELD_OFF, new byte[0]), "NFC reset: field off"));
    write(packet(NFC, at, pseudo(FIELD_ON, new byte[0]), "field on"));
    blockNumber = 0;
    flush();
  }

  @Override
  public synchronized void field(Instant at, boolean on) {
    write(
        packet(
            NFC,
            at,
            pseudo(on ? FIELD_ON : FIELD_OFF, new byte[0]),
            on ? "field on (activation)" : "field off"));
    blockNumber = 0;
    flush();
  }

  @Override
  public synchronized void stepStarted(Step step, Instant at) {
    stepBegins(at, step.id(), step.title());
  }

  @Override
  public synchronized void stepFinished(StepResult r) {
    text(
        r.end(),
        "step "
            + r.step().id()
            + " "
            + r.result()
            + ": "
            + r.detail()
            + (r.sw().isPresent() ? " [SW " + r.swHex() + "]" : "")
            + (r.abort().isPresent() ? " [abort " + r.abortHex() + "]" : ""));
  }

  @Override
  public synchronized void stepBegins(Instant at, String id, String title) {
    text(at, "step " + id + " begins: " + title);
  }

  @Override
  public synchronized void stepEnds(
      Instant at, String id, String result, String detail, java.util.Optional<String> sw) {
    text(
        at,
        "step " + id + " " + result + ": " + detail + sw.map(s -> " [SW " + s + "]").orElse(""));
  }

  @Override
  public synchronized void event(HuEvent event) {
    text(event.ts(), "event " + event.name() + " " + event.payload());
  }

  @Override
  public synchronized void note(Instant at, String message) {
    text(at, message);
  }

  @Override
  public synchronized void advertising(Instant at, boolean started, String detail) {
    text(at, "BLE advertising " + (started ? "started: " : "stopped: ") + detail);
  }

  /** A closing comment (the verdict). */
  public synchronized void comment(Instant at, String message) {
    text(at, message);
  }

  private void text(Instant at, String message) {
    write(packet(EVENTS, at, message.getBytes(StandardCharsets.UTF_8), message));
    flush();
  }

  private static byte[] iso14443(int event, int pcb, byte[] apdu) {
    byte[] frame = new byte[apdu.length + 1];
    frame[0] = (byte) pcb;
    System.arraycopy(apdu, 0, frame, 1, apdu.length);
    return pseudo(event, frame);
  }

  /** The LINKTYPE_ISO_14443 pseudo-header: version 0, event, big-endian length. */
  private static byte[] pseudo(int event, byte[] frame) {
    ByteBuffer b = ByteBuffer.allocate(4 + frame.length).order(ByteOrder.BIG_ENDIAN);
    b.put((byte) 0).put((byte) event).putShort((short) frame.length).put(frame);
    return b.array();
  }

  private static byte[] sectionHeader(String application, java.util.List<String> preamble) {
    byte[] options = option(4, application.getBytes(StandardCharsets.UTF_8));
    for (String line : preamble) {
      options = concat(options, option(1, line.getBytes(StandardCharsets.UTF_8)));
    }
    options = concat(options, option(0, new byte[0]));
    ByteBuffer body = le(16 + options.length);
    body.putInt(0x1A2B3C4D).putShort((short) 1).putShort((short) 0).putLong(-1L).put(options);
    return block(0x0A0D0D0A, body.array());
  }

  private static byte[] interfaceDescription(int linkType, String name, String description) {
    byte[] options =
        concat(
            option(2, name.getBytes(StandardCharsets.UTF_8)),
            option(3, description.getBytes(StandardCharsets.UTF_8)),
            option(9, new byte[] {6}),
            option(0, new byte[0]));
    ByteBuffer body = le(8 + options.length);
    body.putShort((short) linkType).putShort((short) 0).putInt(65535).put(options);
    return block(1, body.array());
  }

  private static byte[] packet(int iface, Instant at, byte[] data, String comment) {
    long micros = at.getEpochSecond() * 1_000_000L + at.getNano() / 1_000;
    byte[] padded = new byte[(data.length + 3) & ~3];
    System.arraycopy(data, 0, padded, 0, data.length);
    byte[] options =
        comment == null
            ? new byte[0]
            : concat(option(1, comment.getBytes(StandardCharsets.UTF_8)), option(0, new byte[0]));
    ByteBuffer body = le(20 + padded.length + options.length);
    body.putInt(iface)
        .putInt((int) (micros >>> 32))
        .putInt((int) micros)
        .putInt(data.length)
        .putInt(data.length)
        .put(padded)
        .put(options);
    return block(6, body.array());
  }

  private static byte[] options(int code, byte[] value) {
    return concat(option(code, value), option(0, new byte[0]));
  }

  private static byte[] option(int code, byte[] value) {
    int padded = (value.length + 3) & ~3;
    ByteBuffer b = le(4 + padded);
    b.putShort((short) code).putShort((short) value.length).put(value);
    return b.array();
  }

  private static byte[] block(int type, byte[] body) {
    int total = 12 + body.length;
    ByteBuffer b = le(total);
    b.putInt(type).putInt(total).put(body).putInt(total);
    return b.array();
  }

  private static ByteBuffer le(int size) {
    return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static byte[] concat(byte[]... parts) {
    return dev.dkrig.iso7816.Bytes.concat(parts);
  }

  private void write(byte[] bytes) {
    try {
      out.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException("pcapng write failed: " + e.getMessage(), e);
    }
  }

  private void flush() {
    try {
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("pcapng write failed: " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized void close() throws IOException {
    out.close();
  }
}
