package io.heliotrope.broker.signal;

import io.heliotrope.broker.domain.Power;
import java.time.Instant;
import java.util.List;

/**
 * A port: how much load the broker could shed, per data centre and hour, before dispatch asks.
 * The control loop's planner answers it ({@code loop.FlexibilityForecast}).
 */
@FunctionalInterface
public interface Flexibility {
  /** Hours of [from, to) for each data centre of {@code target} (a zone or a data centre). */
  List<Hour> forecast(String target, Instant from, Instant to);

  /**
   * @param planned the plan's lowest load in the hour without an event
   * @param sheddable what a plan with the hour capped at 0 removes in its worst slot of it
   * @param delayedGpuHours GPU-hours by which work starts or resumes later for it
   * @param jobsAffected jobs whose decision changes
   */
  record Hour(String dataCenter, Instant start, Instant end, Power planned, Power sheddable, double delayedGpuHours,
      int jobsAffected) {}
}
