package io.heliotrope.broker.domain;

/**
 * A data centre: one cluster in one region, drawing power from one grid zone.
 *
 * @param pue power usage effectiveness: facility energy over IT energy (at least 1)
 */
public record DataCenter(String name, String region, String zone, String cluster, double pue, Resources capacity) {}
