package dev.dkrig.cli;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The launcher's class-data-sharing training run ({@code -Ddkrig.cds.training=true}): before the
 * training pairing, loads every class of the rig and of the JDK's PC/SC module without initialising
 * them, so that the archive also holds what a PC/SC bench, several pads or a suite need, which a
 * pairing against the built-in virtual device never touches. Nothing runs; a class that cannot load
 * is left out of the archive, and the training goes on.
 */
final class CdsTraining {
  static final String PROPERTY = "dkrig.cds.training";

  private CdsTraining() {}

  static void loadClasses() {
    ClassLoader loader = CdsTraining.class.getClassLoader();
    List<String> names = new ArrayList<>();
    names.addAll(ownClasses());
    names.addAll(moduleClasses("java.smartcardio"));
    for (String name : names) {
      try {
        Class.forName(name, false, loader);
      } catch (ClassNotFoundException | LinkageError e) {
        // Not archived; the run loads it from the jar if it ever needs it.
      }
    }
  }

  private static List<String> ownClasses() {
    List<String> names = new ArrayList<>();
    try {
      Path jar =
          Path.of(CdsTraining.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (!Files.isRegularFile(jar)) {
        return names;
      }
      try (JarFile file = new JarFile(jar.toFile())) {
        for (Enumeration<JarEntry> e = file.entries(); e.hasMoreElements(); ) {
          String entry = e.nextElement().getName();
          if (entry.startsWith("dev/dkrig/") && entry.endsWith(".class")) {
            names.add(entry.substring(0, entry.length() - 6).replace('/', '.'));
          }
        }
      }
    } catch (IOException | URISyntaxException | SecurityException e) {
      // A training run without its jar (tests, an IDE): the pairing alone trains.
    }
    return names;
  }

  private static List<String> moduleClasses(String module) {
    List<String> names = new ArrayList<>();
    try {
      FileSystem jrt = FileSystems.getFileSystem(URI.create("jrt:/"));
      Path root = jrt.getPath("/modules", module);
      try (Stream<Path> walk = Files.walk(root)) {
        walk.map(p -> root.relativize(p).toString())
            .filter(p -> p.endsWith(".class") && !p.equals("module-info.class"))
            .forEach(p -> names.add(p.substring(0, p.length() - 6).replace('/', '.')));
      }
    } catch (IOException | RuntimeException e) {
      // No such module in this runtime: nothing to add.
    }
    return names;
  }
}
