package io.heliotrope.broker.app;

import io.heliotrope.broker.api.StandbyServer;
import io.heliotrope.broker.config.BrokerConfig;
import io.heliotrope.broker.job.store.PostgresLeaderLock;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Before {@code serve} opens the stores of a PostgreSQL schema that replicas share: win the
 * schema's leader lock, serving meanwhile as a standby that forwards every call to the leader
 * (docs/operations.md, "High availability on PostgreSQL").
 */
final class StandbyPhase {
  private static final Logger log = LoggerFactory.getLogger(StandbyPhase.class);
  static final Duration LOCK_POLL = Duration.ofSeconds(1);

  private StandbyPhase() {}

  /** Wins the schema's leader lock, serving as a standby that forwards to the leader until then. */
  static PostgresLeaderLock awaitLeadership(BrokerConfig cfg, Clock clock) throws Exception {
    BrokerConfig.PostgresConfig pg = cfg.postgres().orElseThrow();
    String identity = identity();
    PostgresLeaderLock lock = PostgresLeaderLock.open(pg.url(), pg.user(), pg.password(), pg.schema(), identity,
        advertised(cfg), clock);
    if (lock.tryAcquire()) {
      return lock;
    }
    try (StandbyServer standby = StandbyServer.start(cfg, identity, cached(lock::leaderAddress))) {
      System.out.println("heliotrope broker standby on " + cfg.host() + ":" + standby.port()
          + " (another replica leads schema " + pg.schema() + "; calls are forwarded to it)");
      System.out.flush();
      lock.await(LOCK_POLL, () -> false);
    }
    return lock;
  }

  /**
   * Where standbys reach this replica once it leads: HELIOTROPE_ADVERTISE_ADDRESS (host:port), else
   * the pod's IP (POD_IP, from the downward API) or the bound host, with the gRPC port.
   */
  static String advertised(BrokerConfig cfg) {
    String explicit = System.getenv("HELIOTROPE_ADVERTISE_ADDRESS");
    if (explicit != null && !explicit.isBlank()) {
      return explicit;
    }
    String host = System.getenv().getOrDefault("POD_IP", cfg.host());
    if (host.equals("0.0.0.0") || host.equals("::")) {
      host = "127.0.0.1";
    }
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + cfg.grpcPort();
  }

  /** The leader's address, read from the database at most once a second. */
  private static Supplier<String> cached(Supplier<String> read) {
    long[] at = {0};
    String[] value = {null};
    return () -> {
      synchronized (at) {
        long now = System.nanoTime();
        if (value[0] == null || now - at[0] > 1_000_000_000L) {
          try {
            value[0] = read.get();
          } catch (RuntimeException e) {
            // The database is unreachable: answer UNAVAILABLE until it is back.
            log.warn("standby: cannot read the leader's address: {}",
                e.getCause() == null ? e.toString() : e.getCause().toString());
            value[0] = "";
          }
          at[0] = now;
        }
        return value[0];
      }
    };
  }

  /** Pod name (HOSTNAME in Kubernetes) and process id, as operators see them in the holder column. */
  private static String identity() {
    String host = System.getenv().getOrDefault("HOSTNAME", "broker");
    return host + "/" + ProcessHandle.current().pid();
  }
}
