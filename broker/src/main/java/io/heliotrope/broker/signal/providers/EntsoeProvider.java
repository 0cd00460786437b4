package io.heliotrope.broker.signal.providers;

import io.heliotrope.broker.signal.CarbonBasis;
import io.heliotrope.broker.signal.SignalKind;
import io.heliotrope.broker.signal.SignalPoint;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/**
 * ENTSO-E Transparency Platform day-ahead prices (document type A44) for a bidding zone's EIC code.
 * The market clears once a day for the next, so its prices are known ahead: they enter the view as
 * a forecast issued at the document's {@code createdDateTime}, which is exactly when the simulator
 * may first see them.
 */
public final class EntsoeProvider implements SignalProvider {
  public static final URI DEFAULT_BASE = URI.create("https://web-api.tp.entsoe.eu/api");
  private static final DateTimeFormatter PERIOD = DateTimeFormatter.ofPattern("yyyyMMddHHmm").withZone(ZoneOffset.UTC);

  private final HttpPort http;
  private final URI base;
  private final ApiKey securityToken;
  private final Map<String, String> domains;
  private final Duration timeout;
  private final Clock clock;

  /** @param domains our zone id to EIC area code ("DE-LU" -> "10Y1001A1001A82H") */
  public EntsoeProvider(HttpPort http, URI base, ApiKey securityToken, Map<String, String> domains, Duration timeout,
      Clock clock) {
    this.http = http;
    this.base = base;
    this.securityToken = securityToken;
    this.domains = Map.copyOf(domains);
    this.timeout = timeout;
    this.clock = clock;
  }

  @Override
  public String name() {
    return "entsoe";
  }

  @Override
  public boolean serves(String zone) {
    return domains.containsKey(zone);
  }

  /** Prices from {@code since} to the end of tomorrow (UTC), which covers a published day-ahead auction. */
  @Override
  public List<SignalPoint> fetch(String zone, Instant since) throws ProviderException {
    String eic = domains.get(zone);
    if (eic == null) {
      throw new ProviderException(name() + ": no EIC area configured for " + zone);
    }
    Instant from = since.truncatedTo(ChronoUnit.HOURS);
    Instant to = clock.instant().truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(2));
    URI uri = URI.create(base + "?securityToken=" + Http.enc(securityToken.reveal()) + "&documentType=A44"
        + "&in_Domain=" + Http.enc(eic) + "&out_Domain=" + Http.enc(eic)
        + "&periodStart=" + PERIOD.format(from) + "&periodEnd=" + PERIOD.format(to));
    HttpPort.Request req = new HttpPort.Request(uri, Map.of(), timeout);
    HttpPort.Response r = Http.get(http, req, name());
    List<EntsoeA44.Price> prices;
    try {
      prices = EntsoeA44.parse(r.body());
    } catch (EntsoeA44.Unusable e) {
      throw new ProviderException(name() + ": HTTP " + r.status() + ", " + e.getMessage() + " from " + req);
    }
    if (!r.ok()) {
      throw new ProviderException(name() + ": HTTP " + r.status() + " from " + req);
    }
    return prices.stream()
        .filter(p -> p.end().isAfter(since))
        .map(p -> SignalPoint.forecast(zone, SignalKind.PRICE, p.start(), p.end(), p.amount(), p.currency() + "/MWh",
            CarbonBasis.UNSPECIFIED, p.created(), name()))
        .toList();
  }

  @Override
  public String toString() {
    return "EntsoeProvider[" + base + ", securityToken=" + securityToken + ", domains=" + domains + "]";
  }
}
