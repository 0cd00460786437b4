package io.heliotrope.agent.metrics;

import io.heliotrope.agent.attribution.NodeSampler;
import java.time.Duration;

/**
 * What the agent tells its metrics as it works. No-ops by default ({@link #NOOP}), so the loop and
 * the broker connection need no metrics in tests or with {@code --http-port -1};
 * {@link PrometheusAgentMetrics} is the Prometheus adapter.
 */
public interface AgentMetrics {
  AgentMetrics NOOP = new AgentMetrics() {};

  /** A sample succeeded: its power and division are what the power gauges show until the next one. */
  default void sampled(NodeSampler.Sample sample, Duration took) {}

  /** No power source worked this tick; the last good sample stays shown. */
  default void sampleFailed(Duration took) {}

  /** One report written to the broker stream (replays after a reconnect count again). */
  default void reportSent() {}

  /** The broker stream broke or was refused; the unacknowledged reports will be sent again. */
  default void sendError() {}
}
