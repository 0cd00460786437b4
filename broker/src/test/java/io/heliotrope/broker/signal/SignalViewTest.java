package io.heliotrope.broker.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SignalViewTest {
  static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
  static final SeriesKey MOER = SeriesKey.carbon(CarbonBasis.MARGINAL);
  final MutableClock clock = new MutableClock(T0.plus(Duration.ofDays(2)));
  final SignalView view = new SignalView(clock, Set.of("US-CAL-CISO"), Set.of(), Duration.ofMinutes(5),
      Duration.ofMinutes(30));

  static Instant at(int minutes) {
    return T0.plus(Duration.ofMinutes(minutes));
  }

  static SignalPoint actual(int startMin, int endMin, double v) {
    return SignalPoint.actual("US-CAL-CISO", SignalKind.CARBON_INTENSITY, at(startMin), at(endMin), v, "",
        CarbonBasis.MARGINAL, "t");
  }

  static SignalPoint forecast(int issuedMin, int startMin, int endMin, double v) {
    return SignalPoint.forecast("US-CAL-CISO", SignalKind.CARBON_INTENSITY, at(startMin), at(endMin), v, "",
        CarbonBasis.MARGINAL, at(issuedMin), "t");
  }

  @Test
  void valueAtPrefersActualThenLatestForecast() {
    view.publish(List.of(actual(0, 60, 400), forecast(0, 0, 120, 350), forecast(30, 60, 90, 300)));
    SeriesSnapshot s = view.snapshot("US-CAL-CISO", MOER);
    assertEquals(400, s.valueAt(at(59)));
    assertEquals(300, s.valueAt(at(60)));
    assertEquals(350, s.valueAt(at(95)));
    assertTrue(Double.isNaN(s.valueAt(at(120))));
    assertTrue(s.isActualAt(at(0).getEpochSecond()));
    assertFalse(s.isActualAt(at(60).getEpochSecond()));
  }

  @Test
  void averagesAndResamplesToThePlannerSlot() {
    List<SignalPoint> pts = new ArrayList<>();
    for (int m = 0; m < 60; m += 5) {
      pts.add(actual(m, m + 5, m)); // 0, 5, ..., 55
    }
    view.publish(pts);
    assertEquals(27.5, view.average("US-CAL-CISO", MOER, at(0), at(60)).getAsDouble(), 1e-9);
    assertEquals(5, view.average("US-CAL-CISO", MOER, at(0), at(15)).getAsDouble(), 1e-9);
    SignalSeries s = view.series("US-CAL-CISO", MOER, at(0), at(60), SignalView.DEFAULT_PLANNER_SLOT);
    assertEquals(4, s.length());
    assertEquals(5, s.valueAt(0), 1e-9);
    assertEquals(50, s.valueAt(3), 1e-9);
    assertEquals(at(45), s.slotStart(3));
    assertEquals(50, s.carbonAt(3).orElseThrow().gramsPerKwh(), 1e-9);
    // A load drawing 3 kWh in the first slot and 1 kWh in the second: (0*3 + 5*1) / 4.
    assertEquals(1.25, view.snapshot("US-CAL-CISO", MOER).energyWeightedAverage(at(0).getEpochSecond(),
        new double[] {3, 1}), 1e-9);
  }

  @Test
  void laterPublishRestatesEarlierValues() {
    view.publish(List.of(actual(0, 60, 400)));
    view.publish(List.of(actual(30, 35, 100)));
    SeriesSnapshot s = view.snapshot("US-CAL-CISO", MOER);
    assertEquals(400, s.valueAt(at(25)));
    assertEquals(100, s.valueAt(at(30)));
    assertEquals(400, s.valueAt(at(35)));
  }

  /**
   * The simulator's guarantee: whatever was published about the future of t (actuals of slots not
   * yet ended, forecasts issued after t) cannot change what knownAt(t) returns.
   */
  @Test
  void knownAtTNeverShowsAnythingFromAfterT() {
    Instant t = at(60);
    List<SignalPoint> knowable = List.of(actual(0, 60, 400), forecast(0, 0, 180, 350), forecast(55, 60, 120, 320));
    view.publish(knowable);
    SignalSeries before = view.knownAt("US-CAL-CISO", MOER, t, at(0), at(180), Duration.ofMinutes(5));

    // The future arrives: actuals for [60, 180), a forecast issued one minute after t, and a restated
    // actual for the slot running at t.
    view.publish(List.of(actual(60, 180, 999), forecast(61, 0, 180, 777)));
    SignalSeries after = view.knownAt("US-CAL-CISO", MOER, t, at(0), at(180), Duration.ofMinutes(5));

    for (int i = 0; i < before.length(); i++) {
      assertEquals(before.valueAt(i), after.valueAt(i), "slot " + i);
      assertTrue(after.valueAt(i) != 999 && after.valueAt(i) != 777, "slot " + i + " leaked the future");
    }
    assertEquals(400, after.valueAt(11)); // [55, 60) ended at t: the actual
    assertEquals(320, after.valueAt(12)); // [60, 65): the latest forecast issued by t
    assertEquals(350, after.valueAt(24)); // [120, 125): only the older forecast reaches this far
    // Meanwhile the current view does use the newer data.
    assertEquals(999, view.snapshot("US-CAL-CISO", MOER).valueAt(at(60)));
  }

  @Test
  void staleOrMissingSignalsDegradeTheZone() {
    assertTrue(view.degraded("US-CAL-CISO").reason().contains("no signals"));
    Instant now = clock.instant();
    view.publish(List.of(SignalPoint.forecast("US-CAL-CISO", SignalKind.CARBON_INTENSITY, now, now.plusSeconds(7200),
        250, "", CarbonBasis.MARGINAL, now, "t")));
    assertEquals(Degradation.HEALTHY, view.degraded("US-CAL-CISO"));
    assertEquals(Duration.ZERO, view.age("US-CAL-CISO", MOER).orElseThrow());

    clock.advance(Duration.ofMinutes(31));
    Degradation d = view.degraded("US-CAL-CISO");
    assertTrue(d.degraded());
    assertTrue(d.reason().contains("31 min ago, over the 30 min staleness limit"), d.reason());

    clock.advance(Duration.ofHours(2));
    assertTrue(view.degraded("US-CAL-CISO").reason().contains("no actual or forecast covers"));
  }
}
