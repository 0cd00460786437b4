package io.heliotrope.broker.signal.providers;

import com.fasterxml.jackson.databind.JsonNode;
import io.heliotrope.broker.signal.CarbonBasis;
import io.heliotrope.broker.signal.SignalKind;
import io.heliotrope.broker.signal.SignalPoint;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * WattTime API v3: {@code /login} with HTTP basic auth returns a bearer token (valid 30 minutes,
 * reused until shortly before that and renewed once on a 401); {@code /v3/historical} gives marginal
 * emission (MOER) actuals, {@code /v3/forecast} the current forecast ({@code meta.generated_at} is
 * its issue time), {@code /v3/signal-index} the current percentile. MOER arrives in lbs CO2/MWh.
 */
public final class WattTimeProvider implements SignalProvider {
  public static final URI DEFAULT_BASE = URI.create("https://api.watttime.org/");
  static final double GRAMS_PER_KWH_PER_LB_PER_MWH = 0.45359237;
  private static final Duration TOKEN_LIFE = Duration.ofMinutes(25);

  private final HttpPort http;
  private final URI base;
  private final String user;
  private final ApiKey password;
  private final Map<String, String> regions;
  private final Duration timeout;
  private final Clock clock;
  private String token;
  private Instant tokenExpires = Instant.MIN;

  /** @param regions our zone id to WattTime region ("US-CAL-CISO" -> "CAISO_NORTH") */
  public WattTimeProvider(HttpPort http, URI base, String user, ApiKey password, Map<String, String> regions,
      Duration timeout, Clock clock) {
    this.http = http;
    this.base = base;
    this.user = user;
    this.password = password;
    this.regions = Map.copyOf(regions);
    this.timeout = timeout;
    this.clock = clock;
  }

  @Override
  public String name() {
    return "watttime";
  }

  @Override
  public boolean serves(String zone) {
    return regions.containsKey(zone);
  }

  /** The current MOER percentile (0 = cleanest of the recent past, 100 = dirtiest). */
  public record MoerIndex(Instant pointTime, double percentile) {}

  public MoerIndex signalIndex(String zone) throws ProviderException {
    JsonNode r = call("v3/signal-index?region=" + Http.enc(region(zone)) + "&signal_type=co2_moer");
    JsonNode p = r.path("data").path(0);
    if (p.isMissingNode()) {
      throw new ProviderException(name() + ": empty signal-index answer");
    }
    return new MoerIndex(Instant.parse(p.path("point_time").asText()), p.path("value").asDouble());
  }

  @Override
  public synchronized List<SignalPoint> fetch(String zone, Instant since) throws ProviderException {
    String region = region(zone);
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    List<SignalPoint> out = new ArrayList<>();
    JsonNode hist = call("v3/historical?region=" + Http.enc(region) + "&signal_type=co2_moer&start="
        + Http.enc(since.toString()) + "&end=" + Http.enc(now.toString()));
    addPoints(zone, hist, null, out);
    JsonNode fc = call("v3/forecast?region=" + Http.enc(region) + "&signal_type=co2_moer");
    addPoints(zone, fc, Instant.parse(fc.path("meta").path("generated_at").asText()), out);
    return out;
  }

  private void addPoints(String zone, JsonNode r, Instant issued, List<SignalPoint> out) throws ProviderException {
    JsonNode meta = r.path("meta");
    double factor = factor(meta.path("units").asText());
    Duration period = Duration.ofSeconds(meta.path("data_point_period_seconds").asLong(300));
    for (JsonNode p : r.path("data")) {
      Instant start = Instant.parse(p.path("point_time").asText());
      double v = p.path("value").asDouble() * factor;
      out.add(issued == null
          ? SignalPoint.actual(zone, SignalKind.CARBON_INTENSITY, start, start.plus(period), v, "gCO2/kWh",
              CarbonBasis.MARGINAL, name())
          : SignalPoint.forecast(zone, SignalKind.CARBON_INTENSITY, start, start.plus(period), v, "gCO2/kWh",
              CarbonBasis.MARGINAL, issued, name()));
    }
  }

  private double factor(String units) throws ProviderException {
    return switch (units) {
      case "lbs_co2_per_mwh" -> GRAMS_PER_KWH_PER_LB_PER_MWH;
      case "kg_co2_per_mwh", "g_co2_per_kwh" -> 1.0;
      default -> throw new ProviderException(name() + ": unknown MOER units \"" + units + "\"");
    };
  }

  private String region(String zone) throws ProviderException {
    String r = regions.get(zone);
    if (r == null) {
      throw new ProviderException(name() + ": no WattTime region configured for " + zone);
    }
    return r;
  }

  private JsonNode call(String path) throws ProviderException {
    for (int attempt = 0; ; attempt++) {
      HttpPort.Request req = new HttpPort.Request(base.resolve(path),
          Map.of("Authorization", "Bearer " + token()), timeout);
      HttpPort.Response r = Http.get(http, req, name());
      if (r.status() == 401 && attempt == 0) {
        tokenExpires = Instant.MIN; // revoked or expired early: log in again, once
        continue;
      }
      return Http.json(r, req, name());
    }
  }

  private synchronized String token() throws ProviderException {
    if (token != null && clock.instant().isBefore(tokenExpires)) {
      return token;
    }
    String basic = Base64.getEncoder().encodeToString((user + ":" + password.reveal()).getBytes(StandardCharsets.UTF_8));
    HttpPort.Request req = new HttpPort.Request(base.resolve("login"), Map.of("Authorization", "Basic " + basic), timeout);
    String t = Http.json(Http.get(http, req, name()), req, name()).path("token").asText("");
    if (t.isEmpty()) {
      throw new ProviderException(name() + ": login answered without a token");
    }
    token = t;
    tokenExpires = clock.instant().plus(TOKEN_LIFE);
    return token;
  }

  @Override
  public String toString() {
    return "WattTimeProvider[" + base + ", user=" + user + ", password=" + password + ", regions=" + regions + "]";
  }
}
