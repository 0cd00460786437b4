package io.heliotrope.broker.signal;

/** What dispatch asks of a zone or a data centre. */
public enum GridEventKind {
  /** Cut load by {@code reduce}, or keep it under {@code cap}. */
  PEAK_SHAVING,
  /** Absorb up to {@code absorb} of surplus (typically curtailed renewables). */
  VALLEY_FILLING,
  /** Exchange with the public grid stays under {@code cap}. */
  INTERCONNECTION_CAP
}
