package io.heliotrope.agent.metrics;

import io.heliotrope.agent.attribution.NodeSampler;
import io.heliotrope.agent.attribution.PodPowerShare;
import io.heliotrope.agent.capping.LimitInForce;
import io.heliotrope.agent.power.Reading;
import io.heliotrope.agent.reporting.Backlog;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The agent's metrics (docs/observability.md, "Agent metrics"), written by hand in the Prometheus
 * text format 0.0.4. Not the Prometheus Java client, which the broker uses: measured with it (1.9.0,
 * core + text format, registry of its own) the agent's median RSS rose from 62.2 MB to 66.0 MB, over
 * the 64 MB budget (docs/benchmarks-agent.md, "Agent with /metrics"); a dozen series need no library.
 * Power gauges are read at scrape time from the last good sample, so a scrape shows one sample whole
 * and pods gone from the node vanish with it.
 */
public final class PrometheusAgentMetrics implements AgentMetrics {
  static final double[] BOUNDS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};
  private final AtomicReference<NodeSampler.Sample> last = new AtomicReference<>();
  private final AtomicLongArray buckets = new AtomicLongArray(BOUNDS.length); // not cumulative
  private final AtomicLong sampleCount = new AtomicLong();
  private final AtomicLong sampleNanos = new AtomicLong();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong sendErrors = new AtomicLong();
  private final Backlog backlog;
  private final Supplier<Map<String, Long>> sourceFailures;
  private final PodNames podNames;
  private final Clock clock;
  private volatile Supplier<List<LimitInForce>> limits = List::of;

  /**
   * @param backlog the reports waiting for the broker
   * @param sourceFailures failed samples so far per configured source (see SourceChain)
   * @param podNames resolves pod UIDs to namespace and name for labels
   */
  public PrometheusAgentMetrics(Backlog backlog, Supplier<Map<String, Long>> sourceFailures, PodNames podNames,
      Clock clock) {
    this.backlog = backlog;
    this.sourceFailures = sourceFailures;
    this.podNames = podNames;
    this.clock = clock;
  }

  /** Shows the power limits in force (capping on). */
  public void limits(Supplier<List<LimitInForce>> limits) {
    this.limits = limits;
  }

  @Override
  public void sampled(NodeSampler.Sample sample, Duration took) {
    last.set(sample);
    observe(took);
  }

  @Override
  public void sampleFailed(Duration took) {
    observe(took);
  }

  private void observe(Duration took) {
    double seconds = took.toNanos() / 1e9;
    for (int i = 0; i < BOUNDS.length; i++) {
      if (seconds <= BOUNDS[i]) {
        buckets.incrementAndGet(i);
        break;
      }
    }
    sampleNanos.addAndGet(took.toNanos());
    sampleCount.incrementAndGet(); // last: a scrape never sees a count above its buckets' sum
  }

  @Override
  public void reportSent() {
    sent.incrementAndGet();
  }

  @Override
  public void sendError() {
    sendErrors.incrementAndGet();
  }

  public String contentType() {
    return "text/plain; version=0.0.4; charset=utf-8";
  }

  /** Reads every metric now and writes the Prometheus text format. */
  public void scrape(OutputStream out) throws IOException {
    StringBuilder b = new StringBuilder(16_384);
    NodeSampler.Sample s = last.get();
    header(b, "heliotrope_agent_power_watts", "gauge",
        "Power of each source component counted in the last sample (GPUs always listed)");
    if (s != null) {
      Set<String> seen = new HashSet<>();
      for (Reading r : s.power().counted()) {
        seen.add(r.source() + '\0' + r.component());
        reading(b, r);
      }
      for (Reading r : s.power().accelerators()) {
        if (seen.add(r.source() + '\0' + r.component())) {
          reading(b, r);
        }
      }
    }
    header(b, "heliotrope_agent_node_power_watts", "gauge", "Node power in the last sample (wall meter, else host plus GPUs)");
    if (s != null) {
      sample(b, "heliotrope_agent_node_power_watts", s.power().total().watts());
    }
    header(b, "heliotrope_agent_idle_power_watts", "gauge",
        "Idle part of the node power in the last sample (configured, else lowest host power seen)");
    if (s != null) {
      sample(b, "heliotrope_agent_idle_power_watts", s.attribution().idle().watts());
    }
    header(b, "heliotrope_agent_unattributed_power_watts", "gauge", "Dynamic power in the last sample that no pod accounts for");
    if (s != null) {
      sample(b, "heliotrope_agent_unattributed_power_watts", s.attribution().unattributed().watts());
    }
    header(b, "heliotrope_agent_pod_power_watts", "gauge",
        "Power attributed to each pod on this node in the last sample (CPU share plus GPUs)");
    if (s != null) {
      Map<String, PodPowerShare> pods = s.attribution().pods();
      Map<String, PodNames.Name> names = podNames.lookUp(pods.keySet(), clock.instant());
      pods.forEach((uid, share) -> {
        PodNames.Name name = names.get(uid);
        // Unknown to the kubelet's log directory: the UID stands in for the name.
        sample(b, "heliotrope_agent_pod_power_watts{namespace=\"" + escape(name == null ? "" : name.namespace())
            + "\",pod=\"" + escape(name == null ? uid : name.pod()) + "\"}", share.total().watts());
      });
    }
    histogram(b);
    header(b, "heliotrope_agent_reports_sent_total", "counter", "Reports written to the broker stream (replays after a reconnect count again)");
    sample(b, "heliotrope_agent_reports_sent_total", sent.get());
    header(b, "heliotrope_agent_report_send_errors_total", "counter", "Broker streams that broke or were refused");
    sample(b, "heliotrope_agent_report_send_errors_total", sendErrors.get());
    header(b, "heliotrope_agent_backlog_reports", "gauge", "Reports waiting for the broker's acknowledgement");
    sample(b, "heliotrope_agent_backlog_reports", backlog.size());
    header(b, "heliotrope_agent_backlog_dropped_total", "counter", "Reports lost unsent because the backlog was full");
    sample(b, "heliotrope_agent_backlog_dropped_total", backlog.dropped());
    header(b, "heliotrope_agent_source_failures_total", "counter", "Samples a power source could not take, per configured source");
    sourceFailures.get().forEach((source, n) ->
        sample(b, "heliotrope_agent_source_failures_total{source=\"" + escape(source) + "\"}", n));
    List<LimitInForce> inForce = limits.get();
    header(b, "heliotrope_agent_power_limit_watts", "gauge",
        "Power limit in force per cappable device; capped=\"true\" while a broker cap holds it");
    for (LimitInForce l : inForce) {
      sample(b, "heliotrope_agent_power_limit_watts{capped=\"" + l.capped() + "\",device=\""
          + escape(l.device().device()) + "\"}", l.device().limitWatts());
    }
    header(b, "heliotrope_agent_power_limit_default_watts", "gauge", "Limit each cappable device is restored to");
    for (LimitInForce l : inForce) {
      sample(b, "heliotrope_agent_power_limit_default_watts{device=\"" + escape(l.device().device()) + "\"}",
          l.device().defaultWatts());
    }
    out.write(b.toString().getBytes(StandardCharsets.UTF_8));
  }

  private void histogram(StringBuilder b) {
    String name = "heliotrope_agent_sample_duration_seconds";
    header(b, name, "histogram", "Time one sample took: power sources, CPU times and pod cgroups");
    long count = sampleCount.get();
    long cumulative = 0;
    for (int i = 0; i < BOUNDS.length; i++) {
      cumulative += buckets.get(i);
      sample(b, name + "_bucket{le=\"" + BOUNDS[i] + "\"}", Math.min(cumulative, count));
    }
    sample(b, name + "_bucket{le=\"+Inf\"}", count);
    sample(b, name + "_sum", sampleNanos.get() / 1e9);
    sample(b, name + "_count", count);
  }

  private static void reading(StringBuilder b, Reading r) {
    sample(b, "heliotrope_agent_power_watts{component=\"" + escape(r.component()) + "\",estimated=\""
        + r.estimated() + "\",source=\"" + escape(r.source()) + "\"}", r.power().watts());
  }

  private static void header(StringBuilder b, String name, String type, String help) {
    b.append("# HELP ").append(name).append(' ').append(help).append("\n# TYPE ").append(name).append(' ')
        .append(type).append('\n');
  }

  private static void sample(StringBuilder b, String series, double value) {
    b.append(series).append(' ').append(value).append('\n');
  }

  /** Label values: backslash, double quote and line feed escaped, as the text format requires. */
  static String escape(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
