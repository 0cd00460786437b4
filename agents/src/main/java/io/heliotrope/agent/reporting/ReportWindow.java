package io.heliotrope.agent.reporting;

import io.heliotrope.agent.attribution.NodeSampler.Sample;
import io.heliotrope.agent.attribution.PodPowerShare;
import io.heliotrope.agent.power.Energy;
import io.heliotrope.agent.power.Reading;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Integrates one-second samples into the energy of a report window. Each sample's power is taken
 * to hold since the previous sample, so irregular sampling (a slow BMC, a GC pause) still adds up
 * to the right energy.
 */
public final class ReportWindow {
  record SourceKey(String source, String component) {}

  record SourceTotal(Energy energy, boolean estimated) {}

  record PodTotal(Energy energy, Energy gpuEnergy) {}

  private final Instant start;
  private Instant last;
  private Energy total = Energy.ZERO;
  private Energy idle = Energy.ZERO;
  private boolean estimated;
  private final Map<SourceKey, SourceTotal> sources = new LinkedHashMap<>();
  private final Map<String, PodTotal> pods = new LinkedHashMap<>();

  public ReportWindow(Instant start) {
    this.start = start;
    this.last = start;
  }

  public Instant start() {
    return start;
  }

  public Instant end() {
    return last;
  }

  public Duration length() {
    return Duration.between(start, last);
  }

  public void add(Sample sample) {
    Duration held = Duration.between(last, sample.at());
    if (held.isNegative() || held.isZero()) {
      return;
    }
    last = sample.at();
    total = total.plus(sample.power().total().over(held));
    idle = idle.plus(sample.attribution().idle().over(held));
    estimated |= sample.power().estimated();
    for (Reading r : sample.power().counted()) {
      sources.merge(new SourceKey(r.source(), r.component()), new SourceTotal(r.power().over(held), r.estimated()),
          (a, b) -> new SourceTotal(a.energy().plus(b.energy()), a.estimated() || b.estimated()));
    }
    for (PodPowerShare pod : sample.attribution().pods().values()) {
      pods.merge(pod.podUid(), new PodTotal(pod.total().over(held), pod.gpu().over(held)),
          (a, b) -> new PodTotal(a.energy().plus(b.energy()), a.gpuEnergy().plus(b.gpuEnergy())));
    }
  }

  Energy total() {
    return total;
  }

  Energy idle() {
    return idle;
  }

  boolean estimated() {
    return estimated;
  }

  Map<SourceKey, SourceTotal> sources() {
    return sources;
  }

  Map<String, PodTotal> pods() {
    return pods;
  }
}
