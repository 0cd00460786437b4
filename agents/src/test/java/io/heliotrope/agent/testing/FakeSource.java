package io.heliotrope.agent.testing;

import io.heliotrope.agent.power.PowerSource;
import io.heliotrope.agent.power.Reading;
import io.heliotrope.agent.power.SourceUnavailableException;
import java.time.Instant;
import java.util.List;

/** A power source that returns fixed readings, or fails, and counts its calls. */
public final class FakeSource implements PowerSource {
  private final String name;
  private volatile List<Reading> readings;
  private volatile String failure;
  private int calls;

  public FakeSource(String name, List<Reading> readings) {
    this.name = name;
    this.readings = readings;
  }

  public static FakeSource failing(String name, String why) {
    FakeSource s = new FakeSource(name, List.of());
    s.failure = why;
    return s;
  }

  public void set(List<Reading> readings) {
    this.readings = readings;
    this.failure = null;
  }

  public int calls() {
    return calls;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public List<Reading> sample(Instant now) throws SourceUnavailableException {
    calls++;
    if (failure != null) {
      throw new SourceUnavailableException(failure);
    }
    return readings;
  }
}
