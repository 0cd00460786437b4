package io.heliotrope.broker.app;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.heliotrope.broker.api.Durations;
import io.heliotrope.broker.api.JobMapper;
import io.heliotrope.proto.v1.JobServiceGrpc;
import io.heliotrope.proto.v1.JobSpec;
import io.heliotrope.proto.v1.Resources;
import io.heliotrope.proto.v1.SubmitJobRequest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench soak}: a real {@code serve} process (this jar, built-in simulated data centres, a
 * fresh data directory) under a steady submission rate of short jobs that run and finish; every
 * sample interval it writes the process's RSS, its heap used after a full GC (forced with
 * {@code jcmd GC.run}, so the figure is live data, not garbage) and the jobs by state to a CSV.
 */
@Command(name = "soak", mixinStandardHelpOptions = true,
    description = "Run a real broker process under steady load and sample its RSS and live heap to a CSV.")
final class SoakBench implements Callable<Integer> {
  private static final Pattern LISTENING = Pattern.compile("listening on [^:]+:(\\d+)");
  private static final Pattern HTTP = Pattern.compile("http \\(metrics, dashboard\\) on http://[^:]+:(\\d+)/");
  private static final Pattern JOBS = Pattern.compile("^heliotrope_jobs\\{[^}]*state=\"([a-z_]+)\"[^}]*} ([0-9.eE+]+)$");
  private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");
  private static final List<String> STATES = List.of("queued", "scheduled", "running", "suspended", "succeeded",
      "failed", "cancelled");

  @Option(names = "--duration", defaultValue = "1h", description = "how long to run (default ${DEFAULT-VALUE})")
  String duration;

  @Option(names = "--sample", defaultValue = "60s", description = "time between samples (default ${DEFAULT-VALUE})")
  String sample;

  @Option(names = "--rate", defaultValue = "2", description = "submissions per second (default ${DEFAULT-VALUE})")
  double rate;

  @Option(names = "--job-length", defaultValue = "2m", description = "each job's run time (default ${DEFAULT-VALUE})")
  String jobLength;

  @Option(names = "--xmx", defaultValue = "512m", description = "the broker's -Xmx (default ${DEFAULT-VALUE})")
  String xmx;

  @Option(names = "--out", defaultValue = "soak.csv", description = "CSV written (default ${DEFAULT-VALUE})")
  Path out;

  @Override
  public Integer call() throws Exception {
    Duration length = Durations.parse(duration);
    Duration every = Durations.parse(sample);
    Duration jobSeconds = Durations.parse(jobLength);
    Path dir = Files.createTempDirectory("heliotrope-soak");
    Path jar = Path.of(SoakBench.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Process broker = new ProcessBuilder(javaBinary(), "-Xmx" + xmx, "-XX:+ExitOnOutOfMemoryError", "-jar",
        jar.toString(), "serve", "--grpc-port", "0", "--http-port", "0", "--data-dir", dir.toString())
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    try {
      int[] ports = ports(broker);
      ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", ports[0]).usePlaintext().build();
      var stub = JobServiceGrpc.newFutureStub(channel);
      AtomicLong acked = new AtomicLong();
      AtomicLong failed = new AtomicLong();
      long periodMicros = Math.max(1, (long) (1_000_000 / rate));
      timer.scheduleAtFixedRate(() -> {
        var f = stub.withDeadlineAfter(30, TimeUnit.SECONDS).submitJob(request(jobSeconds));
        f.addListener(() -> {
          try {
            f.get();
            acked.incrementAndGet();
          } catch (Exception e) {
            failed.incrementAndGet();
          }
        }, Runnable::run);
      }, 0, periodMicros, TimeUnit.MICROSECONDS);
      HttpClient http = HttpClient.newHttpClient();
      long started = System.nanoTime();
      try (PrintWriter csv = new PrintWriter(Files.newBufferedWriter(out, StandardCharsets.UTF_8))) {
        csv.println("minute,rss_mib,live_heap_mib,acknowledged,submit_errors," + String.join(",", STATES));
        for (long n = 0; ; n++) {
          long due = started + every.toNanos() * n;
          long wait = due - System.nanoTime();
          if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
          }
          if (!broker.isAlive()) {
            System.err.println("heliotrope: the broker exited with " + broker.exitValue());
            return 1;
          }
          Map<String, Long> jobs = jobsByState(http, ports[1]);
          StringBuilder row = new StringBuilder(String.format("%.1f,%.1f,%.1f,%d,%d",
              (System.nanoTime() - started) / 60e9, rssKib(broker.pid()) / 1024.0, liveHeapKib(broker.pid()) / 1024.0,
              acked.get(), failed.get()));
          STATES.forEach(s -> row.append(',').append(jobs.getOrDefault(s, 0L)));
          csv.println(row);
          csv.flush();
          System.out.println(row);
          if (System.nanoTime() - started >= length.toNanos()) {
            break;
          }
        }
      }
      channel.shutdownNow();
      return failed.get() == 0 ? 0 : 1;
    } finally {
      timer.shutdownNow();
      broker.destroy();
      broker.waitFor(20, TimeUnit.SECONDS);
    }
  }

  private static SubmitJobRequest request(Duration length) {
    Instant now = Instant.now();
    // A deadline close to the run time leaves no room to defer: each job starts and finishes.
    return SubmitJobRequest.newBuilder().setRequestId(java.util.UUID.randomUUID().toString())
        .setSpec(JobSpec.newBuilder().setName("soak").setTeam("soak")
            .setResources(Resources.newBuilder().setGpus(1).setCpuMillis(1000).setMemoryMib(4096))
            .setEstimatedDuration(com.google.protobuf.Duration.newBuilder().setSeconds(length.toSeconds()))
            .setDeadline(JobMapper.timestamp(now.plus(length.multipliedBy(2)).plusSeconds(120))))
        .build();
  }

  private static int[] ports(Process broker) throws Exception {
    BufferedReader out = new BufferedReader(new InputStreamReader(broker.getInputStream(), StandardCharsets.UTF_8));
    return CompletableFuture.supplyAsync(() -> {
      try {
        int grpc = -1;
        for (String line; (line = out.readLine()) != null; ) {
          Matcher m = LISTENING.matcher(line);
          Matcher h = HTTP.matcher(line);
          if (m.find()) {
            grpc = Integer.parseInt(m.group(1));
          } else if (h.find()) {
            int[] both = {grpc, Integer.parseInt(h.group(1))};
            // Keep draining stdout so the broker never blocks on a full pipe.
            Thread drainer = new Thread(() -> drain(out), "soak-broker-stdout");
            drainer.setDaemon(true);
            drainer.start();
            return both;
          }
        }
        throw new IllegalStateException("broker exited before listening");
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }).get(120, TimeUnit.SECONDS);
  }

  private static void drain(BufferedReader out) {
    try {
      while (out.readLine() != null) {
        // discarded
      }
    } catch (IOException ignored) {
      // the broker is gone
    }
  }

  private static Map<String, Long> jobsByState(HttpClient http, int port) throws Exception {
    String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    Map<String, Long> byState = new TreeMap<>();
    for (String line : body.split("\n")) {
      Matcher m = JOBS.matcher(line);
      if (m.find()) {
        byState.merge(m.group(1), (long) Double.parseDouble(m.group(2)), Long::sum);
      }
    }
    return byState;
  }

  private static long rssKib(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }

  private static long liveHeapKib(long pid) throws Exception {
    jcmd(pid, "GC.run");
    Matcher m = HEAP_USED.matcher(jcmd(pid, "GC.heap_info"));
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }

  private static String jcmd(long pid, String command) throws Exception {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command).redirectErrorStream(true).start();
    String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(60, TimeUnit.SECONDS);
    return text;
  }

  private static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
