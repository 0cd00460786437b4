package io.heliotrope.broker.app;

import io.heliotrope.broker.api.auth.Tokens;
import io.heliotrope.broker.config.BrokerConfig;
import io.heliotrope.broker.job.JobRegistry;
import io.heliotrope.broker.loop.ControlLoop;
import io.heliotrope.broker.metrics.BrokerState;
import io.heliotrope.broker.metrics.DeadlineWatch;
import io.heliotrope.broker.metrics.PrometheusMetrics;
import io.heliotrope.broker.signal.SignalBook;
import io.heliotrope.broker.web.HttpEndpoint;
import io.heliotrope.broker.web.Overview;
import java.io.IOException;
import java.time.Clock;

/**
 * The broker's HTTP side, wired: scrape-time gauges over the live components, the deadline watch,
 * and the one HTTP server for {@code /metrics} and the dashboard. Kept out of {@link Broker} so its
 * wiring stays a few lines.
 */
final class Observability {
  private Observability() {}

  static HttpEndpoint start(BrokerConfig config, Clock clock, PrometheusMetrics metrics, JobRegistry registry,
      SignalBook signals, ControlLoop loop, TelemetryWiring telemetry, Tokens tokens) throws IOException {
    BrokerState state = new BrokerState(clock, registry, config.dataCenters(), config.knownZones(), signals.view(),
        signals.events(), loop::lastPlan, telemetry.telemetry(), telemetry.accountant(),
        loop.snapshots()::lastSignals, loop.snapshots().rates());
    state.registerOn(metrics);
    registry.addListener(new DeadlineWatch(metrics));
    Overview overview = new Overview(state);
    HttpEndpoint.Access access = (path, authorization) -> tokens.authenticate(authorization)
        .filter(p -> p.isOperator() || path.equals("/metrics") && p.role() == BrokerConfig.Role.METRICS).isPresent();
    return new HttpEndpoint(config.host(), config.httpPort(), metrics, overview::json, access).start();
  }
}
