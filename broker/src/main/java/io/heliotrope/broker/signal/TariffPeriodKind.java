package io.heliotrope.broker.signal;

/** Time-of-use period classes, from most to least expensive. */
public enum TariffPeriodKind {
  CRITICAL_PEAK,
  PEAK,
  FLAT,
  VALLEY,
  DEEP_VALLEY
}
