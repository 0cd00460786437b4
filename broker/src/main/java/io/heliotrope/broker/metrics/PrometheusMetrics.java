package io.heliotrope.broker.metrics;

import io.heliotrope.broker.plan.Decision;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;

/**
 * The Prometheus adapter of {@link Metrics}, on a registry of its own (never the client's global
 * default, so two brokers in one JVM, as in tests, never share or clash). Scrape-time gauges over
 * the broker's state are added with {@link BrokerState}.
 */
public final class PrometheusMetrics implements Metrics {
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final ExpositionFormats formats = ExpositionFormats.init();
  private final Histogram planning;
  private final Gauge queued;
  private final Counter decisions;
  private final Counter deadlineMisses;
  private final Counter rpcs;
  private final Histogram rpcLatency;
  private final Counter kubernetes;
  private final Counter kubernetesErrors;
  private final Counter openAdrUnmapped;
  private final Counter openAdrExchanges;

  public PrometheusMetrics() {
    planning = Histogram.builder().name("heliotrope_planning_cycle_duration_seconds")
        .help("Time the policy took to plan one snapshot")
        .classicUpperBounds(0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10).register(registry);
    queued = Gauge.builder().name("heliotrope_planning_queue_jobs")
        .help("Unfinished jobs in the last planned snapshot").register(registry);
    decisions = Counter.builder().name("heliotrope_decisions_total")
        .help("Planner decisions by kind and reason class (a waiting job is decided again every cycle)")
        .labelNames("kind", "reason_class").register(registry);
    deadlineMisses = Counter.builder().name("heliotrope_deadline_misses_total")
        .help("Jobs that ended after their deadline").labelNames("team").register(registry);
    rpcs = Counter.builder().name("heliotrope_grpc_server_handled_total")
        .help("gRPC calls finished, by service, method and status code")
        .labelNames("grpc_service", "grpc_method", "grpc_code").register(registry);
    rpcLatency = Histogram.builder().name("heliotrope_grpc_server_handling_seconds")
        .help("gRPC call duration from headers to close (streams: their whole life)")
        .labelNames("grpc_service", "grpc_method")
        .classicUpperBounds(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 60)
        .register(registry);
    kubernetes = Counter.builder().name("heliotrope_kubernetes_requests_total")
        .help("Kubernetes API requests by cluster and operation").labelNames("cluster", "operation")
        .register(registry);
    kubernetesErrors = Counter.builder().name("heliotrope_kubernetes_request_errors_total")
        .help("Kubernetes API requests that failed").labelNames("cluster", "operation").register(registry);
    openAdrUnmapped = Counter.builder().name("heliotrope_openadr_unmapped_payloads_total")
        .help("OpenADR event payloads the VEN did not map, by payload type").labelNames("payload_type")
        .register(registry);
    openAdrExchanges = Counter.builder().name("heliotrope_openadr_exchanges_total")
        .help("Exchanges with the OpenADR VTN (poll, notification, report) by outcome").labelNames("exchange", "outcome")
        .register(registry);
  }

  @Override
  public void openAdrUnmapped(String payloadType) {
    // The VTN writes these strings (private ones are allowed): keep the label set small and clean.
    openAdrUnmapped.labelValues(payloadType.matches("[A-Z0-9_*/]{1,48}") ? payloadType : "OTHER").inc();
  }

  @Override
  public void openAdrExchange(String what, boolean ok) {
    openAdrExchanges.labelValues(what, ok ? "ok" : "failed").inc();
  }

  public PrometheusRegistry registry() {
    return registry;
  }

  @Override
  public void planned(Duration took, int queuedJobs) {
    planning.observe(took.toNanos() / 1e9);
    queued.set(queuedJobs);
  }

  @Override
  public void decided(List<Decision> list) {
    for (Decision d : list) {
      decisions.labelValues(d.kind(), ReasonClass.of(d)).inc();
    }
  }

  @Override
  public void deadlineMissed(String team) {
    deadlineMisses.labelValues(team).inc();
  }

  @Override
  public void rpc(String service, String method, String code, Duration took) {
    rpcs.labelValues(service, method, code).inc();
    rpcLatency.labelValues(service, method).observe(took.toNanos() / 1e9);
  }

  @Override
  public void kubernetesCall(String cluster, String operation, boolean failed) {
    kubernetes.labelValues(cluster, operation).inc();
    if (failed) {
      kubernetesErrors.labelValues(cluster, operation).inc();
    }
  }

  /** The content type the scrape is written in, for the client's Accept header. */
  public String contentType(String accept) {
    return writer(accept).getContentType();
  }

  /** Collects every metric now (the callback gauges read the broker here) and writes them. */
  public void scrape(String accept, OutputStream out) throws IOException {
    writer(accept).write(out, registry.scrape());
  }

  /** OpenMetrics when asked for, else the classic text format; never protobuf (not on the classpath). */
  private ExpositionFormatWriter writer(String accept) {
    ExpositionFormatWriter om = formats.getOpenMetricsTextFormatWriter();
    return accept != null && om.accepts(accept) ? om : formats.getPrometheusTextFormatWriter();
  }
}
