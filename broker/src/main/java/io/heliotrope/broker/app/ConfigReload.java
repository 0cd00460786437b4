package io.heliotrope.broker.app;

import io.heliotrope.broker.config.BrokerConfig;
import io.heliotrope.broker.config.SignalsConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a reloaded configuration changes in a running broker: the keys applied at once (bearer
 * tokens, the signal providers and their refresh interval) and the keys that need a restart
 * (everything else: ports, TLS, stores, data centres, clusters, leader election, OpenADR, known
 * zones, staleness, and turning auth on or off, which decides the bind address). {@code effective}
 * is the running configuration after the reload: the current one with the applied keys replaced.
 */
record ConfigReload(BrokerConfig effective, List<String> applied, List<String> needRestart) {
  ConfigReload {
    applied = List.copyOf(applied);
    needRestart = List.copyOf(needRestart);
  }

  static ConfigReload between(BrokerConfig current, BrokerConfig next) {
    List<String> applied = new ArrayList<>();
    List<String> restart = new ArrayList<>();
    boolean tokens = !current.tokens().equals(next.tokens());
    if (tokens && current.authEnabled() != next.authEnabled()) {
      restart.add("auth.tokens (turning auth " + (next.authEnabled() ? "on" : "off") + ")");
      tokens = false;
    } else if (tokens) {
      applied.add("auth.tokens");
    }
    SignalsConfig now = current.signals();
    SignalsConfig then = next.signals();
    boolean refresh = !now.refreshInterval().equals(then.refreshInterval());
    boolean providers = !now.providers().equals(then.providers());
    if (refresh) {
      applied.add("signals.refreshInterval");
    }
    if (providers) {
      applied.add("signals.providers");
    }
    differs(restart, "signals.extraZones", now.extraZones(), then.extraZones());
    differs(restart, "signals.staleness", now.staleness(), then.staleness());
    differs(restart, "server.host", current.host(), next.host());
    differs(restart, "server.grpcPort", current.grpcPort(), next.grpcPort());
    differs(restart, "server.httpPort", current.httpPort(), next.httpPort());
    differs(restart, "server.tls", current.tls(), next.tls());
    differs(restart, "dataDir", current.dataDir(), next.dataDir());
    differs(restart, "dataCenters", List.of(current.dataCenters(), current.builtInDataCenters()),
        List.of(next.dataCenters(), next.builtInDataCenters()));
    differs(restart, "clusters", current.clusters(), next.clusters());
    differs(restart, "leaderElection", current.leaderElection(), next.leaderElection());
    differs(restart, "store", current.postgres(), next.postgres());
    differs(restart, "grid.openadr", current.openAdr(), next.openAdr());
    SignalsConfig signals = new SignalsConfig(now.extraZones(), now.staleness(),
        refresh ? then.refreshInterval() : now.refreshInterval(), providers ? then.providers() : now.providers());
    BrokerConfig effective = new BrokerConfig(current.host(), current.grpcPort(), current.httpPort(), current.dataDir(),
        current.tls(), tokens ? next.tokens() : current.tokens(), current.dataCenters(), current.builtInDataCenters(),
        current.clusters(), current.leaderElection(), signals, current.postgres(), current.openAdr());
    return new ConfigReload(effective, applied, restart);
  }

  boolean tokensChanged() {
    return applied.contains("auth.tokens");
  }

  boolean signalsChanged() {
    return applied.contains("signals.refreshInterval") || applied.contains("signals.providers");
  }

  private static void differs(List<String> restart, String key, Object now, Object then) {
    if (!Objects.equals(now, then)) {
      restart.add(key);
    }
  }
}
