package io.heliotrope.broker.domain;

/** Where a job is (or will be) placed. */
public record Placement(String dataCenter, String cluster, String region, String zone) {
  public static final Placement NONE = new Placement("", "", "", "");

  public static Placement in(DataCenter dc) {
    return new Placement(dc.name(), dc.cluster(), dc.region(), dc.zone());
  }

  public boolean isNone() {
    return dataCenter.isEmpty();
  }
}
