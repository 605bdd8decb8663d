package dev.dkrig.doctor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The parts of the host the doctor reads, under a root folder so tests can build a fake one: {@code
 * /run/pcscd}, {@code /proc/modules}, {@code /etc/libccid_Info.plist}, {@code /proc/PID}.
 */
public final class Host {
  private final Path root;

  public Host(Path root) {
    this.root = root;
  }

  public static Host system() {
    return new Host(Path.of("/"));
  }

  public Path path(String absolute) {
    return root.resolve(absolute.substring(1));
  }

  public boolean exists(String absolute) {
    return Files.exists(path(absolute));
  }

  public Optional<String> read(String absolute) {
    try {
      return Optional.of(Files.readString(path(absolute), StandardCharsets.ISO_8859_1));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** The pid in pcscd's pid file (which may end with a NUL), when there is one. */
  public Optional<Long> pcscdPid() {
    return read("/run/pcscd/pcscd.pid")
        .map(text -> text.replace("\0", "").trim())
        .filter(text -> text.matches("\\d+"))
        .map(Long::parseLong);
  }

  public boolean processAlive(long pid) {
    return exists("/proc/" + pid);
  }

  /** Loaded kernel modules, by name. */
  public List<String> modules() {
    return read("/proc/modules")
        .map(text -> text.lines().map(line -> line.split(" ", 2)[0]).toList())
        .orElse(List.of());
  }
}
