package io.heliotrope.broker.app;

import io.heliotrope.broker.config.BrokerConfig;
import io.heliotrope.broker.job.JobStore;
import io.heliotrope.broker.job.store.Fence;
import io.heliotrope.broker.job.store.PostgresJobStore;
import io.heliotrope.broker.job.store.SqliteJobStore;
import io.heliotrope.broker.signal.SignalStore;
import io.heliotrope.broker.signal.store.PostgresSignalStore;
import io.heliotrope.broker.signal.store.SqliteSignalStore;
import io.heliotrope.broker.telemetry.JdbcLedgerStore;
import io.heliotrope.broker.telemetry.LedgerStore;
import java.nio.file.Path;

/**
 * Where the broker's durable state lives, chosen once: all of it in the data directory's SQLite
 * file (embedded default), or all of it in one PostgreSQL schema (jobs and their history, signals,
 * tariffs, grid events and commitments, the energy ledger), so that any replica that becomes
 * leader restores everything from the server. Each store has a connection of its own; on
 * PostgreSQL each write transaction checks {@code fence} first.
 */
final class Stores {
  private Stores() {}

  static JobStore jobs(BrokerConfig config, Fence fence) {
    return config.postgres()
        .<JobStore>map(pg -> PostgresJobStore.open(pg.url(), pg.user(), pg.password(), pg.schema(), fence))
        .orElseGet(() -> SqliteJobStore.open(sqlite(config)));
  }

  static SignalStore signals(BrokerConfig config, Fence fence) {
    return config.postgres()
        .<SignalStore>map(pg -> PostgresSignalStore.open(pg.url(), pg.user(), pg.password(), pg.schema(), fence))
        .orElseGet(() -> SqliteSignalStore.open(sqlite(config)));
  }

  static LedgerStore ledger(BrokerConfig config, Fence fence) {
    return config.postgres()
        .<LedgerStore>map(pg -> JdbcLedgerStore.postgres(
            PostgresJobStore.connect(pg.url(), pg.user(), pg.password(), pg.schema()), fence))
        .orElseGet(() -> JdbcLedgerStore.sqlite(sqlite(config)));
  }

  private static Path sqlite(BrokerConfig config) {
    return config.dataDir().resolve("heliotrope.db");
  }
}
