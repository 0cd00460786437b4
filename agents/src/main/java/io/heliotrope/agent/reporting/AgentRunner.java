package io.heliotrope.agent.reporting;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Drives {@link AgentLoop} on one daemon thread, rescheduling after every tick with the interval the
 * loop returns, so a broker's cadence change takes effect on the next tick.
 */
public final class AgentRunner implements AutoCloseable {
  private final AgentLoop loop;
  private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "agent-loop");
    t.setDaemon(true);
    return t;
  });

  public AgentRunner(AgentLoop loop) {
    this.loop = loop;
  }

  public void start() {
    executor.execute(this::tick);
  }

  private void tick() {
    Duration next;
    try {
      next = loop.tick();
    } catch (RuntimeException e) {
      // One bad sample must not end reporting for the life of the node.
      System.err.println("agent: tick failed: " + e);
      next = loop.cadence().sampling();
    }
    try {
      executor.schedule(this::tick, next.toNanos(), TimeUnit.NANOSECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // shutting down
    }
  }

  @Override
  public void close() throws InterruptedException {
    executor.shutdown();
    executor.awaitTermination(5, TimeUnit.SECONDS);
  }
}
