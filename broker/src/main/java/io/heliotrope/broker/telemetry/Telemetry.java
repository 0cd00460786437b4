package io.heliotrope.broker.telemetry;

import io.heliotrope.broker.domain.DataCenter;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's measurement side: agents' reports in, power sums, the job energy ledger and the
 * power history out. One lock covers the duplicate filter, the ledger and the history, so that a
 * flush writes cells and agent sequences that belong together; the lock is held for a few map
 * updates per report, never for I/O.
 */
public final class Telemetry implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Telemetry.class);

  private final TelemetrySettings settings;
  private final LedgerStore store;
  private final NodeTable nodes;
  private final Object lock = new Object();
  private final ReportDedupe dedupe = new ReportDedupe();
  private final EnergyLedger ledger;
  private final PowerHistory history;
  /** Highest sequence per node that is in the store: what agents may forget. */
  private final Map<String, Long> durable = new ConcurrentHashMap<>();
  private final List<Consumer<Map<String, Long>>> flushListeners = new CopyOnWriteArrayList<>();
  private final Object flushing = new Object();
  private ScheduledExecutorService flusher;

  public Telemetry(Clock clock, List<DataCenter> dataCenters, TelemetrySettings settings, LedgerStore store) {
    this.settings = settings;
    this.store = store;
    this.nodes = new NodeTable(clock, dataCenters, settings.silentAfter());
    this.ledger = new EnergyLedger(settings.ledgerSlot());
    this.history = new PowerHistory(settings.history());
    Map<String, LedgerStore.Cursor> cursors = store.loadCursors();
    dedupe.load(cursors);
    cursors.forEach((node, c) -> durable.put(node, c.sequence()));
    ledger.load(store.loadRows());
  }

  public TelemetrySettings settings() {
    return settings;
  }

  /**
   * Takes a validated report into the sums, ledger and history; false (and nothing changes) for a
   * report already taken.
   */
  public boolean ingest(PowerReading r) {
    synchronized (lock) {
      if (!dedupe.accept(r.node(), r.sequence(), r.windowEnd().toEpochMilli())) {
        return false;
      }
      for (PowerReading.PodReading p : r.pods()) {
        if (!p.jobId().isEmpty()) {
          ledger.add(p.jobId(), r.dataCenter(), r.windowStart(), r.windowEnd(), p.joules(), r.estimated());
        }
      }
      history.add(r.dataCenter(), r.windowStart(), r.windowEnd(), r.totalJoules());
    }
    nodes.update(r);
    return true;
  }

  /** The node's highest sequence already written to the store (0 if none): safe to acknowledge. */
  public long durableSequence(String node) {
    return durable.getOrDefault(node, 0L);
  }

  /** Writes what changed since the last flush, then tells listeners the new durable sequences. */
  public void flush() {
    synchronized (flushing) {
      List<EnergyLedger.Row> rows;
      List<LedgerStore.Cursor> cursors;
      synchronized (lock) {
        rows = ledger.drainDirty();
        cursors = dedupe.drainChanged();
      }
      if (cursors.isEmpty() && rows.isEmpty()) {
        return;
      }
      try {
        store.write(rows, cursors);
      } catch (RuntimeException e) {
        synchronized (lock) {
          // Not written: keep them for the next flush (the cells hold totals, so rewriting is exact).
          ledger.markDirty(rows);
          dedupe.markChanged(cursors);
        }
        throw e;
      }
      Map<String, Long> advanced = new java.util.HashMap<>();
      for (LedgerStore.Cursor c : cursors) {
        durable.put(c.node(), c.sequence());
        advanced.put(c.node(), c.sequence());
      }
      flushListeners.forEach(l -> l.accept(advanced));
    }
  }

  /** Flushes every {@code flushInterval} on a thread of its own until {@link #close}. */
  public synchronized Telemetry startFlushing() {
    if (flusher == null) {
      flusher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "telemetry-flush");
        t.setDaemon(true);
        return t;
      });
      long ms = settings.flushInterval().toMillis();
      flusher.scheduleWithFixedDelay(this::flushQuietly, ms, ms, TimeUnit.MILLISECONDS);
    }
    return this;
  }

  private void flushQuietly() {
    try {
      flush();
    } catch (RuntimeException e) {
      // Nothing is acknowledged when a write fails, so agents keep the reports and resend them.
      log.warn("energy ledger flush failed; agents keep their reports until a later flush: {}", e.toString());
    }
  }

  /** Called after each flush with node -> newly durable sequence. */
  public void onFlush(Consumer<Map<String, Long>> listener) {
    flushListeners.add(listener);
  }

  /** Nodes that report pods of this job now (see {@link NodeTable#nodesRunning}). */
  public java.util.Set<String> nodesRunning(String jobId) {
    return nodes.nodesRunning(jobId);
  }

  public PowerAggregate aggregate() {
    return nodes.aggregate();
  }

  public List<SlotEnergy> measured(String jobId) {
    synchronized (lock) {
      return ledger.slots(jobId);
    }
  }

  public boolean measuredEstimated(String jobId) {
    synchronized (lock) {
      return ledger.estimated(jobId);
    }
  }

  /** Average measured IT power of a data centre over [from, to), if any was measured. */
  public OptionalDouble itWatts(String dataCenter, Instant from, Instant to) {
    synchronized (lock) {
      return history.averageWatts(dataCenter, from, to);
    }
  }

  @Override
  public void close() {
    synchronized (this) {
      if (flusher != null) {
        flusher.shutdown();
        try {
          flusher.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
    flushQuietly();
    store.close();
  }
}
