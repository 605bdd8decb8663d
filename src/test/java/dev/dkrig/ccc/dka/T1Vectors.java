package dev.dkrig.ccc.dka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dkrig.ccc.EcKeyPair;
import dev.dkrig.iso7816.Hex;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The §17 values from {@code vectors/vectors.json}, by their contract names ({@code p3.Kdh}, {@code
 * key.zz2.SK}, ...), and the T1 APDU transcript by its step note. The fixed inputs of §17.4.1 are
 * not in the file; tests state them inline.
 */
public final class T1Vectors {
  private static final Map<String, String> VALUES = new HashMap<>();
  private static final JsonNode APDUS;

  static {
    try (InputStream in = T1Vectors.class.getResourceAsStream("/vectors/vectors.json")) {
      if (in == null) {
        throw new IllegalStateException("vectors/vectors.json not on the test classpath");
      }
      JsonNode root = new ObjectMapper().readTree(in);
      JsonNode apdus = null;
      for (Map.Entry<String, JsonNode> section : root.properties()) {
        if (!section.getValue().isObject()) {
          continue;
        }
        for (Map.Entry<String, JsonNode> field : section.getValue().properties()) {
          if (field.getValue().isTextual()) {
            VALUES.put(field.getKey(), field.getValue().asText());
          } else if (field.getKey().equals("apdus")) {
            apdus = field.getValue();
          }
        }
      }
      if (apdus == null) {
        throw new IllegalStateException("vectors.json has no apdus list");
      }
      APDUS = apdus;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** §17.4.1 vehicle_identifier ("DKRIGV01"). */
  public static final byte[] VEHICLE_IDENTIFIER = Hex.decode("444B524947563031");

  /** §17.4.1 initial key slot. */
  public static final byte[] INITIAL_KEY_SLOT = Hex.decode("0000000000000001");

  /** §17.4.1 agreed DK applet version. */
  public static final int AGREED_VERSION = 0x0101;

  private T1Vectors() {}

  /** The value named {@code name} in §17, decoded. */
  public static byte[] hex(String name) {
    String value = VALUES.get(name);
    if (value == null) {
      throw new IllegalArgumentException("no vector named " + name);
    }
    return Hex.decode(value);
  }

  /** The key pair {@code key.<label>} of §17.4.2, checked against its listed public point. */
  public static EcKeyPair key(String label) {
    EcKeyPair pair = EcKeyPair.fromPrivate(hex("key." + label + ".SK"));
    if (!Hex.encode(pair.publicBytes()).equals(Hex.encode(hex("key." + label + ".PK")))) {
      throw new IllegalStateException("key." + label + ": SK and PK do not match");
    }
    return pair;
  }

  /** The C-APDU of the transcript step whose note starts with {@code notePrefix}. */
  public static byte[] command(String notePrefix) {
    return Hex.decode(step(notePrefix).get("c").asText());
  }

  /** The R-APDU (data ‖ SW) of the transcript step whose note starts with {@code notePrefix}. */
  public static byte[] response(String notePrefix) {
    return Hex.decode(step(notePrefix).get("r").asText());
  }

  private static JsonNode step(String notePrefix) {
    JsonNode found = null;
    for (JsonNode step : APDUS) {
      if (step.get("note").asText().startsWith(notePrefix)) {
        if (found != null) {
          throw new IllegalArgumentException("several transcript steps match " + notePrefix);
        }
        found = step;
      }
    }
    if (found == null) {
      throw new IllegalArgumentException("no transcript step " + notePrefix);
    }
    return found;
  }
}
