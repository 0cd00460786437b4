package io.heliotrope.broker.telemetry;

import java.util.List;
import java.util.Map;

/** Where ledger cells and the agents' accepted sequences survive a restart. */
public interface LedgerStore extends AutoCloseable {
  /** Where the newest report of a node ended, and its sequence: what duplicates are judged against. */
  record Cursor(String node, long sequence, long windowEndMillis) {}

  /** Writes the cells and cursors in one transaction: either both or neither survive a crash. */
  void write(List<EnergyLedger.Row> rows, List<Cursor> cursors);

  List<EnergyLedger.Row> loadRows();

  Map<String, Cursor> loadCursors();

  @Override
  void close();
}
