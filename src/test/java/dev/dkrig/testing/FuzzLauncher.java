package dev.dkrig.testing;

import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.util.Arrays;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Runs one {@code @FuzzTest} method in a JVM of its own, for {@code scripts/fuzz}: with {@code
 * JAZZER_FUZZ=1} Jazzer fuzzes one test per JVM, and starting this directly saves Maven's start-up
 * per target, which would eat most of a two-minute CI budget.
 *
 * <p>Usage: {@code java -cp ... dev.dkrig.testing.FuzzLauncher
 * dev.dkrig.iso7816.CodecFuzzTest#tlv}. Exit 0 when the fuzz test ran and passed, 1 on a finding, 2
 * when nothing ran.
 */
public final class FuzzLauncher {
  private FuzzLauncher() {}

  public static void main(String[] args) {
    if (args.length != 1 || !args[0].contains("#")) {
      System.err.println("usage: FuzzLauncher CLASS#METHOD");
      System.exit(2);
    }
    String className = args[0].substring(0, args[0].indexOf('#'));
    String methodName = args[0].substring(args[0].indexOf('#') + 1);
    Class<?> testClass;
    try {
      testClass = Class.forName(className);
    } catch (ClassNotFoundException e) {
      System.err.println("no class " + className);
      System.exit(2);
      return;
    }
    // A fuzz test takes parameters, so the selector needs the Method itself, not just its name.
    Method method =
        Arrays.stream(testClass.getDeclaredMethods())
            .filter(m -> m.getName().equals(methodName))
            .findFirst()
            .orElse(null);
    if (method == null) {
      System.err.println("no method " + methodName + " in " + className);
      System.exit(2);
    }
    LauncherDiscoveryRequest request =
        LauncherDiscoveryRequestBuilder.request()
            .selectors(DiscoverySelectors.selectMethod(testClass, method))
            .build();
    Launcher launcher = LauncherFactory.create();
    SummaryGeneratingListener summary = new SummaryGeneratingListener();
    launcher.execute(request, summary);
    TestExecutionSummary result = summary.getSummary();
    PrintWriter out = new PrintWriter(System.out, true);
    result.printFailuresTo(out, 20);
    // Not "N passed, N failed": CI reads that form as a test runner's closing line.
    out.printf(
        "fuzz target %s: %s%n",
        args[0], result.getTotalFailureCount() == 0 ? "no finding" : "FINDING");
    if (result.getTestsFoundCount() == 0) {
      System.exit(2);
    }
    System.exit(result.getTotalFailureCount() == 0 ? 0 : 1);
  }
}
