package dev.dkrig.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/** The real Wireshark reading a capture of dkrig's: the APDU frames of interface 0, decoded. */
final class Tshark {
  private Tshark() {}

  /** One decoded frame of interface 0 (the NFC side). */
  record Frame(
      int number, String event, String cla, String ins, String sw, String respTo, String comment) {}

  /**
   * Every command and response frame of {@code capture}, as {@code tshark -r FILE -d
   * iso14443.subdissector,iso7816} decodes it; fails when tshark does not read the file.
   *
   * @param scratch a folder of the test's for tshark's output
   */
  static List<Frame> frames(Path capture, Path scratch) throws Exception {
    Path tshark =
        List.of(Path.of("/usr/bin/tshark"), Path.of("/usr/local/bin/tshark")).stream()
            .filter(Files::isExecutable)
            .findFirst()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "tshark is missing: apt-get install tshark (scripts/test installs it)"));
    ProcessBuilder builder =
        new ProcessBuilder(
                tshark.toString(),
                "-r",
                capture.toString(),
                "-d",
                "iso14443.subdissector,iso7816",
                "-Y",
                "frame.interface_id == 0 && (iso14443.event == 0xfa || iso14443.event == 0xfb)",
                "-T",
                "fields",
                "-E",
                "separator=|",
                "-e",
                "frame.number",
                "-e",
                "iso14443.event",
                "-e",
                "iso7816.apdu.cla",
                "-e",
                "iso7816.apdu.ins",
                "-e",
                "iso7816.apdu.sw1",
                "-e",
                "iso7816.apdu.sw2",
                "-e",
                "iso7816.resp_to",
                "-e",
                "frame.comment")
            .directory(scratch.toFile());
    Path out = Files.createTempFile(scratch, "tshark", ".out");
    Path err = Files.createTempFile(scratch, "tshark", ".err");
    Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertTrue(process.waitFor(120, TimeUnit.SECONDS), "tshark -r " + capture + " did not finish");
    assertEquals(
        0,
        process.exitValue(),
        "tshark -r " + capture + ": " + Files.readString(err, StandardCharsets.UTF_8));
    List<Frame> frames = new ArrayList<>();
    for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
      String[] f = line.split("\\|", -1);
      String sw =
          f[4].isEmpty()
              ? ""
              : String.format(Locale.ROOT, "%02X%02X", Integer.decode(f[4]), Integer.decode(f[5]));
      frames.add(new Frame(Integer.parseInt(f[0]), f[1], f[2], f[3], sw, f[6], f[7]));
    }
    return frames;
  }
}
