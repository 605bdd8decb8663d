package dev.dkrig.transport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The processor time the calling thread has used so far: the first field of Linux's {@code
 * /proc/thread-self/schedstat} ({@code cpu-ns run-delay-ns timeslices}), read without starting the
 * JVM's management beans (which would cost a cold pairing its first exchange). Where Linux does not
 * tell (a kernel without schedstats) it is unknown, -1, and the file is not read again.
 */
final class ThreadProcessorTime {
  private static final Path FILE = Path.of("/proc/thread-self/schedstat");
  private static volatile boolean available = true;

  private ThreadProcessorTime() {}

  /** The calling thread's processor time so far in ns, or -1 when unknown. */
  static long ofCurrentThread() {
    if (!available) {
      return -1;
    }
    long used;
    try {
      used = parse(new String(Files.readAllBytes(FILE), StandardCharsets.US_ASCII));
    } catch (IOException | SecurityException e) {
      used = -1;
    }
    if (used < 0) {
      available = false;
    }
    return used;
  }

  /** The processor time of a schedstat line, or -1 when it is not one. */
  static long parse(String schedstat) {
    String[] fields = schedstat.trim().split(" ");
    if (fields.length != 3 || fields[0].isEmpty() || fields[0].length() > 18) {
      return -1;
    }
    // Digits only, without a regex: this runs on every exchange with the in-process device.
    for (int i = 0; i < fields[0].length(); i++) {
      char c = fields[0].charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
    }
    return Long.parseLong(fields[0]);
  }
}
