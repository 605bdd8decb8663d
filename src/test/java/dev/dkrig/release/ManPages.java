package dev.dkrig.release;

import dev.dkrig.cli.Main;
import dev.dkrig.version.BuildInfo;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine;
import picocli.codegen.docgen.manpage.ManPageGenerator;

/**
 * Writes the AsciiDoc source of a man page for dkrig and each of its commands (issue 18), from the
 * same picocli model that prints {@code --help}; the release build renders them to troff with
 * asciidoctor. It lives with the tests so that picocli's code generator stays out of the jar.
 */
public final class ManPages {
  private ManPages() {}

  /** {@code ManPages OUTPUT_FOLDER}: one {@code dkrig-COMMAND.adoc} per command, and dkrig.adoc. */
  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      throw new IllegalArgumentException("usage: ManPages OUTPUT_FOLDER");
    }
    File folder = new File(args[0]);
    if (!folder.isDirectory() && !folder.mkdirs()) {
      throw new IOException("cannot make " + folder);
    }
    CommandLine dkrig = Main.commandLine();
    forManPages(dkrig);
    int status =
        ManPageGenerator.generateManPage(
            folder, null, new boolean[0], true, dkrig.getCommandSpec());
    if (status != 0) {
      throw new IOException("picocli's man page generator ended with status " + status);
    }
  }

  /**
   * The page footer names the version alone (build date and Java belong to {@code --version}); the
   * help footers (exit codes, notes) become a NOTES section: picocli's generator writes a footer
   * only under a heading.
   */
  private static void forManPages(CommandLine command) {
    String version = "dkrig " + BuildInfo.version();
    CommandLine.Model.CommandSpec spec = command.getCommandSpec();
    spec.versionProvider(() -> new String[] {version});
    if (spec.usageMessage().footerHeading().isEmpty() && spec.usageMessage().footer().length > 0) {
      spec.usageMessage().footerHeading("Notes");
    }
    spec.usageMessage().description(firstParagraphJoined(spec.usageMessage().description()));
    command.getSubcommands().values().forEach(ManPages::forManPages);
  }

  /**
   * A man page's NAME line and its parent's command list take the first description line; a help
   * text that wraps its first paragraph by hand would be cut there, so that paragraph becomes one
   * line (the terminal and the man viewer wrap it again).
   */
  static String[] firstParagraphJoined(String[] lines) {
    int end = 0;
    while (end < lines.length && !lines[end].isBlank() && !lines[end].startsWith(" ")) {
      end++;
    }
    if (end < 2) {
      return lines;
    }
    List<String> joined = new ArrayList<>();
    joined.add(String.join(" ", Arrays.asList(lines).subList(0, end)));
    joined.addAll(Arrays.asList(lines).subList(end, lines.length));
    return joined.toArray(String[]::new);
  }
}
