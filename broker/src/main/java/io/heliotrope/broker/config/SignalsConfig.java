package io.heliotrope.broker.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code signals:} section, resolved: zones known beyond the data centres' own, how old a
 * zone's newest signal may be before it is degraded, how often providers are polled, and per zone
 * the providers to pull from, tried by priority.
 */
public record SignalsConfig(List<String> extraZones, Duration staleness, Duration refreshInterval,
    Map<String, List<ProviderConfig>> providers) {
  public static final Duration DEFAULT_STALENESS = Duration.ofHours(6);
  public static final Duration DEFAULT_REFRESH = Duration.ofMinutes(15);

  public SignalsConfig {
    extraZones = List.copyOf(extraZones);
    providers = Map.copyOf(providers);
  }

  public static SignalsConfig defaults() {
    return new SignalsConfig(List.of(), DEFAULT_STALENESS, DEFAULT_REFRESH, Map.of());
  }

  /** Provider types the broker can build. */
  public enum ProviderType { CSV, ELECTRICITYMAPS, WATTTIME, ENTSOE, BUILTIN }

  /** What a csv provider's file holds: the formats of ../shared/data/carbon and prices. */
  public enum CsvKind { CARBON, PRICE }

  /**
   * One provider of one zone. {@code secret} is the API token (Electricity Maps, ENTSO-E) or the
   * password (WattTime), already read from the config or the environment; it never prints.
   *
   * @param remoteId the provider's name for the zone ("DE" at Electricity Maps, "CAISO_NORTH" at
   *     WattTime, an EIC code at ENTSO-E); empty means the zone's own name
   */
  public record ProviderConfig(ProviderType type, int priority, Duration minInterval, Duration timeout,
      Optional<URI> baseUri, String remoteId, String user, String secret, Optional<Path> file,
      Optional<CsvKind> csvKind, Optional<Instant> forecastIssued) {
    @Override
    public String toString() {
      return "ProviderConfig[type=" + type + ", priority=" + priority + ", minInterval=" + minInterval + ", timeout="
          + timeout + ", baseUri=" + baseUri + ", remoteId=" + remoteId + ", user=" + user + ", secret="
          + (secret.isEmpty() ? "<none>" : "<redacted>") + ", file=" + file + ", csvKind=" + csvKind + "]";
    }

    /** Reads local data only (no network), so it can run while the broker starts. */
    public boolean isLocal() {
      return type == ProviderType.CSV || type == ProviderType.BUILTIN;
    }
  }
}
