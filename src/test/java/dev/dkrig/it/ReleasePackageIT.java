package dev.dkrig.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dkrig.cli.Main;
import dev.dkrig.version.BuildInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The release as a user gets it (issue 18), without touching the machine: the .deb of {@code mvn
 * -Prelease package} is unpacked into a temporary root with {@code dpkg-deb -x} and its {@code
 * usr/bin/dkrig} is run from a folder outside the checkout, with {@code HOME} and the {@code XDG_*}
 * folders in a temporary folder and a {@code PATH} without Maven. Runs in the release profile
 * ({@code scripts/test}); alone: {@code mvn -Prelease verify -Dit.test=ReleasePackageIT}.
 */
class ReleasePackageIT {
  private static final List<String> SHIPPED_RIGS =
      List.of(
          "acr122u", "pcsc", "phone-pn532", "phone-vpcd", "pn532-uart", "virtual", "virtual-ble");

  @TempDir static Path dir;

  private static Path deb;
  private static Path root;
  private static Path home;
  private static Path work;
  private static Path path;

  record Result(int exit, String out, String err) {
    String all() {
      return out + err;
    }
  }

  @BeforeAll
  static void unpack() throws Exception {
    Path target = Path.of("target").toAbsolutePath();
    try (Stream<Path> files = Files.list(target)) {
      List<Path> debs =
          files.filter(p -> p.getFileName().toString().matches("dkrig_.*_all\\.deb")).toList();
      assertEquals(
          1, debs.size(), "one target/dkrig_*_all.deb expected (mvn -Prelease package): " + debs);
      deb = debs.get(0);
    }
    root = Files.createDirectories(dir.resolve("root"));
    home = Files.createDirectories(dir.resolve("home"));
    work = Files.createDirectories(dir.resolve("bench"));
    path = pathWithoutMaven(Files.createDirectories(dir.resolve("bin")));
    Result x = run(dir, List.of("dpkg-deb", "-x", deb.toString(), root.toString()));
    assertEquals(0, x.exit(), x.all());
  }

  /**
   * The links go before JUnit cleans the temporary folder, which would otherwise warn about each
   * link that points outside it.
   */
  @AfterAll
  static void removeLinks() throws IOException {
    if (path != null) {
      try (Stream<Path> links = Files.list(path)) {
        for (Path link : links.toList()) {
          Files.delete(link);
        }
      }
    }
  }

  /** A folder of links to every program of /usr/bin and /bin but Maven's. */
  private static Path pathWithoutMaven(Path bin) throws IOException {
    for (String system : List.of("/usr/bin", "/bin")) {
      try (Stream<Path> programs = Files.list(Path.of(system))) {
        for (Path program : programs.toList()) {
          String name = program.getFileName().toString();
          Path link = bin.resolve(name);
          if (!name.startsWith("mvn")
              && !Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            Files.createSymbolicLink(link, program);
          }
        }
      }
    }
    return bin;
  }

  private static Result run(Path cwd, List<String> command)
      throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).directory(cwd.toFile());
    Map<String, String> env = builder.environment();
    env.clear();
    env.put("PATH", path == null ? "/usr/bin:/bin" : path.toString());
    if (home != null) {
      env.put("HOME", home.toString());
      env.put("XDG_CONFIG_HOME", home.resolve("config").toString());
      env.put("XDG_CACHE_HOME", home.resolve("cache").toString());
      env.put("XDG_STATE_HOME", home.resolve("state").toString());
      env.put("XDG_DATA_HOME", home.resolve("data").toString());
    }
    env.put("LC_ALL", "C.UTF-8");
    env.put("NO_COLOR", "1");
    env.put("MANWIDTH", "100");
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    builder.redirectOutput(out.toFile()).redirectError(err.toFile());
    builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Process process = builder.start();
    assertTrue(process.waitFor(180, TimeUnit.SECONDS), "did not finish: " + command);
    return new Result(
        process.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  private static Result dkrig(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(root.resolve("usr/bin/dkrig").toString());
    command.addAll(List.of(args));
    return run(work, command);
  }

  private static String field(String name) throws IOException, InterruptedException {
    Result r = run(dir, List.of("dpkg-deb", "-f", deb.toString(), name));
    assertEquals(0, r.exit(), r.all());
    return r.out().trim();
  }

  @Test
  @DisplayName("the test's PATH has no Maven, and the folder it runs in is outside the checkout")
  void noMaven() throws Exception {
    Result r = run(work, List.of("bash", "-c", "command -v mvn; git rev-parse 2>/dev/null"));
    assertFalse(r.exit() == 0, "mvn or a git checkout is visible: " + r.all());
  }

  @Test
  @DisplayName("control fields: package, Debian version of the project's, all, Java 17+, pcscd")
  void controlFields() throws Exception {
    assertEquals("dkrig", field("Package"));
    assertEquals(BuildInfo.version().replace('-', '~'), field("Version"));
    assertEquals("all", field("Architecture"));
    assertEquals("default-jre-headless (>= 2:1.17) | java17-runtime-headless", field("Depends"));
    assertEquals("pcscd", field("Recommends"));
    assertTrue(field("Maintainer").matches(".+ <[^@ ]+@[^@ ]+>"), field("Maintainer"));
    assertEquals("dkrig_" + field("Version") + "_all.deb", deb.getFileName().toString());
  }

  @Test
  @DisplayName(
      "file list: launcher, jar, rigs, profiles, suites, a man page per command, completion")
  void fileList() throws Exception {
    Result r = run(dir, List.of("dpkg-deb", "-c", deb.toString()));
    assertEquals(0, r.exit(), r.all());
    TreeMap<String, String> files = new TreeMap<>();
    for (String line : r.out().lines().toList()) {
      String[] parts = line.split("\\s+");
      files.put(parts[parts.length - 1].replaceFirst("^\\./", ""), parts[0] + " " + parts[1]);
    }
    assertEquals("-rwxr-xr-x root/root", files.get("usr/bin/dkrig"));
    for (String file :
        List.of(
            "usr/share/dkrig/dkrig.jar",
            "usr/share/dkrig/dkrig-jvm.sh",
            "usr/share/dkrig/profiles/default.yaml",
            "usr/share/dkrig/suites/conformance.yaml",
            "usr/share/dkrig/suites/vehicle-conformance.yaml",
            "usr/share/bash-completion/completions/dkrig",
            "usr/share/doc/dkrig/copyright",
            "usr/share/doc/dkrig/changelog.gz")) {
      assertEquals("-rw-r--r-- root/root", files.get(file), file);
    }
    for (String rig : SHIPPED_RIGS) {
      assertTrue(files.containsKey("usr/share/dkrig/rigs/" + rig + ".yaml"), rig);
    }
    TreeSet<String> pages = new TreeSet<>();
    collectPages(Main.commandLine(), "dkrig", pages);
    for (String page : pages) {
      assertTrue(files.containsKey("usr/share/man/man1/" + page + ".1.gz"), page);
    }
    assertTrue(pages.contains("dkrig-pair") && pages.contains("dkrig-state-show"), pages::toString);
  }

  private static void collectPages(CommandLine command, String name, TreeSet<String> pages) {
    pages.add(name);
    command.getSubcommands().forEach((sub, cli) -> collectPages(cli, name + "-" + sub, pages));
  }

  @Test
  @DisplayName("lintian finds no error and no warning (overrides explained in packaging/deb)")
  void lintian() throws Exception {
    Result r = run(dir, List.of("lintian", "--fail-on", "error,warning", deb.toString()));
    assertEquals(0, r.exit(), r.all());
    assertFalse(r.out().lines().anyMatch(l -> l.matches("[EW]: .*")), r.all());
  }

  @Test
  @DisplayName("--version names the version, the commit, the build date and the contract")
  void version() throws Exception {
    Result r = dkrig("--version");
    assertEquals(0, r.exit(), r.all());
    List<String> lines = r.out().lines().toList();
    assertTrue(
        lines
            .get(0)
            .matches("dkrig \\S+ \\(commit [0-9a-f]{7,}\\S*, built \\d{4}-\\d\\d-\\d\\dT.*\\)"),
        r.out());
    assertTrue(lines.get(0).startsWith("dkrig " + BuildInfo.version() + " "), r.out());
    assertEquals("contract: dkrig owner-pairing protocol profile, version 1", lines.get(1));
  }

  @Test
  @DisplayName("usr/bin/dkrig pair passes; the CDS archive goes to $XDG_CACHE_HOME/dkrig")
  void pair() throws Exception {
    Path traces = Files.createDirectories(dir.resolve("traces"));
    Result r = dkrig("pair", "-q", "--trace", traces.resolve("first.txt").toString());
    assertEquals(0, r.exit(), r.all());
    assertTrue(r.out().contains("Verdict: PASS"), r.out());
    try (Stream<Path> cache = Files.list(home.resolve("cache/dkrig"))) {
      assertTrue(
          cache.anyMatch(p -> p.getFileName().toString().matches("dkrig-\\d+-\\d+-s\\.jsa")),
          "no class-data-sharing archive in $XDG_CACHE_HOME/dkrig");
    }
    // The launcher hashes the jar once and hands the digest to later runs: both traces name the
    // jar that really ran.
    Result again = dkrig("pair", "-q", "--trace", traces.resolve("second.txt").toString());
    assertEquals(0, again.exit(), again.all());
    String digest =
        java.util.HexFormat.of()
            .formatHex(
                java.security.MessageDigest.getInstance("SHA-256")
                    .digest(Files.readAllBytes(root.resolve("usr/share/dkrig/dkrig.jar"))));
    for (String trace : List.of("first.txt", "second.txt")) {
      List<String> lines = Files.readAllLines(traces.resolve(trace));
      assertTrue(lines.contains("# jar SHA-256 " + digest), trace + ": " + lines.subList(0, 3));
    }
    try (Stream<Path> work = Files.list(ReleasePackageIT.work)) {
      assertEquals(List.of(), work.toList(), "pair wrote into the folder it ran in");
    }
  }

  @Test
  @DisplayName(
      "a bare --rig name finds the unpacked share folder (../share/dkrig), a user's rig wins")
  void names() throws Exception {
    Result r = dkrig("rigs");
    assertEquals(0, r.exit(), r.all());
    String shared = root.resolve("usr/share/dkrig/rigs/pcsc.yaml").toString();
    assertTrue(r.out().lines().anyMatch(l -> l.matches("pcsc\\s+shared\\s+" + shared)), r.out());
    Path mine = Files.createDirectories(home.resolve("config/dkrig/profiles"));
    Path shipped = root.resolve("usr/share/dkrig/profiles");
    Files.copy(shipped.resolve("default.yaml"), mine.resolve("bench-car.yaml"));
    // The profile names its keys relative to itself: a user copies them along.
    Files.createDirectories(mine.resolve("test-pki"));
    try (Stream<Path> keys = Files.list(shipped.resolve("test-pki"))) {
      for (Path key : keys.toList()) {
        Files.copy(key, mine.resolve("test-pki").resolve(key.getFileName()));
      }
    }
    Result names = dkrig("profiles", "--names");
    assertEquals(List.of("bench-car", "default"), names.out().lines().toList(), names.all());
    Result pair = dkrig("pair", "-q", "--rig", "virtual", "--profile", "bench-car");
    assertEquals(0, pair.exit(), pair.all());
    Result missing = dkrig("pair", "-q", "--rig", "no-such-rig");
    assertEquals(4, missing.exit(), missing.all());
    assertTrue(missing.err().contains("no rig named 'no-such-rig'"), missing.err());
  }

  @Test
  @DisplayName("one source of JVM options: the package's is the checkout's, which ./dkrig sources")
  void oneJvmOptionsFile() throws Exception {
    Path checkout = Path.of("packaging/dkrig-jvm.sh");
    assertEquals(
        Files.readString(checkout), Files.readString(root.resolve("usr/share/dkrig/dkrig-jvm.sh")));
    assertTrue(Files.readString(Path.of("dkrig")).contains(". \"$here/packaging/dkrig-jvm.sh\""));
    assertTrue(Files.readString(checkout).contains("-XX:TieredStopAtLevel=1"));
  }

  @Test
  @DisplayName("every man page renders without a groff warning")
  void everyManPage() throws Exception {
    try (Stream<Path> pages = Files.list(root.resolve("usr/share/man/man1"))) {
      for (Path page : pages.toList()) {
        Result r = run(work, List.of("man", "--warnings", "-l", page.toString()));
        assertEquals(0, r.exit(), page + ": " + r.all());
        assertEquals("", r.err(), page.toString());
      }
    }
  }

  @Test
  @DisplayName("man -l opens the page of dkrig pair without a warning")
  void manPage() throws Exception {
    Result r =
        run(
            work,
            List.of(
                "man",
                "--warnings",
                "-l",
                root.resolve("usr/share/man/man1/dkrig-pair.1.gz").toString()));
    assertEquals(0, r.exit(), r.all());
    assertEquals("", r.err());
    assertTrue(r.out().contains("dkrig-pair - "), r.out());
    assertTrue(r.out().contains("--inject-fault"), r.out());
  }

  @Test
  @DisplayName("bash completion: 'dkrig pa' completes to pair, '--rig ' to the shipped rig names")
  void completion() throws Exception {
    String script =
        """
        PATH="$ROOT/usr/bin:$PATH"
        source "$ROOT/usr/share/bash-completion/completions/dkrig"
        complete -p dkrig >&2
        comp() {
          COMP_WORDS=("$@"); COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
          COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}; COMPREPLY=()
          _dkrig_complete dkrig "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}" 2>/dev/null
          printf '%s\\n' "${COMPREPLY[@]}" | sort | tr '\\n' ' '; echo
        }
        comp dkrig pa
        comp dkrig pair --rig ''
        comp dkrig suite ''
        comp dkrig pair --timer T_Own
        comp dkrig pair --device-quirk accept-bad-m
        comp dkrig pair --inject-fault tag
        comp dkrig pair --vehicle-quirk no-a
        """;
    Result r =
        run(
            work,
            List.of("bash", "--norc", "-c", "ROOT=\"$1\"; " + script, "bash", root.toString()));
    assertEquals(0, r.exit(), r.all());
    assertTrue(r.err().contains("complete -o default -F _dkrig_complete dkrig"), r.err());
    List<String> lines = r.out().lines().map(String::strip).toList();
    assertEquals("pair", lines.get(0), r.out());
    assertEquals(String.join(" ", SHIPPED_RIGS), lines.get(1), r.out());
    assertEquals("conformance vehicle-conformance", lines.get(2), r.out());
    assertEquals("T_OwnerPairing=", lines.get(3), r.out());
    assertEquals("accept-bad-mac", lines.get(4), r.out());
    assertEquals("tag-lost@", lines.get(5), r.out());
    assertEquals("no-abort", lines.get(6), r.out());
  }

  @Test
  @DisplayName("the tarball runs from where it is unpacked and carries README.md and hardware.md")
  void tarball() throws Exception {
    Path tar = Path.of("target", "dkrig-" + BuildInfo.version() + ".tar.gz").toAbsolutePath();
    Path unpacked = Files.createDirectories(dir.resolve("opt"));
    Result x = run(dir, List.of("tar", "-xzf", tar.toString(), "-C", unpacked.toString()));
    assertEquals(0, x.exit(), x.all());
    Path top = unpacked.resolve("dkrig-" + BuildInfo.version());
    for (String file :
        List.of(
            "README.md",
            "hardware.md",
            "share/dkrig/dkrig.jar",
            "share/man/man1/dkrig-pair.1.gz",
            "share/bash-completion/completions/dkrig")) {
      assertTrue(Files.isRegularFile(top.resolve(file)), file);
    }
    Result r = run(work, List.of(top.resolve("bin/dkrig").toString(), "suites", "--names"));
    assertEquals(0, r.exit(), r.all());
    assertEquals(List.of("conformance", "vehicle-conformance"), r.out().strip().lines().toList());
  }
}
