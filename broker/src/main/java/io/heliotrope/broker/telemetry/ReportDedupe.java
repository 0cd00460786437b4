package io.heliotrope.broker.telemetry;

import io.heliotrope.broker.telemetry.LedgerStore.Cursor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Drops reports seen before. Agents resend every unacknowledged report after a reconnect, so the
 * same (node, sequence) can arrive twice. A restarted agent starts its sequence again at 1, so a
 * low sequence alone is not a duplicate: it is one only if its window also ends no later than the
 * newest window already accepted from that node (a replay covers time already counted).
 * Not thread-safe: {@link Telemetry} guards it together with the ledger.
 */
public final class ReportDedupe {
  private final Map<String, Cursor> last = new HashMap<>();
  private final Set<String> changed = new LinkedHashSet<>();

  /** Records the report if it is new and says whether it was. */
  public boolean accept(String node, long sequence, long windowEndMillis) {
    Cursor prev = last.get(node);
    if (prev != null && sequence <= prev.sequence() && windowEndMillis <= prev.windowEndMillis()) {
      return false;
    }
    // After an agent restart the sequence falls; keep the newest window so its replays stay dropped.
    long end = prev == null ? windowEndMillis : Math.max(windowEndMillis, prev.windowEndMillis());
    last.put(node, new Cursor(node, sequence, end));
    changed.add(node);
    return true;
  }

  /** The highest sequence accepted from the node, 0 if none. */
  public long sequence(String node) {
    Cursor c = last.get(node);
    return c == null ? 0 : c.sequence();
  }

  /** Cursors changed since the last call. */
  public List<Cursor> drainChanged() {
    List<Cursor> out = new ArrayList<>(changed.size());
    changed.forEach(n -> out.add(last.get(n)));
    changed.clear();
    return out;
  }

  /** Puts back cursors a failed write drained. */
  public void markChanged(List<Cursor> cursors) {
    cursors.forEach(c -> changed.add(c.node()));
  }

  public void load(Map<String, Cursor> cursors) {
    last.putAll(cursors);
  }
}
