package dev.dkrig.conformance;

import dev.dkrig.ccc.DkProfile;
import dev.dkrig.ccc.StatusWord;
import dev.dkrig.ccc.fw.FrameworkCommands;
import dev.dkrig.ccc.fw.Spake2Request;
import dev.dkrig.ccc.spake2.ScryptParameters;
import dev.dkrig.iso7816.Hex;
import dev.dkrig.iso7816.ResponseApdu;
import dev.dkrig.pairing.protocol.Negotiated;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The scenarios about opening a session: the applet selected before the framework (§3.5, §18.16), a
 * REQUEST with no common version (§4) and a REQUEST with an excessive scrypt cost (§18.11).
 */
final class SessionScenarios {
  private SessionScenarios() {}

  /**
   * N = 2^18, r = 8, p = 1: 128·r·N·(p+2) = 768 MiB, the first power of two over §18.11's limit.
   */
  static final long EXCESSIVE_N = 1L << 18;

  static List<ConformanceScenario> all() {
    return List.of(
        ConformanceScenario.of(
                "select-applet-before-framework",
                "applet selected before the framework",
                "SELECT of the DK applet before any framework session, then a SPAKE2+ REQUEST while"
                    + " the framework is not selected",
                "SELECT applet 6A82 on a device without a committed DK (§3.5, §18.16); the REQUEST"
                    + " 6985 with no application selected, 6D00 if the applet is (§18.10); a clean"
                    + " pairing passes",
                SessionScenarios::appletBeforeFramework)
            .catching("offer-applet-without-key"),
        ConformanceScenario.of(
                "request-no-common-version",
                "REQUEST with no common version",
                "SPAKE2+ REQUEST with a 5B the device's 5A does not list, then one whose first 5C"
                    + " entry its 5C does not list",
                "6A88 to both (§4 device checks, §18.1); no key; a clean pairing passes",
                SessionScenarios::noCommonVersion)
            .catching("accept-unsupported-version"),
        ConformanceScenario.of(
                "request-scrypt-cost",
                "REQUEST with an excessive scrypt cost",
                "SPAKE2+ REQUEST with scrypt N = 262144, r = 8, p = 1 (768 MiB of scrypt memory)",
                "6A88 (§18.11: 128·r·N·(p+2) above 512 MiB), without running scrypt; no key; a"
                    + " clean pairing passes",
                SessionScenarios::excessiveScryptCost)
            .catching("ignore-scrypt-limit"));
  }

  private static void appletBeforeFramework(ScenarioRun run) throws InterruptedException {
    ScriptedVehicle v = run.vehicle();
    boolean empty = run.knowledge().empty();
    String action = "SELECT applet before any framework session";
    ResponseApdu select =
        run.check(
                StepKind.DEVIATION,
                action,
                step -> {
                  v.reselect(step);
                  ResponseApdu response = step.send(FrameworkCommands.selectApplet());
                  if (empty) {
                    ScenarioRun.judge(
                        step,
                        action,
                        response,
                        StatusWord.NOT_FOUND,
                        "§3.5, §18.16: the applet is offered only with a committed DK");
                  } else if (response.sw() == StatusWord.NOT_FOUND) {
                    step.detail("answered 6A82: the device holds no committed DK (§18.16)");
                  } else if (response.sw() == StatusWord.SUCCESS) {
                    step.detail(
                        "answered 9000: the device holds a DK from an earlier pairing, so it"
                            + " offers the applet (§18.16)");
                  } else {
                    step.fail(
                        action
                            + " answered "
                            + StatusWord.describe(response.sw())
                            + ", expected 6A82 (no DK) or 9000 (a DK is stored)");
                  }
                  return response;
                })
            .orElseThrow();
    boolean appletSelected = select.sw() == StatusWord.SUCCESS;
    if (appletSelected) {
      v.appletSelected();
    }
    ScriptedVehicle.Framework defaults = defaultSession(v);
    Spake2Request request = v.conformingRequest(defaults);
    run.reaction(
        "SPAKE2+ REQUEST while the framework is not selected",
        appletSelected ? StatusWord.INS_NOT_SUPPORTED : StatusWord.CONDITIONS_NOT_SATISFIED,
        appletSelected
            ? "§18.10: INS 30 is no command of the selected applet"
            : "§18.10: any command but SELECT with no application selected",
        step -> step.send(request.toApdu()));
    run.abort(DkProfile.ABORT_UNSPECIFIED);
  }

  /** The vehicle's own highest versions, for a REQUEST sent without any SELECT framework. */
  private static ScriptedVehicle.Framework defaultSession(ScriptedVehicle v) {
    List<Integer> applets = new ArrayList<>(v.appletVersions());
    applets.sort(java.util.Comparator.reverseOrder());
    int spake2 = v.settings().spake2Versions().stream().max(Integer::compare).orElseThrow();
    return new ScriptedVehicle.Framework(null, new Negotiated(spake2, applets));
  }

  private static void noCommonVersion(ScenarioRun run) throws InterruptedException {
    ScriptedVehicle v = run.vehicle();
    ScriptedVehicle.Framework s = v.openFramework();
    ScryptParameters scrypt = run.context().verifier().scrypt();
    byte[] brand = v.settings().brand();
    int spake2 = notListed(s.select.spake2Versions());
    run.deviation(
        "SPAKE2+ REQUEST with 5B = " + Hex.u16(spake2) + ", which the device's 5A does not list",
        StatusWord.REFERENCED_DATA,
        "§4, §18.1: 5B must be one of the device's 5A versions",
        step -> step.send(new Spake2Request(spake2, s.appletVersions, scrypt, brand).toApdu()));
    int applet = notListed(s.select.appletVersions());
    List<Integer> applets = new ArrayList<>();
    applets.add(applet);
    applets.addAll(
        s.appletVersions.subList(
            0, Math.min(s.appletVersions.size(), DkProfile.MAX_APPLET_VERSIONS_IN_REQUEST - 1)));
    run.reaction(
        "SPAKE2+ REQUEST whose first 5C entry "
            + Hex.u16(applet)
            + " the device's 5C does not list",
        StatusWord.REFERENCED_DATA,
        "§4: the first 5C entry must be one of the device's applet versions",
        step -> step.send(new Spake2Request(s.spake2Version, applets, scrypt, brand).toApdu()));
    run.abort(DkProfile.ABORT_UNSPECIFIED);
    run.noKeyCreated();
  }

  /** A version above everything listed (a future major version the device cannot know). */
  static int notListed(List<Integer> listed) {
    int candidate = 0x0200;
    while (listed.contains(candidate)) {
      candidate += 0x0100;
    }
    return candidate;
  }

  private static void excessiveScryptCost(ScenarioRun run) throws InterruptedException {
    ScriptedVehicle v = run.vehicle();
    ScriptedVehicle.Framework s = v.openFramework();
    ScryptParameters heavy =
        new ScryptParameters(
            run.context().verifier().scrypt().salt(),
            EXCESSIVE_N,
            DkProfile.SCRYPT_DEFAULT_R,
            DkProfile.SCRYPT_DEFAULT_P);
    String memory = String.format(Locale.ROOT, "%.0f MiB", heavy.memoryBytes() / (1024.0 * 1024.0));
    run.deviation(
        "SPAKE2+ REQUEST with scrypt N = "
            + heavy.n()
            + ", r = "
            + heavy.r()
            + ", p = "
            + heavy.p()
            + " ("
            + memory
            + ")",
        StatusWord.REFERENCED_DATA,
        "§18.11: scrypt memory 128·r·N·(p+2) above 512 MiB",
        step ->
            step.send(
                new Spake2Request(s.spake2Version, s.appletVersions, heavy, v.settings().brand())
                    .toApdu()));
    run.abort(DkProfile.ABORT_UNSPECIFIED);
    run.noKeyCreated();
  }
}
