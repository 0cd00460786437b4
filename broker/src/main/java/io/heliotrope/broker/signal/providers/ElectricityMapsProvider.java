package io.heliotrope.broker.signal.providers;

import com.fasterxml.jackson.databind.JsonNode;
import io.heliotrope.broker.signal.CarbonBasis;
import io.heliotrope.broker.signal.SignalKind;
import io.heliotrope.broker.signal.SignalPoint;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Electricity Maps API v3: {@code carbon-intensity/history} (the past 24 hours), {@code /latest}
 * and {@code /forecast}, authenticated by the {@code auth-token} header. Values are hourly average
 * intensities; {@code emissionFactorType} says direct or life-cycle (the API's default). A forecast
 * is issued at its {@code updatedAt}.
 *
 * @param zones our zone id to Electricity Maps' ("DE-LU" -> "DE")
 */
public final class ElectricityMapsProvider implements SignalProvider {
  public static final URI DEFAULT_BASE = URI.create("https://api.electricitymap.org/v3/");
  private static final Duration HOUR = Duration.ofHours(1);

  private final HttpPort http;
  private final URI base;
  private final ApiKey token;
  private final Map<String, String> zones;
  private final Duration timeout;

  public ElectricityMapsProvider(HttpPort http, URI base, ApiKey token, Map<String, String> zones, Duration timeout) {
    this.http = http;
    this.base = base;
    this.token = token;
    this.zones = Map.copyOf(zones);
    this.timeout = timeout;
  }

  @Override
  public String name() {
    return "electricitymaps";
  }

  @Override
  public boolean serves(String zone) {
    return zones.containsKey(zone);
  }

  @Override
  public List<SignalPoint> fetch(String zone, Instant since) throws ProviderException {
    String em = zones.get(zone);
    if (em == null) {
      throw new ProviderException(name() + ": no Electricity Maps zone configured for " + zone);
    }
    List<SignalPoint> out = new ArrayList<>();
    JsonNode history = call("carbon-intensity/history?zone=" + Http.enc(em));
    for (JsonNode h : history.path("history")) {
      addActual(zone, h, since, out);
    }
    JsonNode latest = call("carbon-intensity/latest?zone=" + Http.enc(em));
    Instant latestStart = instant(latest, "datetime");
    if (out.stream().noneMatch(p -> p.start().equals(latestStart))) {
      addActual(zone, latest, since, out);
    }
    JsonNode forecast = call("carbon-intensity/forecast?zone=" + Http.enc(em));
    Instant issued = instant(forecast, "updatedAt");
    for (JsonNode f : forecast.path("forecast")) {
      Instant start = instant(f, "datetime");
      if (start.plus(HOUR).isAfter(since) && f.hasNonNull("carbonIntensity")) {
        out.add(SignalPoint.forecast(zone, SignalKind.CARBON_INTENSITY, start, start.plus(HOUR),
            f.path("carbonIntensity").asDouble(), "gCO2/kWh", basis(f.path("emissionFactorType").asText(
                forecast.path("emissionFactorType").asText(""))), issued, name()));
      }
    }
    return out;
  }

  private void addActual(String zone, JsonNode h, Instant since, List<SignalPoint> out) throws ProviderException {
    Instant start = instant(h, "datetime");
    // A null intensity is a gap in their data, not zero.
    if (start.plus(HOUR).isAfter(since) && h.hasNonNull("carbonIntensity")) {
      out.add(SignalPoint.actual(zone, SignalKind.CARBON_INTENSITY, start, start.plus(HOUR),
          h.path("carbonIntensity").asDouble(), "gCO2/kWh", basis(h.path("emissionFactorType").asText("")), name()));
    }
  }

  /** The API's default is life-cycle; only an explicit "direct" means direct. */
  static CarbonBasis basis(String emissionFactorType) {
    return "direct".equalsIgnoreCase(emissionFactorType) ? CarbonBasis.AVERAGE_DIRECT : CarbonBasis.AVERAGE_LIFECYCLE;
  }

  private JsonNode call(String path) throws ProviderException {
    HttpPort.Request req = new HttpPort.Request(base.resolve(path), Map.of("auth-token", token.reveal()), timeout);
    return Http.json(Http.get(http, req, name()), req, name());
  }

  private Instant instant(JsonNode n, String field) throws ProviderException {
    try {
      return Instant.parse(n.path(field).asText());
    } catch (RuntimeException e) {
      throw new ProviderException(name() + ": bad " + field + " \"" + n.path(field).asText() + "\"", e);
    }
  }

  @Override
  public String toString() {
    return "ElectricityMapsProvider[" + base + ", token=" + token + ", zones=" + zones + "]";
  }
}
