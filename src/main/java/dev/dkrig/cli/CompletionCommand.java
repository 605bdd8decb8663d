package dev.dkrig.cli;

import dev.dkrig.version.BuildInfo;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code dkrig completion bash|zsh}: the shell completion script (issue 18). picocli's {@link
 * AutoComplete} writes the commands, options and the values of the catalogue options (timers, fault
 * kinds, quirks); a small hook after it adds the rig, profile and suite names, asked of {@code
 * dkrig rigs|profiles|suites --names} at each completion so that a file dropped into {@code
 * ~/.config/dkrig/rigs/} completes at once.
 */
@Command(
    name = "completion",
    mixinStandardHelpOptions = true,
    versionProvider = VersionInfo.class,
    description = {
      "Print the shell completion script for bash or zsh.",
      "Installed from the Debian package, bash completes dkrig without this."
    },
    footer = {
      "",
      "Examples:",
      "  source <(dkrig completion bash)       # this shell; or put it in ~/.bashrc",
      "  dkrig completion bash > ~/.local/share/bash-completion/completions/dkrig",
      "  source <(dkrig completion zsh)        # in ~/.zshrc",
      "",
      "Exit codes: 0 printed, 2 unknown shell."
    })
final class CompletionCommand implements Callable<Integer> {
  /** The shells the script serves; zsh runs the bash script through its bashcompinit. */
  enum Shell {
    bash,
    zsh
  }

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "SHELL", description = "${COMPLETION-CANDIDATES}.")
  Shell shell;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    out.print(script(shell));
    out.flush();
    return ExitCodes.PASS;
  }

  /** The whole script: picocli's completion of every command, then the names hook. */
  static String script(Shell shell) {
    CommandLine all = Main.commandLine();
    String header =
        "# dkrig completion for "
            + shell
            + " (dkrig "
            + BuildInfo.version()
            + "): "
            + (shell == Shell.bash
                ? "source <(dkrig completion bash)"
                : "source <(dkrig completion zsh) in ~/.zshrc")
            + "\n";
    return header + AutoComplete.bash("dkrig", all) + namesHook(all);
  }

  /**
   * Rig, profile and suite names after {@code --rig}, {@code --profile} and as the argument of
   * {@code suite}, added to what picocli offers there (files). The names come from the dkrig being
   * completed ({@code COMP_WORDS[0]}), so a checkout's {@code ./dkrig} offers its own.
   */
  private static String namesHook(CommandLine all) {
    CommandLine suite = all.getSubcommands().get("suite");
    List<String> suiteArgOptions =
        suite == null
            ? List.of()
            : suite.getCommandSpec().options().stream()
                .filter(o -> o.arity().max() > 0)
                .flatMap(o -> java.util.Arrays.stream(o.names()))
                .toList();
    return """

        # Names of rigs, profiles and suites (dkrig rigs|profiles|suites --names), asked at each
        # completion of the dkrig being completed.
        function _dkrig_names() {
          local self="${COMP_WORDS[0]}"
          case "$self" in "~/"*) self="$HOME/${self#\\~/}" ;; esac
          "$self" "$1" --names 2>/dev/null </dev/null
        }

        function _dkrig_complete() {
          local curr_word="${COMP_WORDS[COMP_CWORD]}" prev_word="${COMP_WORDS[COMP_CWORD-1]}" kind=""
          case "$prev_word" in
            --rig) kind=rigs ;;
            --profile) kind=profiles ;;
            *)
              if [ "${COMP_WORDS[1]}" = suite ] && [ "$COMP_CWORD" -gt 1 ] \\
                  && [[ "$curr_word" != -* ]] && [[ " SUITE_ARG_OPTIONS " != *" $prev_word "* ]]; then
                kind=suites
              fi ;;
          esac
          _complete_dkrig "$@"
          if [ -n "$kind" ] && [[ "$curr_word" != */* ]]; then
            local IFS=$'\\n'
            COMPREPLY+=( $(compgen -W "$(_dkrig_names "$kind")" -- "$curr_word") )
          fi
        }

        complete -F _dkrig_complete -o default dkrig
        """
        .replace("SUITE_ARG_OPTIONS", String.join(" ", suiteArgOptions));
  }
}
