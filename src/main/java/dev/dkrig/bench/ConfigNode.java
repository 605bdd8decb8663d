package dev.dkrig.bench;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.dkrig.io.IoErrors;
import dev.dkrig.iso7816.Hex;
import dev.dkrig.time.Durations;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A YAML object read with the path of every field in mind, so each mistake is reported as {@code
 * FILE: FIELD: expected WHAT, got VALUE} (exit 4, before the run).
 */
public final class ConfigNode {
  /** The largest configuration file read: a rig, profile or suite is a few kilobytes. */
  public static final int MAX_DOCUMENT_BYTES = 1 << 20;

  /** The longest scalar accepted: the longest real value (a hex stream) is a few kilobytes. */
  public static final int MAX_SCALAR_CHARS = 64 << 10;

  private static final YAMLFactory YAML = yamlFactory();

  /**
   * A YAML reader that refuses what no lab file needs: duplicate keys (the second would silently
   * win), documents over {@link #MAX_DOCUMENT_BYTES} and scalars over {@link #MAX_SCALAR_CHARS} (a
   * huge value otherwise takes SnakeYAML tens of seconds).
   */
  private static YAMLFactory yamlFactory() {
    org.yaml.snakeyaml.LoaderOptions loader = new org.yaml.snakeyaml.LoaderOptions();
    loader.setCodePointLimit(MAX_DOCUMENT_BYTES);
    loader.setAllowDuplicateKeys(false);
    YAMLFactory factory = YAMLFactory.builder().loaderOptions(loader).build();
    factory.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    return factory;
  }

  /**
   * The document's first value as a tree, the nodes {@code ObjectMapper.readTree} would make, built
   * from the parser's tokens without an {@link com.fasterxml.jackson.databind.ObjectMapper}: the
   * mapper's class initialisation (its default date format, which loads the JDK's locale data)
   * costs a cold JVM some 50 ms, on the path from launch to P1.4's scrypt (issue 20).
   */
  static JsonNode readTree(byte[] bytes) throws IOException {
    try (JsonParser parser = YAML.createParser(bytes)) {
      JsonToken first = parser.nextToken();
      return first == null ? MissingNode.getInstance() : value(parser, first);
    }
  }

  private static JsonNode value(JsonParser parser, JsonToken token) throws IOException {
    JsonNodeFactory nodes = JsonNodeFactory.instance;
    switch (token) {
      case START_OBJECT:
        ObjectNode object = nodes.objectNode();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String name = parser.currentName();
          object.set(name, value(parser, parser.nextToken()));
        }
        return object;
      case START_ARRAY:
        ArrayNode array = nodes.arrayNode();
        for (JsonToken next = parser.nextToken();
            next != JsonToken.END_ARRAY;
            next = parser.nextToken()) {
          array.add(value(parser, next));
        }
        return array;
      case VALUE_STRING:
        return nodes.textNode(parser.getText());
      case VALUE_NUMBER_INT:
        return switch (parser.getNumberType()) {
          case INT -> nodes.numberNode(parser.getIntValue());
          case LONG -> nodes.numberNode(parser.getLongValue());
          default -> nodes.numberNode(parser.getBigIntegerValue());
        };
      case VALUE_NUMBER_FLOAT:
        return parser.getNumberType() == JsonParser.NumberType.BIG_DECIMAL
            ? nodes.numberNode(parser.getDecimalValue())
            : nodes.numberNode(parser.getDoubleValue());
      case VALUE_TRUE:
        return nodes.booleanNode(true);
      case VALUE_FALSE:
        return nodes.booleanNode(false);
      case VALUE_NULL:
        return nodes.nullNode();
      case VALUE_EMBEDDED_OBJECT:
        Object embedded = parser.getEmbeddedObject();
        return embedded instanceof byte[] binary
            ? nodes.binaryNode(binary)
            : nodes.pojoNode(embedded);
      default:
        throw new JsonParseException(parser, "unexpected " + token);
    }
  }

  private final ConfigSource source;
  private final String path;
  private final JsonNode node;

  private ConfigNode(ConfigSource source, String path, JsonNode node) {
    this.source = source;
    this.path = path;
    this.node = node;
  }

  /** Reads and parses a YAML file; an unreadable or empty file is a configuration error. */
  public static ConfigNode load(ConfigSource source) {
    return parse(source, read(source));
  }

  /** A configuration file's bytes; an unreadable file is a configuration error. */
  public static byte[] read(ConfigSource source) {
    try {
      return source.read();
    } catch (IOException e) {
      throw new ConfigException(source.displayName() + ": cannot read: " + IoErrors.reason(e), e);
    }
  }

  /**
   * Parses bytes already read from {@code source}, for callers that keep the bytes (digests, dumps)
   * and so need not read the file a second time; an empty file is a configuration error.
   */
  public static ConfigNode parse(ConfigSource source, byte[] bytes) {
    if (bytes.length > MAX_DOCUMENT_BYTES) {
      throw new ConfigException(
          source.displayName()
              + ": too large ("
              + bytes.length
              + " bytes; a configuration file may have at most "
              + MAX_DOCUMENT_BYTES
              + ")");
    }
    try {
      JsonNode root = readTree(bytes);
      if (root == null || root.isMissingNode() || root.isNull()) {
        throw new ConfigException(source.displayName() + ": the file is empty");
      }
      if (!root.isObject()) {
        throw new ConfigException(source.displayName() + ": expected a YAML mapping at the top");
      }
      refuseLongScalars(source, "", root);
      return new ConfigNode(source, "", root);
    } catch (IOException e) {
      throw new ConfigException(source.displayName() + ": " + yamlProblem(e), e);
    }
  }

  private static void refuseLongScalars(ConfigSource source, String path, JsonNode node) {
    if (node.isValueNode() && node.asText().length() > MAX_SCALAR_CHARS) {
      throw new ConfigException(
          source.displayName()
              + ": "
              + path
              + ": value too long ("
              + node.asText().length()
              + " characters; at most "
              + MAX_SCALAR_CHARS
              + ")");
    }
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        String child = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
        if (e.getKey().length() > MAX_SCALAR_CHARS) {
          throw new ConfigException(source.displayName() + ": a key is too long");
        }
        refuseLongScalars(source, child, e.getValue());
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        refuseLongScalars(source, path + "[" + i + "]", node.get(i));
      }
    }
  }

  /** A parser's complaint in one line, with the line and column it points at. */
  private static String yamlProblem(IOException e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      // SnakeYAML's first line is often only the context ("while scanning for the next token"):
      // the problem ("found character '\t(TAB)' that cannot start any token") and its place are
      // what the user needs.
      if (cause instanceof org.yaml.snakeyaml.error.MarkedYAMLException marked
          && marked.getProblem() != null) {
        org.yaml.snakeyaml.error.Mark mark = marked.getProblemMark();
        return (mark == null
                ? ""
                : "line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1) + ": ")
            + "not valid YAML: "
            + marked.getProblem().strip();
      }
      if (cause instanceof java.io.CharConversionException encoding) {
        String message = String.valueOf(encoding.getMessage());
        int colon = message.indexOf(": ");
        return "not UTF-8 text (" + (colon < 0 ? message : message.substring(0, colon)) + ")";
      }
    }
    String where = "";
    if (e instanceof com.fasterxml.jackson.core.JsonProcessingException p
        && p.getLocation() != null
        && p.getLocation().getLineNr() > 0) {
      where =
          "line "
              + p.getLocation().getLineNr()
              + ", column "
              + p.getLocation().getColumnNr()
              + ": ";
    }
    String message =
        e instanceof com.fasterxml.jackson.core.JsonProcessingException p
            ? p.getOriginalMessage()
            : e.getMessage();
    if (message == null) {
      message = "unreadable";
    }
    String first =
        message.lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst().orElse("?");
    return where + "not valid YAML: " + first;
  }

  public ConfigSource source() {
    return source;
  }

  public String path() {
    return path;
  }

  public boolean has(String key) {
    JsonNode child = node.get(key);
    return child != null && !child.isNull();
  }

  /** Rejects keys this object does not know, naming the expected ones. */
  public ConfigNode allowOnly(String... keys) {
    Set<String> allowed = Set.of(keys);
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!allowed.contains(name)) {
        throw error(
            child(name),
            "unknown key (expected one of: " + String.join(", ", new TreeSet<>(allowed)) + ")");
      }
    }
    return this;
  }

  public ConfigNode object(String key) {
    JsonNode child = node.get(key);
    if (child == null || child.isNull()) {
      throw error(child(key), "missing (expected a mapping)");
    }
    if (!child.isObject()) {
      throw error(child(key), "expected a mapping, got " + describe(child));
    }
    return new ConfigNode(source, child(key), child);
  }

  public Optional<ConfigNode> optionalObject(String key) {
    return has(key) ? Optional.of(object(key)) : Optional.empty();
  }

  public String string(String key) {
    JsonNode child = node.get(key);
    if (child == null || child.isNull()) {
      throw error(child(key), "missing");
    }
    if (!child.isValueNode()) {
      throw error(child(key), "expected a text value, got " + describe(child));
    }
    return child.asText();
  }

  public Optional<String> optionalString(String key) {
    return has(key) ? Optional.of(string(key)) : Optional.empty();
  }

  /** Hex bytes of an exact length; spaces and colons are allowed as separators. */
  public byte[] hex(String key, int length) {
    byte[] value = hexAny(key);
    if (value.length != length) {
      throw error(
          child(key),
          "expected "
              + length
              + " bytes ("
              + 2 * length
              + " hex digits), got "
              + value.length
              + " bytes");
    }
    return value;
  }

  public byte[] hexAny(String key) {
    String text = string(key).replace(":", "").replace(" ", "");
    try {
      return Hex.decode(text);
    } catch (IllegalArgumentException e) {
      throw error(
          child(key), "expected hex digits, got '" + string(key) + "' (" + e.getMessage() + ")");
    }
  }

  public long integer(String key, long min, long max) {
    JsonNode child = node.get(key);
    if (child == null || child.isNull()) {
      throw error(child(key), "missing (expected an integer " + min + ".." + max + ")");
    }
    long value;
    if (child.isIntegralNumber()) {
      value = child.asLong();
    } else if (child.isTextual() && child.asText().matches("0[xX][0-9a-fA-F]+")) {
      value = Long.parseLong(child.asText().substring(2), 16);
    } else {
      throw error(
          child(key), "expected an integer " + min + ".." + max + ", got " + describe(child));
    }
    if (value < min || value > max) {
      throw error(child(key), "expected an integer " + min + ".." + max + ", got " + value);
    }
    return value;
  }

  public boolean bool(String key, boolean defaultValue) {
    JsonNode child = node.get(key);
    if (child == null || child.isNull()) {
      return defaultValue;
    }
    if (child.isBoolean()) {
      return child.asBoolean();
    }
    String text = child.asText();
    return switch (text) {
      case "on", "yes", "true" -> true;
      case "off", "no", "false" -> false;
      default -> throw error(child(key), "expected on/off (or true/false), got " + describe(child));
    };
  }

  public Duration duration(String key) {
    String text = string(key);
    try {
      return Durations.parse(text);
    } catch (IllegalArgumentException e) {
      throw error(child(key), e.getMessage());
    }
  }

  public List<String> strings(String key) {
    JsonNode child = node.get(key);
    if (child == null || child.isNull()) {
      throw error(child(key), "missing (expected a list)");
    }
    if (!child.isArray()) {
      throw error(child(key), "expected a list, got " + describe(child));
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < child.size(); i++) {
      JsonNode item = child.get(i);
      if (!item.isValueNode()) {
        throw error(child(key) + "[" + i + "]", "expected a text value, got " + describe(item));
      }
      out.add(item.asText());
    }
    return out;
  }

  /** A list of mappings, each read with its own path ({@code steps[2].scenario}). */
  public List<ConfigNode> objects(String key) {
    JsonNode child = node.get(key);
    if (child == null || child.isNull()) {
      throw error(child(key), "missing (expected a list)");
    }
    if (!child.isArray()) {
      throw error(child(key), "expected a list, got " + describe(child));
    }
    List<ConfigNode> out = new ArrayList<>();
    for (int i = 0; i < child.size(); i++) {
      JsonNode item = child.get(i);
      String itemPath = child(key) + "[" + i + "]";
      if (!item.isObject()) {
        throw error(itemPath, "expected a mapping, got " + describe(item));
      }
      out.add(new ConfigNode(source, itemPath, item));
    }
    return out;
  }

  /** The mapping's entries as strings, for maps such as {@code timers:}. */
  public Map<String, String> entries() {
    Map<String, String> out = new java.util.LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      if (!e.getValue().isValueNode()) {
        throw error(child(e.getKey()), "expected a value, got " + describe(e.getValue()));
      }
      out.put(e.getKey(), e.getValue().asText());
    }
    return out;
  }

  /** A configuration error about a field of this file. */
  public ConfigException error(String fieldPath, String what) {
    return new ConfigException(source.displayName() + ": " + fieldPath + ": " + what);
  }

  public ConfigException error(String what) {
    return new ConfigException(
        source.displayName() + ": " + (path.isEmpty() ? "" : path + ": ") + what);
  }

  public String child(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  private static String describe(JsonNode n) {
    if (n == null || n instanceof MissingNode) {
      return "nothing";
    }
    if (n.isObject()) {
      return "a mapping";
    }
    if (n.isArray()) {
      return "a list";
    }
    return "'" + n.asText() + "'";
  }
}
