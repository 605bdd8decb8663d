package dev.dkrig.report;

import dev.dkrig.ccc.Crypto;
import dev.dkrig.iso7816.Hex;
import dev.dkrig.pairing.VehicleQuirk;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a report says about the run besides the step results: tool, device under test, rig and
 * profile with their digests, the reader.
 */
public record RunMetadata(
    String toolVersion,
    String toolCommit,
    Optional<String> dut,
    FileRef rig,
    FileRef profile,
    String reader,
    Preamble preamble,
    Set<VehicleQuirk> vehicleQuirks,
    Role role) {

  /**
   * Whose side the verdicts are given from: dkrig plays the vehicle ({@code pair}, {@code suite})
   * and judges the device, or plays the phone ({@code phone}, issue 19) and judges the vehicle.
   */
  public enum Role {
    VEHICLE("pair"),
    PHONE("phone");

    private final String command;

    Role(String command) {
      this.command = command;
    }

    /** The dkrig command that plays this role. */
    public String command() {
      return command;
    }

    /** As reports name it: {@code vehicle}, {@code phone}. */
    public String jsonName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public RunMetadata {
    vehicleQuirks = Set.copyOf(vehicleQuirks);
    java.util.Objects.requireNonNull(role, "role");
  }

  /** Metadata of a run in the vehicle role. */
  public RunMetadata(
      String toolVersion,
      String toolCommit,
      Optional<String> dut,
      FileRef rig,
      FileRef profile,
      String reader,
      Preamble preamble,
      Set<VehicleQuirk> vehicleQuirks) {
    this(toolVersion, toolCommit, dut, rig, profile, reader, preamble, vehicleQuirks, Role.VEHICLE);
  }

  /** Metadata of a run whose vehicle follows the contract (no vehicle quirk). */
  public RunMetadata(
      String toolVersion,
      String toolCommit,
      Optional<String> dut,
      FileRef rig,
      FileRef profile,
      String reader,
      Preamble preamble) {
    this(toolVersion, toolCommit, dut, rig, profile, reader, preamble, Set.of());
  }

  /**
   * The vehicle quirks in catalogue order, each with what it breaks: {@code no-abort (after a
   * failure ...)}; empty when the vehicle follows the contract.
   */
  public List<String> vehicleQuirkLines() {
    return Arrays.stream(VehicleQuirk.values())
        .filter(vehicleQuirks::contains)
        .map(q -> q.cliName() + " (" + q.description() + ")")
        .toList();
  }

  /** The preamble as lines, for traces and HTML: tool, jar, Java, OS, command line, DUT, files. */
  public List<String> preambleLines() {
    List<String> out = new java.util.ArrayList<>();
    out.add("dkrig " + toolVersion + " (commit " + toolCommit + ")");
    out.add("jar SHA-256 " + preamble.jarSha256());
    out.add(preamble.java() + ", " + preamble.os());
    out.add("command: dkrig " + preamble.commandLineText());
    preamble.environment().forEach((k, v) -> out.add("env " + k + "=" + v));
    if (role == Role.PHONE) {
      out.add("role: phone (dkrig plays the phone; verdicts are about the vehicle under test)");
      out.add("DUT (the vehicle): " + dut.orElse("(not given)"));
      out.add("transport: " + reader);
    } else {
      out.add("DUT: " + dut.orElse("(not given)"));
      out.add("reader: " + reader);
    }
    for (String quirk : vehicleQuirkLines()) {
      out.add("vehicle quirk: " + quirk + ": dkrig's vehicle misbehaves by design");
    }
    if (rig != null) {
      out.add("rig " + rig.path() + " sha256 " + rig.sha256());
    }
    if (profile != null) {
      out.add("profile " + profile.path() + " sha256 " + profile.sha256());
    }
    return out;
  }

  /** A configuration file by name and SHA-256 of its bytes. */
  public record FileRef(String path, String sha256) {
    public static FileRef of(String path, byte[] content) {
      return new FileRef(
          path, Hex.encode(Crypto.sha256(content)).toLowerCase(java.util.Locale.ROOT));
    }
  }
}
