package dev.dkrig.report;

import dev.dkrig.ccc.Crypto;
import dev.dkrig.iso7816.Hex;
import java.util.Optional;

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
    Preamble preamble) {

  /** The preamble as lines, for traces and HTML: tool, jar, Java, OS, command line, DUT, files. */
  public java.util.List<String> preambleLines() {
    java.util.List<String> out = new java.util.ArrayList<>();
    out.add("dkrig " + toolVersion + " (commit " + toolCommit + ")");
    out.add("jar SHA-256 " + preamble.jarSha256());
    out.add(preamble.java() + ", " + preamble.os());
    out.add("command: dkrig " + preamble.commandLineText());
    preamble.environment().forEach((k, v) -> out.add("env " + k + "=" + v));
    out.add("DUT: " + dut.orElse("(not given)"));
    out.add("reader: " + reader);
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
