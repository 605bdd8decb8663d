package dev.dkrig.transport.acr122u;

import dev.dkrig.iso7816.Hex;
import java.util.ArrayList;
import java.util.List;

/**
 * The ACR122U's PICC operating parameter: what the firmware does on its own to find a tag (notes
 * §2.2; read with {@code FF 00 50 00 00}, written with {@code FF 00 51 <value> 00}).
 *
 * <pre>
 * bit 7  auto PICC polling            bit 3  FeliCa 212 kbps
 * bit 6  auto ATS generation (RATS)   bit 2  Topaz
 * bit 5  poll interval: 1 = 250 ms,   bit 1  ISO 14443-B
 *        0 = 500 ms                   bit 0  ISO 14443-A
 * bit 4  FeliCa 424 kbps
 * </pre>
 *
 * Mode A (the reader polls and activates the phone, APDUs over plain PC/SC) needs bits 7 and 6 and
 * ISO 14443-A; Mode B (the host drives the PN532, needed for Apple ECP) needs bit 7 clear, which is
 * {@link #MANUAL_POLLING} ({@code FF 00 51 7F 00}, as nfcpy does).
 *
 * @param value the parameter byte
 */
public record PiccOperatingParameter(int value) {

  public static final int AUTO_POLLING = 0x80;
  public static final int AUTO_ATS = 0x40;
  public static final int POLL_INTERVAL_250_MS = 0x20;
  public static final int FELICA_424 = 0x10;
  public static final int FELICA_212 = 0x08;
  public static final int TOPAZ = 0x04;
  public static final int ISO_14443_B = 0x02;
  public static final int ISO_14443_A = 0x01;

  /** The factory setting {@code FF}: poll everything every 250 ms, RATS automatically. */
  public static final PiccOperatingParameter FACTORY_DEFAULT = new PiccOperatingParameter(0xFF);

  /** {@code 7F}: auto polling off, everything else as shipped (Mode B). */
  public static final PiccOperatingParameter MANUAL_POLLING = new PiccOperatingParameter(0x7F);

  /**
   * {@code E1}: auto polling every 250 ms with automatic RATS, ISO 14443-A only. Phones present the
   * Digital Key on type A; skipping B, FeliCa and Topaz shortens each polling loop. An option for
   * the bench, not the default: phones that answer type B first would need {@link
   * #FACTORY_DEFAULT}.
   */
  public static final PiccOperatingParameter TYPE_A_ONLY =
      new PiccOperatingParameter(AUTO_POLLING | AUTO_ATS | POLL_INTERVAL_250_MS | ISO_14443_A);

  public PiccOperatingParameter {
    if (value < 0 || value > 0xFF) {
      throw new IllegalArgumentException("PICC operating parameter out of range: " + value);
    }
  }

  public boolean autoPolling() {
    return (value & AUTO_POLLING) != 0;
  }

  public boolean autoAts() {
    return (value & AUTO_ATS) != 0;
  }

  /** 250 or 500. */
  public int pollIntervalMillis() {
    return (value & POLL_INTERVAL_250_MS) != 0 ? 250 : 500;
  }

  public boolean polls(int technologyBit) {
    return (value & technologyBit) != 0;
  }

  public PiccOperatingParameter withAutoPolling(boolean on) {
    return with(AUTO_POLLING, on);
  }

  public PiccOperatingParameter withAutoAts(boolean on) {
    return with(AUTO_ATS, on);
  }

  /** 250 or 500 ms, the two intervals the firmware knows. */
  public PiccOperatingParameter withPollIntervalMillis(int millis) {
    if (millis != 250 && millis != 500) {
      throw new IllegalArgumentException("the ACR122U polls every 250 or 500 ms, not " + millis);
    }
    return with(POLL_INTERVAL_250_MS, millis == 250);
  }

  /** Turns one technology bit ({@link #ISO_14443_A} ... {@link #FELICA_424}) on or off. */
  public PiccOperatingParameter withTechnology(int technologyBit, boolean on) {
    if (Integer.bitCount(technologyBit) != 1 || technologyBit > FELICA_424) {
      throw new IllegalArgumentException("not a technology bit: " + technologyBit);
    }
    return with(technologyBit, on);
  }

  /** {@code E1 (auto polling, auto ATS, 250 ms, ISO 14443-A)}. */
  @Override
  public String toString() {
    List<String> parts = new ArrayList<>();
    parts.add(autoPolling() ? "auto polling" : "no auto polling");
    if (autoAts()) {
      parts.add("auto ATS");
    }
    parts.add(pollIntervalMillis() + " ms");
    String[] names = {"ISO 14443-A", "ISO 14443-B", "Topaz", "FeliCa 212", "FeliCa 424"};
    for (int bit = 0; bit < names.length; bit++) {
      if ((value & (1 << bit)) != 0) {
        parts.add(names[bit]);
      }
    }
    return Hex.u8(value) + " (" + String.join(", ", parts) + ")";
  }

  private PiccOperatingParameter with(int bit, boolean on) {
    return new PiccOperatingParameter(on ? value | bit : value & ~bit);
  }
}
