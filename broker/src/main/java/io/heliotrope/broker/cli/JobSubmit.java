package io.heliotrope.broker.cli;

import io.heliotrope.broker.api.JobMapper;
import io.heliotrope.proto.v1.Container;
import io.heliotrope.proto.v1.JobServiceGrpc;
import io.heliotrope.proto.v1.JobSpec;
import io.heliotrope.proto.v1.Preference;
import io.heliotrope.proto.v1.Resources;
import io.heliotrope.proto.v1.SubmitJobRequest;
import io.heliotrope.proto.v1.Workload;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "submit", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Submit a job. Times are relative to now (4h, 1d12h) or absolute (2026-11-23T02:00:00Z).",
    footer = "%nExamples:%n  job submit --name train --gpus 8 --duration 4h --deadline 24h --interruptible "
        + "--image ghcr.io/acme/train:1 -- python train.py"
        + "%n  job submit -f train.yaml --team vision --duration 6h --deadline 24h --interruptible --checkpointable"
        + "%n%nWith -f, the file is a batch/v1 Job, JobSet, TrainJob, PyTorchJob or RayJob (YAML or JSON; - reads "
        + "stdin); its pods and their requests are the job's resources, and its metadata.name the job's name "
        + "unless --name is given (docs/workloads.md).")
final class JobSubmit extends JobCommand.Call {
  @Option(names = {"-f", "--filename"}, description = "a Kubernetes workload manifest to run (YAML or JSON; - for stdin)")
  String file;
  @Option(names = "--name", defaultValue = "", description = "job name") String name;
  @Option(names = "--gpu-model", defaultValue = "", description = "run only on this GPU model, e.g. H100") String gpuModel;
  @Option(names = "--team", defaultValue = "", description = "team (operators only; a team token implies it)") String team;
  @Option(names = "--gpus", defaultValue = "0") int gpus;
  @Option(names = "--cpu-millis", defaultValue = "0", description = "CPU in thousandths of a core") int cpuMillis;
  @Option(names = "--memory-mib", defaultValue = "0") long memoryMib;
  @Option(names = "--duration", converter = Moment.DurationConverter.class,
      description = "estimated run time, e.g. 4h, 90m, 1h30m") java.time.Duration duration;
  @Option(names = "--deadline", converter = Moment.Converter.class,
      description = "when it must have FINISHED: 24h from now, or a time") Moment deadline;
  @Option(names = "--earliest-start", converter = Moment.Converter.class,
      description = "not before: 2h from now, or a time") Moment earliestStart;
  @Option(names = "--interruptible", description = "may be suspended and resumed") boolean interruptible;
  @Option(names = "--checkpointable", description = "may be moved between clusters from a checkpoint") boolean checkpointable;
  @Option(names = "--region", description = "allowed region (repeatable; default any)") List<String> regions = new ArrayList<>();
  @Option(names = "--home", defaultValue = "", description = "data centre it would run in without Heliotrope: the "
      + "baseline savings are measured against (default the first allowed)") String home;
  @Option(names = "--image", defaultValue = "", description = "container image") String image;
  @Option(names = "--env", description = "KEY=VALUE (repeatable)") Map<String, String> env = new LinkedHashMap<>();
  @Option(names = "--label", description = "KEY=VALUE (repeatable)") Map<String, String> labels = new LinkedHashMap<>();
  @Option(names = "--power-watts", description = "expected average power of the whole job") Double powerWatts;
  @Option(names = "--checkpoint-size-mib", defaultValue = "0") long checkpointSizeMib;
  @Option(names = "--carbon-first", description = "optimise for carbon only") boolean carbonFirst;
  @Option(names = "--cost-first", description = "optimise for cost only") boolean costFirst;
  @Option(names = "--carbon-weight", description = "weight of carbon against cost, 0..1") Double carbonWeight;
  @Option(names = "--request-id", description = "idempotency key (default: a new random one)") String requestId;
  @Parameters(paramLabel = "COMMAND", description = "container command and arguments (after --)") List<String> command = new ArrayList<>();

  @Override
  int call(JobServiceGrpc.JobServiceBlockingStub stub, Printer out) {
    Instant now = Instant.now();
    JobSpec.Builder spec = JobSpec.newBuilder().setName(name).setTeam(team)
        .setInterruptible(interruptible).setCheckpointable(checkpointable).addAllAllowedRegions(regions)
        .putAllLabels(labels).setCheckpointSizeMib(checkpointSizeMib).setHomeDataCenter(home).setGpuModel(gpuModel);
    if (file != null) {
      ManifestFile m;
      try {
        m = ManifestFile.read(file);
      } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
        System.err.println("error: " + e.getMessage());
        return 2;
      }
      spec.setWorkload(Workload.newBuilder().setManifest(m.text()));
      if (name.isEmpty()) {
        spec.setName(m.name());
      }
    } else {
      spec.setResources(Resources.newBuilder().setGpus(gpus).setCpuMillis(cpuMillis).setMemoryMib(memoryMib))
          .setContainer(Container.newBuilder().setImage(image).addAllCommand(command).putAllEnv(env));
    }
    if (duration != null) {
      spec.setEstimatedDuration(com.google.protobuf.Duration.newBuilder().setSeconds(duration.getSeconds())
          .setNanos(duration.getNano()));
    }
    if (deadline != null) {
      spec.setDeadline(JobMapper.timestamp(deadline.at(now)));
    }
    if (earliestStart != null) {
      spec.setEarliestStart(JobMapper.timestamp(earliestStart.at(now)));
    }
    if (powerWatts != null) {
      spec.setEstimatedPowerWatts(powerWatts);
    }
    if (carbonFirst) {
      spec.setPreference(Preference.newBuilder().setCarbonFirst(true));
    } else if (costFirst) {
      spec.setPreference(Preference.newBuilder().setCostFirst(true));
    } else if (carbonWeight != null) {
      spec.setPreference(Preference.newBuilder().setCarbonWeight(carbonWeight));
    }
    String rid = requestId == null ? UUID.randomUUID().toString() : requestId;
    out.job(stub.submitJob(SubmitJobRequest.newBuilder().setRequestId(rid).setSpec(spec).build()));
    return 0;
  }
}
