package io.heliotrope.broker.telemetry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * The power caps the broker wants on its agents, and what the agents say holds. The planner wants
 * caps per job ({@link #want}); a job's caps go to every node that reports the job's pods, as one
 * cap per node on all its GPUs ("gpu"), at the lowest limit any job there wants. Every cap is sent
 * with a lease and re-sent (renewed) every third of it while still wanted, so a broker that dies or
 * loses the node leaves caps that run out by themselves; a cap no longer wanted is released at once.
 * Thread-safe: the control loop writes wants, gRPC threads read commands and record answers.
 */
public final class CapBook {
  /** The agent restores a device when this passes without renewal. */
  public static final Duration LEASE = Duration.ofSeconds(60);

  /**
   * A job's wanted GPU limit from {@code from} to {@code until}: {@code limitShare} of each GPU's
   * maximum limit as its agent reports it ({@code wattsPerGpu} where no agent has reported one yet).
   */
  public record Want(String jobId, double wattsPerGpu, double limitShare, Instant from, Instant until, String reason) {
    public Want(String jobId, double wattsPerGpu, String reason) {
      this(jobId, wattsPerGpu, Double.NaN, Instant.MIN, Instant.MAX, reason);
    }

    boolean activeAt(Instant t) {
      return !t.isBefore(from) && t.isBefore(until);
    }
  }

  /** A cap for one node's agent to apply (or renew) now. */
  public record Send(String capId, String device, double watts, Duration lease) {}

  /** What to tell one agent now: caps to apply or renew, cap ids to release. */
  public record Commands(List<Send> caps, List<String> releases) {
    public boolean isEmpty() {
      return caps.isEmpty() && releases.isEmpty();
    }
  }

  /** The agent's last word on a cap. */
  public record Answer(boolean applied, boolean released, String error, Instant at) {}

  /** A device limit an agent reported. */
  public record Limit(String device, double watts, double defaultWatts, double minWatts, double maxWatts, String capId) {}

  private record Sent(String capId, double watts, Instant at) {}

  private final Clock clock;
  private final Function<String, Set<String>> nodesOfJob;
  private final Map<String, Want> wanted = new HashMap<>();
  private final Map<String, Sent> sent = new HashMap<>();
  private final Map<String, Answer> answers = new HashMap<>();
  private final Map<String, List<Limit>> limits = new HashMap<>();
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

  /** @param nodesOfJob the nodes whose latest reports carry the job's pods */
  public CapBook(Clock clock, Function<String, Set<String>> nodesOfJob) {
    this.clock = clock;
    this.nodesOfJob = nodesOfJob;
  }

  /** The caps the planner wants now (replacing the last set: a job left out is released). */
  public void want(List<Want> caps) {
    synchronized (this) {
      wanted.clear();
      caps.forEach(w -> wanted.put(w.jobId(), w));
    }
    listeners.forEach(Runnable::run);
  }

  public synchronized Map<String, Want> wanted() {
    return Map.copyOf(wanted);
  }

  /** Called after {@link #want} changes, to push commands at once rather than at the next renewal. */
  public void onChange(Runnable listener) {
    listeners.add(listener);
  }

  /** The node's cap id: one cap per node, so the agent's state is the broker's, whatever jobs share it. */
  public static String capId(String node) {
    return "heliotrope/" + node;
  }

  /** What the node's agent should be told now; records it as sent. */
  public synchronized Commands commands(String node) {
    return commands(List.of(node)).get(node);
  }

  /**
   * What each of these nodes' agents should be told now; records it as sent. Each wanted job's
   * nodes are looked up once, whatever the number of nodes.
   */
  public synchronized Map<String, Commands> commands(java.util.Collection<String> nodes) {
    Instant now = clock.instant();
    Map<String, Double> watts = new HashMap<>();
    for (Want w : wanted.values()) {
      if (w.activeAt(now)) {
        for (String node : nodesOfJob.apply(w.jobId())) {
          watts.merge(node, onNode(node, w), Math::min);
        }
      }
    }
    Map<String, Commands> out = new HashMap<>();
    for (String node : nodes) {
      out.put(node, commands(node, watts.get(node), now));
    }
    return out;
  }

  private Commands commands(String node, Double watts, Instant now) {
    Sent last = sent.get(node);
    String id = capId(node);
    if (watts == null) {
      if (last == null) {
        return new Commands(List.of(), List.of());
      }
      sent.remove(node);
      return new Commands(List.of(), List.of(id));
    }
    boolean due = last == null || Math.abs(last.watts() - watts) > 0.005
        || !now.isBefore(last.at().plus(LEASE.dividedBy(3)));
    if (!due) {
      return new Commands(List.of(), List.of());
    }
    sent.put(node, new Sent(id, watts, now));
    return new Commands(List.of(new Send(id, "gpu", watts, LEASE)), List.of());
  }

  /** The want's share of the node's GPUs' maximum (the lowest reported), kept inside their range. */
  private double onNode(String node, Want w) {
    double max = Double.POSITIVE_INFINITY;
    double min = 0;
    for (Limit l : limits.getOrDefault(node, List.of())) {
      if (l.device().startsWith("gpu-") && l.maxWatts() > 0) {
        max = Math.min(max, l.maxWatts());
        min = Math.max(min, l.minWatts());
      }
    }
    if (Double.isNaN(w.limitShare()) || Double.isInfinite(max)) {
      return w.wattsPerGpu();
    }
    return Math.max(min, Math.round(w.limitShare() * max));
  }

  /** A stream to the node was (re)opened: everything wanted there goes out again at once. */
  public synchronized void reconnected(String node) {
    Sent last = sent.get(node);
    if (last != null) {
      sent.put(node, new Sent(last.capId(), last.watts(), Instant.EPOCH));
    }
  }

  public synchronized void answered(String node, String capId, boolean applied, boolean released, String error) {
    answers.put(node + "\0" + capId, new Answer(applied, released, error, clock.instant()));
  }

  public synchronized Optional<Answer> answer(String node, String capId) {
    return Optional.ofNullable(answers.get(node + "\0" + capId));
  }

  public synchronized void reported(String node, List<Limit> inForce) {
    limits.put(node, List.copyOf(inForce));
  }

  /** Device limits per node as the agents last reported them. */
  public synchronized Map<String, List<Limit>> inForce() {
    return Map.copyOf(limits);
  }

  /** Nodes with a cap sent and not released. */
  public synchronized List<String> cappedNodes() {
    return new ArrayList<>(sent.keySet());
  }
}
