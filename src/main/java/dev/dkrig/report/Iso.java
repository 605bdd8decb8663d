package dev.dkrig.report;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Report timestamps: ISO-8601 UTC with milliseconds ({@code 2026-11-27T12:01:00.000Z}, §2, §15).
 */
public final class Iso {
  private static final DateTimeFormatter FORMAT =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private Iso() {}

  public static String format(Instant instant) {
    return FORMAT.format(instant);
  }
}
