package dev.dkrig.report;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JUnit XML of many runs (issue 7: repeated runs, several pads): one {@code testsuite} per run,
 * each testcase's class prefixed with the run's label ({@code run-0003.Phase 2}), so Jenkins files
 * every run under its own package. Suites are spooled to a side file as runs end (memory stays flat
 * over a soak); {@link #finish} writes the whole file at once.
 */
public final class CombinedJunit implements AutoCloseable {
  private static final Pattern SUITE =
      Pattern.compile("<testsuite\\s.*?</testsuite>", Pattern.DOTALL);
  private static final Pattern COUNT =
      Pattern.compile("\\s(tests|failures|errors|skipped)=\"(\\d+)\"");

  private final Path target;
  private final Path spool;
  private final BufferedWriter out;
  private long tests;
  private long failures;
  private long errors;
  private long skipped;

  public CombinedJunit(Path target) throws IOException {
    this.target = target.toAbsolutePath();
    Files.createDirectories(this.target.getParent());
    this.spool = Files.createTempFile(this.target.getParent(), ".dkrig-junit-", ".spool");
    this.out = Files.newBufferedWriter(spool, StandardCharsets.UTF_8);
  }

  /**
   * Adds the suites of one run (or of one pad's runs), as {@link JunitXml} or another {@code
   * CombinedJunit} wrote them.
   *
   * @param label the run's label ({@code run-0003}, {@code reader-acs-acr122u})
   */
  public synchronized void add(String xmlText, String label) throws IOException {
    Matcher suite = SUITE.matcher(xmlText);
    boolean any = false;
    while (suite.find()) {
      any = true;
      String text = suite.group();
      String head = text.substring(0, text.indexOf('>'));
      Matcher count = COUNT.matcher(head);
      while (count.find()) {
        long n = Long.parseLong(count.group(2));
        switch (count.group(1)) {
          case "tests" -> tests += n;
          case "failures" -> failures += n;
          case "errors" -> errors += n;
          default -> skipped += n;
        }
      }
      String labelled =
          text.replaceFirst("<testsuite name=\"", "<testsuite name=\"" + xml(label) + ": ")
              .replace("classname=\"", "classname=\"" + xml(label) + ".");
      out.write("  ");
      out.write(labelled);
      out.write("\n");
    }
    if (!any) {
      throw new IOException("no testsuite in the JUnit XML of " + label);
    }
    out.flush();
  }

  /** Writes the combined file (atomically) and removes the spool. */
  public synchronized void finish() throws IOException {
    out.close();
    String body = Files.readString(spool, StandardCharsets.UTF_8);
    String xml =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"dkrig\" tests=\""
            + tests
            + "\" failures=\""
            + failures
            + "\" errors=\""
            + errors
            + "\" skipped=\""
            + skipped
            + "\">\n"
            + body
            + "</testsuites>\n";
    AtomicFiles.write(target, xml, false);
    Files.deleteIfExists(spool);
  }

  @Override
  public synchronized void close() {
    try {
      out.close();
      Files.deleteIfExists(spool);
    } catch (IOException e) {
      // The spool is a temporary file next to the target; nothing else depends on it.
    }
  }

  private static String xml(String text) {
    return text.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;");
  }
}
