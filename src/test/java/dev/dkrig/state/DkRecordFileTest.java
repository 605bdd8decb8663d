package dev.dkrig.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.dkrig.ccc.pki.DkIdentifier;
import dev.dkrig.iso7816.Hex;
import dev.dkrig.pairing.DkRecord;
import dev.dkrig.pairing.DkState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DK record files of {@code STATE/dk/} (§8.6): the typed record reads and writes the bytes
 * dkrig has always written. The two files below were written by the string-typed record (issue 17
 * made it typed), so a state folder from before loads, and a new one is the same byte for byte.
 */
class DkRecordFileTest {
  private static final String FULL_NAME =
      "444B524947563031-0C8D4E37D6165CBA4ABA983518AAB9BAF47BE08B.json";
  private static final String FULL =
      "{\n"
          + "  \"vehicleId\" : \"444B524947563031\",\n"
          + "  \"dkId\" : \"0C8D4E37D6165CBA4ABA983518AAB9BAF47BE08B\",\n"
          + "  \"state\" : \"RECEIPT_VERIFIED\",\n"
          + "  \"agreedVersion\" : \"0101\",\n"
          + "  \"initialKeySlot\" : \"0000000000000001\",\n"
          + "  \"endpointPublicKey\" : \"04AABB\",\n"
          + "  \"endpointCertificate\" : \"7F2101\",\n"
          + "  \"created\" : 1795780800.123456789,\n"
          + "  \"updated\" : 1.79578086E+9,\n"
          + "  \"receipt\" : \"8008444B5249\",\n"
          + "  \"secrets\" : {\n"
          + "    \"LTSS\" : \"000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F\",\n"
          + "    \"Kble_intro\" : \"202122232425262728292A2B2C2D2E2F\",\n"
          + "    \"Kble_oob_master\" : \"303132333435363738393A3B3C3D3E3F\",\n"
          + "    \"Kpersistent\" : \"404142434445464748494A4B4C4D4E4F505152535455565758595A5B5C5D5E5F\"\n"
          + "  }\n"
          + "}";

  private static final String PENDING_NAME =
      "444B524947563031-1C8D4E37D6165CBA4ABA983518AAB9BAF47BE08B.json";
  private static final String PENDING =
      "{\n"
          + "  \"vehicleId\" : \"444B524947563031\",\n"
          + "  \"dkId\" : \"1C8D4E37D6165CBA4ABA983518AAB9BAF47BE08B\",\n"
          + "  \"state\" : \"PAIRED_PENDING\",\n"
          + "  \"agreedVersion\" : \"0100\",\n"
          + "  \"initialKeySlot\" : \"0000000000000001\",\n"
          + "  \"endpointPublicKey\" : \"04AABB\",\n"
          + "  \"endpointCertificate\" : \"7F2101\",\n"
          + "  \"created\" : 1.7957808E+9,\n"
          + "  \"updated\" : 1.7957808E+9,\n"
          + "  \"receipt\" : null,\n"
          + "  \"secrets\" : {\n"
          + "    \"LTSS\" : \"00\",\n"
          + "    \"Kble_intro\" : \"11\",\n"
          + "    \"Kble_oob_master\" : \"22\"\n"
          + "  }\n"
          + "}";

  @TempDir Path dir;

  private static DkRecord full() {
    return full(Instant.parse("2026-11-27T12:00:00.123456789Z"));
  }

  /**
   * The full record as a file gives it back: the seconds-with-fraction number goes through a double
   * when read, so the last digits of the nanoseconds are lost, as they always were.
   */
  private static DkRecord fullAsRead() {
    return full(Instant.parse("2026-11-27T12:00:00.123456700Z"));
  }

  private static DkRecord full(Instant created) {
    return new DkRecord(
        Hex.decode("444B524947563031"),
        DkIdentifier.fromHex("0C8D4E37D6165CBA4ABA983518AAB9BAF47BE08B"),
        DkState.RECEIPT_VERIFIED,
        0x0101,
        Hex.decode("0000000000000001"),
        Hex.decode("04AABB"),
        Hex.decode("7F2101"),
        created,
        Instant.parse("2026-11-27T12:01:00Z"),
        Hex.decode("8008444B5249"),
        new DkRecord.Secrets(
            Hex.decode("000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F"),
            Hex.decode("202122232425262728292A2B2C2D2E2F"),
            Hex.decode("303132333435363738393A3B3C3D3E3F"),
            Hex.decode("404142434445464748494A4B4C4D4E4F505152535455565758595A5B5C5D5E5F")));
  }

  private static DkRecord pending() {
    Instant at = Instant.parse("2026-11-27T12:00:00Z");
    return new DkRecord(
        Hex.decode("444B524947563031"),
        DkIdentifier.fromHex("1C8D4E37D6165CBA4ABA983518AAB9BAF47BE08B"),
        DkState.PAIRED_PENDING,
        0x0100,
        Hex.decode("0000000000000001"),
        Hex.decode("04AABB"),
        Hex.decode("7F2101"),
        at,
        at,
        null,
        new DkRecord.Secrets(Hex.decode("00"), Hex.decode("11"), Hex.decode("22"), null));
  }

  @Test
  void savesTheBytesTheStringRecordWrote() throws Exception {
    StateStore store = new StateStore(dir);
    store.save(full(), null);
    store.save(pending(), null);
    store.flush();
    assertEquals(FULL, Files.readString(dir.resolve("dk").resolve(FULL_NAME)));
    assertEquals(PENDING, Files.readString(dir.resolve("dk").resolve(PENDING_NAME)));
  }

  @Test
  void serializedIsWhatSaveWrites() {
    assertEquals(FULL, new String(StateStore.serialized(full()), StandardCharsets.UTF_8));
    assertEquals(PENDING, new String(StateStore.serialized(pending()), StandardCharsets.UTF_8));
  }

  @Test
  void loadsTheFilesTheStringRecordWrote() throws Exception {
    Files.createDirectories(dir.resolve("dk"));
    Files.writeString(dir.resolve("dk").resolve(FULL_NAME), FULL);
    Files.writeString(dir.resolve("dk").resolve(PENDING_NAME), PENDING);
    StateStore store = new StateStore(dir);
    assertEquals(List.of(pending(), fullAsRead()), store.records());
    assertEquals(
        fullAsRead(),
        store
            .find(
                Hex.decode("444B524947563031"),
                DkIdentifier.fromHex("0C8D4E37D6165CBA4ABA983518AAB9BAF47BE08B"))
            .orElseThrow());
  }

  @Test
  void deleteRemovesOnlyThatRecord() throws Exception {
    StateStore store = new StateStore(dir);
    store.save(full(), null);
    store.save(pending(), null);
    store.delete(pending());
    assertEquals(List.of(fullAsRead()), store.records());
  }

  @Test
  void damagedRecordsStayErrors() throws Exception {
    assertDamaged(
        "{\"vehicleId\" : \"444B524947563031\", \"state\" : \"ACTIVE\"}",
        "no vehicle id, DK id or state");
    assertDamaged("{\"colour\" : \"blue\"}", "not a DK record");
    assertDamaged(FULL.replace("RECEIPT_VERIFIED", "HALF_PAIRED"), "unknown state HALF_PAIRED");
    assertDamaged(FULL.replace("\"0101\"", "\"01\""), "no agreed version of four hex digits");
    // A number is its text as the tree gave it: 1e30 is "1.0E30", never the hex digits "1E30".
    assertDamaged(FULL.replace("\"0101\"", "1e30"), "no agreed version of four hex digits");
    assertDamaged(FULL.replace("\"04AABB\"", "\"04AABG\""), "not hex");
    assertDamaged(FULL.replace("\"0C8D4E37", "\"8D4E37"), "not hex of the right length");
    assertDamaged(FULL.replace("\"Kble_intro\"", "\"Kble_outro\""), "unknown secret Kble_outro");
  }

  /**
   * Issue 20: the check before the first APDU reads each record by streaming it; what Jackson's
   * data binding refused stays refused, wherever in the file the damage is.
   */
  @Test
  void streamedRecordsRefuseWhatTheDataBindingRefused() throws Exception {
    assertDamaged("", "empty");
    assertDamaged("[1, 2]", "not a JSON object");
    assertDamaged("null", "not a JSON object");
    assertDamaged(FULL.substring(0, FULL.length() - 40), "truncated or not JSON");
    assertDamaged(FULL.replace("\"7F2101\"", "{\"a\" : 1}"), "not a DK record");
    assertDamaged(FULL.replace("\"8008444B5249\"", "[\"80\"]"), "not a DK record");
    assertDamaged(FULL.replace("\"receipt\"", "\"receipts\""), "not a DK record");
    assertDamaged(FULL.replace("1795780800.123456789", "\"yesterday\""), "not a DK record");
    assertDamaged(FULL.replace("1795780800.123456789", "1E+19"), "not a DK record");
    assertDamaged(FULL.replace("1795780800.123456789", "{}"), "not a DK record");
    // An infinite instant has no decimal form (was an internal error, exit 70).
    assertDamaged(FULL.replace("1795780800.123456789", "1e400"), "not a DK record");
    assertDamaged(FULL.replace("1795780800.123456789", "-1e400"), "not a DK record");
    assertDamaged(
        FULL.replaceFirst("\"secrets\" : \\{[^}]*}", "\"secrets\" : \"LTSS\""), "not a DK record");
    assertDamaged(FULL.replace("5E5F\"", "5E5G\""), "not hex");
    assertDamaged(FULL.replace("5E5F\"", "5E5\""), "not hex of the right length");
  }

  /** What the data binding took from a file, the streamed reading takes the same way. */
  @Test
  void streamedRecordsReadWhatTheDataBindingRead() throws Exception {
    Files.createDirectories(dir.resolve("dk"));
    Path file = dir.resolve("dk").resolve(FULL_NAME);
    Files.writeString(
        file,
        FULL.replace("1795780800.123456789", "\"2026-11-27T12:00:00.123456700Z\"")
            .replace("1.79578086E+9", "1795780860")
            .replace("\"04AABB\"", "\"04 aa bb\"")
            .replace(
                "\"receipt\" : \"8008444B5249\"",
                "\"receipt\" : \"00\", \"receipt\" : \"8008444B5249\""));
    assertEquals(List.of(fullAsRead()), new StateStore(dir).records());
  }

  /**
   * The tree built by hand is the one Jackson's data binding made of the record's fields, node for
   * node and byte for byte, for instants with and without a fraction, with trailing zeros, at and
   * before the epoch, and for absent fields.
   */
  @Test
  void handBuiltTreeIsTheDataBoundOne() throws Exception {
    ObjectMapper json =
        new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .enable(SerializationFeature.INDENT_OUTPUT);
    List<Instant> instants =
        List.of(
            Instant.EPOCH,
            Instant.ofEpochSecond(-1, 5),
            Instant.ofEpochSecond(1795780800),
            Instant.ofEpochSecond(1795780860),
            Instant.ofEpochSecond(1795780800, 100),
            Instant.ofEpochSecond(1795780800, 123456789),
            Instant.ofEpochSecond(1795780800, 120000000),
            Instant.ofEpochSecond(1000000000, 1),
            Instant.ofEpochSecond(7));
    for (Instant at : instants) {
      for (DkRecord record :
          List.of(full(at), pending(), withUpdated(full(at), null), withUpdated(pending(), at))) {
        JsonNode bound = json.valueToTree(stored(record));
        JsonNode built = DkRecordJson.toTree(json, record);
        assertEquals(bound, built, at.toString());
        assertEquals(json.writeValueAsString(bound), json.writeValueAsString(built), at.toString());
      }
    }
  }

  private static DkRecord withUpdated(DkRecord r, Instant updated) {
    return new DkRecord(
        r.vehicleId(),
        r.dkId(),
        r.state(),
        r.agreedVersion(),
        r.initialKeySlot(),
        r.endpointPublicKey(),
        r.endpointCertificate(),
        r.created(),
        updated,
        r.receipt(),
        r.secrets());
  }

  /** The record's fields as the data-bound record held them before the tree was built by hand. */
  private static DkRecordJson.Stored stored(DkRecord r) {
    Map<String, String> secrets = new LinkedHashMap<>();
    DkRecord.Secrets s = r.secrets();
    String[] names = {"LTSS", "Kble_intro", "Kble_oob_master", "Kpersistent"};
    byte[][] values = {s.ltss(), s.kbleIntro(), s.kbleOobMaster(), s.kpersistent()};
    for (int i = 0; i < names.length; i++) {
      if (values[i] != null) {
        secrets.put(names[i], Hex.encode(values[i]));
      }
    }
    return new DkRecordJson.Stored(
        Hex.encode(r.vehicleId()),
        r.dkId().hex(),
        r.state().name(),
        Hex.u16(r.agreedVersion()),
        Hex.encode(r.initialKeySlot()),
        Hex.encode(r.endpointPublicKey()),
        Hex.encode(r.endpointCertificate()),
        r.created(),
        r.updated(),
        r.receipt() == null ? null : Hex.encode(r.receipt()),
        secrets);
  }

  private void assertDamaged(String content, String reason) throws Exception {
    Path folder = Files.createDirectories(dir.resolve("dk"));
    Path file = folder.resolve(FULL_NAME);
    Files.writeString(file, content);
    StateException e = assertThrows(StateException.class, () -> new StateStore(dir).records());
    assertTrue(e.getMessage().startsWith("state file " + file + " is damaged ("), e.getMessage());
    assertTrue(e.getMessage().contains(reason), e.getMessage());
    assertTrue(e.getMessage().endsWith("): remove it with 'dkrig state reset'"), e.getMessage());
  }
}
