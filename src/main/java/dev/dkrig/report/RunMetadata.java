package dev.dkrig.report;

import dev.dkrig.ccc.Crypto;
import dev.dkrig.ccc.Hex;
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
    String reader) {

  /** A configuration file by name and SHA-256 of its bytes. */
  public record FileRef(String path, String sha256) {
    public static FileRef of(String path, byte[] content) {
      return new FileRef(
          path, Hex.encode(Crypto.sha256(content)).toLowerCase(java.util.Locale.ROOT));
    }
  }
}
