package io.heliotrope.broker.cluster.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElector;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.heliotrope.broker.config.LeaderElectionConfig;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One active planner among broker replicas, on a coordination.k8s.io Lease (fabric8's
 * {@link LeaderElector}). The leader plans and dispatches; the others serve reads and wait. A
 * leader that cannot renew in time stops leading before another can take the Lease, so two never
 * dispatch at once for longer than the clock skew between them.
 */
public final class LeaderElection implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LeaderElection.class);

  private final KubernetesClient client;
  private final LeaderElectionConfig cfg;
  private final Runnable onStartLeading;
  private final Runnable onStopLeading;
  private final Consumer<String> onNewLeader;
  private final AtomicBoolean leading = new AtomicBoolean();
  private final ExecutorService executor;
  private CompletableFuture<?> running;

  public LeaderElection(KubernetesClient client, LeaderElectionConfig cfg, Runnable onStartLeading,
      Runnable onStopLeading, Consumer<String> onNewLeader) {
    this.client = client;
    this.cfg = cfg;
    this.onStartLeading = onStartLeading;
    this.onStopLeading = onStopLeading;
    this.onNewLeader = onNewLeader;
    this.executor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "heliotrope-leader-" + cfg.identity());
      t.setDaemon(true);
      return t;
    });
  }

  /** Starts competing for the Lease; returns at once. */
  public synchronized LeaderElection start() {
    var config = new LeaderElectionConfigBuilder()
        .withName("heliotrope-broker")
        .withLock(new LeaseLock(cfg.namespace(), cfg.leaseName(), cfg.identity()))
        .withLeaseDuration(cfg.leaseDuration())
        .withRenewDeadline(cfg.renewDeadline())
        .withRetryPeriod(cfg.retryPeriod())
        // Hand the Lease over at shutdown instead of making the next leader wait out leaseDuration.
        .withReleaseOnCancel(true)
        .withLeaderCallbacks(new LeaderCallbacks(this::started, this::stopped, this::newLeader))
        .build();
    running = new LeaderElector(client, config, executor).start();
    return this;
  }

  public boolean isLeader() {
    return leading.get();
  }

  public String identity() {
    return cfg.identity();
  }

  private void started() {
    leading.set(true);
    log.info("{} leads (Lease {}/{})", cfg.identity(), cfg.namespace(), cfg.leaseName());
    onStartLeading.run();
  }

  private void stopped() {
    if (leading.getAndSet(false)) {
      log.info("{} stopped leading", cfg.identity());
      onStopLeading.run();
    }
  }

  private void newLeader(String identity) {
    onNewLeader.accept(identity);
  }

  /** Stops competing and releases the Lease if held. */
  @Override
  public synchronized void close() {
    if (running != null) {
      running.cancel(true);
    }
    stopped();
    executor.shutdown();
  }
}
