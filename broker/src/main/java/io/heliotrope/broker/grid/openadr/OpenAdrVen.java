package io.heliotrope.broker.grid.openadr;

import com.fasterxml.jackson.databind.JsonNode;
import io.heliotrope.broker.config.OpenAdrConfig;
import io.heliotrope.broker.domain.DataCenter;
import io.heliotrope.broker.metrics.Metrics;
import io.heliotrope.broker.signal.SignalBook;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker as OpenADR 3.1 VEN(s) of one VTN: registers its VENs and resources, subscribes its
 * webhook (when configured), and every poll interval reads programs and events (all pages),
 * applies them as signals and grid events ({@link EventIngest}), cancels the grid events of events
 * the VTN no longer lists, and reports delivery of events that are over ({@link DeliveryReports}).
 * A failed step is logged and tried again at the next poll; nothing here stops the broker.
 */
public final class OpenAdrVen implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OpenAdrVen.class);
  /** Matches the delivery reporter's settling time: delivery is measured once more after the end. */
  public static final Duration REPORT_SETTLE = Duration.ofMinutes(2);

  private final OpenAdrConfig config;
  private final VtnClient vtn;
  private final Sites sites;
  private final EventIngest ingest;
  private final DeliveryReports reports;
  private final Registration registration;
  private final Metrics metrics;
  private final Optional<WebhookServer> webhook;
  private final URI callbackUrl;
  private final Map<String, JsonNode> programs = new ConcurrentHashMap<>();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "openadr-ven");
    t.setDaemon(true);
    return t;
  });
  private volatile boolean registered;
  private volatile boolean failing;

  private OpenAdrVen(OpenAdrConfig config, String host, List<DataCenter> dataCenters, SignalBook book, Clock clock,
      Metrics metrics, VtnClient.Pause pause) throws IOException {
    this.config = config;
    this.metrics = metrics;
    this.vtn = new VtnClient(config.vtnUrl(), config.clientId(), config.clientSecret(), config.requestTimeout(), clock,
        pause);
    this.sites = new Sites(config.vens(), dataCenters);
    this.ingest = new EventIngest(book, new EventMapping(sites), clock, u -> {
      log.warn("OpenADR payload {} not mapped: {}", u.payloadType(), u.reason());
      metrics.openAdrUnmapped(u.payloadType());
    });
    this.reports = new DeliveryReports(vtn, book.events(), sites, clock, REPORT_SETTLE);
    this.registration = new Registration(vtn, sites);
    if (config.webhook().isPresent()) {
      OpenAdrConfig.Webhook w = config.webhook().get();
      WebhookServer server = new WebhookServer(host, w.port(), vtn.json(), this::onNotification);
      this.webhook = Optional.of(server);
      this.callbackUrl = w.callbackUrl()
          .orElse(URI.create("http://" + host + ":" + server.port() + WebhookServer.PATH));
    } else {
      this.webhook = Optional.empty();
      this.callbackUrl = null;
    }
  }

  /** Built and its webhook listening; polling starts with {@link #start()}, or tests call {@link #poll()}. */
  public static OpenAdrVen create(OpenAdrConfig config, String host, List<DataCenter> dataCenters, SignalBook book,
      Clock clock, Metrics metrics, VtnClient.Pause pause) throws IOException {
    return new OpenAdrVen(config, host, dataCenters, book, clock, metrics, pause);
  }

  /** Polls now and then every poll interval, on its own thread. */
  public OpenAdrVen start() {
    long every = config.pollInterval().toMillis();
    timer.scheduleWithFixedDelay(this::pollSafely, 0, every, TimeUnit.MILLISECONDS);
    return this;
  }

  /**
   * One round: registration and subscription until they succeed, then programs, events, cancels
   * of events gone from the VTN, and due reports. Throws {@link VtnException} if the VTN failed.
   */
  public synchronized PollResult poll() {
    if (!registered) {
      Map<String, String> ids = registration.registerVens();
      webhook.ifPresent(w -> registration.subscribe(config.clientId(), callbackUrl, w.token()));
      registered = true;
      log.info("OpenADR VEN(s) {} registered at {}{}", ids.keySet(), config.vtnUrl(),
          webhook.isPresent() ? ", notifications to " + callbackUrl : " (polling only)");
    }
    Map<String, List<String>> targets = Map.of("targets", sites.targetNames());
    for (JsonNode p : vtn.list("/programs", targets)) {
      programs.put(p.path("id").asText(), p);
    }
    Set<String> listed = new HashSet<>();
    int published = 0;
    int updated = 0;
    int cancelled = 0;
    for (JsonNode e : vtn.list("/events", targets)) {
      listed.add(e.path("id").asText());
      EventIngest.Changes c = ingest.apply(e, program(e.path("programID").asText()));
      published += c.published();
      updated += c.updated();
      cancelled += c.cancelled();
    }
    cancelled += ingest.keepOnly(listed);
    int sent = reports.sendDue();
    metrics.openAdrExchange("poll", true);
    PollResult r = new PollResult(listed.size(), published, updated, cancelled, sent);
    if (published + updated + cancelled + sent > 0) {
      log.info("OpenADR poll: {}", r);
    }
    return r;
  }

  /** What one poll did: events listed, grid events published/updated/cancelled, reports sent. */
  public record PollResult(int events, int published, int updated, int cancelled, int reports) {}

  /** The port the webhook listens on, if one is configured. */
  public Optional<Integer> webhookPort() {
    return webhook.map(WebhookServer::port);
  }

  public VtnClient client() {
    return vtn;
  }

  void onNotification(JsonNode n) {
    String type = n.path("objectType").asText();
    String op = n.path("operation").asText();
    JsonNode object = n.path("object");
    try {
      if (type.equals("PROGRAM")) {
        if (op.equals("DELETE")) {
          programs.remove(object.path("id").asText());
        } else {
          programs.put(object.path("id").asText(), object);
        }
      } else if (type.equals("EVENT")) {
        if (op.equals("DELETE")) {
          ingest.deleted(object.path("id").asText());
        } else {
          EventIngest.Changes c = ingest.apply(object, program(object.path("programID").asText()));
          if (c != EventIngest.Changes.NONE) {
            log.info("OpenADR notification {} event {}: {}", op, object.path("id").asText(), c);
          }
        }
      }
      metrics.openAdrExchange("notification", true);
    } catch (RuntimeException e) {
      metrics.openAdrExchange("notification", false);
      throw e;
    }
  }

  private JsonNode program(String id) {
    if (id.isEmpty()) {
      return null;
    }
    return programs.computeIfAbsent(id, k -> vtn.get("/programs/" + k));
  }

  private void pollSafely() {
    try {
      poll();
      if (failing) {
        log.info("OpenADR VTN {} answers again", config.vtnUrl());
        failing = false;
      }
    } catch (RuntimeException e) {
      if (timer.isShutdown()) {
        return; // interrupted by close(): not a VTN failure
      }
      metrics.openAdrExchange("poll", false);
      if (!failing) {
        log.warn("OpenADR poll of {} failed (retrying every {}): {}", config.vtnUrl(), config.pollInterval(),
            e.getMessage());
      }
      failing = true;
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
    webhook.ifPresent(WebhookServer::close);
  }
}
