package dev.dkrig.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 18: {@code dkrig completion bash}; ReleasePackageIT completes with it in bash. */
class CompletionCommandTest {
  @TempDir Path dir;

  @Test
  @DisplayName("the script is valid bash, offers the catalogues and hooks the names in")
  void bash() throws Exception {
    CliRun run = CliRun.of("completion", "bash");
    assertEquals(0, run.exitCode(), run.err());
    String script = run.out();
    assertTrue(script.contains("\"T_OwnerPairing=\""), "timer names");
    assertTrue(script.contains("\"tag-lost@\"") && script.contains("\"delay:\""), "fault kinds");
    assertTrue(script.contains("\"accept-bad-mac\""), "quirk names");
    assertTrue(script.contains("local commands=\"pair suite"), "commands");
    assertTrue(script.contains(" phone "), "the phone command");
    assertTrue(script.contains("\"$self\" \"$1\" --names"), "names hook");
    assertTrue(script.strip().endsWith("complete -F _dkrig_complete -o default dkrig"));
    Path file = Files.writeString(dir.resolve("dkrig.bash"), script);
    Process check = new ProcessBuilder("bash", "-n", file.toString()).inheritIO().start();
    assertTrue(check.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, check.exitValue(), "bash -n");
  }

  @Test
  @DisplayName("an unknown shell is a usage error")
  void unknownShell() {
    CliRun run = CliRun.of("completion", "fish");
    assertEquals(ExitCodes.USAGE, run.exitCode());
    assertTrue(run.err().contains("bash, zsh"), run.err());
  }
}
