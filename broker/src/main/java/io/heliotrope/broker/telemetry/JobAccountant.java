package io.heliotrope.broker.telemetry;

import io.heliotrope.broker.domain.Job;
import java.util.Optional;

/** The accounting the API shows for a job; empty for a job that has drawn nothing yet. */
@FunctionalInterface
public interface JobAccountant {
  JobAccountant NONE = job -> Optional.empty();

  Optional<Accounting> account(Job job);
}
