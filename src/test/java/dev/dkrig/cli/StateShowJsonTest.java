package dev.dkrig.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dkrig.ccc.pki.DkIdentifier;
import dev.dkrig.iso7816.Hex;
import dev.dkrig.pairing.DkRecord;
import dev.dkrig.pairing.DkState;
import dev.dkrig.state.StateStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 18 item 3: {@code dkrig state show --json}, one document with stable fields. */
class StateShowJsonTest {
  @TempDir Path dir;

  private JsonNode show(int expectedExit) throws Exception {
    CliRun run = CliRun.of("state", "show", "--json", "--state-dir", dir.toString());
    assertEquals(expectedExit, run.exitCode(), run.out() + run.err());
    return new ObjectMapper().readTree(run.out());
  }

  @Test
  @DisplayName("an empty state: no attempts, no records, no error")
  void empty() throws Exception {
    JsonNode doc = show(0);
    assertEquals("dkrig-state/1", doc.get("schema").asText());
    assertEquals(dir.toString(), doc.get("directory").asText());
    assertTrue(doc.get("attempts").isNull());
    assertEquals(0, doc.get("records").size());
    assertTrue(doc.get("error").isNull());
  }

  @Test
  @DisplayName("a DK record: its public fields, never its secrets")
  void record() throws Exception {
    StateStore store = new StateStore(dir);
    Instant at = Instant.parse("2026-11-27T12:01:00Z");
    store.save(
        new DkRecord(
            Hex.decode("444B524947563031"),
            DkIdentifier.fromHex("0C8D4E37D6165CBA4ABA983518AAB9BAF47BE08B"),
            DkState.ACTIVE,
            0x0101,
            Hex.decode("0000000000000001"),
            Hex.decode("04AA"),
            Hex.decode("7F21"),
            at,
            at,
            null,
            DkRecord.Secrets.NONE.withKpersistent(Hex.decode("00112233445566778899AABBCCDDEEFF"))));
    store.flush();
    JsonNode doc = show(0);
    JsonNode record = doc.get("records").get(0);
    assertEquals("0C8D4E37D6165CBA4ABA983518AAB9BAF47BE08B", record.get("dkId").asText());
    assertEquals("444B524947563031", record.get("vehicleId").asText());
    assertEquals("ACTIVE", record.get("state").asText());
    assertEquals("0101", record.get("agreedVersion").asText());
    assertEquals("2026-11-27T12:01:00Z", record.get("updated").asText());
    assertFalse(record.get("receiptVerified").asBoolean());
    assertFalse(doc.toString().contains("00112233445566778899AABBCCDDEEFF"), doc.toString());
  }

  @Test
  @DisplayName("a damaged state file: the error field and exit 4, in JSON and text alike")
  void damaged() throws Exception {
    Files.writeString(dir.resolve("verifier-attempts.json"), "{not json");
    JsonNode doc = show(4);
    assertTrue(doc.get("error").asText().contains("verifier-attempts.json"), doc.toString());
    CliRun text = CliRun.of("state", "show", "--state-dir", dir.toString());
    assertEquals(4, text.exitCode(), text.err());
    assertEquals(1, text.err().strip().lines().count(), text.err());
  }
}
