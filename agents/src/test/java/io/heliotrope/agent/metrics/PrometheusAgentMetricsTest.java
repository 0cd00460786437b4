package io.heliotrope.agent.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heliotrope.agent.attribution.Attributor;
import io.heliotrope.agent.attribution.NodeSampler;
import io.heliotrope.agent.capping.DeviceLimit;
import io.heliotrope.agent.capping.LimitInForce;
import io.heliotrope.agent.power.Power;
import io.heliotrope.agent.power.Reading;
import io.heliotrope.agent.power.Scope;
import io.heliotrope.agent.power.SourceChain;
import io.heliotrope.agent.power.nvidia.GpuProcesses;
import io.heliotrope.agent.reporting.Backlog;
import io.heliotrope.agent.sys.SysTree;
import io.heliotrope.agent.testing.FakeSource;
import io.heliotrope.agent.testing.FakeTree;
import io.heliotrope.proto.v1.PowerReport;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Metric values from samples of fake sources on the cgroup v1 fake tree (two pods). */
class PrometheusAgentMetricsTest {
  static final String U1 = "0c4f7a3e-2b1d-4e5f-8a9b-1c2d3e4f5a6b";
  static final String U2 = "1d5e8b4f-3c2e-4f6a-9b0c-2d3e4f5a6b7c";
  static final String CPUACCT = "sys/fs/cgroup/cpu,cpuacct/kubepods/";
  static final Instant T0 = Instant.parse("2025-06-01T12:00:00Z");

  @TempDir Path dir;

  @Test
  void powerPodsBacklogAndFailuresFromSamples() throws Exception {
    FakeTree tree = FakeTree.copyOf("cgroup-v1", dir);
    // The kubelet's log directory names one of the two pods; the other keeps its UID as name.
    Files.createDirectories(dir.resolve("var/log/pods/ml-team_trainer-0_" + U1));
    FakeSource rapl = new FakeSource("rapl", List.of(
        Reading.measured("rapl", "package-0", Scope.HOST, Power.watts(90)),
        Reading.measured("rapl", "dram-0", Scope.HOST, Power.watts(10))));
    FakeSource nvidia = FakeSource.failing("nvidia", "nvidia-smi not found");
    FakeSource model = new FakeSource("model", List.of(new Reading("model", "host", Scope.HOST,
        Power.watts(120), Optional.empty(), true)));
    SourceChain chain = new SourceChain(List.of(rapl, nvidia, model), Duration.ofMinutes(1));
    NodeSampler sampler = new NodeSampler(chain, SysTree.at(dir), GpuProcesses.NONE,
        new Attributor(Optional.of(Power.watts(40))));
    Backlog backlog = new Backlog(2);
    PrometheusAgentMetrics metrics = new PrometheusAgentMetrics(backlog, chain::failureCounts,
        new PodNames(SysTree.at(dir)), Clock.fixed(T0, ZoneOffset.UTC));

    String before = scrape(metrics);
    assertFalse(before.contains("\nheliotrope_agent_node_power_watts "), "no sample yet, no power: " + before);
    assertTrue(before.contains("heliotrope_agent_source_failures_total{source=\"nvidia\"} 0.0"), before);

    setCpu(tree, 0, 0, 0);
    metrics.sampled(sampler.sample(T0), Duration.ofMillis(3));
    // 100 busy ticks = 1 s of node CPU: pod 1 used half, pod 2 a quarter of it.
    setCpu(tree, 100, 500_000_000L, 250_000_000L);
    metrics.sampled(sampler.sample(T0.plusSeconds(1)), Duration.ofMillis(30));
    metrics.sampleFailed(Duration.ofMillis(2));
    for (long seq = 1; seq <= 3; seq++) {
      backlog.add(PowerReport.newBuilder().setSequence(seq).build()); // capacity 2: one never-sent dropped
    }
    metrics.reportSent();
    metrics.sendError();

    String text = scrape(metrics);
    // rapl wins HOST over the model; 90 + 10 W, 40 W idle, 60 W dynamic: 30 W and 15 W to the pods.
    assertSeries(text, "heliotrope_agent_power_watts{component=\"package-0\",estimated=\"false\",source=\"rapl\"}", 90);
    assertSeries(text, "heliotrope_agent_power_watts{component=\"dram-0\",estimated=\"false\",source=\"rapl\"}", 10);
    assertFalse(text.contains("heliotrope_agent_power_watts{component=\"host\""), "the model was not counted: " + text);
    assertSeries(text, "heliotrope_agent_node_power_watts", 100);
    assertSeries(text, "heliotrope_agent_idle_power_watts", 40);
    assertSeries(text, "heliotrope_agent_unattributed_power_watts", 15);
    assertSeries(text, "heliotrope_agent_pod_power_watts{namespace=\"ml-team\",pod=\"trainer-0\"}", 30);
    assertSeries(text, "heliotrope_agent_pod_power_watts{namespace=\"\",pod=\"" + U2 + "\"}", 15);
    assertSeries(text, "heliotrope_agent_sample_duration_seconds_count", 3);
    assertSeries(text, "heliotrope_agent_sample_duration_seconds_bucket{le=\"0.005\"}", 2);
    assertSeries(text, "heliotrope_agent_sample_duration_seconds_bucket{le=\"0.05\"}", 3);
    assertSeries(text, "heliotrope_agent_reports_sent_total", 1);
    assertSeries(text, "heliotrope_agent_report_send_errors_total", 1);
    assertSeries(text, "heliotrope_agent_backlog_reports", 2);
    assertSeries(text, "heliotrope_agent_backlog_dropped_total", 1);
    // nvidia failed on the first sample and waits a minute before it is asked again.
    assertSeries(text, "heliotrope_agent_source_failures_total{source=\"nvidia\"}", 1);
    assertSeries(text, "heliotrope_agent_source_failures_total{source=\"rapl\"}", 0);
    assertTrue(text.contains("# TYPE heliotrope_agent_sample_duration_seconds histogram"), text);
  }

  @Test
  void powerLimitsInForceAreShownPerDevice() throws Exception {
    PrometheusAgentMetrics metrics = new PrometheusAgentMetrics(new Backlog(1), java.util.Map::of,
        new PodNames(SysTree.at(dir)), Clock.fixed(T0, ZoneOffset.UTC));
    metrics.limits(() -> List.of(
        new LimitInForce(new DeviceLimit("gpu-0", 200, 300, 100, 300), Optional.of("ev-1"), Optional.of(T0)),
        new LimitInForce(new DeviceLimit("package-0", 165, 165, 1, 250), Optional.empty(), Optional.empty())));
    String text = scrape(metrics);
    assertTrue(text.contains("heliotrope_agent_power_limit_watts{capped=\"true\",device=\"gpu-0\"} 200.0\n"), text);
    assertTrue(text.contains("heliotrope_agent_power_limit_watts{capped=\"false\",device=\"package-0\"} 165.0\n"), text);
    assertTrue(text.contains("heliotrope_agent_power_limit_default_watts{device=\"gpu-0\"} 300.0\n"), text);
  }

  @Test
  void podsGoneFromTheNodeLeaveTheMetrics() throws Exception {
    FakeTree tree = FakeTree.copyOf("cgroup-v1", dir);
    SourceChain chain = new SourceChain(List.of(new FakeSource("rapl",
        List.of(Reading.measured("rapl", "package-0", Scope.HOST, Power.watts(100))))), Duration.ofMinutes(1));
    NodeSampler sampler = new NodeSampler(chain, SysTree.at(dir), GpuProcesses.NONE,
        new Attributor(Optional.of(Power.watts(40))));
    PrometheusAgentMetrics metrics = new PrometheusAgentMetrics(new Backlog(1), chain::failureCounts,
        new PodNames(SysTree.at(dir)), Clock.fixed(T0, ZoneOffset.UTC));
    setCpu(tree, 0, 0, 0);
    metrics.sampled(sampler.sample(T0), Duration.ofMillis(1));
    setCpu(tree, 100, 500_000_000L, 250_000_000L);
    metrics.sampled(sampler.sample(T0.plusSeconds(1)), Duration.ofMillis(1));
    assertTrue(scrape(metrics).contains("pod=\"" + U2 + "\""));

    deleteTree(dir.resolve(CPUACCT + "besteffort/pod" + U2));
    setCpu(tree, 200, 1_000_000_000L, -1);
    metrics.sampled(sampler.sample(T0.plusSeconds(2)), Duration.ofMillis(1));
    String text = scrape(metrics);
    assertFalse(text.contains(U2), text);
    assertTrue(text.contains("pod=\"" + U1 + "\""), text);
  }

  /** Node busy ticks in /proc/stat and each pod's cumulative cpuacct.usage (ns; negative: leave as is). */
  static void setCpu(FakeTree tree, long busyTicks, long pod1Nanos, long pod2Nanos) throws Exception {
    tree.write("proc/stat", "cpu  " + busyTicks + " 0 0 1000 0 0 0 0 0 0\n");
    tree.write(CPUACCT + "burstable/pod" + U1 + "/cpuacct.usage", Long.toString(pod1Nanos));
    if (pod2Nanos >= 0) {
      tree.write(CPUACCT + "besteffort/pod" + U2 + "/cpuacct.usage", Long.toString(pod2Nanos));
    }
  }

  static void deleteTree(Path root) throws Exception {
    try (var paths = Files.walk(root)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  static String scrape(PrometheusAgentMetrics metrics) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    metrics.scrape(out);
    return out.toString(StandardCharsets.UTF_8);
  }

  static void assertSeries(String text, String series, double expected) {
    for (String line : text.split("\n")) {
      if (line.startsWith(series + " ")) {
        assertEquals(expected, Double.parseDouble(line.substring(series.length() + 1).trim()), 1e-9, line);
        return;
      }
    }
    throw new AssertionError("no series " + series + " in:\n" + text);
  }
}
