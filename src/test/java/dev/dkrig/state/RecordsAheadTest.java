package dev.dkrig.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 20: the DK records a single pairing reads ahead, while its profile loads, are still what
 * the state check before the first APDU ends on.
 */
class RecordsAheadTest {
  private static final String RECORD_NAME =
      "444B524947563031-0C8D4E37D6165CBA4ABA983518AAB9BAF47BE08B.json";

  @TempDir Path dir;

  @Test
  void aDamagedRecordReadAheadFailsTheCheckNamingIt() throws Exception {
    Path record = Files.createDirectories(dir.resolve("dk")).resolve(RECORD_NAME);
    Files.writeString(record, "{\"vehicleId\" : \"444B524947563031\", \"state\" : \"ACTIVE\"}");
    RecordsAhead ahead = RecordsAhead.start(dir);
    StateException e = assertThrows(StateException.class, () -> new StateStore(dir).check(ahead));
    assertTrue(e.getMessage().startsWith("state file " + record + " is damaged ("), e.getMessage());
    assertThrows(StateException.class, () -> new StateStore(dir).check(), "and without ahead");
  }

  @Test
  void theFolderIsCheckedBeforeTheRecordsAndBothAhead() throws Exception {
    Path record = Files.createDirectories(dir.resolve("dk")).resolve(RECORD_NAME);
    Files.writeString(record, "{");
    Path attempts = Files.writeString(dir.resolve(StateStore.VERIFIER_FILE), "");
    StateException e =
        assertThrows(
            StateException.class, () -> new StateStore(dir).check(RecordsAhead.start(dir)));
    assertTrue(e.getMessage().startsWith("state file " + attempts + " is damaged"), e.getMessage());
  }

  @Test
  void anEmptyFolderPassesAndRecordsOfAnotherFolderAreRefused() throws Exception {
    new StateStore(dir).check(RecordsAhead.start(dir));
    assertTrue(Files.isDirectory(dir));
    Path other = Files.createDirectories(dir.resolve("other"));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new StateStore(dir).check(RecordsAhead.start(other)));
    assertEquals("records read ahead from " + other + ", not " + dir, e.getMessage());
  }

  @Test
  void aPairingTakesTheReadingStartedAtLaunchOnceAndOnlyForItsFolder() throws Exception {
    Path other = Files.createDirectories(dir.resolve("other"));
    RecordsAhead launched = RecordsAhead.startAtLaunch(dir);
    assertSame(launched, RecordsAhead.take(dir));
    RecordsAhead again = RecordsAhead.take(dir);
    assertNotSame(launched, again, "a second pairing in this process reads the folder anew");
    assertEquals(dir, again.directory());
    RecordsAhead.startAtLaunch(dir);
    RecordsAhead elsewhere = RecordsAhead.take(other);
    assertEquals(other, elsewhere.directory(), "picocli named another folder than the guess");
    assertNotSame(launched, RecordsAhead.take(dir), "and the guess is dropped");
    new StateStore(dir).check(again);
    new StateStore(other).check(elsewhere);
  }
}
