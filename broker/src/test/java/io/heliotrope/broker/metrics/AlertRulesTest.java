package io.heliotrope.broker.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heliotrope.broker.testing.ExternalTool;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The example alerting rules in k8s/monitoring: valid for promtool, firing on the series that
 * should trigger them (promtool's rule unit tests), and naming only metrics the broker exports.
 */
class AlertRulesTest {
  private static final Path DIR = Path.of("..", "k8s", "monitoring");

  @Test
  void rulesAreValidAndFireAsIntended() throws Exception {
    Path promtool = ExternalTool.require("promtool", "prometheus");
    assertEquals(0, run(promtool, "check", "rules", "heliotrope-alerts.yaml"));
    assertEquals(0, run(promtool, "test", "rules", "heliotrope-alerts.test.yaml"));
  }

  @Test
  void rulesUseOnlyExportedMetrics() throws Exception {
    String rules = Files.readString(DIR.resolve("heliotrope-alerts.yaml"));
    Matcher m = Pattern.compile("heliotrope_[a-z_]+").matcher(rules.replaceAll("(?m)^\\s*#.*$", ""));
    List<String> exported = List.of("heliotrope_jobs_at_deadline_risk", "heliotrope_deadline_misses_total",
        "heliotrope_signal_zone_degraded", "heliotrope_signal_age_seconds", "heliotrope_agents",
        "heliotrope_grid_event_committed_watts", "heliotrope_grid_event_delivered_watts");
    int n = 0;
    while (m.find()) {
      assertTrue(exported.contains(m.group()), "rules name an unknown metric " + m.group());
      n++;
    }
    assertTrue(n >= 6, "expected the rules to reference the broker's metrics");
    PrometheusMetrics metrics = new PrometheusMetrics();
    assertTrue(metrics.registry().scrape().stream()
        .anyMatch(s -> s.getMetadata().getPrometheusName().equals("heliotrope_deadline_misses")));
  }

  private static int run(Path promtool, String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of(promtool.toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(DIR.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), String.join(" ", args) + ":\n" + out);
    return p.exitValue();
  }
}
