package io.heliotrope.broker.api;

import com.google.protobuf.util.Durations;
import com.google.protobuf.util.Timestamps;
import io.heliotrope.broker.domain.DataCenter;
import io.heliotrope.broker.domain.Limits;
import io.heliotrope.broker.domain.Workload;
import io.heliotrope.proto.v1.JobSpec;
import io.heliotrope.proto.v1.SubmitJobRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Checks a submission completely and reports every problem with its field path, so a user fixes
 * them all in one round. Limits are far above any real job and only stop mistakes and abuse.
 */
public final class JobSpecValidator {
  static final int MAX_NAME = 128;
  static final int MAX_STRING = 4096;
  static final int MAX_LIST = 256;
  static final int MAX_CPU_MILLIS = 10_000_000;
  static final long MAX_MEMORY_MIB = 64L * 1024 * 1024;
  static final Duration MAX_DURATION = Duration.ofDays(90);
  static final Duration MAX_AHEAD = Duration.ofDays(366);
  static final double MAX_POWER_WATTS = 10_000_000;
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private final Clock clock;
  private final List<DataCenter> dataCenters;
  private final Set<String> regions;
  private final WorkloadCheck workloads;

  public JobSpecValidator(Clock clock, List<DataCenter> dataCenters) {
    this(clock, dataCenters, Set.of());
  }

  /** {@code namespaces}: those a workload's manifest may name (the clusters' configured namespaces). */
  public JobSpecValidator(Clock clock, List<DataCenter> dataCenters, Set<String> namespaces) {
    this.workloads = new WorkloadCheck(namespaces);
    this.clock = clock;
    this.dataCenters = List.copyOf(dataCenters);
    this.regions = dataCenters.stream().map(DataCenter::region).collect(Collectors.toCollection(java.util.TreeSet::new));
  }

  /** Every problem of a submission, and the workload its manifest describes when there is one and it is valid. */
  public record Checked(Violations violations, Optional<Workload> workload) {}

  public Violations validate(SubmitJobRequest req) {
    return check(req).violations();
  }

  public Checked check(SubmitJobRequest req) {
    Violations v = new Violations();
    if (req.getRequestId().length() > MAX_NAME) {
      v.add("request_id", "longer than " + MAX_NAME + " characters");
    }
    if (!req.hasSpec()) {
      return new Checked(v.add("spec", "required"), Optional.empty());
    }
    JobSpec s = req.getSpec();
    name(v, "spec.name", s.getName(), true);
    name(v, "spec.team", s.getTeam(), false);
    Optional<Workload> workload = workloads.check(v, s);
    resources(v, s, workload.map(w -> w.gang().total()));
    Duration duration = duration(v, s);
    times(v, s, duration);
    regions(v, s);
    if (!s.getHomeDataCenter().isEmpty() && dataCenters.stream().noneMatch(dc -> dc.name().equals(s.getHomeDataCenter()))) {
      v.add("spec.home_data_center", "unknown data centre " + Limits.echo(s.getHomeDataCenter()));
    }
    container(v, s);
    if (s.hasEstimatedPowerWatts()) {
      double w = s.getEstimatedPowerWatts();
      if (Double.isNaN(w) || Double.isInfinite(w)) {
        v.add("spec.estimated_power_watts", "must be a finite number, was " + w);
      } else if (w <= 0 || w > MAX_POWER_WATTS) {
        v.add("spec.estimated_power_watts", w + " W is outside (0, " + (long) MAX_POWER_WATTS + "]");
      }
    }
    if (s.hasPreference() && s.getPreference().hasCarbonWeight()) {
      double w = s.getPreference().getCarbonWeight();
      if (!(w >= 0 && w <= 1)) {
        v.add("spec.preference.carbon_weight", "must be in [0, 1], was " + w);
      }
    }
    if (s.getLabelsCount() > 64) {
      v.add("spec.labels", "at most 64 labels, got " + s.getLabelsCount());
    }
    if (!s.getGpuModel().isEmpty() && (s.getGpuModel().length() > MAX_NAME || !NAME.matcher(s.getGpuModel()).matches())) {
      v.add("spec.gpu_model", "'" + s.getGpuModel() + "' is not a GPU model name such as H100 or A40");
    }
    s.getLabelsMap().forEach((k, val) -> {
      if (k.isEmpty() || k.length() > 63 || val.length() > 253) {
        v.add("spec.labels[" + Limits.echo(k) + "]", "keys are 1-63 characters and values at most 253");
      }
    });
    return new Checked(v, workload);
  }

  private static void name(Violations v, String field, String value, boolean required) {
    if (value.isEmpty()) {
      if (required) {
        v.add(field, "required");
      }
    } else if (value.length() > MAX_NAME) {
      v.add(field, "longer than " + MAX_NAME + " characters (" + value.length() + ")");
    } else if (!NAME.matcher(value).matches()) {
      v.add(field, Limits.echo(value) + " may contain only letters, digits, '.', '_' and '-', starting with a letter or digit");
    }
  }

  private void resources(Violations v, JobSpec s, Optional<io.heliotrope.broker.domain.Resources> derived) {
    if (s.hasWorkload()) {
      if (derived.isPresent()) {
        gpus(v, s, "spec.workload", derived.get().gpus());
      }
      return;
    }
    if (!s.hasResources() || s.getResources().getGpus() == 0 && s.getResources().getCpuMillis() == 0
        && s.getResources().getMemoryMib() == 0) {
      v.add("spec.resources", "request at least one of gpus, cpu_millis, memory_mib");
      return;
    }
    var r = s.getResources();
    gpus(v, s, "spec.resources.gpus", r.getGpus());
    if (Integer.toUnsignedLong(r.getCpuMillis()) > MAX_CPU_MILLIS) {
      v.add("spec.resources.cpu_millis", Integer.toUnsignedString(r.getCpuMillis()) + " is more than "
          + MAX_CPU_MILLIS);
    }
    if (r.getMemoryMib() < 0 || r.getMemoryMib() > MAX_MEMORY_MIB) {
      v.add("spec.resources.memory_mib", Long.toUnsignedString(r.getMemoryMib()) + " MiB is more than " + MAX_MEMORY_MIB);
    }
  }

  private void gpus(Violations v, JobSpec s, String field, int gpus) {
    // With only unknown regions the regions check already says what is wrong; compare with all sites then.
    int maxGpus = dataCenters.stream().filter(dc -> allowed(s, dc)).mapToInt(dc -> dc.capacity().gpus()).max()
        .orElse(dataCenters.stream().mapToInt(dc -> dc.capacity().gpus()).max().orElse(0));
    // uint32 on the wire: 2,147,483,648 GPUs reads as a negative int, so compare unsigned.
    if (Integer.toUnsignedLong(gpus) > maxGpus) {
      v.add(field, Integer.toUnsignedString(gpus) + " GPUs is more than any allowed data centre has (largest: "
          + maxGpus + ")");
    }
  }

  private static boolean allowed(JobSpec s, DataCenter dc) {
    return s.getAllowedRegionsCount() == 0 || s.getAllowedRegionsList().contains(dc.region());
  }

  private static Duration duration(Violations v, JobSpec s) {
    if (!s.hasEstimatedDuration()) {
      v.add("spec.estimated_duration", "required");
      return null;
    }
    if (!Durations.isValid(s.getEstimatedDuration())) {
      v.add("spec.estimated_duration", "is not a valid duration");
      return null;
    }
    Duration d = Duration.ofSeconds(s.getEstimatedDuration().getSeconds(), s.getEstimatedDuration().getNanos());
    if (d.isNegative() || d.isZero()) {
      v.add("spec.estimated_duration", "must be positive, was " + io.heliotrope.broker.api.Durations.human(d));
      return null;
    }
    if (d.compareTo(MAX_DURATION) > 0) {
      v.add("spec.estimated_duration", "must be at most 90 days");
      return null;
    }
    return d;
  }

  private void times(Violations v, JobSpec s, Duration duration) {
    Instant now = clock.instant();
    Instant earliest = now;
    if (s.hasEarliestStart()) {
      Instant e = instant(v, "spec.earliest_start", s.getEarliestStart(), now);
      if (e != null && e.isAfter(now)) {
        earliest = e;
      }
    }
    if (!s.hasDeadline()) {
      v.add("spec.deadline", "required: when the job must have finished");
      return;
    }
    Instant deadline = instant(v, "spec.deadline", s.getDeadline(), now);
    if (deadline == null) {
      return;
    }
    if (!deadline.isAfter(earliest)) {
      v.add("spec.deadline", "deadline " + deadline + " is not after the earliest start " + earliest);
    } else if (duration != null && earliest.plus(duration).isAfter(deadline)) {
      Duration shortBy = Duration.between(deadline, earliest.plus(duration));
      v.add("spec.deadline", "too close: the job needs " + io.heliotrope.broker.api.Durations.human(duration)
          + " from " + earliest + " but the deadline is " + deadline + " (short by "
          + io.heliotrope.broker.api.Durations.human(shortBy) + ")");
    }
  }

  private static Instant instant(Violations v, String field, com.google.protobuf.Timestamp ts, Instant now) {
    if (!Timestamps.isValid(ts)) {
      v.add(field, "is not a valid timestamp");
      return null;
    }
    Instant t = Instant.ofEpochSecond(ts.getSeconds(), ts.getNanos());
    if (t.isAfter(now.plus(MAX_AHEAD))) {
      v.add(field, t + " is more than a year ahead");
      return null;
    }
    return t;
  }

  private void regions(Violations v, JobSpec s) {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < s.getAllowedRegionsCount(); i++) {
      String r = s.getAllowedRegions(i);
      if (!regions.contains(r)) {
        v.add("spec.allowed_regions[" + i + "]", "unknown region " + Limits.echo(r) + " (known: "
            + String.join(", ", regions) + ")");
      } else if (!seen.add(r)) {
        v.add("spec.allowed_regions[" + i + "]", "region '" + r + "' is listed twice");
      }
    }
  }

  private static void container(Violations v, JobSpec s) {
    var c = s.getContainer();
    if (c.getImage().length() > MAX_STRING) {
      v.add("spec.container.image", "longer than " + MAX_STRING + " characters");
    }
    strings(v, "spec.container.command", c.getCommandList());
    strings(v, "spec.container.args", c.getArgsList());
    if (c.getEnvCount() > MAX_LIST) {
      v.add("spec.container.env", "at most " + MAX_LIST + " variables, got " + c.getEnvCount());
    }
    for (Map.Entry<String, String> e : c.getEnvMap().entrySet()) {
      if (e.getKey().length() > MAX_NAME || !ENV_NAME.matcher(e.getKey()).matches()) {
        v.add("spec.container.env[" + Limits.echo(e.getKey()) + "]", "not a valid environment variable name");
      } else if (e.getValue().length() > MAX_STRING) {
        v.add("spec.container.env[" + e.getKey() + "]", "value longer than " + MAX_STRING + " characters");
      }
    }
  }

  private static void strings(Violations v, String field, List<String> values) {
    if (values.size() > MAX_LIST) {
      v.add(field, "at most " + MAX_LIST + " entries, got " + values.size());
      return;
    }
    for (int i = 0; i < values.size(); i++) {
      if (values.get(i).length() > MAX_STRING) {
        v.add(field + "[" + i + "]", "longer than " + MAX_STRING + " characters");
      }
    }
  }
}
