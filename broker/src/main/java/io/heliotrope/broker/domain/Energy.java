package io.heliotrope.broker.domain;

/** Electric energy, kept in joules. */
public record Energy(double joules) {
  public static final Energy ZERO = new Energy(0);
  private static final double JOULES_PER_KWH = 3.6e6;

  public static Energy joules(double j) {
    return new Energy(j);
  }

  public static Energy kilowattHours(double kwh) {
    return new Energy(kwh * JOULES_PER_KWH);
  }

  public double kilowattHours() {
    return joules / JOULES_PER_KWH;
  }

  public Energy plus(Energy o) {
    return new Energy(joules + o.joules);
  }
}
