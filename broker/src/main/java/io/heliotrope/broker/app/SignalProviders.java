package io.heliotrope.broker.app;

import io.heliotrope.broker.config.BrokerConfig;
import io.heliotrope.broker.config.SignalsConfig;
import io.heliotrope.broker.config.SignalsConfig.ProviderConfig;
import io.heliotrope.broker.signal.SignalPoint;
import io.heliotrope.broker.signal.providers.ApiKey;
import io.heliotrope.broker.signal.providers.BuiltInProfiles;
import io.heliotrope.broker.signal.providers.CsvReplayProvider;
import io.heliotrope.broker.signal.providers.ElectricityMapsProvider;
import io.heliotrope.broker.signal.providers.EntsoeProvider;
import io.heliotrope.broker.signal.providers.HttpPort;
import io.heliotrope.broker.signal.providers.IntervalCsvLoader;
import io.heliotrope.broker.signal.providers.JdkHttpPort;
import io.heliotrope.broker.signal.providers.ProviderChain;
import io.heliotrope.broker.signal.providers.SignalProvider;
import io.heliotrope.broker.signal.providers.WattTimeProvider;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds each zone's provider chain from the {@code signals:} config. With the built-in data
 * centres and no providers configured, every built-in zone gets the offline {@link BuiltInProfiles}
 * so {@code serve} has signals without a network or a data folder.
 */
final class SignalProviders {
  /** One zone's chain, and whether all its providers are local (safe to run during start). */
  record ZoneChain(String zone, ProviderChain chain, boolean local) {}

  private SignalProviders() {}

  static List<ZoneChain> build(BrokerConfig config, Clock clock) throws IOException {
    SignalsConfig s = config.signals();
    Map<String, List<ProviderConfig>> byZone = new LinkedHashMap<>(s.providers());
    if (byZone.isEmpty() && config.builtInDataCenters()) {
      ProviderConfig builtin = new ProviderConfig(SignalsConfig.ProviderType.BUILTIN, 0, Duration.ofHours(1),
          Duration.ofSeconds(1), java.util.Optional.empty(), "", "", "", java.util.Optional.empty(),
          java.util.Optional.empty(), java.util.Optional.empty());
      config.knownZones().stream().filter(BuiltInProfiles.zones()::contains)
          .forEach(z -> byZone.put(z, List.of(builtin)));
    }
    HttpPort http = null;
    List<ZoneChain> out = new ArrayList<>();
    for (Map.Entry<String, List<ProviderConfig>> e : byZone.entrySet()) {
      List<ProviderChain.Binding> bindings = new ArrayList<>();
      boolean local = true;
      for (ProviderConfig p : e.getValue()) {
        if (!p.isLocal() && http == null) {
          http = new JdkHttpPort(Duration.ofSeconds(10));
        }
        bindings.add(new ProviderChain.Binding(provider(e.getKey(), p, http, clock), p.priority(), p.minInterval()));
        local &= p.isLocal();
      }
      out.add(new ZoneChain(e.getKey(), new ProviderChain(bindings, clock), local));
    }
    return out;
  }

  private static SignalProvider provider(String zone, ProviderConfig p, HttpPort http, Clock clock) throws IOException {
    Map<String, String> ids = Map.of(zone, p.remoteId().isEmpty() ? zone : p.remoteId());
    switch (p.type()) {
      case CSV: {
        Path file = p.file().orElseThrow();
        List<SignalPoint> points = p.csvKind().orElseThrow() == SignalsConfig.CsvKind.CARBON
            ? IntervalCsvLoader.carbon(file, zone, p.forecastIssued().orElse(null))
            : IntervalCsvLoader.prices(file, zone, p.forecastIssued().orElse(null));
        return new CsvReplayProvider("csv:" + file.getFileName(), points);
      }
      case ELECTRICITYMAPS:
        return new ElectricityMapsProvider(http, p.baseUri().orElse(ElectricityMapsProvider.DEFAULT_BASE),
            ApiKey.of(p.secret()), ids, p.timeout());
      case WATTTIME:
        return new WattTimeProvider(http, p.baseUri().orElse(WattTimeProvider.DEFAULT_BASE), p.user(),
            ApiKey.of(p.secret()), ids, p.timeout(), clock);
      case ENTSOE:
        return new EntsoeProvider(http, p.baseUri().orElse(EntsoeProvider.DEFAULT_BASE), ApiKey.of(p.secret()), ids,
            p.timeout(), clock);
      default:
        return new BuiltInProfiles();
    }
  }
}
