package io.heliotrope.agent.reporting;

import io.heliotrope.proto.v1.PowerReport;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Reports not yet acknowledged by the broker, oldest first, bounded so a long broker outage cannot
 * exhaust memory. When full, the oldest report goes. Reports already sent are kept until acked so a
 * broken stream can be replayed (the broker drops duplicates by sequence).
 */
public final class Backlog {
  private final int capacity;
  private final Deque<PowerReport> reports = new ArrayDeque<>();
  /** Sequence of the last report written to the current stream; 0 after a reconnect. */
  private long sentUpTo;
  /** Highest sequence ever sent on any stream; survives rewinds. */
  private long everSent;
  private long dropped;

  public Backlog(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("backlog capacity must be at least 1");
    }
    this.capacity = capacity;
  }

  public synchronized void add(PowerReport report) {
    if (reports.size() == capacity) {
      PowerReport evicted = reports.removeFirst();
      // A report already sent probably reached the broker; only never-sent ones count as lost.
      if (evicted.getSequence() > everSent) {
        dropped++;
      }
    }
    reports.addLast(report);
  }

  /** Reports to write next on the current stream, in order. */
  public synchronized List<PowerReport> unsent() {
    List<PowerReport> out = new ArrayList<>();
    for (PowerReport r : reports) {
      if (r.getSequence() > sentUpTo) {
        out.add(r);
      }
    }
    return out;
  }

  public synchronized void markSent(long sequence) {
    sentUpTo = Math.max(sentUpTo, sequence);
    everSent = Math.max(everSent, sequence);
  }

  /** The broker has durably accepted everything up to this sequence. */
  public synchronized void acknowledge(long sequence) {
    while (!reports.isEmpty() && reports.peekFirst().getSequence() <= sequence) {
      reports.removeFirst();
    }
  }

  /** A new stream starts: everything unacknowledged is sent again. */
  public synchronized void rewind() {
    sentUpTo = 0;
  }

  public synchronized int size() {
    return reports.size();
  }

  /** Reports lost without ever being sent, because the backlog was full. */
  public synchronized long dropped() {
    return dropped;
  }
}
