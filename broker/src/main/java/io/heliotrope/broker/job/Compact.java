package io.heliotrope.broker.job;

import com.google.common.collect.Interner;
import com.google.common.collect.Interners;
import io.heliotrope.broker.domain.ContainerSpec;
import io.heliotrope.broker.domain.JobEvent;
import io.heliotrope.broker.domain.JobSpec;
import io.heliotrope.broker.domain.Placement;
import io.heliotrope.broker.domain.Transition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One shared copy of each value that many jobs repeat: teams, images, commands, label keys and
 * values, regions, reasons, placements, whole lists and maps. A million queued jobs otherwise hold
 * a million equal copies of each (16+ Strings per job). Weak: a value no job uses any more goes.
 * What is unique to a job (its id, request id, name) is left as it is.
 */
public final class Compact {
  private static final Interner<Object> VALUES = Interners.newWeakInterner();

  private Compact() {}

  @SuppressWarnings("unchecked")
  public static <T> T of(T value) {
    return value == null ? null : (T) VALUES.intern(value);
  }

  public static JobSpec spec(JobSpec s) {
    return new JobSpec(s.name(), of(s.team()), of(s.resources()), of(s.estimatedDuration()), s.earliestStart(),
        s.deadline(), s.interruptible(), s.checkpointable(), strings(s.allowedRegions()), container(s.container()),
        s.estimatedPower(), of(s.preference()), s.checkpointSizeMib(), strings(s.labels()), of(s.homeDataCenter()),
        s.workload(), of(s.gpuModel()));
  }

  public static ContainerSpec container(ContainerSpec c) {
    return of(new ContainerSpec(of(c.image()), strings(c.command()), strings(c.args()), strings(c.env())));
  }

  public static Placement placement(Placement p) {
    return of(new Placement(of(p.dataCenter()), of(p.cluster()), of(p.region()), of(p.zone())));
  }

  public static JobEvent event(JobEvent e) {
    return new JobEvent(e.sequence(), e.time(), e.state(), of(e.kind()), of(e.reason()), placement(e.placement()));
  }

  public static Transition transition(Transition t) {
    return new Transition(t.to(), of(t.kind()), of(t.reason()), t.placement().map(Compact::placement), t.plannedStart());
  }

  static List<String> strings(List<String> list) {
    if (list.isEmpty()) {
      return List.of();
    }
    List<String> out = new ArrayList<>(list.size());
    list.forEach(v -> out.add(of(v)));
    return of(List.copyOf(out));
  }

  static Map<String, String> strings(Map<String, String> map) {
    if (map.isEmpty()) {
      return Map.of();
    }
    Map<String, String> out = new LinkedHashMap<>();
    map.forEach((k, v) -> out.put(of(k), of(v)));
    return of(Map.copyOf(out));
  }
}
