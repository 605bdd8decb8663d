package dev.dkrig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The layering of ARCHITECTURE.md, checked on the sources: which top-level package may import
 * which, the arrows issue 17 turned round, and the size limits. A change that needs a new arrow
 * changes ARCHITECTURE.md and this table together.
 */
class ArchitectureTest {
  private static final Path MAIN = Path.of("src/main/java/dev/dkrig");
  private static final Pattern QUALIFIED = Pattern.compile("\\bdev\\.dkrig\\.([a-z0-9_]+)\\.");

  /**
   * Top-level package → the top-level packages it may use (ARCHITECTURE.md, "Layers"). Each package
   * names only packages of lower layers; nothing but {@code cli} is above {@code cli}.
   */
  private static final Map<String, Set<String>> ALLOWED =
      Map.ofEntries(
          // foundations
          Map.entry("iso7816", Set.of()),
          Map.entry("io", Set.of()),
          // the contract
          Map.entry("ccc", Set.of("iso7816")),
          Map.entry("time", Set.of("ccc")),
          Map.entry("random", Set.of("ccc", "iso7816")),
          Map.entry("version", Set.of("ccc")),
          // the radio sides and the phone
          Map.entry("transport", Set.of("iso7816", "time")),
          Map.entry("ble", Set.of("ccc", "iso7816")),
          Map.entry("device", Set.of("ccc", "iso7816", "random", "time")),
          // the vehicle
          Map.entry("pairing", Set.of("ble", "ccc", "iso7816", "random", "time", "transport")),
          // what the vehicle's runs leave behind
          Map.entry("state", Set.of("ccc", "io", "iso7816", "pairing")),
          Map.entry("report", Set.of("ccc", "io", "iso7816", "pairing", "time", "transport")),
          Map.entry(
              "dump",
              Set.of("ble", "ccc", "iso7816", "pairing", "random", "state", "time", "transport")),
          // assembling a bench
          Map.entry(
              "bench",
              Set.of(
                  "ble",
                  "ccc",
                  "device",
                  "dump",
                  "io",
                  "iso7816",
                  "pairing",
                  "random",
                  "report",
                  "state",
                  "time",
                  "transport",
                  "version")),
          Map.entry("emulate", Set.of("ccc", "iso7816", "transport")),
          Map.entry("doctor", Set.of("bench", "ble", "transport")),
          // the phone role, on top of the bench and the emulators
          Map.entry(
              "phone",
              Set.of(
                  "bench",
                  "ccc",
                  "device",
                  "emulate",
                  "io",
                  "iso7816",
                  "pairing",
                  "random",
                  "report",
                  "time",
                  "transport",
                  "version")),
          Map.entry(
              "conformance",
              Set.of(
                  "bench",
                  "ble",
                  "ccc",
                  "device",
                  "io",
                  "iso7816",
                  "pairing",
                  "phone",
                  "random",
                  "report",
                  "state",
                  "time",
                  "transport")),
          // the command line, on top of everything
          Map.entry(
              "cli",
              Set.of(
                  "bench",
                  "ccc",
                  "conformance",
                  "device",
                  "doctor",
                  "dump",
                  "emulate",
                  "io",
                  "iso7816",
                  "pairing",
                  "phone",
                  "random",
                  "report",
                  "state",
                  "time",
                  "transport",
                  "version")));

  @Test
  void everyPackageImportsOnlyItsLowerLayers() {
    List<String> wrong = new ArrayList<>();
    for (Path file : sources()) {
      String own = topPackage(file);
      Set<String> allowed = ALLOWED.get(own);
      if (allowed == null) {
        wrong.add(file + ": package " + own + " is not in the layer table");
        continue;
      }
      for (String used : referencedTopPackages(file)) {
        if (!used.equals(own) && !allowed.contains(used)) {
          wrong.add(MAIN.relativize(file) + " imports dev.dkrig." + used);
        }
      }
    }
    assertEquals(List.of(), wrong);
  }

  @Test
  void onlyTheCommandLineUsesTheCommandLine() {
    List<String> users = new ArrayList<>();
    for (Path file : sources()) {
      if (!topPackage(file).equals("cli") && referencedTopPackages(file).contains("cli")) {
        users.add(MAIN.relativize(file).toString());
      }
    }
    assertEquals(List.of(), users);
  }

  @Test
  void thePn532PathDoesNotLeanOnTheAcr122u() {
    assertEquals(
        List.of(),
        filesReferencing(MAIN.resolve("transport/pn532"), "dev.dkrig.transport.acr122u"));
  }

  @Test
  void transportsTakeTheirLimitsAsParametersNotFromTheProfile() {
    assertEquals(List.of(), filesReferencing(MAIN.resolve("transport"), "dev.dkrig.ccc.DkProfile"));
  }

  @Test
  void noClassIsLongerThan700Lines() {
    Map<String, Long> longer = new TreeMap<>();
    for (Path file : sources()) {
      long lines = lines(file).size();
      if (lines > 700) {
        longer.put(MAIN.relativize(file).toString(), lines);
      }
    }
    assertEquals(Map.of(), longer);
  }

  @Test
  void noPairingClassHoldsMoreThan12Fields() throws ClassNotFoundException {
    Map<String, Long> crowded = new TreeMap<>();
    for (Path file : sources(MAIN.resolve("pairing"))) {
      String name = className(file);
      for (Class<?> type : withNested(Class.forName(name))) {
        long fields =
            Stream.of(type.getDeclaredFields())
                .filter(f -> !java.lang.reflect.Modifier.isStatic(f.getModifiers()))
                .filter(f -> !f.isSynthetic())
                .count();
        if (fields > 12) {
          crowded.put(type.getName(), fields);
        }
      }
    }
    assertEquals(Map.of(), crowded);
  }

  @Test
  void theTableNamesEveryPackageThatExists() throws IOException {
    Set<String> present = new TreeSet<>();
    try (Stream<Path> dirs = Files.list(MAIN)) {
      dirs.filter(Files::isDirectory).forEach(d -> present.add(d.getFileName().toString()));
    }
    assertEquals(present, new TreeSet<>(ALLOWED.keySet()));
    for (Set<String> targets : ALLOWED.values()) {
      assertTrue(present.containsAll(targets), () -> "unknown package in " + targets);
    }
  }

  private static List<Class<?>> withNested(Class<?> type) {
    List<Class<?>> all = new ArrayList<>();
    all.add(type);
    for (Class<?> nested : type.getDeclaredClasses()) {
      all.addAll(withNested(nested));
    }
    return all;
  }

  private static String className(Path file) {
    String relative = MAIN.getParent().getParent().relativize(file).toString();
    return relative.substring(0, relative.length() - ".java".length()).replace('/', '.');
  }

  private static String topPackage(Path file) {
    return MAIN.relativize(file).getName(0).toString();
  }

  private static Set<String> referencedTopPackages(Path file) {
    Set<String> used = new TreeSet<>();
    for (String line : lines(file)) {
      String code = line.strip();
      if (code.startsWith("//") || code.startsWith("*") || code.startsWith("/*")) {
        continue;
      }
      Matcher m = QUALIFIED.matcher(code);
      while (m.find()) {
        used.add(m.group(1));
      }
    }
    return used;
  }

  private static List<String> filesReferencing(Path folder, String name) {
    List<String> hits = new ArrayList<>();
    for (Path file : sources(folder)) {
      for (String line : lines(file)) {
        String code = line.strip();
        if (!code.startsWith("*") && !code.startsWith("//") && code.contains(name)) {
          hits.add(MAIN.relativize(file) + ": " + code);
        }
      }
    }
    return hits;
  }

  private static List<Path> sources() {
    return sources(MAIN);
  }

  private static List<Path> sources(Path folder) {
    try (Stream<Path> files = Files.walk(folder)) {
      return files
          .filter(f -> f.toString().endsWith(".java"))
          .filter(f -> !f.getFileName().toString().equals("package-info.java"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> lines(Path file) {
    try {
      return Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
