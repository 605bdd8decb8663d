package dev.dkrig.dump;

import dev.dkrig.ccc.CccException;
import dev.dkrig.iso7816.CommandApdu;
import dev.dkrig.iso7816.Hex;
import dev.dkrig.iso7816.Iso7816Exception;
import dev.dkrig.iso7816.ResponseApdu;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A parsed {@code dkrig-dump/1} file (see {@link DumpWriter}). */
public record Dump(
    long seed,
    boolean testMode,
    Optional<List<Map.Entry<String, byte[]>>> draws,
    Instant start,
    Map<String, String> files,
    Map<String, Duration> timers,
    boolean ble,
    boolean phase4,
    List<Event> events,
    Map<String, String> results,
    Optional<String> verdict) {

  /** One recorded event; {@code line} is its line number in the file, for messages. */
  public record Event(int line, Instant at, String kind, String payload) {
    public CommandApdu command() {
      try {
        return CommandApdu.parse(Hex.decode(payload));
      } catch (Iso7816Exception e) {
        throw CccException.malformed(e);
      }
    }

    public ResponseApdu response() {
      try {
        return ResponseApdu.parse(Hex.decode(payload));
      } catch (Iso7816Exception e) {
        throw CccException.malformed(e);
      }
    }
  }

  /** A dump that cannot be read: the line and what is wrong (exit 4). */
  public static final class BadDumpException extends Exception {
    private static final long serialVersionUID = 1L;

    public BadDumpException(String message) {
      super(message);
    }
  }

  public static Dump read(Path file) throws IOException, BadDumpException {
    List<String> lines = Files.readAllLines(file);
    if (lines.isEmpty() || !lines.get(0).equals("# " + DumpWriter.FORMAT)) {
      throw new BadDumpException(file + ": not a " + DumpWriter.FORMAT + " file (first line)");
    }
    Long seed = null;
    boolean testMode = false;
    List<Map.Entry<String, byte[]>> draws = null;
    Instant start = null;
    Map<String, String> files = new LinkedHashMap<>();
    Map<String, Duration> timers = new LinkedHashMap<>();
    boolean ble = false;
    boolean phase4 = true;
    List<Event> events = new ArrayList<>();
    Map<String, String> results = new LinkedHashMap<>();
    String verdict = null;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      int number = i + 1;
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      try {
        String[] parts = line.split(" ", 3);
        switch (parts[0]) {
          case "seed" -> seed = Long.parseLong(parts[1]);
          case "test-mode" -> testMode = parts[1].equals("on");
          case "draws" -> draws = new ArrayList<>();
          case "draw" -> {
            if (draws == null) {
              throw new IllegalArgumentException("a draw without 'draws recorded'");
            }
            draws.add(Map.entry(parts[1], Hex.decode(parts[2])));
          }
          case "start" -> start = Instant.parse(parts[1]);
          case "profile", "rig" -> files.put(parts[0], parts[1] + " " + parts[2]);
          case "timer" -> timers.put(parts[1], Duration.ofNanos(Long.parseLong(parts[2])));
          case "ble" -> ble = parts[1].equals("on");
          case "phase4" -> phase4 = parts[1].equals("on");
          case "result" -> results.put(parts[1], parts[2]);
          case "verdict" -> verdict = parts[1];
          default -> {
            if (!parts[0].startsWith("+") || start == null) {
              throw new IllegalArgumentException("unknown line");
            }
            double ms = Double.parseDouble(parts[0].substring(1));
            Instant at = start.plusNanos(Math.round(ms * 1e6));
            events.add(new Event(number, at, parts[1], parts.length > 2 ? parts[2] : ""));
          }
        }
      } catch (RuntimeException e) {
        throw new BadDumpException(
            file + ":" + number + ": cannot read '" + line + "' (" + e.getMessage() + ")");
      }
    }
    if ((seed == null && !testMode && draws == null) || start == null) {
      throw new BadDumpException(
          file + ": the header has no seed (or test-mode, or recorded draws) or start");
    }
    return new Dump(
        seed == null ? 0 : seed,
        testMode,
        Optional.ofNullable(draws).map(List::copyOf),
        start,
        files,
        timers,
        ble,
        phase4,
        events,
        results,
        Optional.ofNullable(verdict));
  }

  /** The protocol-clock reads, in order. */
  public List<Instant> clockReads() {
    return events.stream()
        .filter(e -> e.kind().equals("clock"))
        .map(e -> Instant.parse(e.payload()))
        .toList();
  }

  /** The transport events (everything but clock reads), in order. */
  public List<Event> transportEvents() {
    return events.stream().filter(e -> !e.kind().equals("clock")).toList();
  }
}
