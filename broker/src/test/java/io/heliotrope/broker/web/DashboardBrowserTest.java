package io.heliotrope.broker.web;

import static io.heliotrope.broker.testing.Jobs.aJob;
import static io.heliotrope.broker.testing.Jobs.hours;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heliotrope.broker.api.JobMapper;
import io.heliotrope.broker.domain.Job;
import io.heliotrope.broker.testing.ExternalTool;
import io.heliotrope.broker.testing.HttpGet;
import io.heliotrope.broker.testing.SignalPoints;
import io.heliotrope.broker.testing.TestBroker;
import io.heliotrope.proto.v1.CarbonBasis;
import io.heliotrope.proto.v1.PublishGridEventRequest;
import io.heliotrope.proto.v1.PublishSignalsRequest;
import io.heliotrope.proto.v1.SignalPoint;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard in a real headless Chromium against a running broker: the page must show the jobs
 * (ids and reasons), the data centres, the grid event and a chart canvas per data centre, i.e. what
 * the broker holds, after its script has fetched /api/overview.
 */
class DashboardBrowserTest {
  @TempDir Path dir;

  @Test
  void pageRendersWhatTheBrokerHolds() throws Exception {
    Path chromium = ExternalTool.require("chromium", "chromium", "/usr/bin/chromium");
    try (TestBroker broker = TestBroker.start(dir)) {
      Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS);
      broker.signals(null).publishSignals(carbonDay("DE-LU", hour));
      broker.signals(null).publishGridEvent(PublishGridEventRequest.newBuilder().setEvent(
          SignalPoints.peakShaving("ev-dash-1", "DE-LU", hour.plus(hours(2)), hour.plus(hours(4)), 300)).build());
      // Over already: the planner declines it ("the event is over"); it must stay on the page with its
      // answer, off the charts' live bands.
      broker.signals(null).publishGridEvent(PublishGridEventRequest.newBuilder().setEvent(
          SignalPoints.peakShaving("ev-dash-done", "DE-LU", hour.minus(hours(5)), hour.minus(hours(3)), 200)).build());
      broker.jobs().submitJob(aJob().name("resnet").team("vision").gpus(8).deadlineIn(hours(30)).request());
      broker.jobs().submitJob(aJob().name("whisper").team("speech").gpus(16).deadlineIn(hours(20)).request());
      broker.broker().loop().cycle();
      List<Job> jobs = new ArrayList<>(broker.broker().registry().all());
      assertEquals(2, jobs.size());

      String api = HttpGet.get(broker.httpPort(), "/api/overview").body();
      assertTrue(api.contains("\"de-frankfurt\"") && api.contains("ev-dash-1"), api);
      assertEquals(200, HttpGet.get(broker.httpPort(), "/vendor/chart.umd.min.js").statusCode());

      String url = "http://127.0.0.1:" + broker.httpPort() + "/";
      String dom = run(chromium, "--dump-dom", url);
      Path png = Path.of("target", "dashboard.png").toAbsolutePath();
      run(chromium, "--screenshot=" + png, "--window-size=1400,1800", url);

      assertTrue(dom.contains("data-loaded=\"true\""), "the script did not load the overview:\n" + dom);
      for (Job j : jobs) {
        assertTrue(dom.contains(j.id()), "job " + j.id() + " missing from the queue:\n" + dom);
        assertTrue(dom.contains(escape(j.reason())), "reason of " + j.id() + " missing: " + j.reason());
      }
      for (var dc : broker.broker().config().dataCenters()) {
        assertTrue(dom.contains(dc.name()), dc.name());
        assertTrue(dom.contains("<canvas id=\"chart-" + dc.name() + "\""), "no chart for " + dc.name());
      }
      assertTrue(dom.contains("ev-dash-1") && dom.contains("peak_shaving"), "grid event missing");
      assertTrue(dom.contains("ev-dash-done") && dom.contains("the event is over"), "a finished event left the page:\n" + dom);
      assertTrue(dom.contains("data-grid-events=\"ev-dash-done ev-dash-1\""),
          "the Frankfurt chart does not mark the events' windows:\n" + dom);
      // One currency across sites, the original beside it: Chinese sites are priced in CNY.
      assertTrue(dom.matches("(?s).*\\d USD \\(\\d+\\.\\d\\d CNY\\).*"), "no USD price with its CNY original:\n" + dom);
      for (var dc : broker.broker().config().dataCenters()) {
        var planner = broker.broker().loop().snapshots().lastSignals(dc);
        assertTrue(api.contains("\"name\":\"" + dc.name() + "\"") && api.contains(
            "\"degraded\":" + planner.degraded() + ",\"degradedReason\":\"" + planner.reason() + "\""),
            dc.name() + ": the page must show the planner's view of its signals: " + planner);
      }
      assertTrue(Files.size(png) > 10_000, "screenshot too small to hold the page");
    }
  }

  /** Past 24 h of actuals and the next 24 h forecast, so the chart has a solid and a dashed part. */
  private static PublishSignalsRequest carbonDay(String zone, Instant hour) {
    PublishSignalsRequest.Builder b = PublishSignalsRequest.newBuilder();
    for (int h = -24; h < 24; h++) {
      Instant t = hour.plus(Duration.ofHours(h));
      SignalPoint p = SignalPoints.carbon(zone, t, 300 + 150 * Math.sin(h / 4.0)).toBuilder()
          .setCarbonBasis(CarbonBasis.AVERAGE_DIRECT).build();
      b.addPoints(h < 0 ? p : SignalPoints.forecast(p, hour));
    }
    return b.build();
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  private String run(Path chromium, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run", "--user-data-dir=" + dir.resolve("chromium-profile"),
        // Lets the page's fetch and rendering finish before the DOM is dumped, without a wall-clock wait.
        "--virtual-time-budget=10000"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectError(dir.resolve("chromium.log").toFile()).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "chromium did not exit");
    assertEquals(0, p.exitValue(), "chromium failed: " + Files.readString(dir.resolve("chromium.log")));
    return out;
  }
}
