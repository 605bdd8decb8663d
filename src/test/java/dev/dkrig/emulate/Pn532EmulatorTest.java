package dev.dkrig.emulate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dkrig.iso7816.ContactlessCard;
import dev.dkrig.iso7816.Hex;
import dev.dkrig.testing.Pn532PtyBench;
import dev.dkrig.transport.pn532.JSerialCommLink;
import dev.dkrig.transport.pn532.Pn532Frame;
import dev.dkrig.transport.pn532.Pn532FrameLink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PN532 emulator as a board, seen from the host end of a socat pty pair: libnfc's real {@code
 * pn532_uart} driver ({@code nfc-list}) as the independent check of its framing, then the protocol
 * rules frame by frame (notes §3).
 */
@Timeout(90)
class Pn532EmulatorTest {
  private static final Duration WAIT = Duration.ofSeconds(3);

  @TempDir Path dir;

  @Test
  @DisplayName("nfc-list (libnfc pn532_uart) lists exactly one ISO/IEC 14443A target")
  void nfcListSeesOneIso14443aTarget() throws Exception {
    String nfcList = findOnPath("nfc-list");
    Path log = dir.resolve("libnfc.log");
    Path out = dir.resolve("nfc-list.out");
    try (Pn532PtyBench bench = Pn532PtyBench.start(dir.resolve("pty"), Pn532PtyBench.t1Device())) {
      ProcessBuilder builder =
          new ProcessBuilder(nfcList, "-v")
              .redirectOutput(out.toFile())
              .redirectError(log.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      Map<String, String> env = builder.environment();
      env.put("LIBNFC_DEVICE", "pn532_uart:" + bench.pty().host());
      env.put("LIBNFC_LOG_LEVEL", "3");
      Process process = builder.start();
      boolean ended = process.waitFor(30, TimeUnit.SECONDS);
      if (!ended) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
      String output = Files.readString(out);
      String libnfc = Files.readString(log);
      assertTrue(ended, "nfc-list did not end within 30 s; its log:\n" + tail(libnfc));
      assertEquals(0, process.exitValue(), output + "\n" + tail(libnfc));

      assertTrue(output.contains("NFC device: user defined device opened"), output);
      assertTrue(output.contains("1 ISO14443A passive target(s) found:"), output);
      assertTrue(output.contains("ISO/IEC 14443A (106 kbps) target:"), output);
      assertTrue(squeeze(output).contains("ATQA (SENS_RES): 00 04"), output);
      assertTrue(squeeze(output).contains("UID (NFCID3): 08 d1 7a 3c"), output);
      assertTrue(output.contains("* Random UID"), output);
      assertTrue(squeeze(output).contains("SAK (SEL_RES): 20"), output);
      assertTrue(output.contains("* Compliant with ISO/IEC 14443-4"), output);
      assertTrue(squeeze(output).contains("ATS: 78 80 70 02"), output);
      assertTrue(output.contains("Max Frame Size accepted by PICC: 256 bytes"), output);
      for (String other :
          List.of("Felica (212 kbps)", "Felica (424 kbps)", "ISO14443B", "ISO14443A-3 Jewel")) {
        String none = "0 " + other + " passive target(s) found.";
        assertTrue(output.contains(none), "expected '" + none + "':\n" + output);
      }

      // The framing check: every command libnfc sent was acknowledged, and none failed.
      int sent = count(libnfc, "libnfc.bus.uart\tTX: 00 00 ff");
      int acked = count(libnfc, "PN53x ACKed");
      assertTrue(sent >= 30, "libnfc sent " + sent + " commands:\n" + tail(libnfc));
      assertEquals(sent, acked, tail(libnfc));
      assertFalse(libnfc.contains("Application level error"), tail(libnfc));
      for (String command :
          List.of(
              "SAMConfiguration",
              "Diagnose",
              "GetFirmwareVersion",
              "SetParameters",
              "ReadRegister",
              "WriteRegister",
              "RFConfiguration",
              "InListPassiveTarget",
              "InDeselect",
              "InCommunicateThru",
              "InRelease",
              "PowerDown")) {
        assertTrue(libnfc.contains("libnfc.chip.pn53x\t" + command), command + " not exercised");
      }
      assertTrue(bench.emulator().running(), bench.emulator().stopReason());
    }
  }

  @Test
  @DisplayName("ACK before every answer; wake-up bytes skipped; unknown command: error frame")
  void ackThenAnswer() throws Exception {
    try (Pn532PtyBench bench = Pn532PtyBench.start(dir, Pn532PtyBench.t1Device());
        Pn532FrameLink host = host(bench)) {
      host.sendRaw(Hex.decode("55550000000000000000000000000000"), "wake-up");
      host.send(command("02"));
      assertEquals(List.of(Pn532Frame.ACK, response("0332010607")), receive(host, 2));
      host.send(command("00006C69626E6663"));
      assertEquals(List.of(Pn532Frame.ACK, response("01006C69626E6663")), receive(host, 2));
      host.send(command("1212"));
      assertEquals(List.of(Pn532Frame.ACK, response("13")), receive(host, 2));
      host.send(command("16F0"));
      assertEquals(List.of(Pn532Frame.ACK, response("1700")), receive(host, 2));
      host.send(command("F0"));
      assertEquals(List.of(Pn532Frame.ACK, Pn532Frame.APPLICATION_ERROR), receive(host, 2));
      host.send(command("4A01"));
      assertEquals(List.of(Pn532Frame.ACK, Pn532Frame.APPLICATION_ERROR), receive(host, 2));
    }
  }

  @Test
  @DisplayName("a garbled command is answered NACK; the host's NACK repeats the last answer")
  void nackBothWays() throws Exception {
    try (Pn532PtyBench bench = Pn532PtyBench.start(dir, Pn532PtyBench.t1Device());
        Pn532FrameLink host = host(bench)) {
      host.sendRaw(Hex.decode("0000FF02FED4022B00"), "GetFirmwareVersion with a bad DCS");
      assertEquals(List.of(Pn532Frame.NACK), receive(host, 1));
      host.send(command("02"));
      assertEquals(List.of(Pn532Frame.ACK, response("0332010607")), receive(host, 2));
      host.send(Pn532Frame.NACK);
      assertEquals(List.of(response("0332010607")), receive(host, 1));
    }
  }

  @Test
  @DisplayName("targets: type A only; field off deactivates; InDataExchange with host MI chaining")
  void targetsAndChaining() throws Exception {
    List<String> seen = new ArrayList<>();
    ContactlessCard card =
        new ContactlessCard() {
          @Override
          public void activate() {
            seen.add("activate");
          }

          @Override
          public byte[] process(byte[] command) {
            seen.add(Hex.encode(command));
            return Hex.decode("9000");
          }

          @Override
          public void deactivate() {
            seen.add("deactivate");
          }
        };
    try (Pn532PtyBench bench = Pn532PtyBench.start(dir, card);
        Pn532FrameLink host = host(bench)) {
      assertEquals(response("4B00"), answer(host, "4A0102000000"), "no FeliCa target");
      assertEquals(response("4B00"), answer(host, "4A0103"), "no type B target");
      assertEquals(response("4127"), answer(host, "40010102"), "no target listed yet");
      assertEquals(
          response("4B01" + "01000420" + "04" + "08D17A3C" + "0578807002"), answer(host, "4A0100"));
      assertEquals(response("4100"), answer(host, "4041" + "00A40400"), "first part (MI)");
      assertEquals(response("41009000"), answer(host, "4001" + "0D00"), "last part");
      assertEquals(response("33"), answer(host, "320100"), "field off");
      assertEquals(response("4127"), answer(host, "40010102"), "field off: card deactivated");
      assertEquals(List.of("activate", "00A404000D00", "deactivate"), seen);
    }
  }

  @Test
  @DisplayName("close() stops the serving thread, deactivates the card and frees the port")
  void closeStops() throws Exception {
    try (Pn532PtyBench bench = Pn532PtyBench.start(dir, Pn532PtyBench.t1Device())) {
      Pn532Emulator emulator = bench.emulator();
      assertTrue(emulator.running());
      emulator.close();
      assertTrue(emulator.awaitStop(WAIT));
      assertFalse(emulator.running());
      assertEquals("", emulator.stopReason());
      emulator.close();
    }
  }

  private static Pn532FrameLink host(Pn532PtyBench bench) throws IOException {
    return new Pn532FrameLink(
        JSerialCommLink.open(bench.pty().host().toString(), 115200),
        Pn532Frame.Direction.HOST_TO_BOARD);
  }

  private static Pn532Frame.Information command(String hex) {
    return new Pn532Frame.Information(Pn532Frame.Direction.HOST_TO_BOARD, Hex.decode(hex));
  }

  private static Pn532Frame.Information response(String hex) {
    return new Pn532Frame.Information(Pn532Frame.Direction.BOARD_TO_HOST, Hex.decode(hex));
  }

  /** Sends a command, expects ACK, returns the answer. */
  private static Pn532Frame.Information answer(Pn532FrameLink host, String command)
      throws IOException {
    host.send(command(command));
    List<Pn532Frame> frames = receive(host, 2);
    assertEquals(Pn532Frame.ACK, frames.get(0), command);
    return (Pn532Frame.Information) frames.get(1);
  }

  private static List<Pn532Frame> receive(Pn532FrameLink host, int count) throws IOException {
    List<Pn532Frame> frames = new ArrayList<>();
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (frames.size() < count) {
      Optional<Pn532Frame> frame = host.receive(deadline);
      assertTrue(frame.isPresent(), "only " + frames + " within " + WAIT);
      frames.add(frame.get());
    }
    return frames;
  }

  private static String findOnPath(String program) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, program);
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    throw new IllegalStateException(
        program
            + " is not installed: the PN532 emulator's framing is checked with libnfc; install "
            + "the Debian package libnfc-bin (apt-get install libnfc-bin)");
  }

  private static String squeeze(String text) {
    return text.replaceAll("[ \\t]+", " ");
  }

  private static int count(String text, String needle) {
    Matcher m = Pattern.compile(Pattern.quote(needle)).matcher(text);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  private static String tail(String text) {
    return text.length() <= 4000 ? text : "…" + text.substring(text.length() - 4000);
  }
}
