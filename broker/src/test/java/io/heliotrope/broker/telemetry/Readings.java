package io.heliotrope.broker.telemetry;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Builds readings for tests: {@code aReading("n1").dc("dc").window(t, 5s).watts(100).pod("job-1", 40).build()}. */
final class Readings {
  private String node;
  private String dc = "de-frankfurt";
  private long seq = 1;
  private Instant start = Instant.parse("2026-03-01T00:00:00Z");
  private Duration length = Duration.ofSeconds(5);
  private double watts = 100;
  private boolean estimated;
  private final List<PowerReading.PodReading> pods = new ArrayList<>();

  static Readings aReading(String node) {
    Readings r = new Readings();
    r.node = node;
    return r;
  }

  Readings dc(String d) {
    dc = d;
    return this;
  }

  Readings seq(long s) {
    seq = s;
    return this;
  }

  Readings window(Instant s, Duration l) {
    start = s;
    length = l;
    return this;
  }

  Readings watts(double w) {
    watts = w;
    return this;
  }

  Readings estimated() {
    estimated = true;
    return this;
  }

  /** A pod of the job drawing {@code w} watts over the whole window. */
  Readings pod(String jobId, double w) {
    pods.add(new PowerReading.PodReading("uid-" + pods.size(), jobId, w, w * length.toMillis() / 1000.0));
    return this;
  }

  PowerReading build() {
    return new PowerReading(node, "c", dc, seq, start, start.plus(length), watts, 10, estimated, pods);
  }
}
