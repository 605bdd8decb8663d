package dev.dkrig.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Issue 15 item 10: the recorded command line can be pasted back into bash. */
class PreambleCommandTest {

  private static Preamble of(String... arguments) {
    return new Preamble("", "", "", Preamble.mask(List.of(arguments)), Map.of());
  }

  @Test
  @DisplayName("bash reads the recorded command back into the same arguments")
  void pastesBack() throws Exception {
    List<String> arguments =
        List.of(
            "pair",
            "--dut",
            "lab phone 7",
            "--report-dir",
            "it's here/x",
            "--json=a b.json",
            "--timer",
            "T_Apdu=2s",
            "",
            "$HOME `id` *",
            "tab\there",
            "line\nbreak\u001b[31m red\u0007",
            "back\\slash'quote",
            "Grüße");
    String text = of(arguments.toArray(String[]::new)).commandLineText();
    assertFalse(text.chars().anyMatch(c -> c < 0x20 || c == 0x7F), text);
    assertTrue(text.startsWith("pair --dut 'lab phone 7' --report-dir 'it'\\''s here/x'"), text);
    assertTrue(text.contains("$'line\\nbreak\\e[31m red\\x07'"), text);
    assertEquals(arguments, bashWords(text));
  }

  @Test
  @DisplayName("secrets stay masked")
  void secretsMasked() throws Exception {
    String text =
        of("pair", "--device-password", "87654321", "--password=12345678").commandLineText();
    assertFalse(text.contains("8765") || text.contains("1234"), text);
    assertEquals(List.of("pair", "--device-password", "****", "--password=****"), bashWords(text));
  }

  /** The words bash makes of a command line (each printed NUL-terminated). */
  private static List<String> bashWords(String commandLine) throws Exception {
    Process bash =
        new ProcessBuilder("bash", "-c", "printf '%s\\0' " + commandLine)
            .redirectErrorStream(true)
            .start();
    byte[] out = bash.getInputStream().readAllBytes();
    assertTrue(bash.waitFor(10, TimeUnit.SECONDS));
    assertEquals(0, bash.exitValue());
    String all = new String(out, StandardCharsets.UTF_8);
    return Arrays.asList(all.substring(0, all.length() - 1).split("\0", -1));
  }
}
