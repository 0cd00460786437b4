package io.heliotrope.broker.sim;

import io.heliotrope.broker.domain.Resources;
import java.time.Duration;
import java.time.Instant;

/** One job of a replayed workload: when it arrived, how long it really ran, what it asked for. */
public record TraceJob(String name, Instant arrival, Duration duration, Resources resources) {}
