package io.heliotrope.broker.testing;

import com.google.protobuf.util.Durations;
import io.heliotrope.broker.api.JobMapper;
import io.heliotrope.broker.domain.JobSpec;
import io.heliotrope.proto.v1.Container;
import io.heliotrope.proto.v1.Resources;
import io.heliotrope.proto.v1.SubmitJobRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Fixture builder: {@code Jobs.aJob().gpus(8).deadlineIn(hours(24)).request()}. */
public final class Jobs {
  private String name = "train";
  private String team = "vision";
  private int gpus = 1;
  private int cpuMillis = 4000;
  private long memoryMib = 16384;
  private Duration duration = Duration.ofHours(2);
  private Instant now = Instant.now();
  private Duration deadlineIn = Duration.ofHours(12);
  private Duration earliestIn;
  private boolean interruptible;
  private final List<String> regions = new ArrayList<>();
  private String requestId = UUID.randomUUID().toString();

  private Jobs() {}

  public static Jobs aJob() {
    return new Jobs();
  }

  public static Duration hours(long h) {
    return Duration.ofHours(h);
  }

  public Jobs name(String n) {
    name = n;
    return this;
  }

  public Jobs team(String t) {
    team = t;
    return this;
  }

  public Jobs gpus(int g) {
    gpus = g;
    return this;
  }

  public Jobs duration(Duration d) {
    duration = d;
    return this;
  }

  public Jobs now(Instant t) {
    now = t;
    return this;
  }

  public Jobs deadlineIn(Duration d) {
    deadlineIn = d;
    return this;
  }

  /** Not before {@code now + d}. */
  public Jobs earliestIn(Duration d) {
    earliestIn = d;
    return this;
  }

  public Jobs interruptible() {
    interruptible = true;
    return this;
  }

  public Jobs region(String r) {
    regions.add(r);
    return this;
  }

  public Jobs requestId(String id) {
    requestId = id;
    return this;
  }

  public io.heliotrope.proto.v1.JobSpec spec() {
    io.heliotrope.proto.v1.JobSpec.Builder b = io.heliotrope.proto.v1.JobSpec.newBuilder();
    if (earliestIn != null) {
      b.setEarliestStart(JobMapper.timestamp(now.plus(earliestIn)));
    }
    return b
        .setName(name).setTeam(team)
        .setResources(Resources.newBuilder().setGpus(gpus).setCpuMillis(cpuMillis).setMemoryMib(memoryMib))
        .setEstimatedDuration(Durations.fromNanos(duration.toNanos()))
        .setDeadline(JobMapper.timestamp(now.plus(deadlineIn)))
        .setInterruptible(interruptible)
        .addAllAllowedRegions(regions)
        .setContainer(Container.newBuilder().setImage("ghcr.io/acme/train:1").addCommand("python").addArgs("train.py"))
        .build();
  }

  public SubmitJobRequest request() {
    return SubmitJobRequest.newBuilder().setRequestId(requestId).setSpec(spec()).build();
  }

  public JobSpec domain() {
    return JobMapper.toDomain(spec(), team);
  }
}
