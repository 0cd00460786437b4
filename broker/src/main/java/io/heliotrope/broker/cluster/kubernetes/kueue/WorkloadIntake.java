package io.heliotrope.broker.cluster.kubernetes.kueue;

import io.heliotrope.broker.cluster.kubernetes.workload.PodSets;
import io.heliotrope.broker.config.KueueConfig;
import io.heliotrope.broker.domain.ContainerSpec;
import io.heliotrope.broker.domain.Gang;
import io.heliotrope.broker.domain.GangRole;
import io.heliotrope.broker.domain.JobSpec;
import io.heliotrope.broker.domain.Limits;
import io.heliotrope.broker.domain.Preference;
import io.heliotrope.broker.domain.Workload;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Heliotrope job spec for a workload a team applied with kubectl: the gang from the Workload's
 * {@code spec.podSets} (what Kueue itself accounts), the team from the object's
 * {@code heliotrope.io/team} label or else its namespace, run time, deadline, interruptible and
 * checkpointable from the object's {@code heliotrope.io/*} annotations or the configured defaults.
 * The same Workload always gives the same spec (the deadline counts from its creation), so taking
 * it in twice, after a restart, finds the job taken in before.
 */
final class WorkloadIntake {
  private static final Pattern GO_DURATION = Pattern.compile("(\\d+)(h|m|s)");

  /** The spec, and the annotations that were not understood (each named, with its value; defaults used instead). */
  record Intake(JobSpec spec, List<String> problems) {}

  private WorkloadIntake() {}

  static Intake spec(KueueWorkload w, Map<String, String> labels, Map<String, String> annotations, KueueConfig cfg,
      List<String> workerRegions) {
    List<String> problems = new ArrayList<>();
    Gang gang = gang(w);
    Duration duration = duration(annotations.get(KueueApi.DURATION)).orElseGet(() -> {
      noteIfSet(problems, annotations, KueueApi.DURATION, "a duration such as 6h, 90m or PT6H");
      return cfg.defaultDuration();
    });
    Instant deadline = deadline(annotations.get(KueueApi.DEADLINE), w.created()).orElseGet(() -> {
      noteIfSet(problems, annotations, KueueApi.DEADLINE, "an RFC 3339 time or a duration after creation, e.g. 24h");
      return w.created().plus(cfg.defaultDeadline());
    });
    boolean interruptible = flag(annotations, KueueApi.INTERRUPTIBLE, problems);
    boolean checkpointable = flag(annotations, KueueApi.CHECKPOINTABLE, problems);
    String team = labels.getOrDefault(KueueApi.TEAM, w.namespace());
    String apiVersion = w.owner().map(o -> o.getApiVersion()).orElse(KueueApi.GROUP + "/" + KueueApi.VERSION);
    String kind = w.owner().map(o -> o.getKind()).orElse("Workload");
    String name = w.owner().map(o -> o.getName()).orElse(w.name());
    Workload workload = new Workload(apiVersion, kind, "{\"kueueWorkload\":\"" + w.namespace() + "/" + w.name() + "\"}",
        gang);
    JobSpec spec = new JobSpec(name, team, gang.total(), duration, Optional.empty(), deadline, interruptible,
        checkpointable, workerRegions, new ContainerSpec("", List.of(), List.of(), Map.of()), Optional.empty(),
        Preference.DEFAULT, 0, Map.of(KueueApi.JOB_WORKLOAD_NAMESPACE, w.namespace(), KueueApi.JOB_WORKLOAD_NAME,
            w.name(), KueueApi.QUEUE_NAME, w.queueName()), "", Optional.of(workload),
        annotations.getOrDefault(KueueApi.GPU_MODEL, ""));
    return new Intake(spec, problems);
  }

  /** The pods Kueue accounts for the Workload: each of {@code spec.podSets}, {@code count} pods of its template. */
  static Gang gang(KueueWorkload w) {
    List<GangRole> roles = new ArrayList<>();
    for (int i = 0; i < w.podSets().size(); i++) {
      Map<String, Object> ps = w.podSets().get(i);
      int count = ps.get("count") instanceof Number n ? n.intValue() : 1;
      String name = String.valueOf(ps.getOrDefault("name", "main"));
      roles.add(PodSets.role(name, count, "spec.podSets[" + i + "].count = " + count, "spec.podSets[" + i + "].template",
          KueueWorkload.map(ps.get("template"))));
    }
    return new Gang(roles);
  }

  private static void noteIfSet(List<String> problems, Map<String, String> annotations, String key, String expected) {
    if (annotations.containsKey(key)) {
      problems.add("metadata.annotations[" + key + "]: " + Limits.echo(annotations.get(key)) + " is not " + expected
          + "; the default is used");
    }
  }

  private static boolean flag(Map<String, String> annotations, String key, List<String> problems) {
    String v = annotations.get(key);
    if (v == null || v.equals("false")) {
      return false;
    }
    if (!v.equals("true")) {
      problems.add("metadata.annotations[" + key + "]: " + Limits.echo(v) + " is not \"true\" or \"false\"; false is used");
    }
    return v.equals("true");
  }

  /** 6h, 90m, 1h30m, 45s, or ISO 8601 (PT6H); positive. */
  static Optional<Duration> duration(String v) {
    if (v == null || v.isBlank()) {
      return Optional.empty();
    }
    String s = v.strip();
    if (s.startsWith("P") || s.startsWith("p")) {
      try {
        Duration d = Duration.parse(s);
        return d.isNegative() || d.isZero() ? Optional.empty() : Optional.of(d);
      } catch (DateTimeParseException e) {
        return Optional.empty();
      }
    }
    Matcher m = GO_DURATION.matcher(s);
    Duration total = Duration.ZERO;
    int end = 0;
    while (m.find() && m.start() == end) {
      long n = Long.parseLong(m.group(1));
      total = total.plus(switch (m.group(2)) {
        case "h" -> Duration.ofHours(n);
        case "m" -> Duration.ofMinutes(n);
        default -> Duration.ofSeconds(n);
      });
      end = m.end();
    }
    return end == s.length() && !total.isZero() ? Optional.of(total) : Optional.empty();
  }

  private static Optional<Instant> deadline(String v, Instant created) {
    if (v == null || v.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(java.time.OffsetDateTime.parse(v.strip()).toInstant());
    } catch (DateTimeParseException e) {
      return duration(v).map(created::plus);
    }
  }
}
