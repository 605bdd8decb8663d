package dev.dkrig.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dkrig.bench.ConfigNames.Kind;
import dev.dkrig.bench.ConfigNames.Place;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 18: bare rig, profile and suite names, looked up in the user's, shared, built-in order. */
class ConfigNamesTest {
  @TempDir Path dir;
  private ConfigNames names;
  private Path user;
  private Path shared;

  @BeforeEach
  void places() throws Exception {
    user = Files.createDirectories(dir.resolve("config/dkrig"));
    shared = Files.createDirectories(dir.resolve("share/dkrig"));
    names = new ConfigNames(user, shared);
  }

  private Path write(Path folder, String file) throws Exception {
    Path path = folder.resolve(file);
    Files.createDirectories(path.getParent());
    return Files.writeString(path, "# " + file + "\n");
  }

  @Test
  @DisplayName("a '/' or a .yaml ending makes a path, as before; anything else is a name")
  void pathOrName() {
    assertTrue(ConfigNames.isPath("rigs/pcsc.yaml"));
    assertTrue(ConfigNames.isPath("./pcsc"));
    assertTrue(ConfigNames.isPath("pcsc.yaml"));
    assertFalse(ConfigNames.isPath("pcsc"));
    assertEquals(
        ConfigSource.file(Path.of("my.yaml")), names.resolve(Kind.RIG, "my.yaml"), "not looked up");
  }

  @Test
  @DisplayName("the user's folder wins over the shared one, which wins over the jar")
  void order() throws Exception {
    Path mine = write(user, "rigs/pcsc.yaml");
    write(shared, "rigs/pcsc.yaml");
    Path sharedOnly = write(shared, "rigs/acr122u.yaml");
    assertEquals(ConfigSource.file(mine), names.resolve(Kind.RIG, "pcsc"));
    assertEquals(ConfigSource.file(sharedOnly), names.resolve(Kind.RIG, "acr122u"));
    assertEquals(
        ConfigSource.embedded("rigs/pn532-uart.yaml"), names.resolve(Kind.RIG, "pn532-uart"));
    assertEquals(
        ConfigSource.embedded("suites/conformance.yaml"),
        names.resolve(Kind.SUITE, "conformance"),
        "suites are built into the jar too");
  }

  @Test
  @DisplayName("the listing shows every copy in lookup order, the later ones hidden")
  void listing() throws Exception {
    write(user, "profiles/default.yaml");
    write(user, "profiles/bench-car.yaml");
    write(user, "profiles/notes.txt");
    List<ConfigNames.Found> found = names.list(Kind.PROFILE);
    assertEquals(
        List.of("bench-car USER false", "default USER false", "default BUILT_IN true"),
        found.stream().map(f -> f.name() + " " + f.place() + " " + f.hidden()).toList());
    assertEquals(List.of("bench-car", "default"), names.names(Kind.PROFILE));
    assertEquals(Place.BUILT_IN, names.list(Kind.RIG).get(0).place());
  }

  @Test
  @DisplayName(
      "an unknown name says where it looked, which names exist, and the ./ for a file here")
  void unknown() {
    ConfigException e = assertThrows(ConfigException.class, () -> names.resolve(Kind.RIG, "pcsc2"));
    assertTrue(e.getMessage().startsWith("no rig named 'pcsc2' in " + user.resolve("rigs")));
    assertTrue(e.getMessage().contains(shared.resolve("rigs").toString()), e.getMessage());
    assertTrue(
        e.getMessage()
            .contains("known: acr122u, pcsc, phone-pn532, phone-vpcd, pn532-uart, virtual"),
        e.getMessage());
    ConfigException odd =
        assertThrows(ConfigException.class, () -> names.resolve(Kind.PROFILE, "-x y"));
    assertTrue(odd.getMessage().startsWith("profile '-x y': not a name"), odd.getMessage());
  }

  @Test
  @DisplayName("$XDG_CONFIG_HOME when absolute, else ~/.config; the launcher's share folder")
  void environment() {
    assertEquals(
        new ConfigNames(Path.of("/x/dkrig"), Path.of("/s")),
        ConfigNames.of(Map.of("XDG_CONFIG_HOME", "/x", "HOME", "/h"), "/s"));
    assertEquals(
        new ConfigNames(Path.of("/h/.config/dkrig"), Path.of("/usr/share/dkrig")),
        ConfigNames.of(Map.of("XDG_CONFIG_HOME", "relative", "HOME", "/h"), null));
  }
}
