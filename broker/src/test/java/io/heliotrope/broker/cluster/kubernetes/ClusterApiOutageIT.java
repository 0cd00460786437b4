package io.heliotrope.broker.cluster.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.heliotrope.broker.testing.BrokerProcess;
import io.heliotrope.broker.testing.Jobs;
import io.heliotrope.proto.v1.GetJobRequest;
import io.heliotrope.proto.v1.JobServiceGrpc;
import io.heliotrope.proto.v1.JobState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both clusters' API servers stop answering, then answer slowly, then answer only HTTP 500 (a
 * switchable proxy in front of each mock server), each for a minute, while jobs run and new ones
 * arrive at a steady rate: every submission is acknowledged, with latency compared to the same
 * broker's before the outage; nothing is rejected or run twice; once the API answers again the
 * running jobs finish and the waiting ones start. The broker runs its loop period and repair grace
 * 12 times faster (HELIOTROPE_FAULT_TIME_SCALE), so a minute here is 12 minutes of its cycles.
 */
class ClusterApiOutageIT {
  private static final Duration PHASE = Duration.ofSeconds(20);
  private static final int RUNNING = 4;

  @TempDir Path dir;

  @Test
  void submissionsKeepTheirLatencyAndWorkResumesAfterAnApiOutage() throws Exception {
    try (ProcessOnMockClusters f = new ProcessOnMockClusters(dir, true);
        BrokerProcess b = f.serve(null)) {
      ManagedChannel ch = ProcessOnMockClusters.channel(b);
      var jobs = JobServiceGrpc.newBlockingStub(ch);
      List<String> running = new ArrayList<>();
      for (int i = 0; i < RUNNING; i++) {
        running.add(jobs.submitJob(Jobs.aJob().requestId("run-" + i).duration(Duration.ofHours(1))
            .deadlineIn(Duration.ofMinutes(90)).request()).getId());
      }
      f.awaitConsistent(jobs, running, s -> s == JobState.RUNNING);
      List<String> before = new ArrayList<>();
      submit(jobs, "warm-up", 20, before);
      long[] baseline = submit(jobs, "base", 40, before);
      List<String> arrived = new ArrayList<>();
      StringBuilder figures = new StringBuilder();
      int failed = 0;
      for (ApiProxy.Mode mode : List.of(ApiProxy.Mode.SILENT, ApiProxy.Mode.SLOW, ApiProxy.Mode.ERRORS)) {
        f.proxies(mode);
        long end = System.nanoTime() + PHASE.toNanos();
        List<Long> lat = new ArrayList<>();
        while (System.nanoTime() < end) {
          long[] l = submit(jobs, mode.name().toLowerCase(), 10, arrived);
          Arrays.stream(l).forEach(lat::add);
          failed += (int) Arrays.stream(l).filter(x -> x < 0).count();
        }
        long[] all = lat.stream().mapToLong(Long::longValue).sorted().toArray();
        figures.append(String.format(" %s: n=%d p50=%.1fms p99=%.1fms max=%.1fms;", mode, all.length, pct(all, 0.5),
            pct(all, 0.99), pct(all, 1.0)));
        for (String id : running) {
          JobState s = jobs.getJob(GetJobRequest.newBuilder().setId(id).build()).getState();
          assertEquals(JobState.RUNNING, s, id + " during the " + mode + " outage");
        }
      }
      f.proxies(ApiProxy.Mode.PASS);
      System.out.printf("ClusterApiOutageIT baseline: n=%d p50=%.1fms p99=%.1fms max=%.1fms;%s failed=%d%n",
          baseline.length, pct(sorted(baseline), 0.5), pct(sorted(baseline), 0.99), pct(sorted(baseline), 1.0),
          figures, failed);
      assertEquals(0, failed, "submissions refused during the outage");
      // Nothing was rejected for the outage, and nothing runs twice.
      List<String> everyone = new ArrayList<>(running);
      everyone.addAll(before);
      everyone.addAll(arrived);
      f.awaitConsistent(jobs, everyone, s -> s != JobState.FAILED);
      assertEquals(0, f.duplicated(everyone), "duplicated Kubernetes Jobs");
      // Work resumes: the running jobs finish, and waiting ones take their place.
      for (String id : running) {
        f.finish(jobs, id);
      }
      assertTrue(f.await(() -> running.stream().allMatch(id ->
          jobs.getJob(GetJobRequest.newBuilder().setId(id).build()).getState() == JobState.SUCCEEDED)));
      // Both clusters full again (2 x 4 GPUs) with jobs that were waiting: before or during the outage.
      List<String> waiting = new ArrayList<>(before);
      waiting.addAll(arrived);
      assertTrue(f.await(() -> waiting.stream().filter(id ->
          jobs.getJob(GetJobRequest.newBuilder().setId(id).build()).getState() == JobState.RUNNING).count() >= 2 * RUNNING),
          "the waiting jobs did not take the room the finished ones left: " + summary(jobs, waiting));
      f.awaitConsistent(jobs, everyone, s -> s != JobState.FAILED);
      ch.shutdownNow();
    }
  }

  /** How many of the jobs are in each state, with one reason per state. */
  private static String summary(JobServiceGrpc.JobServiceBlockingStub jobs, List<String> ids) {
    java.util.Map<JobState, Integer> count = new java.util.TreeMap<>();
    java.util.Map<JobState, String> reason = new java.util.TreeMap<>();
    for (String id : ids) {
      var j = jobs.getJob(GetJobRequest.newBuilder().setId(id).build());
      count.merge(j.getState(), 1, Integer::sum);
      reason.putIfAbsent(j.getState(), j.getReason());
    }
    return count + " " + reason;
  }

  /** Submits {@code n} jobs one after another; latency in microseconds each, -1 for a failure. */
  private static long[] submit(JobServiceGrpc.JobServiceBlockingStub jobs, String prefix, int n, List<String> ids) {
    long[] out = new long[n];
    for (int i = 0; i < n; i++) {
      long t0 = System.nanoTime();
      try {
        ids.add(jobs.withDeadlineAfter(10, TimeUnit.SECONDS).submitJob(Jobs.aJob().name(prefix)
            .duration(Duration.ofHours(1)).deadlineIn(Duration.ofHours(8)).request()).getId());
        out[i] = (System.nanoTime() - t0) / 1000;
      } catch (StatusRuntimeException e) {
        out[i] = -1;
      }
      try {
        Thread.sleep(400);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return out;
  }

  private static long[] sorted(long[] a) {
    long[] c = a.clone();
    Arrays.sort(c);
    return c;
  }

  private static double pct(long[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int i = (int) Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
    return sorted[i] / 1000.0;
  }
}
