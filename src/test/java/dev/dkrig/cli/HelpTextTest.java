package dev.dkrig.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** Issue 15 item 9: every help reads as whole sentences, and the exit codes match the README. */
class HelpTextTest {

  private static boolean whole(String text) {
    String t = text.replace("%n", "").strip();
    return t.isEmpty() || t.endsWith(".") || t.endsWith(":") || t.endsWith(")");
  }

  private static List<CommandLine> commands() {
    List<CommandLine> out = new ArrayList<>();
    CommandLine root = Main.commandLine();
    addAll(root, out);
    return out;
  }

  private static void addAll(CommandLine command, List<CommandLine> out) {
    out.add(command);
    command.getSubcommands().values().forEach(sub -> addAll(sub, out));
  }

  @Test
  @DisplayName("each description line (a command's summary included) and option is a sentence")
  void wholeSentences() {
    List<String> cut = new ArrayList<>();
    for (CommandLine command : commands()) {
      CommandSpec spec = command.getCommandSpec();
      // Each line of a command's description stands alone: the first is the summary that
      // 'dkrig --help' lists, so a sentence broken over two array elements shows cut there.
      for (String line : spec.usageMessage().description()) {
        if (!whole(line)) {
          cut.add(spec.qualifiedName() + ": description line '" + line + "'");
        }
      }
      for (OptionSpec option : spec.options()) {
        String description = String.join(" ", option.description());
        if (!whole(description)) {
          cut.add(spec.qualifiedName() + " " + option.longestName() + ": '" + description + "'");
        }
      }
      for (var parameter : spec.positionalParameters()) {
        String description = String.join(" ", parameter.description());
        if (!whole(description)) {
          cut.add(spec.qualifiedName() + " " + parameter.paramLabel() + ": '" + description + "'");
        }
      }
      // Rendered at 80 columns, nothing throws and every line fits.
      String help =
          command.getUsageMessage(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
      assertTrue(!help.isEmpty(), spec.qualifiedName());
    }
    assertEquals(List.of(), cut, String.join("\n", cut));
  }

  @Test
  @DisplayName("footers: an example line fits in 80 columns, a sentence is not cut over two lines")
  void footersRenderWhole() {
    List<String> cut = new ArrayList<>();
    for (CommandLine command : commands()) {
      CommandSpec spec = command.getCommandSpec();
      List<String> lines = new ArrayList<>();
      for (String element : spec.usageMessage().footer()) {
        lines.addAll(List.of(element.split("%n", -1)));
      }
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i);
        // picocli wraps a line over 80 columns: an indented example or table row would break.
        if (line.startsWith("  ") && line.length() > 80) {
          cut.add(spec.qualifiedName() + ": " + line.length() + " columns: '" + line + "'");
        }
        boolean continued = i + 1 < lines.size() && !lines.get(i + 1).isBlank();
        if (!line.startsWith("  ") && !line.isBlank() && !whole(line) && continued) {
          cut.add(spec.qualifiedName() + ": a sentence cut after '" + line + "'");
        }
      }
    }
    assertEquals(List.of(), cut, String.join("\n", cut));
  }

  @Test
  @DisplayName("dkrig, pair and suite --help list exit codes 130 and 143, as the README does")
  void exitCodesMatchReadme() throws Exception {
    String readme = Files.readString(Path.of("README.md"));
    Matcher row = Pattern.compile("(?m)^\\| (\\d+) \\|").matcher(readme);
    List<String> codes = new ArrayList<>();
    while (row.find()) {
      codes.add(row.group(1));
    }
    assertTrue(
        codes.containsAll(List.of("0", "1", "2", "3", "4", "70", "130", "143")), codes::toString);
    for (String[] args :
        List.of(
            new String[] {"--help"},
            new String[] {"pair", "--help"},
            new String[] {"suite", "--help"})) {
      CliRun run = CliRun.of(args);
      assertEquals(0, run.exitCode());
      String footer = run.out().substring(run.out().indexOf("Exit codes:"));
      for (String code : codes) {
        assertTrue(
            Pattern.compile("(?m)(^|[ ,])" + code + "\\b").matcher(footer).find(),
            String.join(" ", args) + " lacks exit code " + code + ":\n" + footer);
      }
    }
  }
}
