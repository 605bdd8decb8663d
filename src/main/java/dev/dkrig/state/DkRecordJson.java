package dev.dkrig.state;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.DecimalUtils;
import dev.dkrig.ccc.CccException;
import dev.dkrig.ccc.pki.DkIdentifier;
import dev.dkrig.iso7816.Hex;
import dev.dkrig.pairing.DkRecord;
import dev.dkrig.pairing.DkState;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The JSON form of a {@link DkRecord} in {@code STATE/dk/}: upper-case hex strings, the state by
 * name, the secrets as a name-to-hex object. The field names, their order and the secret names are
 * those of the files dkrig has always written, so an old state folder loads and a new one reads the
 * same byte for byte.
 */
final class DkRecordJson {
  static final String LTSS = "LTSS";
  static final String KBLE_INTRO = "Kble_intro";
  static final String KBLE_OOB_MASTER = "Kble_oob_master";
  static final String KPERSISTENT = "Kpersistent";
  private static final Set<String> SECRET_NAMES =
      Set.of(LTSS, KBLE_INTRO, KBLE_OOB_MASTER, KPERSISTENT);
  private static final String CREATED = "created";
  private static final String UPDATED = "updated";
  private static final String SECRETS = "secrets";
  private static final Set<String> INSTANTS = Set.of(CREATED, UPDATED);

  /** The text fields of {@link Stored}, by their names in the file. */
  private static final Set<String> TEXT =
      Set.of(
          "vehicleId",
          "dkId",
          "state",
          "agreedVersion",
          "initialKeySlot",
          "endpointPublicKey",
          "endpointCertificate",
          "receipt");

  private static final String NOT_A_RECORD = "not a DK record";

  private DkRecordJson() {}

  /** A record the file cannot hold: the reason completes "state file F is damaged (...)". */
  static final class Unreadable extends Exception {
    private static final long serialVersionUID = 1L;

    Unreadable(String reason) {
      super(reason);
    }
  }

  /** The file's fields in the file's order, as {@link #read} collects them. */
  record Stored(
      String vehicleId,
      String dkId,
      String state,
      String agreedVersion,
      String initialKeySlot,
      String endpointPublicKey,
      String endpointCertificate,
      Instant created,
      Instant updated,
      String receipt,
      Map<String, String> secrets) {}

  /**
   * The record as the tree Jackson's data binding made of {@link Stored}, node for node, built by
   * hand: the binding's first use introspects the record class, which cost a cold JVM about 15 ms
   * between P2.8 and P3.1 (issue 20). Null fields stay as null nodes.
   */
  static JsonNode toTree(ObjectMapper json, DkRecord record) {
    DkRecord.Secrets s = record.secrets();
    ObjectNode tree = json.createObjectNode();
    tree.put("vehicleId", Hex.encode(record.vehicleId()));
    tree.put("dkId", record.dkId().hex());
    tree.put("state", record.state().name());
    tree.put("agreedVersion", Hex.u16(record.agreedVersion()));
    tree.put("initialKeySlot", Hex.encode(record.initialKeySlot()));
    tree.put("endpointPublicKey", Hex.encode(record.endpointPublicKey()));
    tree.put("endpointCertificate", Hex.encode(record.endpointCertificate()));
    tree.set(CREATED, instant(tree, record.created()));
    tree.set(UPDATED, instant(tree, record.updated()));
    tree.put("receipt", record.receipt() == null ? null : Hex.encode(record.receipt()));
    ObjectNode secrets = tree.putObject(SECRETS);
    putHex(secrets, LTSS, s.ltss());
    putHex(secrets, KBLE_INTRO, s.kbleIntro());
    putHex(secrets, KBLE_OOB_MASTER, s.kbleOobMaster());
    putHex(secrets, KPERSISTENT, s.kpersistent());
    return tree;
  }

  /**
   * An instant as the tree held it: Jackson wrote the seconds with nine decimals, and its tree
   * reading stripped the trailing zeros ({@code 1.7957808E+9}, as the files have always said).
   */
  private static JsonNode instant(ObjectNode tree, Instant instant) {
    if (instant == null) {
      return tree.nullNode();
    }
    BigDecimal seconds = DecimalUtils.toBigDecimal(instant.getEpochSecond(), instant.getNano());
    return tree.numberNode(seconds.signum() == 0 ? BigDecimal.ZERO : seconds.stripTrailingZeros());
  }

  /**
   * Reads one record from {@code parser}, which stands on the file's opening brace: the one reading
   * of a DK record, for {@code records()} and for the check before the first APDU alike. It streams
   * the fields into {@link Stored} (a tree and a data-bound record cost a cold JVM a few hundred
   * microseconds per file, issue 20) and reads them as Jackson's data binding did: unknown or
   * non-scalar fields are refused, a scalar is taken as its text, a later duplicate wins, the two
   * instants go through Jackson's own {@link Instant} reading.
   *
   * @throws Unreadable naming what is missing or wrong
   * @throws IOException when the file is not JSON or cannot be read
   */
  static DkRecord read(ObjectMapper json, JsonParser parser) throws Unreadable, IOException {
    Map<String, String> text = new HashMap<>();
    Map<String, Instant> instants = new HashMap<>();
    Map<String, String> secrets = null;
    for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
      JsonToken value = parser.nextToken();
      if (name.equals(SECRETS)) {
        secrets = value == JsonToken.VALUE_NULL ? null : secrets(parser);
      } else if (INSTANTS.contains(name)) {
        instants.put(name, instant(json, parser));
      } else if (TEXT.contains(name)) {
        text.put(name, scalar(parser));
      } else {
        throw new Unreadable(NOT_A_RECORD);
      }
    }
    if (parser.currentToken() != JsonToken.END_OBJECT) {
      throw new Unreadable(NOT_A_RECORD);
    }
    return fromStored(
        new Stored(
            text.get("vehicleId"),
            text.get("dkId"),
            text.get("state"),
            text.get("agreedVersion"),
            text.get("initialKeySlot"),
            text.get("endpointPublicKey"),
            text.get("endpointCertificate"),
            instants.get(CREATED),
            instants.get(UPDATED),
            text.get("receipt"),
            secrets));
  }

  /** The secrets object: names to hex text (or null); anything else is no DK record. */
  private static Map<String, String> secrets(JsonParser parser) throws Unreadable, IOException {
    if (parser.currentToken() != JsonToken.START_OBJECT) {
      throw new Unreadable(NOT_A_RECORD);
    }
    Map<String, String> secrets = new LinkedHashMap<>();
    for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
      parser.nextToken();
      secrets.put(name, scalar(parser));
    }
    return secrets;
  }

  /**
   * A text field as Jackson bound it: null, or any scalar's text; an object or array is refused.
   */
  private static String scalar(JsonParser parser) throws Unreadable, IOException {
    JsonToken token = parser.currentToken();
    if (token == JsonToken.VALUE_NULL) {
      return null;
    }
    if (token == null || !token.isScalarValue()) {
      throw new Unreadable(NOT_A_RECORD);
    }
    if (token == JsonToken.VALUE_NUMBER_FLOAT) {
      // The text the tree gave a fraction (1e30 is "1.0E30"), so it is never read as hex digits.
      return Double.toString(parser.getDoubleValue());
    }
    return parser.getValueAsString();
  }

  /**
   * {@code created}, {@code updated}: Jackson's reading of an {@link Instant}. The seconds with a
   * fraction that dkrig writes take the path Jackson's tree gave them (a double, then {@link
   * DecimalUtils} as its {@code InstantDeserializer} does) without its data binding, which costs a
   * cold JVM tens of microseconds per value; any other form goes through the data binding as
   * before.
   */
  private static Instant instant(ObjectMapper json, JsonParser parser)
      throws Unreadable, IOException {
    try {
      return switch (parser.currentToken()) {
        case VALUE_NULL -> null;
        case VALUE_NUMBER_FLOAT ->
            DecimalUtils.extractSecondsAndNanos(
                BigDecimal.valueOf(parser.getDoubleValue()),
                (seconds, nanos) -> Instant.ofEpochSecond(seconds, nanos),
                false);
        default -> json.readerFor(Instant.class).readValue(json.<JsonNode>readTree(parser));
      };
    } catch (JsonProcessingException
        | DateTimeException
        | ArithmeticException
        | IllegalArgumentException e) {
      // IllegalArgumentException: an infinite number (1e400) has no decimal form.
      throw new Unreadable(NOT_A_RECORD);
    }
  }

  /** The rules of a DK record's fields, whoever read them. */
  private static DkRecord fromStored(Stored stored) throws Unreadable {
    if (stored.vehicleId() == null || stored.dkId() == null || stored.state() == null) {
      throw new Unreadable("no vehicle id, DK id or state");
    }
    DkState state;
    try {
      state = DkState.valueOf(stored.state());
    } catch (IllegalArgumentException e) {
      throw new Unreadable("unknown state " + stored.state());
    }
    if (stored.agreedVersion() == null || !stored.agreedVersion().matches("[0-9A-Fa-f]{4}")) {
      throw new Unreadable("no agreed version of four hex digits");
    }
    Map<String, String> secrets = stored.secrets() == null ? Map.of() : stored.secrets();
    for (String name : secrets.keySet()) {
      if (!SECRET_NAMES.contains(name)) {
        throw new Unreadable("unknown secret " + name);
      }
    }
    try {
      return new DkRecord(
          hex(stored.vehicleId()),
          new DkIdentifier(hex(stored.dkId())),
          state,
          Integer.parseInt(stored.agreedVersion(), 16),
          hexOrEmpty(stored.initialKeySlot()),
          hexOrEmpty(stored.endpointPublicKey()),
          hexOrEmpty(stored.endpointCertificate()),
          stored.created(),
          stored.updated(),
          stored.receipt() == null ? null : hex(stored.receipt()),
          new DkRecord.Secrets(
              hexOrNull(secrets.get(LTSS)),
              hexOrNull(secrets.get(KBLE_INTRO)),
              hexOrNull(secrets.get(KBLE_OOB_MASTER)),
              hexOrNull(secrets.get(KPERSISTENT))));
    } catch (IllegalArgumentException | CccException e) {
      throw new Unreadable("a value that is not hex of the right length: " + e.getMessage());
    }
  }

  private static void putHex(ObjectNode secrets, String name, byte[] value) {
    if (value != null) {
      secrets.put(name, Hex.encode(value));
    }
  }

  private static byte[] hex(String value) {
    return Hex.decode(value);
  }

  private static byte[] hexOrEmpty(String value) {
    return value == null ? new byte[0] : Hex.decode(value);
  }

  private static byte[] hexOrNull(String value) {
    return value == null ? null : Hex.decode(value);
  }
}
