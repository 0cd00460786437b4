package io.heliotrope.broker.config;

import io.heliotrope.broker.domain.DataCenter;
import io.heliotrope.broker.domain.Limits;
import io.heliotrope.broker.signal.Programmes;
import io.heliotrope.broker.signal.ResponseClass;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Resolves {@code grid.actWithin} and {@code grid.programmes:}, every problem by its path. */
final class ProgrammesConfigLoader {
  /** Default time the broker needs from an answer to load shed: a planning cycle, then suspends and caps. */
  static final Duration DEFAULT_ACT_WITHIN = Duration.ofMinutes(2);

  private ProgrammesConfigLoader() {}

  static Duration actWithin(ConfigFile.Grid g, List<String> problems) {
    return SignalsConfigLoader.duration("grid.actWithin", g == null ? null : g.actWithin(), DEFAULT_ACT_WITHIN, problems);
  }

  static List<Programmes.Programme> load(ConfigFile.Grid g, List<DataCenter> dcs, List<String> problems) {
    List<Programmes.Programme> out = new ArrayList<>();
    if (g == null || g.programmes() == null) {
      return out;
    }
    Set<String> known = new HashSet<>();
    dcs.forEach(dc -> {
      known.add(dc.name());
      known.add(dc.zone());
    });
    Set<String> names = new HashSet<>();
    Set<String> claimed = new HashSet<>();
    for (int i = 0; i < g.programmes().size(); i++) {
      ConfigFile.Programme p = g.programmes().get(i);
      String at = "grid.programmes[" + i + "]";
      if (p.name() == null || p.name().isBlank()) {
        problems.add(at + ".name: required");
      } else if (!names.add(p.name())) {
        problems.add(at + ".name: " + Limits.echo(p.name()) + " is configured twice");
      }
      if (p.targets() == null || p.targets().isEmpty()) {
        problems.add(at + ".targets: required, the zones or data centres the programme covers");
      }
      List<String> targets = p.targets() == null ? List.of() : p.targets();
      for (int t = 0; t < targets.size(); t++) {
        if (!known.contains(targets.get(t))) {
          problems.add(at + ".targets[" + t + "]: unknown zone or data centre " + Limits.echo(targets.get(t)));
        } else if (!claimed.add(targets.get(t))) {
          problems.add(at + ".targets[" + t + "]: " + Limits.echo(targets.get(t)) + " is in another programme already");
        }
      }
      ResponseClass c = p.responseClass() == null ? null : ResponseClass.of(p.responseClass());
      if (c == null) {
        problems.add(at + ".responseClass: " + (p.responseClass() == null ? "required" : Limits.echo(p.responseClass())
            + " is not one of day-ahead, hour-ahead, minute, second"));
        continue;
      }
      Duration deadline = SignalsConfigLoader.duration(at + ".deadline", p.deadline(), c.deadline(), problems);
      out.add(new Programmes.Programme(p.name() == null ? "" : p.name(), targets, c, deadline));
    }
    return out;
  }
}
