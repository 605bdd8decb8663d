package dev.dkrig.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dkrig.emulate.RawFrameClient;
import dev.dkrig.testing.Pcscd;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19 item 5, a phone that never hangs: a careless vehicle ({@link RawFrameClient}, in a JVM
 * of its own) sends a few thousand random frames of every length, 0 to 65535 bytes, through
 * libpcsclite, a real pcscd and vpcd to {@code dkrig emulate --vpcd}; every one is answered with a
 * status word in bounded time, and then {@code dkrig pair --rig rigs/pcsc.yaml} passes against the
 * same emulator. This JVM never opens a PC/SC context itself. Run it inside {@code
 * /work/bin/isolated}. The same frames then go to {@code dkrig phone --vpcd}, whose next pairing
 * with a clean vehicle passes.
 */
class PhoneNeverHangsIT {
  private static final long SEED = 0x19_05L;
  private static final int RANDOM_FRAMES = 3_000;

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

  @Test
  @DisplayName(
      "dkrig emulate --vpcd answers 3,262 random frames of 0-65535 bytes through pcscd (empty and"
          + " one-byte ones: 6700), stays in the reader, and a clean pair PASSes afterwards")
  void answersEveryFrameThenPairs() throws Exception {
    Process emulator =
        SuiteLauncher.start(
            dir, "emulate", List.of("emulate", "-v", "--vpcd", "127.0.0.1:" + Pcscd.PORT_0));
    try {
      awaitCard();
      Process vehicle = careless().start();
      // Each frame is bounded by the client (10 s); the whole run by this.
      boolean ended = vehicle.waitFor(10, TimeUnit.MINUTES);
      if (!ended) {
        vehicle.destroyForcibly();
      }
      String out = Files.readString(dir.resolve("careless.out"), StandardCharsets.UTF_8);
      String err = Files.readString(dir.resolve("careless.err"), StandardCharsets.UTF_8);
      assertTrue(ended, "the careless vehicle did not finish: " + out + err);
      assertEquals(0, vehicle.exitValue(), out + err + "\nemulator:\n" + emulatorErr());
      assertTrue(out.contains("3262 frames answered"), out);
      assertTrue(out.contains("length 0: 5 answered (5 with 6700)"), out);
      // 256 one-byte values plus the drawn ones; only 04 is answered with the ATR.
      assertTrue(emulator.isAlive(), "the emulator died: " + emulatorErr());

      Path json = dir.resolve("pair.json");
      SuiteLauncher.Result pair =
          SuiteLauncher.run(
              dir, "pair", "pair", "--rig", "rigs/pcsc.yaml", "-r", "1", "--json", json.toString());
      assertEquals(0, pair.exit(), pair.out() + pair.err());
      JsonNode report = new ObjectMapper().readTree(json.toFile());
      assertEquals("PASS", report.get("verdict").asText());
      assertEquals(42, report.get("steps").size());
      assertTrue(emulator.isAlive(), "the emulator died: " + emulatorErr());
      assertFalse(emulatorErr().contains("unexpected failure"), emulatorErr());
    } finally {
      emulator.destroy();
      if (!emulator.waitFor(10, TimeUnit.SECONDS)) {
        emulator.destroyForcibly();
      }
    }
  }

  @Test
  @DisplayName(
      "dkrig phone --vpcd answers the same random frames through pcscd (each pairing they make"
          + " FAILs and the phone re-arms), stays in the reader, and a clean vehicle then PASSes")
  void phoneAnswersEveryFrameThenPairs() throws Exception {
    Path evidence = dir.resolve("phone-evidence");
    Process phone =
        SuiteLauncher.start(
            dir,
            "phone",
            List.of(
                "phone",
                "--vpcd",
                "127.0.0.1:" + Pcscd.PORT_0,
                // Every field-off the frames cause after a FAIL ends a pairing; the phone re-arms.
                "--repeat",
                "1000",
                "--phase4-wait",
                "10m",
                "--report-dir",
                evidence.toString()));
    try {
      awaitCard();
      Process vehicle = careless().start();
      boolean ended = vehicle.waitFor(10, TimeUnit.MINUTES);
      if (!ended) {
        vehicle.destroyForcibly();
      }
      String out = Files.readString(dir.resolve("careless.out"), StandardCharsets.UTF_8);
      String err = Files.readString(dir.resolve("careless.err"), StandardCharsets.UTF_8);
      assertTrue(ended, "the careless vehicle did not finish: " + out + err);
      assertEquals(0, vehicle.exitValue(), out + err + "\nphone:\n" + phoneErr());
      assertTrue(out.contains("3262 frames answered"), out);
      assertTrue(phone.isAlive(), "the phone died: " + phoneErr());
      // pcscd powers the card off 0.6 s after the careless vehicle leaves: that pairing ends.
      Thread.sleep(3_000);
      List<Path> judged = reports(evidence);
      assertFalse(judged.isEmpty(), "no pairing was judged: " + phoneErr());
      for (Path report : judged) {
        JsonNode verdict = new ObjectMapper().readTree(report.toFile());
        assertEquals("FAIL", verdict.get("verdict").asText(), report + ": " + verdict);
      }

      SuiteLauncher.Result pair =
          SuiteLauncher.run(dir, "pair", "pair", "--rig", "rigs/pcsc.yaml", "-r", "1", "-q");
      assertEquals(0, pair.exit(), pair.out() + pair.err() + "\nphone:\n" + phoneErr());
      Path clean = null;
      Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
      while (clean == null && Instant.now().isBefore(deadline)) {
        for (Path report : reports(evidence)) {
          if (!judged.contains(report)) {
            clean = report;
          }
        }
        Thread.sleep(200);
      }
      assertTrue(clean != null, "the clean pairing was never judged: " + phoneErr());
      JsonNode passed = new ObjectMapper().readTree(clean.toFile());
      assertEquals("PASS", passed.get("verdict").asText(), clean + ": " + passed);
      assertEquals(42, passed.get("steps").size());
      assertFalse(phoneErr().contains("internal error"), phoneErr());
    } finally {
      phone.destroy();
      if (!phone.waitFor(10, TimeUnit.SECONDS)) {
        phone.destroyForcibly();
      }
    }
  }

  /** The pairings judged so far: each folder's report.json, in order. */
  private static List<Path> reports(Path evidence) throws Exception {
    if (!Files.isDirectory(evidence)) {
      return List.of();
    }
    try (java.util.stream.Stream<Path> runs = Files.list(evidence)) {
      return runs.map(r -> r.resolve("report.json")).filter(Files::exists).sorted().toList();
    }
  }

  private String phoneErr() throws Exception {
    Path err = dir.resolve("phone.err");
    return Files.exists(err) ? Files.readString(err, StandardCharsets.UTF_8) : "";
  }

  private ProcessBuilder careless() {
    String classPath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    return new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "--add-opens",
            "java.smartcardio/sun.security.smartcardio=ALL-UNNAMED",
            "-cp",
            classPath,
            RawFrameClient.class.getName(),
            Pcscd.READER_0,
            Long.toString(SEED),
            Integer.toString(RANDOM_FRAMES))
        .redirectOutput(dir.resolve("careless.out").toFile())
        .redirectError(dir.resolve("careless.err").toFile());
  }

  /** Waits until pcscd reports the emulated card in reader 00 00. */
  private void awaitCard() throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
    while (Instant.now().isBefore(deadline)) {
      SuiteLauncher.Result readers = SuiteLauncher.run(dir, "readers", "readers");
      if (readers.out().lines().anyMatch(l -> l.contains(Pcscd.READER_0) && l.contains("card"))) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError(
        "the card never appeared: "
            + (Files.exists(dir.resolve("emulate.err")) ? emulatorErr() : phoneErr()));
  }

  private String emulatorErr() throws Exception {
    return Files.readString(dir.resolve("emulate.err"), StandardCharsets.UTF_8);
  }
}
