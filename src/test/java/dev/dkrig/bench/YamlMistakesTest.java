package dev.dkrig.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 15 item 7: YAML mistakes name the place; huge or ambiguous files are refused at once. */
class YamlMistakesTest {
  @TempDir Path dir;

  private String error(String text) throws Exception {
    Path file = dir.resolve("f.yaml");
    Files.writeString(file, text);
    String message =
        assertThrows(ConfigException.class, () -> ConfigNode.load(ConfigSource.file(file)))
            .getMessage();
    assertEquals(1, message.lines().count(), message);
    assertTrue(message.startsWith(file.toString() + ": "), message);
    return message;
  }

  @Test
  @DisplayName("a syntax error gives its line and column")
  void syntaxErrorPlace() throws Exception {
    String m = error("vehicle:\n  identifier: 01\n  brand: [1, 2\nother: 3\n");
    assertTrue(m.matches(".*line [34], column \\d+: not valid YAML: .*"), m);
    m = error("a: 1\n b: 2\n  - c\n");
    assertTrue(m.contains("line ") && m.contains(", column "), m);
  }

  @Test
  @DisplayName("a duplicate key is an error, not a silent override")
  void duplicateKey() throws Exception {
    String m = error("vehicle:\n  identifier: 01\n  identifier: 02\n");
    assertTrue(m.contains("line 3") && m.contains("identifier"), m);
  }

  @Test
  @DisplayName("a document over 1 MiB is refused before parsing")
  void hugeDocument() throws Exception {
    String m = error("a: " + "x".repeat(8 << 20) + "\n");
    assertTrue(m.contains("too large") && m.contains("1048576"), m);
  }

  @Test
  @DisplayName("a scalar over 64 KiB is refused")
  void hugeScalar() throws Exception {
    String m = error("a: " + "0".repeat(100_000) + "\n");
    assertTrue(m.contains("65536"), m);
    Path file = dir.resolve("ok.yaml");
    Files.write(file, ("a: " + "0".repeat(60_000) + "\n").getBytes(StandardCharsets.US_ASCII));
    assertEquals(60_000, ConfigNode.load(ConfigSource.file(file)).string("a").length());
  }

  @Test
  @DisplayName("a tab in the indentation names the tab and its place, not only the context")
  void tabIndentation() throws Exception {
    String m = error("transport: virtual\ntimers:\n\tT_Apdu: 5s\n");
    assertTrue(m.contains("line 3, column 1: not valid YAML: found character"), m);
    assertTrue(m.contains("TAB"), m);
  }

  @Test
  @DisplayName("a binary file is 'not UTF-8 text', without a Java class name")
  void binaryFile() throws Exception {
    Path file = dir.resolve("f.yaml");
    Files.write(file, new byte[] {(byte) 0xa4, 0x00, (byte) 0xff, 0x10});
    String m =
        assertThrows(ConfigException.class, () -> ConfigNode.load(ConfigSource.file(file)))
            .getMessage();
    assertTrue(m.contains("not UTF-8 text"), m);
    assertTrue(!m.contains("java.") && !m.contains("Exception"), m);
  }
}
