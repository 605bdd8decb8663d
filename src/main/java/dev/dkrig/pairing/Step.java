package dev.dkrig.pairing;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The step catalogue of the contract (§2): one id per use-case step, in report order, with the
 * seed-step text as title. Every run reports exactly one result per entry, in this order.
 */
public enum Step {
  P1_1("P1.1", 1, "Ignition on"),
  P1_2("P1.2", 1, "User chooses \"add digital key\" on the HU"),
  P1_3("P1.3", 1, "HU -> DK module PhoneKey_Req [Add Phone]"),
  P1_4("P1.4", 1, "Check the SPAKE2+ verifier exists"),
  P1_4A("P1.4a", 1, "If absent: follow PP-03", false),
  P1_5("P1.5", 1, "HU_NTF: \"click on the deep link\""),
  P1_6("P1.6", 1, "Enter pairing mode"),
  P1_6_1("P1.6.1", 1, "Start owner-pairing NFC polling"),
  P1_6_2("P1.6.2", 1, "Start owner-pairing BLE advertising"),
  P1_6_3("P1.6.3", 1, "Stay in pairing mode <= T_PairingModeTimeout"),
  P1_7("P1.7", 1, "Start T_OwnerPairing"),
  P1_7A("P1.7a", 1, "Abort if T_OwnerPairing expires"),
  P2_1("P2.1", 2, "WCP selects the DK Framework"),
  P2_1A("P2.1a", 2, "Select response forwarded if the device is CCC compliant"),
  P2_2("P2.2", 2, "Negotiate versions"),
  P2_3("P2.3", 2, "SPAKE2+"),
  P2_4("P2.4", 2, "Send Digital Key creation data [L]"),
  P2_4_1("P2.4.1", 2, "... includes vehicle certificate K (7F4B)"),
  P2_4_2("P2.4.2", 2, "... includes device configuration (7F4E)"),
  P2_4_2_1("P2.4.2.1", 2, "... 7F49 BLE parameters (IRK, identity address, flags)"),
  P2_4_2_2("P2.4.2.2", 2, "... D9 supported DK profile list"),
  P2_5("P2.5", 2, "Device creates the Digital Key"),
  P2_6("P2.6", 2, "Device transfers DK cert, Instance CA cert, Device OEM CA cert"),
  P2_6_1("P2.6.1", 2, "[profile] chain verified"),
  P2_6_2("P2.6.2", 2, "[profile] binding verified"),
  P2_7("P2.7", 2, "Vehicle creates the DK attestation and sends it"),
  P2_8("P2.8", 2, "Both sides finalise DK creation (OP flow)"),
  P3_1("P3.1", 3, "WCP selects the CCC applet"),
  P3_1A("P3.1a", 3, "Select response forwarded if CCC compliant"),
  P3_2("P3.2", 3, "Negotiate the applet version"),
  P3_3("P3.3", 3, "Standard transaction"),
  P3_4("P3.4", 3, "Both sides finalise owner pairing (OP flow)"),
  P3_5(
      "P3.5",
      3,
      "Device sends the key-tracking request via Device OEM server -> Vehicle OEM server -> KTS",
      false),
  P3_6("P3.6", 3, "DK module notifies the HU: owner pairing complete"),
  P3_7("P3.7", 3, "DK module notifies the backend", false),
  P3_7_1("P3.7.1", 3, "Route SpaaK -> SGW -> TBM -> Vehicle OEM server", false),
  P3_7_2("P3.7.2", 3, "\"Not required to pass owner pairing\"", false),
  P4_1("P4.1", 4, "Exchange ephemeral keys"),
  P4_2("P4.2", 4, "Standard transaction"),
  P4_2_1("P4.2.1", 4, "[profile] SigBmp bit 0 \"key-tracking receipt available\" seen"),
  P4_2_2("P4.2.2", 4, "[profile] receipt fetched"),
  P4_2_3("P4.2.3", 4, "[profile] receipt verified");

  private final String id;
  private final int phase;
  private final String title;
  private final boolean gating;

  Step(String id, int phase, String title) {
    this(id, phase, title, true);
  }

  Step(String id, int phase, String title, boolean gating) {
    this.id = id;
    this.phase = phase;
    this.title = title;
    this.gating = gating;
  }

  public String id() {
    return id;
  }

  public int phase() {
    return phase;
  }

  public String title() {
    return title;
  }

  /** All steps gate the verdict except P1.4a, P3.5, P3.7, P3.7.1 and P3.7.2 (§2). */
  public boolean gating() {
    return gating;
  }

  /** The enclosing step by id ({@code P2.4.2.1} → {@code P2.4.2}), if any. */
  public Optional<Step> parent() {
    String enclosing = id.substring(0, id.lastIndexOf('.'));
    for (Step step : values()) {
      if (step.id.equals(enclosing)) {
        return Optional.of(step);
      }
    }
    return Optional.empty();
  }

  /**
   * The sub-steps that describe this step's content and take its FAIL or ERROR as their own (§2:
   * P2.4's 7F4B, 7F4E, 7F49 and D9 are parts of the one stream it sends).
   */
  public List<Step> subSteps() {
    return Relations.SUB_STEPS.getOrDefault(this, List.of());
  }

  /**
   * Whether a FAIL or ERROR of this step also decides its parent (§2: P1.6 is entered by starting
   * NFC polling and BLE advertising, so it fails with either).
   */
  public boolean failureDecidesParent() {
    return Relations.DECIDES_PARENT.contains(this);
  }

  /**
   * The steps that cannot run once this one FAILed and are SKIPPED with it ({@code not reached:
   * P4.2.1 FAIL}): the receipt is neither fetched nor verified without SigBmp bit 0.
   */
  public List<Step> skippedAfterFailure() {
    return Relations.SKIPPED_AFTER_FAILURE.getOrDefault(this, List.of());
  }

  /** The steps of one phase, in catalogue order (phase 4 is switched off as a whole). */
  public static List<Step> ofPhase(int phase) {
    List<Step> steps = new ArrayList<>();
    for (Step step : values()) {
      if (step.phase == phase) {
        steps.add(step);
      }
    }
    return steps;
  }

  /** The relations between steps, as data (built once the constants exist). */
  private static final class Relations {
    static final Map<Step, List<Step>> SUB_STEPS =
        Map.of(P2_4, List.of(P2_4_1, P2_4_2, P2_4_2_1, P2_4_2_2));
    static final Set<Step> DECIDES_PARENT = EnumSet.of(P1_6_1, P1_6_2);
    static final Map<Step, List<Step>> SKIPPED_AFTER_FAILURE =
        Map.of(P1_6_1, List.of(P1_6_2), P4_2_1, List.of(P4_2_2, P4_2_3));
  }

  public static List<Step> catalogue() {
    return List.of(values());
  }

  public static Step byId(String id) {
    for (Step step : values()) {
      if (step.id.equals(id)) {
        return step;
      }
    }
    throw new IllegalArgumentException("no step " + id);
  }

  @Override
  public String toString() {
    return id;
  }
}
