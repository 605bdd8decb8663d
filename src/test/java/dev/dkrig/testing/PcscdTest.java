package dev.dkrig.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The test-owned pcscd: its readers, its files, and what it refuses. */
class PcscdTest {
  @TempDir Path run;

  @Test
  @DisplayName("shared(): one pcscd per test JVM, with our two vpcd slots on 36000 and 36001")
  void shared() throws Exception {
    Pcscd pcscd = Pcscd.shared();
    assertSame(pcscd, Pcscd.shared());
    assertTrue(pcscd.isRunning());
    assertTrue(Pcscd.listening(Pcscd.PORT_0));
    assertTrue(Pcscd.listening(Pcscd.PORT_1));
    assertEquals(OptionalLong.of(pcscd.pid()), Pcscd.readPid(Pcscd.pidFile(Pcscd.RUN_DIR)));
    assertTrue(Files.exists(Pcscd.socket(Pcscd.RUN_DIR)));
    String readers = Files.readString(pcscd.readersDirectory().resolve("dkrig-vpcd"));
    assertTrue(readers.contains("FRIENDLYNAME \"dkrig vpcd\"\n"), readers);
    assertTrue(readers.contains("DEVICENAME /dev/null:0x8CA0\n"), readers);
    assertTrue(readers.contains("CHANNELID 0x8CA0\n"), readers);
    assertTrue(pcscd.log().startsWith(pcscd.directory()));
    assertTrue(pcscd.directory().endsWith(Path.of("target", "it", "pcscd")));
    String log = Files.readString(pcscd.log(), StandardCharsets.UTF_8);
    assertTrue(log.contains(pcscd.readersDirectory().toAbsolutePath().toString()), log);
  }

  @Test
  @DisplayName("A second Pcscd in a JVM that runs the shared one is refused, naming shared()")
  void oneInstancePerJvm() {
    Pcscd.shared();
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> Pcscd.standalone().start());
    assertTrue(e.getMessage().contains("Pcscd.shared()"), e.getMessage());
  }

  @Test
  @DisplayName("Stale pid file (dead pid, trailing NUL) and socket are removed")
  void clearsStaleFiles() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Files.writeString(Pcscd.pidFile(run), gone.pid() + "\0", StandardCharsets.US_ASCII);
    Files.writeString(Pcscd.socket(run), "");
    assertEquals(OptionalLong.of(gone.pid()), Pcscd.readPid(Pcscd.pidFile(run)));
    Pcscd.clearStaleFiles(run);
    assertFalse(Files.exists(Pcscd.pidFile(run)));
    assertFalse(Files.exists(Pcscd.socket(run)));
  }

  @Test
  @DisplayName("A socket nobody answers on, without a pid file, is removed too")
  void clearsOrphanSocket() throws Exception {
    Files.writeString(Pcscd.socket(run), "");
    Pcscd.clearStaleFiles(run);
    assertFalse(Files.exists(Pcscd.socket(run)));
  }

  @Test
  @DisplayName("A live pid in the pid file is refused, never killed, with how to stop it")
  void refusesLiveProcess() throws Exception {
    long live = ProcessHandle.current().pid();
    Files.writeString(Pcscd.pidFile(run), Long.toString(live));
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> Pcscd.clearStaleFiles(run));
    assertTrue(e.getMessage().contains("did not start"), e.getMessage());
    assertTrue(e.getMessage().contains("kill " + live), e.getMessage());
    assertTrue(e.getMessage().contains("systemctl stop pcscd.socket"), e.getMessage());
    assertTrue(Files.exists(Pcscd.pidFile(run)));
  }

  @Test
  @DisplayName("Missing pcscd or vpcd: the message names the Debian package")
  void namesThePackage() {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () ->
                Pcscd.installed(
                    List.of(Path.of("/nonexistent/libifdvpcd.so")),
                    "the vpcd driver",
                    "vsmartcard-vpcd"));
    assertTrue(e.getMessage().endsWith("apt-get install vsmartcard-vpcd"), e.getMessage());
  }
}
