package io.heliotrope.broker.config;

import io.heliotrope.broker.api.Durations;
import io.heliotrope.broker.config.SignalsConfig.CsvKind;
import io.heliotrope.broker.config.SignalsConfig.ProviderConfig;
import io.heliotrope.broker.config.SignalsConfig.ProviderType;
import io.heliotrope.broker.domain.DataCenter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Resolves the {@code signals:} section, adding every problem to the loader's list (named by its
 * path, e.g. {@code signals.zones.DE-LU[1].tokenEnv}) rather than stopping at the first. Secrets
 * are read here and never appear in a problem's text.
 */
final class SignalsConfigLoader {
  private static final Duration DEFAULT_MIN_INTERVAL = Duration.ofMinutes(15);
  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  private final Map<String, String> env;

  SignalsConfigLoader(Map<String, String> env) {
    this.env = env;
  }

  SignalsConfig load(ConfigFile.Signals s, List<DataCenter> dataCenters, List<String> problems) {
    if (s == null) {
      return SignalsConfig.defaults();
    }
    List<String> extra = s.extraZones() == null ? List.of() : s.extraZones();
    Set<String> known = new TreeSet<>(extra);
    dataCenters.forEach(dc -> known.add(dc.zone()));
    for (int i = 0; i < extra.size(); i++) {
      if (extra.get(i) == null || extra.get(i).isBlank()) {
        problems.add("signals.extraZones[" + i + "]: empty zone name");
      }
    }
    Duration staleness = duration("signals.staleness", s.staleness(), SignalsConfig.DEFAULT_STALENESS, problems);
    Duration refresh = duration("signals.refreshInterval", s.refreshInterval(), SignalsConfig.DEFAULT_REFRESH, problems);
    Map<String, List<ProviderConfig>> providers = new LinkedHashMap<>();
    if (s.zones() != null) {
      s.zones().forEach((zone, list) -> {
        String field = "signals.zones." + zone;
        if (!known.contains(zone)) {
          problems.add(field + ": unknown zone; known: " + known + " (add it to signals.extraZones)");
        }
        if (list == null || list.isEmpty()) {
          problems.add(field + ": give at least one provider");
          return;
        }
        List<ProviderConfig> resolved = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
          ProviderConfig p = provider(field + "[" + i + "]", list.get(i), i, problems);
          if (p != null) {
            resolved.add(p);
          }
        }
        providers.put(zone, resolved);
      });
    }
    return new SignalsConfig(extra, staleness, refresh, providers);
  }

  private ProviderConfig provider(String field, ConfigFile.Provider p, int index, List<String> problems) {
    int before = problems.size();
    ProviderType type = null;
    if (p.type() == null) {
      problems.add(field + ".type: required (csv, electricitymaps, watttime, entsoe or builtin)");
    } else {
      try {
        type = ProviderType.valueOf(p.type().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        problems.add(field + ".type: '" + p.type() + "' is not csv, electricitymaps, watttime, entsoe or builtin");
      }
    }
    int priority = p.priority() == null ? index : p.priority();
    Duration minInterval = duration(field + ".minInterval", p.minInterval(), DEFAULT_MIN_INTERVAL, problems);
    Duration timeout = duration(field + ".timeout", p.timeout(), DEFAULT_TIMEOUT, problems);
    Optional<URI> base = Optional.empty();
    if (p.baseUri() != null) {
      try {
        base = Optional.of(URI.create(p.baseUri()));
      } catch (IllegalArgumentException e) {
        problems.add(field + ".baseUri: not a URI");
      }
    }
    String user = "";
    String secret = "";
    Optional<Path> file = Optional.empty();
    Optional<CsvKind> kind = Optional.empty();
    Optional<Instant> issued = Optional.empty();
    if (type == ProviderType.CSV) {
      if (p.file() == null || !Files.isReadable(Path.of(p.file()))) {
        problems.add(field + ".file: " + (p.file() == null ? "required for csv" : "cannot read " + p.file()));
      } else {
        file = Optional.of(Path.of(p.file()));
      }
      try {
        kind = Optional.of(CsvKind.valueOf(String.valueOf(p.kind()).toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        problems.add(field + ".kind: required for csv: carbon or price");
      }
      if (p.forecastIssued() != null) {
        try {
          issued = Optional.of(Instant.parse(p.forecastIssued()));
        } catch (DateTimeParseException e) {
          problems.add(field + ".forecastIssued: not an RFC 3339 time such as 2026-03-01T00:00:00Z");
        }
      }
    } else if (type != null && type != ProviderType.BUILTIN) {
      secret = value(field, "token", p.token(), p.tokenEnv(), problems);
      if (type == ProviderType.WATTTIME) {
        user = value(field, "user", p.user(), p.userEnv(), problems);
      }
    }
    if (problems.size() > before) {
      return null;
    }
    return new ProviderConfig(type, priority, minInterval, timeout, base, p.remoteId() == null ? "" : p.remoteId(),
        user, secret, file, kind, issued);
  }

  /** Exactly one of the literal and the environment variable; never echoes either value. */
  private String value(String field, String what, String literal, String envName, List<String> problems) {
    if ((literal == null) == (envName == null)) {
      problems.add(field + ": give exactly one of " + what + " and " + what + "Env");
      return "";
    }
    if (literal != null) {
      return literal;
    }
    String v = env.get(envName);
    if (v == null || v.isBlank()) {
      problems.add(field + "." + what + "Env: environment variable " + envName + " is not set");
      return "";
    }
    return v.strip();
  }

  /** A positive duration such as 15m, 6h or 5s; the default when absent. */
  static Duration duration(String field, String text, Duration dflt, List<String> problems) {
    if (text == null) {
      return dflt;
    }
    try {
      Duration d = Durations.parse(text);
      if (d.isNegative() || d.isZero()) {
        problems.add(field + ": must be positive, was " + text);
      }
      return d;
    } catch (RuntimeException e) {
      problems.add(field + ": '" + text + "' is not a duration such as 15m or 6h");
      return dflt;
    }
  }
}
