package io.heliotrope.broker.signal;

import io.heliotrope.broker.domain.Energy;
import io.heliotrope.broker.domain.EnergyPrice;
import io.heliotrope.broker.domain.Power;
import java.time.Instant;
import java.util.Optional;

/**
 * A dispatch request over [start, end), immutable: each lifecycle step returns a new event. Which
 * of reduce/cap/absorb apply depends on the kind ({@link GridEventValidator}); unused ones are zero.
 *
 * @param zone the grid zone, or empty when {@code dataCenter} is set
 * @param committed what the broker commits to deliver; zero until accepted
 * @param baseline load the delivery is measured against, once measured
 * @param delivered measured average reduction (or absorption) over the event, once measured
 * @param origin who published it: {@link #API} for SignalService, {@code openadr:<eventID>} for an
 *     OpenADR 3 event read from a VTN
 */
public record GridEvent(
    String id,
    GridEventKind kind,
    String zone,
    String dataCenter,
    Instant start,
    Instant end,
    Power reduce,
    Power cap,
    Power absorb,
    Optional<EnergyPrice> compensation,
    GridEventStatus status,
    Power committed,
    String commitmentReason,
    Power baseline,
    Power delivered,
    Energy deliveredEnergy,
    Instant updated,
    String origin) {

  /** The origin of an event published through SignalService (and of events stored before origins). */
  public static final String API = "api";

  public GridEvent {
    origin = origin == null || origin.isEmpty() ? API : origin;
  }

  /** A freshly received event, as dispatch published it. */
  public static GridEvent received(
      String id, GridEventKind kind, String zone, String dataCenter, Instant start, Instant end,
      Power reduce, Power cap, Power absorb, Optional<EnergyPrice> compensation, Instant now) {
    return received(id, kind, zone, dataCenter, start, end, reduce, cap, absorb, compensation, now, API);
  }

  /** A freshly received event from another origin than SignalService (e.g. an OpenADR VTN). */
  public static GridEvent received(
      String id, GridEventKind kind, String zone, String dataCenter, Instant start, Instant end,
      Power reduce, Power cap, Power absorb, Optional<EnergyPrice> compensation, Instant now, String origin) {
    return new GridEvent(id, kind, zone, dataCenter, start, end, reduce, cap, absorb, compensation,
        GridEventStatus.RECEIVED, Power.ZERO, "", Power.ZERO, Power.ZERO, Energy.ZERO, now, origin);
  }

  /** Accepted with what the broker commits to and why (re-accepting updates the commitment). */
  public GridEvent accept(Power committedPower, String reason, Instant now) {
    check(GridEventStatus.ACCEPTED);
    return new GridEvent(id, kind, zone, dataCenter, start, end, reduce, cap, absorb, compensation,
        GridEventStatus.ACCEPTED, committedPower, reason, baseline, delivered, deliveredEnergy, now, origin);
  }

  /** Declined with the reason: nothing committed (an update may be accepted later). */
  public GridEvent decline(String reason, Instant now) {
    check(GridEventStatus.DECLINED);
    return new GridEvent(id, kind, zone, dataCenter, start, end, reduce, cap, absorb, compensation,
        GridEventStatus.DECLINED, Power.ZERO, reason, baseline, delivered, deliveredEnergy, now, origin);
  }

  public GridEvent activate(Instant now) {
    return to(GridEventStatus.ACTIVE, commitmentReason, now);
  }

  public GridEvent complete(Instant now) {
    return to(GridEventStatus.COMPLETED, commitmentReason, now);
  }

  public GridEvent cancel(String reason, Instant now) {
    return to(GridEventStatus.CANCELLED, reason, now);
  }

  /** Records a measurement of delivery; allowed while active and after completion. */
  public GridEvent withDelivery(Power measuredBaseline, Power measuredDelivered, Energy energy, Instant now) {
    if (status != GridEventStatus.ACTIVE && status != GridEventStatus.COMPLETED) {
      throw new IllegalStateException("grid event " + id + " is " + status + "; delivery is measured once active");
    }
    return new GridEvent(id, kind, zone, dataCenter, start, end, reduce, cap, absorb, compensation,
        status, committed, commitmentReason, measuredBaseline, measuredDelivered, energy, now, origin);
  }

  /** The zone, or the data centre the event targets. */
  public String target() {
    return zone.isEmpty() ? dataCenter : zone;
  }

  public boolean covers(Instant t) {
    return !t.isBefore(start) && t.isBefore(end);
  }

  private GridEvent to(GridEventStatus next, String reason, Instant now) {
    check(next);
    return new GridEvent(id, kind, zone, dataCenter, start, end, reduce, cap, absorb, compensation,
        next, committed, reason, baseline, delivered, deliveredEnergy, now, origin);
  }

  private void check(GridEventStatus next) {
    if (!status.next().contains(next)) {
      throw new IllegalStateException("grid event " + id + " is " + status + " and cannot become " + next);
    }
  }
}
