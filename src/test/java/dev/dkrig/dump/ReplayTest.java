package dev.dkrig.dump;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dkrig.bench.ConfigSource;
import dev.dkrig.bench.VehicleProfile;
import dev.dkrig.pairing.RunListener;
import dev.dkrig.pairing.Verdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Issue 7: recorded runs replay to the same step results; an edited dump is caught. */
class ReplayTest {
  @TempDir Path dir;

  private static Path shipped(String name) throws Exception {
    return Path.of(ReplayTest.class.getResource("/dumps/" + name).toURI());
  }

  private Replay.Result replay(Path file) throws Exception {
    return Replay.run(
        Dump.read(file),
        VehicleProfile.load(ConfigSource.embedded(VehicleProfile.EMBEDDED)).settings(),
        dir.resolve("state"),
        new RunListener() {});
  }

  @ParameterizedTest
  @ValueSource(strings = {"pass.dump", "wrong-password.dump", "bad-endpoint-signature.dump"})
  @DisplayName("the shipped bench recordings replay to identical step results")
  void shippedDumps(String name) throws Exception {
    Replay.Result result = replay(shipped(name));
    assertTrue(result.identical(), () -> result.divergence() + " " + result.differences());
  }

  @Test
  @DisplayName("the recordings keep their verdicts")
  void verdicts() throws Exception {
    assertEquals(Verdict.PASS, replay(shipped("pass.dump")).outcome().verdict());
    assertEquals(Verdict.FAIL, replay(shipped("wrong-password.dump")).outcome().verdict());
    assertEquals(Verdict.FAIL, replay(shipped("bad-endpoint-signature.dump")).outcome().verdict());
  }

  @Test
  @DisplayName("an edited response is caught at the first APDU where the vehicle goes another way")
  void editedResponse() throws Exception {
    List<String> lines = Files.readAllLines(shipped("pass.dump"));
    int verify = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains(" << 5810")) {
        verify = i;
        break;
      }
    }
    String line = lines.get(verify);
    int at = line.indexOf("<< 5810") + 10;
    lines.set(
        verify,
        line.substring(0, at) + (line.charAt(at) == '0' ? '1' : '0') + line.substring(at + 1));
    Path edited = dir.resolve("edited.dump");
    Files.write(edited, lines);
    Replay.Result result = replay(edited);
    assertFalse(result.identical());
    assertTrue(
        result.divergence().orElseThrow().startsWith("APDU 4 (dump line "),
        result.divergence().get());
    assertTrue(result.differences().stream().anyMatch(d -> d.startsWith("P2.3: recorded PASS")));
  }

  @Test
  @DisplayName("an edited command is caught at that APDU")
  void editedCommand() throws Exception {
    List<String> lines = Files.readAllLines(shipped("pass.dump"));
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains(" >> 803C1001")) {
        lines.set(i, lines.get(i).replace(">> 803C1001", ">> 803C1002"));
        break;
      }
    }
    Path edited = dir.resolve("edited.dump");
    Files.write(edited, lines);
    Replay.Result result = replay(edited);
    assertTrue(
        result.divergence().orElseThrow().contains("recorded 803C1002, the vehicle sent 803C1001"),
        result.divergence().get());
    // Issue 15 item 8: the first differing byte is named, whatever the shortened forms show.
    assertTrue(
        result.divergence().get().contains("first difference at byte 3: recorded 02, sent 01"),
        result.divergence().get());
  }

  @Test
  @DisplayName("a file that is not a dump is refused with its line")
  void notADump() throws Exception {
    Path file = dir.resolve("x.dump");
    Files.writeString(file, "# dkrig-dump/1\nseed twelve\n");
    String message =
        org.junit.jupiter.api.Assertions.assertThrows(
                Dump.BadDumpException.class, () -> Dump.read(file))
            .getMessage();
    assertTrue(message.contains("x.dump:2"), message);
  }
}
