package dev.dkrig.pairing.protocol;

import dev.dkrig.ccc.fw.Spake2Request;
import dev.dkrig.ccc.spake2.VehicleSpake2;
import dev.dkrig.ccc.spake2.Verifier;

/**
 * SPAKE2+ after a REQUEST answered 9000 with a valid X (§5.3): what VERIFY sends (the share Y and
 * the evidence M1) and what checks its answer.
 */
public record Spake2Pending(
    Spake2Request request, Verifier verifier, VehicleSpake2 spake, byte[] x, byte[] m1) {

  /** The vehicle share Y of VERIFY. */
  public byte[] y() {
    return spake.share();
  }
}
