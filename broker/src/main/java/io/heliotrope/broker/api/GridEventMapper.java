package io.heliotrope.broker.api;

import io.heliotrope.broker.domain.EnergyPrice;
import io.heliotrope.broker.domain.Limits;
import io.heliotrope.broker.domain.Power;
import io.heliotrope.broker.signal.GridEvent;
import io.heliotrope.broker.signal.GridEventKind;
import io.heliotrope.broker.signal.GridEventStatus;
import io.heliotrope.broker.signal.InvalidSignalException;
import io.heliotrope.broker.signal.Violation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;

/** heliotrope.v1 GridEvent to and from the signal model's {@link GridEvent}. */
public final class GridEventMapper {
  private GridEventMapper() {}

  /** The event as dispatch asked for it (status RECEIVED); broker-side fields of the message are ignored. */
  public static GridEvent received(io.heliotrope.proto.v1.GridEvent e, Instant now) {
    List<Violation> problems = new ArrayList<>();
    Power reduce = kw("event.reduce_kw", e.getReduceKw(), problems);
    Power cap = kw("event.cap_kw", e.getCapKw(), problems);
    Power absorb = kw("event.absorb_kw", e.getAbsorbKw(), problems);
    Optional<EnergyPrice> compensation = Optional.empty();
    if (!Double.isFinite(e.getCompensationPerMwh())) {
      problems.add(new Violation("event.compensation_per_mwh", "must be a finite number"));
    } else if (e.getCompensationPerMwh() != 0 || !e.getCurrency().isEmpty()) {
      compensation = Optional.of(EnergyPrice.perMwh(e.getCompensationPerMwh(), e.getCurrency()));
    }
    BiConsumer<String, String> problem = (f, d) -> problems.add(new Violation(f, d));
    Instant start = e.hasStart() ? Times.instant(e.getStart(), "event.start", problem) : null;
    Instant end = e.hasEnd() ? Times.instant(e.getEnd(), "event.end", problem) : null;
    Fields.id("event.zone", e.getZone(), problem);
    Fields.id("event.data_center", e.getDataCenter(), problem);
    Fields.max("event.currency", e.getCurrency(), Limits.MAX_UNIT, problem);
    if (!problems.isEmpty()) {
      throw new InvalidSignalException(problems);
    }
    GridEventKind kind = e.getKind() == io.heliotrope.proto.v1.GridEventKind.GRID_EVENT_KIND_UNSPECIFIED
        || e.getKind() == io.heliotrope.proto.v1.GridEventKind.UNRECOGNIZED ? null : GridEventKind.valueOf(e.getKind().name());
    return GridEvent.received(e.getId(), kind, e.getZone(), e.getDataCenter(),
        start, end,
        reduce, cap, absorb, compensation, now);
  }

  private static Power kw(String field, double kw, List<Violation> problems) {
    if (!Double.isFinite(kw)) {
      problems.add(new Violation(field, "must be a finite number, was " + kw));
      return Power.ZERO;
    }
    if (Math.abs(kw) > Limits.EVENT_MAX_KW) {
      problems.add(new Violation(field, "at most " + (long) Limits.EVENT_MAX_KW + " kW (event_max_kw limit), was "
          + kw + " kW"));
      return Power.ZERO;
    }
    return Power.kilowatts(kw);
  }

  public static io.heliotrope.proto.v1.GridEvent toProto(GridEvent e) {
    var b = io.heliotrope.proto.v1.GridEvent.newBuilder().setId(e.id())
        .setKind(io.heliotrope.proto.v1.GridEventKind.valueOf(e.kind().name())).setZone(e.zone())
        .setDataCenter(e.dataCenter()).setStart(JobMapper.timestamp(e.start())).setEnd(JobMapper.timestamp(e.end()))
        .setReduceKw(e.reduce().kilowatts()).setCapKw(e.cap().kilowatts()).setAbsorbKw(e.absorb().kilowatts())
        .setStatus(status(e.status())).setCommittedKw(e.committed().kilowatts())
        .setCommitmentReason(e.commitmentReason()).setBaselineKw(e.baseline().kilowatts())
        .setDeliveredKw(e.delivered().kilowatts()).setDeliveredKwh(e.deliveredEnergy().kilowattHours())
        .setUpdated(JobMapper.timestamp(e.updated())).setOrigin(e.origin());
    e.compensation().ifPresent(c -> b.setCompensationPerMwh(c.perMwh()).setCurrency(c.currency()));
    return b.build();
  }

  public static io.heliotrope.proto.v1.GridEventStatus status(GridEventStatus s) {
    return io.heliotrope.proto.v1.GridEventStatus.valueOf("EVENT_" + s.name());
  }

  /** Null for UNSPECIFIED or an unknown number. */
  public static GridEventStatus status(io.heliotrope.proto.v1.GridEventStatus s) {
    return s == io.heliotrope.proto.v1.GridEventStatus.GRID_EVENT_STATUS_UNSPECIFIED
        || s == io.heliotrope.proto.v1.GridEventStatus.UNRECOGNIZED ? null : GridEventStatus.valueOf(s.name().substring(6));
  }
}
