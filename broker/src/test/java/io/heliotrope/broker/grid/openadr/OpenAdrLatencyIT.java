package io.heliotrope.broker.grid.openadr;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.heliotrope.broker.app.Broker;
import io.heliotrope.broker.config.BrokerConfig;
import io.heliotrope.broker.config.BuiltInDataCenters;
import io.heliotrope.broker.config.OpenAdrConfig;
import io.heliotrope.broker.testing.TestBroker;
import io.heliotrope.proto.v1.GridEvent;
import io.heliotrope.proto.v1.WatchGridEventsRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The figure of docs/grid.md, measured with the real clock, reported, not asserted as timing: from
 * the VTN creating an event to a WatchGridEvents client of a real broker seeing its grid event,
 * by polling every 5 s and by webhook. Writes target/openadr-latency.md.
 */
class OpenAdrLatencyIT {
  private static final int POLL_SAMPLES = 6;
  private static final int WEBHOOK_SAMPLES = 10;
  @TempDir Path dir;

  @Test
  void eventToGridEventByPollingAndByWebhook() throws Exception {
    List<Double> polled = measure(false, POLL_SAMPLES, dir.resolve("poll"));
    List<Double> pushed = measure(true, WEBHOOK_SAMPLES, dir.resolve("webhook"));
    String table = "| path | samples | median ms | max ms |\n|---|---|---|---|\n"
        + row("polling every 5 s", polled) + row("webhook", pushed);
    System.out.println(table);
    Files.createDirectories(Path.of("target"));
    Files.writeString(Path.of("target", "openadr-latency.md"), table);
    assertEquals(POLL_SAMPLES + WEBHOOK_SAMPLES, polled.size() + pushed.size());
  }

  private static String row(String name, List<Double> ms) {
    List<Double> s = ms.stream().sorted().toList();
    double median = s.size() % 2 == 1 ? s.get(s.size() / 2) : (s.get(s.size() / 2 - 1) + s.get(s.size() / 2)) / 2;
    return String.format("| %s | %d | %.0f | %.0f |%n", name, s.size(), median, s.get(s.size() - 1));
  }

  private List<Double> measure(boolean webhook, int samples, Path data) throws Exception {
    Clock clock = Clock.systemUTC();
    List<Double> out = new ArrayList<>();
    try (TestVtn vtn = new TestVtn(clock, Duration.ofHours(1))) {
      OpenAdrConfig oadr = new OpenAdrConfig(vtn.url(), TestVtn.CLIENT, TestVtn.SECRET, Duration.ofSeconds(5),
          Duration.ofSeconds(5), List.of(new OpenAdrConfig.Ven("gd-shenzhen-ven", List.of("cn-gd-shenzhen"))),
          webhook ? Optional.of(new OpenAdrConfig.Webhook(0, Optional.empty())) : Optional.empty());
      BrokerConfig cfg = new BrokerConfig("127.0.0.1", 0, 0, data, Optional.empty(), List.of(),
          BuiltInDataCenters.all(), true).withOpenAdr(oadr);
      try (TestBroker broker = TestBroker.start(cfg, clock, Broker.LoopMode.BACKGROUND)) {
        BlockingQueue<String> seen = new LinkedBlockingQueue<>();
        Iterator<GridEvent> watch = broker.signals(null).watchGridEvents(WatchGridEventsRequest.newBuilder().build());
        Thread reader = new Thread(() -> {
          try {
            watch.forEachRemaining(e -> seen.add(e.getId()));
          } catch (RuntimeException closed) {
            // the broker closed the stream at the end
          }
        }, "latency-watch");
        reader.setDaemon(true);
        reader.start();
        String program = vtn.createProgram(Fixtures.program("latency", "KW")).get("id").asText();
        Instant start = Instant.now().truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(2));
        for (int i = 0; i < samples; i++) {
          long t0 = System.nanoTime();
          String id = vtn.createEvent(Fixtures.event(program, List.of("gd-shenzhen-ven"),
              start.plus(Duration.ofHours(i)), Duration.ofHours(1), "DISPATCH_SETPOINT_RELATIVE", -50),
              new ArrayList<>()).get("id").asText();
          String want = "oadr-" + id + "-0-relative-cn-gd-shenzhen";
          while (true) {
            String got = seen.poll(30, TimeUnit.SECONDS);
            if (got == null) {
              throw new AssertionError("grid event " + want + " not seen within 30 s");
            }
            if (got.equals(want)) {
              break;
            }
          }
          out.add((System.nanoTime() - t0) / 1e6);
        }
      }
    }
    return out;
  }
}
