package dev.dkrig.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dkrig.ccc.CccException;
import dev.dkrig.ccc.pki.DkIdentifier;
import dev.dkrig.iso7816.Hex;
import dev.dkrig.pairing.DkRecord;
import dev.dkrig.pairing.DkState;
import java.time.Instant;
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

  private DkRecordJson() {}

  /** A record the file cannot hold: the reason completes "state file F is damaged (...)". */
  static final class Unreadable extends Exception {
    private static final long serialVersionUID = 1L;

    Unreadable(String reason) {
      super(reason);
    }
  }

  /**
   * The file's fields in the file's order; Jackson writes and reads it as it did the old record.
   */
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

  static JsonNode toTree(ObjectMapper json, DkRecord record) {
    DkRecord.Secrets s = record.secrets();
    Map<String, String> secrets = new LinkedHashMap<>();
    putHex(secrets, LTSS, s.ltss());
    putHex(secrets, KBLE_INTRO, s.kbleIntro());
    putHex(secrets, KBLE_OOB_MASTER, s.kbleOobMaster());
    putHex(secrets, KPERSISTENT, s.kpersistent());
    return json.valueToTree(
        new Stored(
            Hex.encode(record.vehicleId()),
            record.dkId().hex(),
            record.state().name(),
            Hex.u16(record.agreedVersion()),
            Hex.encode(record.initialKeySlot()),
            Hex.encode(record.endpointPublicKey()),
            Hex.encode(record.endpointCertificate()),
            record.created(),
            record.updated(),
            record.receipt() == null ? null : Hex.encode(record.receipt()),
            secrets));
  }

  /**
   * @throws Unreadable naming what is missing or wrong
   */
  static DkRecord fromTree(ObjectMapper json, JsonNode node) throws Unreadable {
    Stored stored;
    try {
      stored = json.convertValue(node, Stored.class);
    } catch (IllegalArgumentException e) {
      throw new Unreadable("not a DK record");
    }
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

  private static void putHex(Map<String, String> secrets, String name, byte[] value) {
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
