package dev.dkrig.ccc.sm;

import dev.dkrig.ccc.DkProfile;

/** The two secure channels of §6.2 and how they differ. */
public enum ChannelKind {
  /** Framework channel: SCP03 style, keys from SPAKE2+; header and SW in the MACs. */
  FRAMEWORK(DkProfile.FW_MAC_COVERS_HEADER_AND_SW, 1),
  /** DK applet channel: Home Key style, keys from AUTH0/AUTH1; AUTH1 response under c = 00. */
  APPLET(DkProfile.DKA_MAC_COVERS_HEADER_AND_SW, 0);

  private final boolean macCoversHeaderAndSw;
  private final int initialCounter;

  ChannelKind(boolean macCoversHeaderAndSw, int initialCounter) {
    this.macCoversHeaderAndSw = macCoversHeaderAndSw;
    this.initialCounter = initialCounter;
  }

  public boolean macCoversHeaderAndSw() {
    return macCoversHeaderAndSw;
  }

  /** The counter of the first protected message after the keys are created (§6.2). */
  public int initialCounter() {
    return initialCounter;
  }

  public String label() {
    return this == FRAMEWORK ? "framework" : "applet";
  }
}
