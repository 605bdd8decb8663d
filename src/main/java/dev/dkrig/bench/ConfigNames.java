package dev.dkrig.bench;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Rig, profile and suite files by name (issue 18). An argument with a {@code /} or a {@code .yaml}
 * ending is a path, as it always was; a bare name ({@code --rig pcsc}) is looked up, first found
 * wins, in the user's folder {@code $XDG_CONFIG_HOME/dkrig/rigs/pcsc.yaml} (default {@code
 * ~/.config}), then the shared folder ({@code /usr/share/dkrig/rigs/pcsc.yaml} of an installed
 * dkrig, the checkout itself for {@code ./dkrig}), then the copy built into the jar.
 *
 * @param userFolder {@code $XDG_CONFIG_HOME/dkrig}
 * @param sharedFolder {@code /usr/share/dkrig}, the launcher's {@code ../share/dkrig}, or a
 *     checkout
 */
public record ConfigNames(Path userFolder, Path sharedFolder) {
  /** The launcher's share folder ({@code -Ddkrig.share}); {@code /usr/share/dkrig} without it. */
  public static final String SHARE_PROPERTY = "dkrig.share";

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]*");

  /** The three kinds of named files, each in a folder of its own. */
  public enum Kind {
    RIG("rigs"),
    PROFILE("profiles"),
    SUITE("suites");

    private final String folder;

    Kind(String folder) {
      this.folder = folder;
    }

    /** The folder name in each place: {@code rigs}, {@code profiles}, {@code suites}. */
    public String folder() {
      return folder;
    }

    String word() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Where a named file was found, in lookup order. */
  public enum Place {
    USER,
    SHARED,
    BUILT_IN;

    public String label() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  /** One file found under a name; {@code hidden} when a place earlier in the order has it too. */
  public record Found(String name, Place place, ConfigSource source, boolean hidden) {}

  /** The places of this process: {@code XDG_CONFIG_HOME} or {@code HOME}, and the launcher's. */
  public static ConfigNames fromEnvironment() {
    return of(System.getenv(), System.getProperty(SHARE_PROPERTY));
  }

  static ConfigNames of(Map<String, String> environment, String share) {
    String configHome = environment.getOrDefault("XDG_CONFIG_HOME", "");
    Path config;
    // XDG Base Directory: an unset, empty or relative value means the default.
    if (!configHome.isEmpty() && Path.of(configHome).isAbsolute()) {
      config = Path.of(configHome);
    } else {
      String home = environment.getOrDefault("HOME", System.getProperty("user.home", ""));
      config = Path.of(home, ".config");
    }
    Path shared = share == null || share.isBlank() ? Path.of("/usr/share/dkrig") : Path.of(share);
    return new ConfigNames(config.resolve("dkrig"), shared);
  }

  /** True when the argument names a file (a {@code /} or a {@code .yaml} ending), not a name. */
  public static boolean isPath(String argument) {
    return argument.contains("/")
        || argument.endsWith(".yaml")
        || argument.endsWith(".yml")
        || argument.contains(java.io.File.separator);
  }

  /** A rig given on the command line: its file, or the file of its name. */
  public ConfigSource rig(Path argument) {
    return resolve(Kind.RIG, argument.toString());
  }

  public ConfigSource profile(Path argument) {
    return resolve(Kind.PROFILE, argument.toString());
  }

  public ConfigSource suite(Path argument) {
    return resolve(Kind.SUITE, argument.toString());
  }

  /**
   * The file an argument stands for. A name found nowhere is a {@link ConfigException} that says
   * where it was looked for and which names exist.
   */
  public ConfigSource resolve(Kind kind, String argument) {
    if (isPath(argument)) {
      return ConfigSource.file(Path.of(argument));
    }
    if (!NAME.matcher(argument).matches()) {
      throw new ConfigException(
          kind.word()
              + " '"
              + argument
              + "': not a name (letters, digits, '.', '_', '+', '-') nor a path (with a '/' or"
              + " a .yaml ending)");
    }
    String file = argument + ".yaml";
    for (Path folder : List.of(userFolder, sharedFolder)) {
      Path candidate = folder.resolve(kind.folder()).resolve(file);
      if (Files.isRegularFile(candidate)) {
        return ConfigSource.file(candidate);
      }
    }
    if (builtIn(kind).contains(argument)) {
      return ConfigSource.embedded(kind.folder() + "/" + file);
    }
    StringBuilder message =
        new StringBuilder()
            .append("no ")
            .append(kind.word())
            .append(" named '")
            .append(argument)
            .append("' in ")
            .append(userFolder.resolve(kind.folder()))
            .append(", ")
            .append(sharedFolder.resolve(kind.folder()))
            .append(" or the built-in ones; known: ")
            .append(String.join(", ", names(kind)));
    if (Files.isRegularFile(Path.of(argument))) {
      message.append(" (for the file in this folder, say ./").append(argument).append(')');
    }
    throw new ConfigException(message.toString());
  }

  /** Every file of this kind in every place, in lookup order within each name. */
  public List<Found> list(Kind kind) {
    List<Found> found = new ArrayList<>();
    java.util.Set<String> seen = new java.util.HashSet<>();
    TreeSet<String> all = new TreeSet<>();
    List<TreeSet<String>> byPlace =
        List.of(onDisk(userFolder, kind), onDisk(sharedFolder, kind), builtIn(kind));
    byPlace.forEach(all::addAll);
    for (String name : all) {
      for (Place place : Place.values()) {
        if (!byPlace.get(place.ordinal()).contains(name)) {
          continue;
        }
        String file = kind.folder() + "/" + name + ".yaml";
        ConfigSource source =
            switch (place) {
              case USER -> ConfigSource.file(userFolder.resolve(file));
              case SHARED -> ConfigSource.file(sharedFolder.resolve(file));
              case BUILT_IN -> ConfigSource.embedded(file);
            };
        found.add(new Found(name, place, source, !seen.add(name)));
      }
    }
    return found;
  }

  /** The names of this kind, sorted, each once: what shell completion offers. */
  public List<String> names(Kind kind) {
    return list(kind).stream().filter(f -> !f.hidden()).map(Found::name).toList();
  }

  private static TreeSet<String> onDisk(Path folder, Kind kind) {
    TreeSet<String> names = new TreeSet<>();
    Path dir = folder.resolve(kind.folder());
    if (!Files.isDirectory(dir)) {
      return names;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.yaml")) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        name = name.substring(0, name.length() - ".yaml".length());
        if (Files.isRegularFile(file) && NAME.matcher(name).matches()) {
          names.add(name);
        }
      }
    } catch (IOException e) {
      // An unreadable folder offers no names; a file named in it still fails with its own cause.
    }
    return names;
  }

  /** The names built into the jar under {@code /defaults/<kind>/} (or the classes folder). */
  static TreeSet<String> builtIn(Kind kind) {
    TreeSet<String> names = new TreeSet<>();
    URL url = ConfigNames.class.getResource("/defaults/" + kind.folder());
    if (url == null) {
      return names;
    }
    try {
      URI uri = url.toURI();
      if (uri.getScheme().equals("jar")) {
        try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of())) {
          names.addAll(onDisk(jar.getPath("/defaults"), kind));
        } catch (FileSystemAlreadyExistsException e) {
          names.addAll(onDisk(FileSystems.getFileSystem(uri).getPath("/defaults"), kind));
        }
      } else {
        names.addAll(onDisk(Path.of(uri).getParent(), kind));
      }
    } catch (IOException | URISyntaxException | RuntimeException e) {
      // A jar that cannot be listed offers no built-in names; the defaults still load by path.
    }
    return names;
  }
}
