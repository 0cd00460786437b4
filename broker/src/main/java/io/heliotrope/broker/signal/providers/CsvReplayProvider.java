package io.heliotrope.broker.signal.providers;

import io.heliotrope.broker.signal.SignalPoint;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Replays points loaded from files (history or a scenario) as if a provider served them: each fetch
 * returns the zone's points that end after {@code since}. Loading is the loaders' job, so any format
 * they read can be replayed.
 */
public final class CsvReplayProvider implements SignalProvider {
  private final String name;
  private final Map<String, List<SignalPoint>> byZone = new HashMap<>();

  public CsvReplayProvider(String name, List<SignalPoint> points) {
    this.name = name;
    for (SignalPoint p : points) {
      byZone.computeIfAbsent(p.owner(), z -> new ArrayList<>()).add(p);
    }
    byZone.values().forEach(l -> l.sort(Comparator.comparing(SignalPoint::end)));
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public boolean serves(String zone) {
    return byZone.containsKey(zone);
  }

  @Override
  public List<SignalPoint> fetch(String zone, Instant since) {
    List<SignalPoint> all = byZone.getOrDefault(zone, List.of());
    // Sorted by end: binary search the first point ending after since.
    int lo = 0;
    int hi = all.size();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (all.get(mid).end().isAfter(since)) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return List.copyOf(all.subList(lo, all.size()));
  }
}
