package dev.dkrig.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dkrig.iso7816.Hex;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The contract's §17 vectors (V1, D1, D2, T1), read from {@code vectors/vectors.json}: a copy of
 * {@code spec/vectors.json} kept with the tests so CI needs nothing outside the repository.
 */
public final class Vectors {
  private static final JsonNode ROOT = load();

  private Vectors() {}

  /** A value by its key, e.g. {@code "spake2.M1"} or {@code "cert.K"}, from any section. */
  public static byte[] hex(String key) {
    return Hex.decode(text(key));
  }

  public static String text(String key) {
    for (Map.Entry<String, JsonNode> entry : ROOT.properties()) {
      JsonNode section = entry.getValue();
      if (section.isObject() && section.has(key)) {
        return section.get(key).asText();
      }
    }
    throw new IllegalArgumentException("no vector named " + key);
  }

  /** A value from a named section (V1 and T1 share names such as {@code M1}). */
  public static byte[] hex(String sectionPrefix, String key) {
    for (Map.Entry<String, JsonNode> section : ROOT.properties()) {
      if (section.getKey().startsWith(sectionPrefix) && section.getValue().has(key)) {
        return Hex.decode(section.getValue().get(key).asText());
      }
    }
    throw new IllegalArgumentException("no vector " + key + " in section " + sectionPrefix);
  }

  /** One APDU of the T1 transcript (§17.4.6). */
  public record Exchange(String note, byte[] command, byte[] response) {}

  public static List<Exchange> transcript() {
    List<Exchange> out = new ArrayList<>();
    for (Map.Entry<String, JsonNode> entry : ROOT.properties()) {
      JsonNode section = entry.getValue();
      if (section.has("apdus")) {
        for (JsonNode apdu : section.get("apdus")) {
          out.add(
              new Exchange(
                  apdu.get("note").asText(),
                  Hex.decode(apdu.get("c").asText()),
                  Hex.decode(apdu.get("r").asText())));
        }
      }
    }
    return out;
  }

  private static JsonNode load() {
    try (InputStream in = Vectors.class.getResourceAsStream("/vectors/vectors.json")) {
      if (in == null) {
        throw new IllegalStateException("vectors/vectors.json missing from test resources");
      }
      return new ObjectMapper().readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
