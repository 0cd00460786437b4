package io.heliotrope.broker.metrics;

import io.heliotrope.broker.domain.Job;
import java.util.function.Consumer;

/**
 * Counts a deadline miss when a job reaches a final state after its deadline. A job reaches a final
 * state once, so each miss counts once; a cancelled job counts only if it was already late.
 */
public final class DeadlineWatch implements Consumer<Job> {
  private final Metrics metrics;

  public DeadlineWatch(Metrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public void accept(Job j) {
    if (j.state().isTerminal() && j.updated().isAfter(j.spec().deadline())) {
      metrics.deadlineMissed(j.spec().team());
    }
  }
}
