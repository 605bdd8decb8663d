package dev.dkrig.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dkrig.testing.Pcscd;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18 on a real PC/SC stack: pcscd with the vpcd driver ({@link Pcscd}), {@code dkrig emulate
 * --vpcd} as the card, and {@code ./dkrig apdu}, {@code readers --json} and {@code doctor --json}
 * as a user runs them; then the same JSON commands with pcscd stopped. This JVM never opens a PC/SC
 * context itself, so it may stop pcscd. Run it inside {@code /work/bin/isolated}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ToolboxPcscIT {
  private static Pcscd pcscd;
  @TempDir Path dir;

  @BeforeAll
  static void startPcscd() {
    pcscd = Pcscd.standalone().start();
  }

  @AfterAll
  static void stopPcscd() {
    if (pcscd != null && pcscd.isRunning()) {
      pcscd.stop();
    }
  }

  private SuiteLauncher.Result dkrig(String... args) throws Exception {
    return SuiteLauncher.run(dir, "run", args);
  }

  private static JsonNode json(SuiteLauncher.Result r) throws Exception {
    return new ObjectMapper().readTree(r.out());
  }

  @Test
  @Order(1)
  @DisplayName("readers --json with pcscd: both vpcd readers numbered as -r takes them, no error")
  void readersJson() throws Exception {
    SuiteLauncher.Result r = dkrig("readers", "--json");
    assertEquals(0, r.exit(), r.out() + r.err());
    JsonNode doc = json(r);
    assertEquals("dkrig-readers/1", doc.get("schema").asText());
    assertTrue(doc.get("error").isNull(), doc.toString());
    JsonNode readers = doc.get("readers");
    assertEquals(2, readers.size(), doc.toString());
    assertEquals(Pcscd.READER_0, readers.get(0).get("name").asText());
    assertEquals(1, readers.get(0).get("number").asInt());
    assertEquals(Pcscd.READER_1, readers.get(1).get("name").asText());
    assertEquals(2, readers.get(1).get("number").asInt());
    assertEquals(false, readers.get(0).get("cardPresent").asBoolean());
    assertTrue(readers.get(0).get("atr").isNull());
  }

  @Test
  @Order(2)
  @DisplayName("apdu --rig rigs/pcsc.yaml -r 1 --select framework: 9000 through pcscd and vpcd")
  void apduThroughPcsc() throws Exception {
    Process emulator =
        SuiteLauncher.start(
            dir, "emulate", List.of("emulate", "--vpcd", "127.0.0.1:" + Pcscd.PORT_0));
    try {
      Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
      JsonNode card = null;
      while (Instant.now().isBefore(deadline)) {
        JsonNode reader = json(dkrig("readers", "--json")).get("readers").get(0);
        if (reader.get("cardPresent").asBoolean()) {
          card = reader;
          break;
        }
        Thread.sleep(200);
      }
      assertTrue(card != null, "the emulated card never appeared");
      assertTrue(card.get("atr").asText().matches("3B[0-9A-F]+"), card.toString());

      Path trace = dir.resolve("trace.txt");
      SuiteLauncher.Result r =
          dkrig(
              "apdu",
              "--rig",
              "rigs/pcsc.yaml",
              "-r",
              "1",
              "--select",
              "framework",
              "--trace",
              trace.toString());
      assertEquals(0, r.exit(), r.out() + r.err());
      assertTrue(r.out().contains("<< 5A04010101005C0401010100D40102 9000 (success)"), r.out());
      assertTrue(
          java.nio.file.Files.readString(trace).contains("# device found on " + Pcscd.READER_0),
          "the trace names the reader");

      // --raw through javax.smartcardio and pcscd: the wrong Lc reaches the card unchanged.
      SuiteLauncher.Result raw =
          dkrig("apdu", "--rig", "rigs/pcsc.yaml", "-r", "1", "--raw", "00A4040005A000");
      assertEquals(0, raw.exit(), raw.out() + raw.err());
      assertTrue(raw.out().contains("<< 6700 (wrong length)"), raw.out());
    } finally {
      emulator.destroy();
      if (!emulator.waitFor(10, TimeUnit.SECONDS)) {
        emulator.destroyForcibly();
      }
    }
  }

  @Test
  @Order(3)
  @DisplayName("doctor --json with pcscd: one document, pcscd ok, the text command's exit code")
  void doctorJson() throws Exception {
    // The card of the test before leaves the slot once its emulator has ended, but pcscd sees it
    // go a moment later; doctor's reader finding depends on it, so both runs start without it.
    Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
    while (json(dkrig("readers", "--json")).get("readers").get(0).get("cardPresent").asBoolean()) {
      assertTrue(Instant.now().isBefore(deadline), "the emulated card never left the slot");
      Thread.sleep(200);
    }
    SuiteLauncher.Result text = dkrig("doctor");
    SuiteLauncher.Result r = dkrig("doctor", "--json");
    assertEquals(text.exit(), r.exit(), r.out() + r.err());
    JsonNode doc = json(r);
    assertEquals("dkrig-doctor/1", doc.get("schema").asText());
    assertEquals(r.exit() == 0, doc.get("ready").asBoolean(), doc.toString());
    boolean pcscdOk = false;
    for (JsonNode f : doc.get("findings")) {
      pcscdOk |=
          f.get("subject").asText().equals("pcscd") && f.get("severity").asText().equals("ok");
    }
    assertTrue(pcscdOk, doc.toString());
  }

  @Test
  @Order(4)
  @DisplayName("no pcscd: readers --json and doctor --json still print one document, with error")
  void withoutPcscd() throws Exception {
    pcscd.stop();
    SuiteLauncher.Result readers = dkrig("readers", "--json");
    assertEquals(3, readers.exit(), readers.out() + readers.err());
    JsonNode doc = json(readers);
    assertEquals(0, doc.get("readers").size());
    assertTrue(doc.get("error").asText().contains("pcscd is not running"), doc.toString());

    SuiteLauncher.Result doctor = dkrig("doctor", "--json");
    assertEquals(3, doctor.exit(), doctor.out() + doctor.err());
    JsonNode report = json(doctor);
    assertEquals(false, report.get("ready").asBoolean());
    assertTrue(
        report.get("error").asText().startsWith("bench not ready: pcscd"), report.toString());

    SuiteLauncher.Result apdu =
        dkrig("apdu", "--rig", "rigs/pcsc.yaml", "--json", "--select", "framework");
    assertEquals(3, apdu.exit(), apdu.out() + apdu.err());
    assertTrue(json(apdu).get("error").asText().contains("pcscd"), apdu.out());
  }
}
