package dev.dkrig.report;

import dev.dkrig.iso7816.Hex;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What every output says first (issue 7): Java, OS, the jar's SHA-256, the command line with
 * passwords masked, the {@code DKRIG_*} variables. Enough for a colleague to know exactly what ran.
 */
public record Preamble(
    String java,
    String os,
    String jarSha256,
    List<String> commandLine,
    Map<String, String> environment) {

  /** Options whose value is a secret, masked in the command line (a seed recomputes the keys). */
  private static final List<String> SECRET_OPTIONS =
      List.of("--device-password", "--password", "--seed");

  /**
   * The {@code DKRIG_*} variables whose values are shown (issue 14); every other one is masked,
   * since a lab's own scripts may keep a password or key in a {@code DKRIG_} variable.
   */
  static final Set<String> SHOWN_VARIABLES =
      Set.of(
          "DKRIG_READER",
          "DKRIG_READER_IGNORE",
          "DKRIG_STATE_DIR",
          "DKRIG_BLE_ADAPTER",
          "DKRIG_PADS",
          "DKRIG_CDS",
          "DKRIG_ACR122U_ESCAPE_CODE",
          "DKRIG_JAVA_OPTS");

  public Preamble {
    commandLine = List.copyOf(commandLine);
    environment = Map.copyOf(environment);
  }

  public static Preamble capture(List<String> arguments, Map<String, String> environment) {
    Map<String, String> dkrig = new TreeMap<>();
    environment.forEach(
        (k, v) -> {
          if (k.startsWith("DKRIG_")) {
            dkrig.put(k, SHOWN_VARIABLES.contains(k) ? v : "****");
          }
        });
    return new Preamble(
        "Java "
            + System.getProperty("java.version")
            + " ("
            + System.getProperty("java.vendor")
            + ")",
        System.getProperty("os.name")
            + " "
            + System.getProperty("os.version")
            + " "
            + System.getProperty("os.arch"),
        currentJarSha256(),
        mask(arguments),
        dkrig);
  }

  public static Preamble none() {
    return new Preamble("", "", "", List.of(), Map.of());
  }

  static List<String> mask(List<String> arguments) {
    List<String> out = new ArrayList<>();
    boolean next = false;
    for (String arg : arguments) {
      if (next) {
        out.add("****");
        next = false;
        continue;
      }
      String lower = arg.toLowerCase(Locale.ROOT);
      boolean masked = false;
      for (String option : SECRET_OPTIONS) {
        if (lower.equals(option)) {
          next = true;
        } else if (lower.startsWith(option + "=")) {
          out.add(option + "=****");
          masked = true;
        }
      }
      if (!masked) {
        out.add(arg);
      }
    }
    return out;
  }

  /** The jar's SHA-256 as the launcher computed it (lower-case hex), if it did. */
  public static final String JAR_SHA256_PROPERTY = "dkrig.jar.sha256";

  /** SHA-256 of the jar this code runs from, or a note when it runs from classes (tests). */
  private static java.util.concurrent.CompletableFuture<String> jarDigest;

  /**
   * Starts hashing the running jar in the background (about 90 ms for 12 MB on a cold JVM), so that
   * the preamble has it by the time the first output file opens. Idempotent.
   */
  public static synchronized void startJarDigest() {
    // Issue 20: the launcher hashes a jar once, beside its class-data archive, and passes the
    // digest (a jar's own code reports it either way); hashing 13 MB with C1 alone took each run
    // a quarter of a second of CPU that P1.4's scrypt needs.
    String given = System.getProperty(JAR_SHA256_PROPERTY, "");
    if (jarDigest == null && given.matches("[0-9a-f]{64}")) {
      jarDigest = new java.util.concurrent.CompletableFuture<>();
      jarDigest.complete(given);
    }
    if (jarDigest == null) {
      jarDigest = new java.util.concurrent.CompletableFuture<>();
      java.util.concurrent.CompletableFuture<String> target = jarDigest;
      Thread t =
          new Thread(
              () -> {
                try {
                  target.complete(computeJarSha256());
                } catch (RuntimeException e) {
                  target.complete("(unknown)");
                }
              },
              "dkrig-jar-digest");
      t.setDaemon(true);
      t.start();
    }
  }

  static String currentJarSha256() {
    startJarDigest();
    return jarDigest.join();
  }

  private static String computeJarSha256() {
    try {
      Path location =
          Path.of(Preamble.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (!Files.isRegularFile(location)) {
        return "(not a jar: " + location + ")";
      }
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      try (java.io.InputStream in = Files.newInputStream(location)) {
        byte[] buffer = new byte[1 << 16];
        for (int n; (n = in.read(buffer)) > 0; ) {
          digest.update(buffer, 0, n);
        }
      }
      return Hex.encode(digest.digest()).toLowerCase(Locale.ROOT);
    } catch (IOException
        | URISyntaxException
        | SecurityException
        | NullPointerException
        | NoSuchAlgorithmException e) {
      return "(unknown)";
    }
  }

  /**
   * The arguments as a bash command line that can be pasted back (issue 15): plain words as they
   * are, others in single quotes, and any with a control character in {@code $'...'} form so that
   * nothing invisible reaches a console. Masked secrets stay {@code ****}.
   */
  public String commandLineText() {
    return String.join(" ", commandLine.stream().map(Preamble::shellWord).toList());
  }

  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

  /** One argument quoted for bash. */
  static String shellWord(String argument) {
    if (PLAIN.matcher(argument).matches()) {
      return argument;
    }
    boolean control = argument.codePoints().anyMatch(c -> c < 0x20 || (c >= 0x7F && c < 0xA0));
    if (!control) {
      return "'" + argument.replace("'", "'\\''") + "'";
    }
    StringBuilder out = new StringBuilder("$'");
    argument
        .codePoints()
        .forEach(
            c -> {
              switch (c) {
                case '\\' -> out.append("\\\\");
                case '\'' -> out.append("\\'");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                case 0x1B -> out.append("\\e");
                default -> {
                  if (c < 0x20 || c == 0x7F) {
                    out.append(String.format(Locale.ROOT, "\\x%02x", c));
                  } else if (c >= 0x80 && c < 0xA0) {
                    out.append(String.format(Locale.ROOT, "\\u%04x", c));
                  } else {
                    out.appendCodePoint(c);
                  }
                }
              }
            });
    return out.append('\'').toString();
  }
}
