package dev.dkrig.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dkrig.time.VirtualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 20: {@code device: tapDelay:} lays the in-process device on the pad after a delay. */
class TapDelayTest {
  @TempDir Path dir;

  @Test
  @DisplayName("the device is out of the field until tapDelay after the first poll, then in it")
  void arrivesAfterTheDelay() {
    VirtualClock clock = new VirtualClock(Instant.parse("2026-12-07T00:00:00Z"));
    clock.advance(Duration.ofSeconds(30)); // time before the first poll does not count
    BooleanSupplier present = Bench.arrivesAfter(Duration.ofSeconds(2), clock);
    assertFalse(present.getAsBoolean());
    clock.advance(Duration.ofMillis(1999));
    assertFalse(present.getAsBoolean());
    clock.advance(Duration.ofMillis(1));
    assertTrue(present.getAsBoolean());
    assertTrue(Bench.arrivesAfter(Duration.ZERO, clock).getAsBoolean());
  }

  @Test
  @DisplayName("rig device.tapDelay: read, default 0, a bad value names the file and field")
  void rigField() throws Exception {
    String rig =
        new String(
            ConfigFilesTest.class.getResourceAsStream("/defaults/rigs/virtual.yaml").readAllBytes(),
            java.nio.charset.StandardCharsets.UTF_8);
    Path pki = dir.resolve("test-pki");
    Files.createDirectories(pki);
    for (String name :
        new String[] {
          "device-oem-ca.key.pem",
          "device-oem-ca.crt.pem",
          "instance-ca.key.pem",
          "instance-ca.crt.pem",
          "zz2.key.pem"
        }) {
      Files.write(
          pki.resolve(name),
          ConfigFilesTest.class
              .getResourceAsStream("/defaults/rigs/test-pki/" + name)
              .readAllBytes());
    }
    Path profiles = dir.resolve("profiles/test-pki");
    Files.createDirectories(profiles);
    Files.write(
        profiles.resolve("vehicle-oem-ca.crt.pem"),
        ConfigFilesTest.class
            .getResourceAsStream("/defaults/profiles/test-pki/vehicle-oem-ca.crt.pem")
            .readAllBytes());
    Path file = dir.resolve("rigs/rig.yaml");
    Files.createDirectories(file.getParent());
    Files.move(pki, dir.resolve("rigs/test-pki"));
    Files.writeString(file, rig);
    assertEquals(Duration.ZERO, RigConfig.load(ConfigSource.file(file)).tapDelay());
    Files.writeString(file, rig.replace("device:\n", "device:\n  tapDelay: 2s\n"));
    assertEquals(Duration.ofSeconds(2), RigConfig.load(ConfigSource.file(file)).tapDelay());
    Files.writeString(file, rig.replace("device:\n", "device:\n  tapDelay: soon\n"));
    String m =
        org.junit.jupiter.api.Assertions.assertThrows(
                ConfigException.class, () -> RigConfig.load(ConfigSource.file(file)))
            .getMessage();
    assertTrue(m.startsWith(file + ": device.tapDelay: 'soon' is not a duration"), m);
  }
}
