package dev.dkrig.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dkrig.ccc.fw.FrameworkCommands;
import dev.dkrig.iso7816.CommandApdu;
import dev.dkrig.iso7816.Hex;
import dev.dkrig.iso7816.ResponseApdu;
import dev.dkrig.time.VirtualClock;
import dev.dkrig.transport.NfcTransport;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18 item 1: {@code dkrig apdu} against the built-in virtual device (the reader {@code pair}
 * opens without a rig), in process. The PC/SC path runs in {@code ToolboxPcscIT}.
 */
class ApduCommandTest {
  @TempDir Path dir;

  private static final String SELECT_FRAMEWORK = "00A404000DA000000809434343444B46763100";

  @Test
  @DisplayName("--select framework: the SELECT response of §3.3.1 with 9000 (success), exit 0")
  void selectFramework() {
    CliRun run = CliRun.of("apdu", "--select", "framework");
    assertEquals(0, run.exitCode(), run.out() + run.err());
    List<String> lines = run.out().lines().toList();
    assertEquals(
        ">> " + FrameworkCommands.selectFramework(), lines.get(0), "the contract's SELECT");
    assertTrue(
        lines.get(1).startsWith("<< 5A04010101005C0401010100D40102 9000 (success) ("), run.out());
  }

  @Test
  @DisplayName("--select applet on a device without a DK: 6A82 explained, still exit 0")
  void selectAppletExplained() {
    CliRun run = CliRun.of("apdu", "--select", "applet");
    assertEquals(0, run.exitCode(), run.out() + run.err());
    assertTrue(run.out().contains("<< 6A82 (application not found)"), run.out());
  }

  @Test
  @DisplayName("a scriptor-style file: comments, blank lines, spaced hex, reset; trace and pcapng")
  void scriptFile() throws Exception {
    Path script = dir.resolve("select.apdu");
    Files.writeString(
        script,
        "# select the framework, then the applet after an NFC reset\n"
            + "\n"
            + SELECT_FRAMEWORK
            + "   # framework\n"
            + "reset\n"
            + "00 A4 04 00 0D A0 00 00 08 09 43 43 43 44 4B 41 76 31 00\n"
            + "80 30 00 00\n");
    Path trace = dir.resolve("out/trace.txt");
    Path pcapng = dir.resolve("out/capture.pcapng");
    CliRun run =
        CliRun.of(
            "apdu", "-f", script.toString(), "--trace", trace.toString(), "--pcapng", "" + pcapng);
    assertEquals(0, run.exitCode(), run.out() + run.err());
    List<String> sent = run.out().lines().filter(l -> l.startsWith(">> ")).toList();
    assertEquals(3, sent.size(), run.out());
    assertTrue(run.out().contains("-- NFC reset (" + script + ":4)"), run.out());
    assertTrue(run.out().contains("<< 6A82 (application not found)"), run.out());
    // The reset dropped the framework session: SPAKE2+ REQUEST with nothing selected (§18.10).
    assertTrue(run.out().contains("<< 6985 (conditions of use not satisfied)"), run.out());
    String traced = Files.readString(trace);
    assertTrue(traced.contains(">> 00A40400 0D A000000809434343444B467631 00"), traced);
    assertTrue(traced.contains("# NFC reset (" + script + ":4)"), traced);
    byte[] capture = Files.readAllBytes(pcapng);
    assertArrayEquals(Hex.decode("0A0D0D0A"), java.util.Arrays.copyOf(capture, 4), "pcapng SHB");
    assertTrue(
        new String(capture, java.nio.charset.StandardCharsets.UTF_8).contains("SELECT -> 6A82"),
        "every APDU carries its status word as a comment");
  }

  @Test
  @DisplayName("odd-length hex: exit 2 naming the APDU and the digit without a partner")
  void oddLength() {
    CliRun run = CliRun.of("apdu", SELECT_FRAMEWORK, "00A4040");
    assertEquals(2, run.exitCode(), run.err());
    assertTrue(
        run.err()
            .contains("APDU 2: odd number of hex digits: the digit at character 7 has no partner"),
        run.err());
    assertEquals("", run.out(), "nothing is sent when one APDU is malformed");
  }

  @Test
  @DisplayName("a non-hex character: exit 2 naming the APDU, the character and its position")
  void notHex() {
    CliRun run = CliRun.of("apdu", "00A4Z400");
    assertEquals(2, run.exitCode(), run.err());
    assertTrue(run.err().contains("APDU 1: 'Z' at character 5 is not a hex digit"), run.err());
    CliRun control = CliRun.of("apdu", "00A4\u001b[31m");
    assertEquals(2, control.exitCode(), control.err());
    assertFalse(control.err().contains("\u001b"), "control characters are not echoed");
    assertTrue(control.err().contains("character U+001B at character 5"), control.err());
  }

  @Test
  @DisplayName("a malformed line of a file: exit 2 naming FILE:LINE and the column")
  void malformedFileLine() throws Exception {
    Path script = dir.resolve("bad.apdu");
    Files.writeString(script, SELECT_FRAMEWORK + "\n# ok\n  00A4 04 0G\n");
    CliRun run = CliRun.of("apdu", "-f", script.toString());
    assertEquals(2, run.exitCode(), run.err());
    assertTrue(run.err().contains(script + ":3: 'G' at character 12"), run.err());
  }

  @Test
  @DisplayName("Lc disagreeing with the length: refused (exit 2); --raw sends it, the device 6700")
  void lcMismatch() {
    CliRun refused = CliRun.of("apdu", "00A4040005A000");
    assertEquals(2, refused.exitCode(), refused.err());
    assertTrue(refused.err().contains("APDU 1: command APDU length 7"), refused.err());
    assertTrue(refused.err().contains("--raw"), refused.err());
    CliRun raw = CliRun.of("apdu", "--raw", "00A4040005A000");
    assertEquals(0, raw.exitCode(), raw.out() + raw.err());
    assertTrue(raw.out().contains(">> 00A4040005A000"), raw.out());
    assertTrue(raw.out().contains("<< 6700 (wrong length)"), raw.out());
    // §3.2: a device MUST answer an extended-length APDU with 6700.
    CliRun extended = CliRun.of("apdu", "--raw", "00A40400000002A00000");
    assertEquals(0, extended.exitCode(), extended.out() + extended.err());
    assertTrue(extended.out().contains("<< 6700 (wrong length)"), extended.out());
  }

  @Test
  @DisplayName("--json: one document with every exchange, its times and its explained SW")
  void json() throws Exception {
    CliRun run = CliRun.of("apdu", "--json", "--select", "framework", "80CA000000");
    assertEquals(0, run.exitCode(), run.out() + run.err());
    JsonNode doc = new ObjectMapper().readTree(run.out());
    assertEquals("dkrig-apdu/1", doc.get("schema").asText());
    assertTrue(doc.get("error").isNull(), doc.toString());
    JsonNode exchanges = doc.get("exchanges");
    assertEquals(2, exchanges.size(), doc.toString());
    JsonNode select = exchanges.get(0);
    assertEquals("--select", select.get("source").asText());
    assertEquals(SELECT_FRAMEWORK, select.get("command").asText());
    assertEquals("9000", select.get("sw").asText());
    assertEquals("success", select.get("meaning").asText());
    assertTrue(select.get("response").asText().endsWith("D401029000"), select.toString());
    Instant sent = Instant.parse(select.get("sent").asText());
    Instant received = Instant.parse(select.get("received").asText());
    assertFalse(received.isBefore(sent));
    assertTrue(select.get("ms").asDouble() >= 0);
    assertEquals("APDU 1", exchanges.get(1).get("source").asText());
  }

  @Test
  @DisplayName("user mistakes: nothing to send, bad --select, bad --wait (2); missing files (4)")
  void mistakes() throws Exception {
    assertEquals(2, CliRun.of("apdu").exitCode());
    CliRun select = CliRun.of("apdu", "--select", "wallet");
    assertEquals(2, select.exitCode());
    assertTrue(select.err().contains("expected framework or applet, got 'wallet'"), select.err());
    assertEquals(2, CliRun.of("apdu", "--wait", "soon", SELECT_FRAMEWORK).exitCode());
    Path missing = dir.resolve("missing.apdu");
    CliRun file = CliRun.of("apdu", "-f", missing.toString());
    assertEquals(4, file.exitCode(), file.err());
    assertEquals(
        "dkrig: -f " + missing + ": cannot read the APDU file: no such file", file.err().strip());
    CliRun reader = CliRun.of("apdu", "-r", "1", SELECT_FRAMEWORK);
    assertEquals(2, reader.exitCode(), reader.err());
    assertTrue(
        reader.err().contains("-r 1: embedded:rigs/virtual.yaml has no PC/SC reader"),
        reader.err());
    assertEquals("", reader.out(), "the virtual device gets nothing meant for a reader");
    Path blocked = dir.resolve("a-file");
    Files.writeString(blocked, "not a folder");
    CliRun trace =
        CliRun.of("apdu", "--trace", blocked.resolve("trace.txt").toString(), SELECT_FRAMEWORK);
    assertEquals(4, trace.exitCode(), trace.err());
    assertEquals("", trace.out(), "no APDU goes out without its trace");
    assertTrue(trace.err().contains("--trace " + blocked.resolve("trace.txt")), trace.err());
    Path rig = dir.resolve("missing-rig.yaml");
    CliRun config = CliRun.of("apdu", "--json", "--rig", rig.toString(), SELECT_FRAMEWORK);
    assertEquals(4, config.exitCode(), config.err());
    JsonNode doc = new ObjectMapper().readTree(config.out());
    assertTrue(doc.get("error").asText().startsWith("configuration error: "), doc.toString());
    assertEquals(0, doc.get("exchanges").size());
  }

  /** A card outside this protocol that answers with 61xx and gives the rest to GET RESPONSE. */
  private static final class ChainingCard implements NfcTransport {
    final List<String> sent = new ArrayList<>();

    @Override
    public String description() {
      return "chaining card";
    }

    @Override
    public void startPolling() {}

    @Override
    public boolean awaitTarget(Duration wait) {
      return true;
    }

    @Override
    public ResponseApdu transmit(CommandApdu command) {
      sent.add(Hex.encode(command.bytes()));
      return command.ins() == 0xC0
          ? ResponseApdu.of(Hex.decode("0102"), 0x9000)
          : ResponseApdu.of(Hex.decode("AABB"), 0x6102);
    }

    @Override
    public void reset() {}

    @Override
    public void stopPolling() {}

    @Override
    public void close() {}
  }

  private static List<ApduScript.Item> readRecord() {
    return List.of(ApduScript.parse("APDU 1", "00B2010C00", 1, false));
  }

  @Test
  @DisplayName("61xx: no GET RESPONSE unless asked (§3.2); --get-response sends a plain 00 C0 xx")
  void getResponse() throws Exception {
    ChainingCard card = new ChainingCard();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    ApduSession plain =
        new ApduSession(
            card,
            new VirtualClock(Instant.EPOCH),
            Duration.ofSeconds(1),
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            false,
            false);
    plain.run(readRecord());
    assertEquals(List.of("00B2010C00"), card.sent);
    assertTrue(out.toString().contains("<< AABB 6102 (more data: 2 bytes)"), out.toString());
    assertTrue(err.toString().contains("84 C0 (contract §3.2)"), err.toString());

    card.sent.clear();
    ApduSession asked =
        new ApduSession(
            card,
            new VirtualClock(Instant.EPOCH),
            Duration.ofSeconds(1),
            new PrintWriter(new StringWriter(), true),
            new PrintWriter(new StringWriter(), true),
            true,
            true);
    asked.run(readRecord());
    assertEquals(List.of("00B2010C00", "00C0000002"), card.sent);
    JsonNode second = asked.document().get("exchanges").get(1);
    assertEquals("APDU 1 GET RESPONSE", second.get("source").asText());
    assertEquals("9000", second.get("sw").asText());
  }
}
