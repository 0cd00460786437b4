package io.heliotrope.broker.demo;

import com.google.protobuf.util.Durations;
import io.heliotrope.broker.api.JobMapper;
import io.heliotrope.proto.v1.Container;
import io.heliotrope.proto.v1.JobSpec;
import io.heliotrope.proto.v1.Resources;
import io.heliotrope.proto.v1.SubmitJobRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * A plausible day of submissions from four teams: pre-training shards that can be checkpointed
 * and moved, interruptible fine-tunes, short batch inference, rendering that must stay in
 * Guangdong (data residency), and urgent evaluations with no slack at all.
 */
final class DemoWorkload {
  /** A submission due at {@code at}. */
  record Arrival(Instant at, SubmitJobRequest request) {}

  private DemoWorkload() {}

  static List<Arrival> day(Instant start, long seed) {
    Random rnd = new Random(seed);
    List<Arrival> out = new ArrayList<>();
    add(out, rnd, start, 8, "pretrain-shard", "llm", 8, Duration.ofHours(5), Duration.ofHours(30), false, true,
        "cn-gd-shenzhen", List.of());
    add(out, rnd, start, 12, "finetune", "vision", 4, Duration.ofHours(2), Duration.ofHours(14), true, false,
        "cn-gd-shenzhen", List.of());
    add(out, rnd, start, 16, "batch-infer", "search", 1, Duration.ofMinutes(45), Duration.ofHours(8), false, false,
        "de-frankfurt", List.of());
    add(out, rnd, start, 6, "render", "media", 2, Duration.ofHours(3), Duration.ofHours(24), true, false,
        "cn-gd-shenzhen", List.of("cn-south"));
    add(out, rnd, start, 6, "urgent-eval", "search", 2, Duration.ofHours(1), Duration.ofMinutes(80), false, false,
        "us-california", List.of());
    out.sort(Comparator.comparing(Arrival::at));
    return out;
  }

  private static void add(List<Arrival> out, Random rnd, Instant start, int n, String name, String team, int gpus,
      Duration duration, Duration deadlineAfterArrival, boolean interruptible, boolean checkpointable, String home,
      List<String> regions) {
    for (int i = 0; i < n; i++) {
      Instant at = start.plusSeconds(rnd.nextInt(24 * 3600));
      JobSpec spec = JobSpec.newBuilder()
          .setName(String.format("%s-%02d", name, i + 1)).setTeam(team)
          .setResources(Resources.newBuilder().setGpus(gpus).setCpuMillis(gpus * 8000).setMemoryMib(gpus * 65536L))
          .setEstimatedDuration(Durations.fromSeconds(duration.toSeconds()))
          .setDeadline(JobMapper.timestamp(at.plus(deadlineAfterArrival)))
          .setInterruptible(interruptible).setCheckpointable(checkpointable)
          .addAllAllowedRegions(regions).setHomeDataCenter(home)
          .setCheckpointSizeMib(checkpointable ? 20_480 : 0)
          .setContainer(Container.newBuilder().setImage("ghcr.io/acme/" + name + ":1"))
          .build();
      out.add(new Arrival(at, SubmitJobRequest.newBuilder().setRequestId(name + "-" + i).setSpec(spec).build()));
    }
  }
}
