package io.heliotrope.agent.reporting;

import com.google.protobuf.InvalidProtocolBufferException;
import io.heliotrope.proto.v1.PowerReport;
import java.util.AbstractList;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Reports not yet acknowledged by the broker, oldest first, bounded so a long broker outage cannot
 * exhaust memory. When full, the oldest report goes. Reports already sent are kept until acked so a
 * broken stream can be replayed (the broker drops duplicates by sequence).
 *
 * <p>Reports are kept serialized: a 100-pod report is about 6 KB of protobuf bytes, several times
 * less than as a message object graph, and a full backlog (720 reports) must fit in the agent's
 * small heap (docs/agent.md, JVM options). They are parsed again one at a time as they are written.
 */
public final class Backlog {
  private final int capacity;
  private record Entry(long sequence, byte[] bytes) {}

  private final Deque<Entry> reports = new ArrayDeque<>();
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
      Entry evicted = reports.removeFirst();
      // A report already sent probably reached the broker; only never-sent ones count as lost.
      if (evicted.sequence() > everSent) {
        dropped++;
      }
    }
    reports.addLast(new Entry(report.getSequence(), report.toByteArray()));
  }

  /**
   * Reports to write next on the current stream, in order. Each is parsed when the list is read at
   * that index, so a replay after a long outage never holds the whole backlog as objects.
   */
  public synchronized List<PowerReport> unsent() {
    List<Entry> out = new ArrayList<>();
    for (Entry e : reports) {
      if (e.sequence() > sentUpTo) {
        out.add(e);
      }
    }
    return new AbstractList<>() {
      @Override
      public PowerReport get(int index) {
        try {
          return PowerReport.parseFrom(out.get(index).bytes());
        } catch (InvalidProtocolBufferException e) {
          throw new IllegalStateException("backlog holds bytes it did not write", e);
        }
      }

      @Override
      public int size() {
        return out.size();
      }
    };
  }

  public synchronized void markSent(long sequence) {
    sentUpTo = Math.max(sentUpTo, sequence);
    everSent = Math.max(everSent, sequence);
  }

  /** The broker has durably accepted everything up to this sequence. */
  public synchronized void acknowledge(long sequence) {
    while (!reports.isEmpty() && reports.peekFirst().sequence() <= sequence) {
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

  /** Serialized bytes held, for tests and diagnostics. */
  public synchronized long bytes() {
    long total = 0;
    for (Entry e : reports) {
      total += e.bytes().length;
    }
    return total;
  }

  /** Reports lost without ever being sent, because the backlog was full. */
  public synchronized long dropped() {
    return dropped;
  }
}
