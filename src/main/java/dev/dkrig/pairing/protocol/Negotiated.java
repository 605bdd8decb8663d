package dev.dkrig.pairing.protocol;

import dev.dkrig.ccc.fw.SelectFrameworkResponse;
import dev.dkrig.ccc.fw.Versions;
import dev.dkrig.iso7816.Hex;
import dev.dkrig.pairing.AbortReason;
import java.util.List;
import java.util.Optional;

/**
 * The outcome of version negotiation (§4): the SPAKE2+ version and the applet list of the REQUEST,
 * whose first entry is the agreed applet version.
 */
public record Negotiated(int spake2Version, List<Integer> appletVersions) {
  public Negotiated {
    appletVersions = List.copyOf(appletVersions);
  }

  // equals and hashCode written out: a record's own are bootstrapped on their first call, which
  // spins method handles for 13-15 ms in a cold JVM, and P2.5 compares transaction 2's versions
  // with these while the device waits (issue 20).
  @Override
  public boolean equals(Object other) {
    return other instanceof Negotiated that
        && spake2Version == that.spake2Version
        && appletVersions.equals(that.appletVersions);
  }

  @Override
  public int hashCode() {
    return 31 * spake2Version + appletVersions.hashCode();
  }

  /** The agreed DK applet version: the REQUEST's first 5C entry (§4). */
  public int agreedApplet() {
    return appletVersions.get(0);
  }

  /**
   * P2.2: the highest common SPAKE2+ version and the applet list; a FAIL with abort {@code 01} or
   * {@code 02} when there is none.
   */
  public static Negotiated of(
      SelectFrameworkResponse select, List<Integer> vehicleSpake2, List<Integer> vehicleApplets) {
    Optional<Integer> spake2 = Versions.highestCommon(vehicleSpake2, select.spake2Versions());
    if (spake2.isEmpty()) {
      throw StepFailure.fail(
          "no common SPAKE2+ version: vehicle "
              + Versions.format(vehicleSpake2)
              + ", device "
              + Versions.format(select.spake2Versions()),
          AbortReason.NO_COMMON_SPAKE2_VERSION);
    }
    List<Integer> applets = Versions.appletListForRequest(vehicleApplets, select.appletVersions());
    if (applets.isEmpty()) {
      throw StepFailure.fail(
          "no common DK applet version: vehicle "
              + Versions.format(vehicleApplets)
              + ", device "
              + Versions.format(select.appletVersions()),
          AbortReason.NO_COMMON_APPLET_VERSION);
    }
    return new Negotiated(spake2.get(), applets);
  }

  /** The negotiation with this SELECT answer, or empty when no version is common. */
  public static Optional<Negotiated> tryOf(
      SelectFrameworkResponse select, List<Integer> vehicleSpake2, List<Integer> vehicleApplets) {
    try {
      return Optional.of(of(select, vehicleSpake2, vehicleApplets));
    } catch (StepFailure noCommonVersion) {
      return Optional.empty();
    }
  }

  /** {@code SPAKE2+ 0100; applet versions 0100 (agreed 0100)}. */
  public String describe() {
    return "SPAKE2+ "
        + Hex.u16(spake2Version)
        + "; applet versions "
        + Versions.format(appletVersions)
        + " (agreed "
        + Hex.u16(agreedApplet())
        + ")";
  }
}
