package io.heliotrope.broker.domain;

import java.time.Instant;

/**
 * One entry of a job's history: what happened, when, and why, in words a user can read.
 *
 * @param sequence position in the job's history, from 1
 * @param kind what happened, e.g. "submitted", "deferred", "started"
 */
public record JobEvent(long sequence, Instant time, JobState state, String kind, String reason, Placement placement) {}
