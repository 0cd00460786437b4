package io.heliotrope.broker.metrics;

import io.heliotrope.broker.plan.Decision;
import java.time.Duration;
import java.util.List;

/**
 * What the broker's components report as they work. Modelled on JOSDK's {@code Metrics}: every
 * method is a no-op by default, so the simulator, benches and tests pass {@link #NOOP} and pay
 * nothing, while {@code serve} passes the Prometheus adapter. Values that exist anyway (jobs,
 * signals, power, the ledger) are not pushed here: the adapter reads them when scraped.
 */
public interface Metrics {
  Metrics NOOP = new Metrics() {};

  /** One planning run of the policy on a snapshot, however it was triggered. */
  default void planned(Duration took, int queued) {}

  /** The decisions of one cycle (a deferred job is decided again every cycle). */
  default void decided(List<Decision> decisions) {}

  /** A job ended (succeeded, failed or was cancelled) after its deadline. */
  default void deadlineMissed(String team) {}

  /** One finished gRPC call. */
  default void rpc(String service, String method, String code, Duration took) {}

  /**
   * One Kubernetes API request of a cluster driver. The hook the fabric8 driver calls (see
   * docs/observability.md); the simulated drivers make no API calls.
   */
  default void kubernetesCall(String cluster, String operation, boolean failed) {}

  /** An OpenADR payload the VEN could not map (unknown type, unusable interval or units). */
  default void openAdrUnmapped(String payloadType) {}

  /** One exchange with an OpenADR VTN: a poll, a notification, a report; {@code ok} false when it failed. */
  default void openAdrExchange(String what, boolean ok) {}
}
