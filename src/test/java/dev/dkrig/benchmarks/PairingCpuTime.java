package dev.dkrig.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The thread CPU time of {@link VehicleComputeBenchmark}'s methods, for a machine too busy for
 * JMH's wall clock (issue 20): other processes stretch wall time many times over, CPU time far
 * less. Runs the pairing's six calls in {@code ownerPairing}'s order to warm up, then alternates
 * the whole pairing and each part for several rounds and prints each one's minimum and mean per
 * call in µs. A complement to JMH on a shared machine, never a replacement on a quiet one.
 *
 * <p>{@code bench/run-jmh --cpu [warm-up pairings] [calls per round] [rounds]}
 */
public final class PairingCpuTime {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static volatile Object sink;

  private PairingCpuTime() {}

  public static void main(String[] args) {
    int warmUp = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    int calls = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 8;
    VehicleComputeBenchmark benchmark = new VehicleComputeBenchmark();
    benchmark.setup();
    Supplier<Object> pairing =
        () -> {
          benchmark.spake2();
          benchmark.chain();
          benchmark.attestation();
          benchmark.standardTransaction();
          benchmark.standardTransaction();
          return benchmark.receipt();
        };
    List<String> names =
        List.of("ownerPairing", "spake2", "chain", "attestation", "standardTransaction", "receipt");
    List<Supplier<Object>> parts =
        List.of(
            pairing,
            benchmark::spake2,
            benchmark::chain,
            benchmark::attestation,
            benchmark::standardTransaction,
            benchmark::receipt);
    microsPerCall(pairing, warmUp);
    double[] min = new double[parts.size()];
    double[] sum = new double[parts.size()];
    java.util.Arrays.fill(min, Double.MAX_VALUE);
    for (int round = 0; round < rounds; round++) {
      for (int i = 0; i < parts.size(); i++) {
        double micros = microsPerCall(parts.get(i), calls);
        min[i] = Math.min(min[i], micros);
        sum[i] += micros;
      }
    }
    System.out.println("| method | CPU µs min | mean |");
    System.out.println("|---|---:|---:|");
    for (int i = 0; i < parts.size(); i++) {
      System.out.printf(
          Locale.ROOT, "| %s | %.0f | %.0f |%n", names.get(i), min[i], sum[i] / rounds);
    }
  }

  private static double microsPerCall(Supplier<Object> call, int count) {
    long start = THREADS.getCurrentThreadCpuTime();
    for (int i = 0; i < count; i++) {
      sink = call.get();
    }
    return (THREADS.getCurrentThreadCpuTime() - start) / 1000.0 / count;
  }
}
