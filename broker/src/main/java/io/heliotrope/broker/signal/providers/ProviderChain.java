package io.heliotrope.broker.signal.providers;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.heliotrope.broker.signal.SignalPoint;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Several providers for the zones, tried by priority (lowest number first) until one answers with
 * points. Each provider is called at most once per its minimum interval per zone: within that
 * window its last answer, or its last failure, is reused from a Caffeine cache whose ticker is the
 * injected clock, so rate limits hold in tests and in the simulator's virtual time too.
 */
public final class ProviderChain {
  /** One provider's place in the chain. */
  public record Binding(SignalProvider provider, int priority, Duration minInterval) {}

  /** What a refresh got: points from {@code provider} (empty name if none), and why others failed. */
  public record Result(List<SignalPoint> points, String provider, List<String> failures) {}

  private sealed interface Outcome {}

  private record Fetched(List<SignalPoint> points) implements Outcome {}

  private record Failed(String reason) implements Outcome {}

  private record CallKey(String provider, String zone) {}

  private final List<Binding> bindings;
  private final List<Cache<CallKey, Outcome>> lastCalls = new ArrayList<>();

  public ProviderChain(List<Binding> bindings, Clock clock) {
    this.bindings = bindings.stream().sorted(Comparator.comparingInt(Binding::priority)).toList();
    for (Binding b : this.bindings) {
      lastCalls.add(Caffeine.newBuilder()
          .ticker(() -> clock.millis() * 1_000_000L)
          .expireAfterWrite(b.minInterval())
          .maximumSize(10_000)
          .build());
    }
  }

  public boolean serves(String zone) {
    return bindings.stream().anyMatch(b -> b.provider().serves(zone));
  }

  public Result fetch(String zone, Instant since) {
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < bindings.size(); i++) {
      SignalProvider p = bindings.get(i).provider();
      if (!p.serves(zone)) {
        continue;
      }
      Outcome o = lastCalls.get(i).get(new CallKey(p.name(), zone), k -> call(p, zone, since));
      if (o instanceof Fetched f && !f.points().isEmpty()) {
        List<SignalPoint> fresh = f.points().stream().filter(x -> x.end().isAfter(since)).toList();
        return new Result(fresh, p.name(), failures);
      }
      failures.add(o instanceof Failed x ? x.reason() : p.name() + ": no data for " + zone);
    }
    return new Result(List.of(), "", failures);
  }

  private static Outcome call(SignalProvider p, String zone, Instant since) {
    try {
      return new Fetched(List.copyOf(p.fetch(zone, since)));
    } catch (ProviderException e) {
      return new Failed(e.getMessage());
    } catch (RuntimeException e) {
      // A provider bug must not take the others down with it.
      return new Failed(p.name() + ": " + e);
    }
  }
}
