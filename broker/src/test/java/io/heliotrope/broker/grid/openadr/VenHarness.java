package io.heliotrope.broker.grid.openadr;

import io.heliotrope.broker.config.BuiltInDataCenters;
import io.heliotrope.broker.config.OpenAdrConfig;
import io.heliotrope.broker.domain.DataCenter;
import io.heliotrope.broker.domain.Power;
import io.heliotrope.broker.metrics.Metrics;
import io.heliotrope.broker.signal.GridEvent;
import io.heliotrope.broker.signal.GridEventBook;
import io.heliotrope.broker.signal.GridEventCommitter;
import io.heliotrope.broker.signal.GridEventValidator;
import io.heliotrope.broker.signal.MutableClock;
import io.heliotrope.broker.signal.SignalBook;
import io.heliotrope.broker.signal.SignalView;
import io.heliotrope.broker.signal.store.SqliteSignalStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * A VEN over real books (the SQLite signal store in a temp dir) and our VTN: two VENs, one of one
 * data centre (gd) and one of two (nw, sharing VEN-wide figures by GPU capacity).
 */
final class VenHarness implements AutoCloseable {
  static final String GD = "gd-shenzhen-ven";
  static final String NW = "northwest-ven";

  final MutableClock clock;
  final TestVtn vtn;
  final SqliteSignalStore store;
  final SignalBook book;
  final List<Duration> pauses = new CopyOnWriteArrayList<>();
  final Map<String, Integer> unmapped = new ConcurrentHashMap<>();
  final Metrics metrics = new Metrics() {
    @Override
    public void openAdrUnmapped(String payloadType) {
      unmapped.merge(payloadType, 1, Integer::sum);
    }
  };
  final OpenAdrConfig config;
  OpenAdrVen ven;

  VenHarness(Path dir, MutableClock clock, boolean webhook) throws Exception {
    this.clock = clock;
    this.vtn = new TestVtn(clock, Duration.ofHours(1));
    this.store = SqliteSignalStore.open(dir.resolve("signals.db"));
    List<DataCenter> dcs = BuiltInDataCenters.all();
    Set<String> zones = dcs.stream().map(DataCenter::zone).collect(Collectors.toSet());
    Set<String> names = dcs.stream().map(DataCenter::name).collect(Collectors.toSet());
    GridEventBook events = new GridEventBook(clock, new GridEventValidator(clock, zones, names),
        e -> new GridEventCommitter.Commitment(Power.kilowatts(1), "test"), store);
    this.book = new SignalBook(new SignalView(clock, zones, names, Duration.ofMinutes(5), Duration.ofHours(6)), store,
        events);
    this.config = new OpenAdrConfig(vtn.url(), TestVtn.CLIENT, TestVtn.SECRET, Duration.ofSeconds(5),
        Duration.ofSeconds(5), List.of(new OpenAdrConfig.Ven(GD, List.of("cn-gd-shenzhen")),
            new OpenAdrConfig.Ven(NW, List.of("cn-gs-qingyang", "cn-qh-xining"))),
        webhook ? Optional.of(new OpenAdrConfig.Webhook(0, Optional.empty())) : Optional.empty());
    this.ven = newVen();
  }

  OpenAdrVen newVen() throws Exception {
    return OpenAdrVen.create(config, "127.0.0.1", BuiltInDataCenters.all(), book, clock, metrics, pauses::add);
  }

  /** Grid events that came from OpenADR, by ID. */
  Map<String, GridEvent> gridEvents() {
    return book.events().list("", Set.of()).stream().filter(e -> e.origin().startsWith("openadr:"))
        .collect(Collectors.toMap(GridEvent::id, e -> e, (a, b) -> a, java.util.TreeMap::new));
  }

  String webhookUrl() {
    return "http://127.0.0.1:" + ven.webhookPort().orElseThrow() + "/openadr/notifications";
  }

  @Override
  public void close() {
    ven.close();
    vtn.close();
    store.close();
  }
}
