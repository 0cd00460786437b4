package io.heliotrope.broker.signal.bench;

import io.heliotrope.broker.signal.CarbonBasis;
import io.heliotrope.broker.signal.SeriesKey;
import io.heliotrope.broker.signal.SeriesSnapshot;
import io.heliotrope.broker.signal.SignalPoint;
import io.heliotrope.broker.signal.SignalView;
import io.heliotrope.broker.signal.providers.IntervalCsvLoader;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Measures signal-view lookups on a year of real data (DE-LU 2023 hourly carbon, stored in 5-minute
 * slots): value at t and 4-hour window average, on 1 and N threads, against a baseline of a
 * HashMap<Long, Double> keyed by hour (the boxed-map design the view avoids). Prints medians of
 * several rounds. Usage: SignalViewBench <shared-data-dir> [threads] [rounds].
 */
public final class SignalViewBench {
  private static final int N = 1 << 20;
  private static final long ROUND_NANOS = 1_000_000_000L;

  interface Op {
    double run(long[] times, int i);
  }

  public static void main(String[] args) throws Exception {
    Path data = Path.of(args.length > 0 ? args[0] : "../shared/data");
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 7;
    Clock clock = Clock.fixed(Instant.parse("2024-01-01T00:00:00Z"), ZoneOffset.UTC);
    SignalView view = new SignalView(clock, Set.of("DE-LU"), Set.of(), Duration.ofMinutes(5), Duration.ofHours(1));
    List<SignalPoint> pts = IntervalCsvLoader.carbon(data.resolve("carbon/DE-LU_2023_hourly.csv"), "DE-LU", null);
    long t0 = System.nanoTime();
    view.publish(pts);
    double publishMs = (System.nanoTime() - t0) / 1e6;
    SeriesSnapshot snap = view.snapshot("DE-LU", SeriesKey.carbon(CarbonBasis.AVERAGE_DIRECT));

    Map<Long, Double> baseline = new HashMap<>();
    for (SignalPoint p : pts) {
      if (p.basis() == CarbonBasis.AVERAGE_DIRECT) {
        baseline.put(p.start().getEpochSecond() / 3600, p.value());
      }
    }
    long start = Instant.parse("2023-01-01T00:00:00Z").getEpochSecond();
    long span = Duration.ofDays(365).toSeconds() - Duration.ofHours(4).toSeconds();
    SplittableRandom rnd = new SplittableRandom(42);
    long[] times = new long[N];
    for (int i = 0; i < N; i++) {
      times[i] = start + rnd.nextLong(span);
    }
    long window = Duration.ofHours(4).toSeconds();

    System.out.printf("publish of %d points (8760 h x 2 bases): %.1f ms%n", pts.size(), publishMs);
    System.out.printf("threads=%d rounds=%d, 1 s each; medians in million ops/s%n", threads, rounds);
    report("baseline HashMap<Long,Double> get", (ts, i) -> baseline.get(ts[i] / 3600), times, threads, rounds);
    report("valueAt(t)", (ts, i) -> snap.valueAt(ts[i]), times, threads, rounds);
    report("average(t, t+4h)", (ts, i) -> snap.average(ts[i], ts[i] + window), times, threads, rounds);
    report("view.carbonAt(zone, basis, t) typed", (ts, i) -> view.carbonAt("DE-LU", CarbonBasis.AVERAGE_DIRECT,
        Instant.ofEpochSecond(ts[i])).orElseThrow().gramsPerKwh(), times, threads, rounds);
  }

  private static void report(String name, Op op, long[] times, int threads, int rounds) throws Exception {
    for (int t : new int[] {1, threads}) {
      double[] mops = new double[rounds];
      measure(op, times, t); // warm-up round
      for (int r = 0; r < rounds; r++) {
        mops[r] = measure(op, times, t);
      }
      Arrays.sort(mops);
      System.out.printf("%-40s threads=%d  median %7.1f  (min %.1f, max %.1f)%n", name, t, mops[rounds / 2], mops[0],
          mops[rounds - 1]);
      if (t == threads) {
        break;
      }
    }
  }

  /** Total million ops/s over {@code threads} threads each looping for one round. */
  private static double measure(Op op, long[] times, int threads) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<double[]>> fs = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int offset = t * 7919;
        fs.add(pool.submit(() -> {
          long ops = 0;
          double sink = 0;
          long begin = System.nanoTime();
          long deadline = begin + ROUND_NANOS;
          int i = offset;
          while (true) {
            for (int k = 0; k < 4096; k++) {
              sink += op.run(times, i);
              i = (i + 1) & (N - 1);
            }
            ops += 4096;
            long now = System.nanoTime();
            if (now >= deadline) {
              return new double[] {ops / ((now - begin) / 1e9), sink};
            }
          }
        }));
      }
      double total = 0;
      double sink = 0;
      for (Future<double[]> f : fs) {
        total += f.get()[0];
        sink += f.get()[1];
      }
      if (sink == 42.4242) {
        System.out.println("sink"); // keeps the JIT from discarding the lookups
      }
      return total / 1e6;
    } finally {
      pool.shutdown();
    }
  }
}
