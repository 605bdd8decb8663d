package dev.dkrig.cli;

import picocli.CommandLine;

/** Tool version and commit, from the build (or the launcher's {@code -Ddkrig.commit}). */
public final class VersionInfo implements CommandLine.IVersionProvider {
  public static String version() {
    return Launch.version();
  }

  public static String commit() {
    return Launch.commit();
  }

  @Override
  public String[] getVersion() {
    return Launch.versionLines();
  }
}
