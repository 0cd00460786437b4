package io.heliotrope.broker.app;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.heliotrope.broker.cluster.kubernetes.KubernetesClients;
import io.heliotrope.broker.cluster.kubernetes.LeaderElection;
import io.heliotrope.broker.config.LeaderElectionConfig;
import io.heliotrope.broker.loop.ControlLoop;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the control loop only while this replica leads. Without {@code leaderElection:} the one
 * broker always leads. With it, the loop starts when the Lease is won and stops when it is lost;
 * a follower still serves gRPC (reads, and submissions into the store, which the leader plans).
 * In manual loop mode (demo, tests) the caller drives cycles, and only the leader flag is kept.
 */
final class Leadership implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Leadership.class);

  private final Optional<LeaderElectionConfig> cfg;
  private final ControlLoop loop;
  private final boolean background;
  private final Duration period;
  private KubernetesClient client;
  private volatile LeaderElection election;
  private volatile String leader = "";

  Leadership(Optional<LeaderElectionConfig> cfg, ControlLoop loop, boolean background, Duration period) {
    this.cfg = cfg;
    this.loop = loop;
    this.background = background;
    this.period = period;
  }

  /** Starts the loop, or starts competing for the Lease; returns at once. */
  synchronized void start() {
    if (cfg.isEmpty()) {
      if (background) {
        loop.start(period);
      }
      return;
    }
    LeaderElectionConfig c = cfg.get();
    client = KubernetesClients.forLease(c);
    election = new LeaderElection(client, c, this::lead, this::follow, id -> {
      leader = id;
      log.info("leader is now {}", id);
    }).start();
  }

  private void lead() {
    if (background) {
      loop.start(period);
    }
  }

  private void follow() {
    // Stop dispatching before another replica can take the Lease (LeaderElection's contract).
    loop.stop();
  }

  /**
   * Fences every Kubernetes write on leadership: a replica that loses the Lease refuses its next
   * write at once (fabric8 reports the loss when a renewal misses the renew deadline, before the
   * Lease expires for the others), even while a cycle under way is still being stopped.
   */
  void fence(java.util.Collection<io.heliotrope.broker.cluster.ClusterDriver> drivers) {
    for (var d : drivers) {
      if (d instanceof io.heliotrope.broker.cluster.kubernetes.KubernetesClusterDriver k) {
        k.fence(this::isLeader);
      }
    }
  }

  boolean isLeader() {
    LeaderElection e = election;
    return cfg.isEmpty() || e != null && e.isLeader();
  }

  /** The Lease holder as last seen; empty without leader election. */
  String leaderIdentity() {
    return leader;
  }

  @Override
  public synchronized void close() {
    if (election != null) {
      election.close(); // releases the Lease, so another replica leads at once
    }
    if (client != null) {
      client.close();
    }
  }
}
