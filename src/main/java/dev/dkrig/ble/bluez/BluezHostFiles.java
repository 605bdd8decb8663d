package dev.dkrig.ble.bluez;

import dev.dkrig.iso7816.Hex;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The two files that decide which address bluetoothd advertises from, since BlueZ offers no D-Bus
 * property for it: {@code /etc/bluetooth/main.conf} {@code [General] Privacy} and the adapter's
 * {@code /var/lib/bluetooth/<address>/identity} {@code [General] IdentityResolvingKey}. bluetoothd
 * reads both once, when it sets the adapter up, and hands the IRK to the kernel (mgmt Set Privacy,
 * accepted only while the controller is off); the kernel then generates and rotates the resolvable
 * private address itself.
 */
public final class BluezHostFiles {
  static final String MAIN_CONF = "etc/bluetooth/main.conf";
  static final String STORAGE = "var/lib/bluetooth";

  private final Path root;

  /** Reads below {@code root} instead of {@code /} (tests). */
  public BluezHostFiles(Path root) {
    this.root = root;
  }

  public static BluezHostFiles system() {
    return new BluezHostFiles(Path.of("/"));
  }

  /** A value from a file, or why there is none. */
  public sealed interface Reading<T> {
    /** The file that was read (or would have been). */
    Path file();

    default <U> Reading<U> map(Function<T, U> f) {
      if (this instanceof Found<T> found) {
        return new Found<>(f.apply(found.value()), found.file());
      }
      if (this instanceof Unreadable<T> unreadable) {
        return new Unreadable<>(unreadable.file(), unreadable.reason());
      }
      return new Absent<>(file());
    }

    /** The file names the value. */
    record Found<T>(T value, Path file) implements Reading<T> {}

    /** No file, or the file does not set the key. */
    record Absent<T>(Path file) implements Reading<T> {}

    /** The file exists but could not be read (bluetoothd's storage is root-only, 0700). */
    record Unreadable<T>(Path file, String reason) implements Reading<T> {}
  }

  /** {@code [General] Privacy} of main.conf, lower case; absent means BlueZ's default, off. */
  public Reading<String> privacy() {
    Path file = root.resolve(MAIN_CONF);
    return generalKey(file, "Privacy").map(value -> value.toLowerCase(Locale.ROOT));
  }

  /** The IRK bluetoothd gives the kernel for the adapter with this identity address. */
  public Reading<byte[]> identityResolvingKey(String adapterAddress) {
    Path file =
        root.resolve(STORAGE).resolve(adapterAddress.toUpperCase(Locale.ROOT)).resolve("identity");
    Reading<String> text = generalKey(file, "IdentityResolvingKey");
    if (text instanceof Reading.Found<String> found) {
      try {
        byte[] irk = Hex.decode(found.value());
        if (irk.length == 16) {
          return new Reading.Found<>(irk, file);
        }
      } catch (IllegalArgumentException e) {
        // Falls through: bluetoothd, too, turns privacy off for a malformed key (adapter.c).
      }
      return new Reading.Unreadable<>(file, "IdentityResolvingKey is not 32 hex digits");
    }
    return text.map(unused -> new byte[0]);
  }

  private static Reading<String> generalKey(Path file, String key) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return new Reading.Absent<>(file);
    } catch (AccessDeniedException e) {
      return new Reading.Unreadable<>(file, "permission denied");
    } catch (IOException e) {
      return new Reading.Unreadable<>(file, String.valueOf(e.getMessage()));
    }
    // GKeyFile syntax: [Group], key = value, whole-line comments with '#'.
    String group = "";
    for (String raw : lines) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (line.startsWith("[") && line.endsWith("]")) {
        group = line.substring(1, line.length() - 1).strip();
        continue;
      }
      int equals = line.indexOf('=');
      if ("General".equals(group) && equals > 0 && line.substring(0, equals).strip().equals(key)) {
        return new Reading.Found<>(line.substring(equals + 1).strip(), file);
      }
    }
    return new Reading.Absent<>(file);
  }
}
