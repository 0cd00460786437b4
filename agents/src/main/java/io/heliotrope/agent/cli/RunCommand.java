package io.heliotrope.agent.cli;

import io.heliotrope.agent.attribution.Attributor;
import io.heliotrope.agent.attribution.NodeSampler;
import io.heliotrope.agent.capping.CapStateFile;
import io.heliotrope.agent.capping.Capper;
import io.heliotrope.agent.capping.LimitControl;
import io.heliotrope.agent.capping.NvidiaLimits;
import io.heliotrope.agent.capping.RaplLimits;
import io.heliotrope.agent.config.ReportingConfig;
import io.heliotrope.agent.config.SourceConfig;
import io.heliotrope.agent.config.Sources;
import io.heliotrope.agent.metrics.AgentMetrics;
import io.heliotrope.agent.metrics.MetricsServer;
import io.heliotrope.agent.metrics.PodNames;
import io.heliotrope.agent.metrics.PrometheusAgentMetrics;
import io.heliotrope.agent.reporting.AgentLoop;
import io.heliotrope.agent.reporting.AgentRunner;
import io.heliotrope.agent.reporting.Backlog;
import io.heliotrope.agent.reporting.Backoff;
import io.heliotrope.agent.reporting.BearerToken;
import io.heliotrope.agent.reporting.BrokerConnection;
import io.heliotrope.agent.reporting.Cadence;
import io.heliotrope.agent.reporting.Channels;
import io.heliotrope.agent.reporting.Reports;
import io.heliotrope.agent.sys.ProcessCommandRunner;
import io.heliotrope.agent.sys.SysTree;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The DaemonSet's command: sample every interval and stream reports to the broker until stopped. */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Measure and report to the broker until stopped.")
final class RunCommand implements Callable<Integer> {
  @Mixin SourceOptions sourceOptions;

  @Option(names = "--broker", required = true, paramLabel = "HOST:PORT") String broker;
  @Option(names = "--token", defaultValue = "${env:HELIOTROPE_AGENT_TOKEN}",
      description = "Bearer token (default: $HELIOTROPE_AGENT_TOKEN, which keeps it out of the process list).")
  String token;
  @Option(names = "--node", defaultValue = "${env:NODE_NAME}") String node;
  @Option(names = "--cluster", required = true) String cluster;
  @Option(names = "--data-center", required = true) String dataCenter;
  @Option(names = "--ca-file", description = "PEM CA bundle; enables TLS.") Path caFile;
  @Option(names = "--interval", defaultValue = "1s", converter = DurationConverter.class,
      description = "Sampling interval (default: ${DEFAULT-VALUE}).") Duration sampling;
  @Option(names = "--report-interval", defaultValue = "5s", converter = DurationConverter.class,
      description = "Report window (default: ${DEFAULT-VALUE}).") Duration reporting;
  @Option(names = "--backlog", defaultValue = "720",
      description = "Reports kept while the broker is away (default: ${DEFAULT-VALUE}, one hour at 5s).") int backlog;

  @Option(names = "--http-port", defaultValue = "9465",
      description = "Port of GET /metrics (default: ${DEFAULT-VALUE}); 0 picks a free port, -1 serves none.")
  int httpPort;

  @Option(names = "--cap-state", paramLabel = "FILE",
      description = "Turns power capping on: the file where the agent records the limits it changed, so that a"
          + " restart restores what a crashed run left (e.g. /var/lib/heliotrope/agent-caps.tsv on a hostPath).")
  Path capState;
  @Option(names = "--cap-devices", defaultValue = "gpu,package", split = ",",
      description = "Device kinds the broker may cap: gpu (nvidia-smi -pl), package (RAPL); default: ${DEFAULT-VALUE}.")
  List<String> capDevices;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    List<String> problems = new ArrayList<>();
    SourceConfig sources = null;
    try {
      sources = sourceOptions.toConfig();
      problems.addAll(sources.problems());
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage());
    }
    ReportingConfig reportingConfig = new ReportingConfig(broker, token, node, cluster, dataCenter,
        Optional.ofNullable(caFile), new Cadence(sampling, reporting), backlog);
    problems.addAll(reportingConfig.problems());
    if (httpPort < -1 || httpPort > 65535) {
      problems.add("--http-port must be -1 (off), 0 (any free port) or a port up to 65535: " + httpPort);
    }
    for (String kind : capDevices) {
      if (!kind.equals("gpu") && !kind.equals("package")) {
        problems.add("--cap-devices: unknown kind '" + kind + "' (gpu, package)");
      }
    }
    if (!problems.isEmpty()) {
      problems.forEach(p -> err.println("run: " + p));
      return 2;
    }
    Clock clock = Clock.systemUTC();
    SysTree sys = SysTree.at(sources.sysRoot());
    Sources.Built built = Sources.build(sources, sys, new ProcessCommandRunner());
    NodeSampler sampler = new NodeSampler(built.chain(), sys, built.gpuProcesses(), new Attributor(sources.idle()));
    String version = AgentMain.class.getPackage().getImplementationVersion();
    Backlog backlog = new Backlog(reportingConfig.backlogCapacity());
    PrometheusAgentMetrics prometheus = httpPort < 0 ? null
        : new PrometheusAgentMetrics(backlog, built.chain()::failureCounts, new PodNames(sys), clock);
    AgentMetrics metrics = prometheus == null ? AgentMetrics.NOOP : prometheus;
    AgentLoop loop = new AgentLoop(sampler, backlog,
        new Reports.Origin(node, cluster, dataCenter, version == null ? "dev" : version), clock,
        reportingConfig.cadence(), metrics);
    Channels.BrokerChannel channel = Channels.toBroker(broker, reportingConfig.caFile());
    BrokerConnection connection = new BrokerConnection(channel.channel(), new BearerToken(token),
        loop.backlog(), new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(1), 0.2,
            () -> ThreadLocalRandom.current().nextDouble()), clock, loop::onCommand, metrics);
    loop.connect(connection);
    Capper capper = null;
    if (capState != null) {
      List<LimitControl> controls = new ArrayList<>();
      if (capDevices.contains("gpu")) {
        controls.add(new NvidiaLimits(new ProcessCommandRunner(), "nvidia-smi"));
      }
      if (capDevices.contains("package")) {
        controls.add(new RaplLimits(sys));
      }
      capper = new Capper(controls, new CapStateFile(capState), clock);
      // Before anything else: a crashed run's caps must not outlive it.
      capper.start().forEach(p -> err.println("run: capping: " + p));
      err.flush();
      loop.capping(capper);
      if (prometheus != null) {
        prometheus.limits(capper::limits);
      }
    }
    Capper caps = capper;
    MetricsServer server = null;
    if (prometheus != null) {
      try {
        server = MetricsServer.start(httpPort, prometheus);
      } catch (java.io.IOException e) {
        err.println("run: cannot serve metrics on port " + httpPort + ": " + e.getMessage());
        channel.close();
        return 2;
      }
      // Scripts and tests with --http-port 0 read the port from this line.
      spec.commandLine().getOut().println("metrics: http://0.0.0.0:" + server.port() + "/metrics");
      spec.commandLine().getOut().flush();
    }
    MetricsServer httpServer = server;

    AgentRunner runner = new AgentRunner(loop);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        runner.close();
        if (caps != null) {
          caps.restoreAll().forEach(p -> System.err.println("agent: " + p));
        }
        // Hand the broker the partial window rather than losing up to a report interval.
        loop.flushWindow();
        connection.pump();
        connection.close();
        channel.shutdown(2, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        if (httpServer != null) {
          httpServer.close();
        }
        channel.close();
        stopped.countDown();
      }
    }, "agent-shutdown"));
    runner.start();
    stopped.await();
    return 0;
  }
}
