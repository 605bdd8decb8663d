package dev.dkrig.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * ConfigNode builds its tree from the YAML parser's tokens, without an ObjectMapper (issue 20): the
 * tree must be the one {@code ObjectMapper.readTree} makes, node type for node type, for every file
 * the project ships and for the scalar forms a lab file may hold.
 */
class ConfigNodeTreeTest {
  private static final ObjectMapper MAPPER = new ObjectMapper(new YAMLFactory());

  static Stream<Path> shippedFiles() throws IOException {
    List<Path> files = new java.util.ArrayList<>();
    for (String folder : List.of("rigs", "profiles", "suites")) {
      try (Stream<Path> listed = Files.list(Path.of(folder))) {
        listed.filter(p -> p.toString().endsWith(".yaml")).forEach(files::add);
      }
    }
    assertTrue(files.size() >= 8, "the shipped rigs, profiles and suites: " + files);
    return files.stream();
  }

  @ParameterizedTest
  @MethodSource("shippedFiles")
  void shippedFilesGiveTheMappersTree(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    assertSameTree(MAPPER.readTree(bytes), ConfigNode.readTree(bytes));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "a: 1\nb: -2147483649\nc: 123456789012345678901234567890\nd: 0x1F\n",
        "f: 1.5\ng: 1e400\ni: -0.0\n",
        "t: true\nu: no\nv: ~\nw: null\nx: ''\ny: \"2s\"\nz: 2s\n",
        "list: [1, two, {three: 3}, [4]]\nempty: []\nnone: {}\n",
        "bin: !!binary AAEC\n",
        "anchor: &a {k: v}\nref: *a\n",
        "nested:\n  deeper:\n    - name: x\n      value: 0700\n",
        "- top\n- level\n",
        "just a scalar\n",
        "first: 1\n---\nsecond: 2\n",
      })
  void scalarsAndShapesGiveTheMappersTree(String yaml) throws IOException {
    byte[] bytes = yaml.getBytes(StandardCharsets.UTF_8);
    assertSameTree(MAPPER.readTree(bytes), ConfigNode.readTree(bytes));
  }

  @Test
  void anEmptyDocumentIsMissing() throws IOException {
    assertTrue(ConfigNode.readTree(new byte[0]).isMissingNode());
    assertTrue(
        ConfigNode.readTree("# only a comment\n".getBytes(StandardCharsets.UTF_8)).isMissingNode());
  }

  @Test
  void aDuplicateKeyIsStillRefused() {
    assertThrows(
        JsonProcessingException.class,
        () -> ConfigNode.readTree("a: 1\nb: 2\na: 3\n".getBytes(StandardCharsets.UTF_8)));
  }

  /** Equal, and of the same node class at every level (IntNode is not LongNode). */
  private static void assertSameTree(JsonNode expected, JsonNode actual) {
    assertEquals(expected, actual);
    assertEquals(expected.getClass(), actual.getClass(), expected.toString());
    if (expected.isContainerNode()) {
      assertEquals(expected.size(), actual.size());
      if (expected.isObject()) {
        List<String> names = new java.util.ArrayList<>();
        expected.fieldNames().forEachRemaining(names::add);
        List<String> actualNames = new java.util.ArrayList<>();
        actual.fieldNames().forEachRemaining(actualNames::add);
        assertEquals(names, actualNames, "field order");
        names.forEach(n -> assertSameTree(expected.get(n), actual.get(n)));
      } else {
        for (int i = 0; i < expected.size(); i++) {
          assertSameTree(expected.get(i), actual.get(i));
        }
      }
    }
  }
}
