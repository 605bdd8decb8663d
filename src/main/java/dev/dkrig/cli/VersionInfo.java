package dev.dkrig.cli;

import dev.dkrig.version.BuildInfo;
import picocli.CommandLine;

/** picocli's {@code --version} for every command: the lines of {@link BuildInfo}. */
public final class VersionInfo implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    return BuildInfo.versionLines();
  }
}
