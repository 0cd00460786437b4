package io.heliotrope.broker.api;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.heliotrope.broker.api.auth.Principal;
import io.heliotrope.broker.domain.Limits;
import io.heliotrope.broker.signal.Degradation;
import io.heliotrope.broker.signal.GridEvent;
import io.heliotrope.broker.signal.GridEventBook;
import io.heliotrope.broker.signal.GridEventStatus;
import io.heliotrope.broker.signal.InvalidSignalException;
import io.heliotrope.broker.signal.SeriesKey;
import io.heliotrope.broker.signal.SignalBook;
import io.heliotrope.broker.signal.SignalKind;
import io.heliotrope.broker.signal.SignalPoint;
import io.heliotrope.broker.signal.SignalView;
import io.heliotrope.broker.signal.Tariff;
import io.heliotrope.proto.v1.CancelGridEventRequest;
import io.heliotrope.proto.v1.GetGridEventRequest;
import io.heliotrope.proto.v1.GetSignalsRequest;
import io.heliotrope.proto.v1.GetSignalsResponse;
import io.heliotrope.proto.v1.ListGridEventsRequest;
import io.heliotrope.proto.v1.ListGridEventsResponse;
import io.heliotrope.proto.v1.ListTariffsRequest;
import io.heliotrope.proto.v1.ListTariffsResponse;
import io.heliotrope.proto.v1.PublishGridEventRequest;
import io.heliotrope.proto.v1.PublishSignalsRequest;
import io.heliotrope.proto.v1.PublishSignalsResponse;
import io.heliotrope.proto.v1.PublishTariffRequest;
import io.heliotrope.proto.v1.SignalServiceGrpc;
import io.heliotrope.proto.v1.UpdateGridEventRequest;
import io.heliotrope.proto.v1.WatchGridEventsRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * SignalService: how grid dispatch and operators tell the broker about the grid, and how anyone
 * reads it back. Every write is validated as a whole, stored, then applied and acknowledged; the
 * roles are enforced by the auth interceptor ({@code AccessPolicy}).
 */
public final class SignalGrpcService extends SignalServiceGrpc.SignalServiceImplBase {
  /** GetSignals answers at most this range, so one reply stays well under the message size limit. */
  static final Duration MAX_RANGE = Duration.ofDays(92);

  private final SignalBook book;
  private final Set<String> knownZones;
  private final Set<String> knownDataCenters;
  private final Clock clock;
  private io.heliotrope.broker.signal.Flexibility flexibility = (target, from, to) -> {
    throw new IllegalStateException("this broker has no planner to forecast flexibility");
  };

  public SignalGrpcService(SignalBook book, Set<String> knownZones, Set<String> knownDataCenters, Clock clock) {
    this.book = book;
    this.knownZones = Set.copyOf(knownZones);
    this.knownDataCenters = Set.copyOf(knownDataCenters);
    this.clock = clock;
  }

  @Override
  public void publishSignals(PublishSignalsRequest req, StreamObserver<PublishSignalsResponse> out) {
    answer(out, () -> PublishSignalsResponse.newBuilder().setAccepted(publish(req)).build());
  }

  @Override
  public StreamObserver<PublishSignalsRequest> streamSignals(StreamObserver<PublishSignalsResponse> out) {
    String source = Principal.current().name();
    return new StreamObserver<>() {
      private long accepted;
      private int batches;
      private boolean failed;

      @Override
      public void onNext(PublishSignalsRequest req) {
        if (failed) {
          return;
        }
        try {
          accepted += publish(req, source);
          batches++;
        } catch (RuntimeException e) {
          failed = true;
          String lead = "batch " + batches + " refused (the " + batches + " batch(es) before it, " + accepted
              + " point(s), were applied); ";
          out.onError(e instanceof InvalidSignalException ise
              ? Violations.of(ise.violations(), "").toException(lead) : StatusMapping.toStatus(e));
        }
      }

      @Override
      public void onError(Throwable t) {
        // The client gave up; the batches already applied stay applied, each was atomic.
      }

      @Override
      public void onCompleted() {
        if (!failed) {
          out.onNext(PublishSignalsResponse.newBuilder().setAccepted(accepted).build());
          out.onCompleted();
        }
      }
    };
  }

  private long publish(PublishSignalsRequest req) {
    return publish(req, Principal.current().name());
  }

  private long publish(PublishSignalsRequest req, String source) {
    List<SignalPoint> points = SignalMapper.points(req, source);
    return points.isEmpty() ? 0 : book.publish(points);
  }

  @Override
  public void publishTariff(PublishTariffRequest req, StreamObserver<io.heliotrope.proto.v1.Tariff> out) {
    answer(out, () -> {
      try {
        return SignalMapper.toProto(book.publishTariff(SignalMapper.tariff(req.getTariff())));
      } catch (InvalidSignalException e) {
        // The model names fields within the tariff; the request names them under "tariff.".
        throw Violations.of(e.violations().stream().map(v -> v.field().startsWith("tariff.") ? v
            : new io.heliotrope.broker.signal.Violation("tariff." + v.field(), v.description())).toList(), "")
            .toException();
      }
    });
  }

  @Override
  public void listTariffs(ListTariffsRequest req, StreamObserver<ListTariffsResponse> out) {
    answer(out, () -> {
      ListTariffsResponse.Builder b = ListTariffsResponse.newBuilder();
      book.view().tariffs(req.getZone()).stream().sorted(Comparator.comparing(t -> t.id()))
          .forEach(t -> b.addTariffs(SignalMapper.toProto(t)));
      return b.build();
    });
  }

  @Override
  public void publishGridEvent(PublishGridEventRequest req, StreamObserver<io.heliotrope.proto.v1.GridEvent> out) {
    answer(out, () -> GridEventMapper.toProto(
        book.events().publish(GridEventMapper.received(req.getEvent(), clock.instant()))));
  }

  @Override
  public void updateGridEvent(UpdateGridEventRequest req, StreamObserver<io.heliotrope.proto.v1.GridEvent> out) {
    answer(out, () -> GridEventMapper.toProto(
        book.events().update(GridEventMapper.received(req.getEvent(), clock.instant()))));
  }

  @Override
  public void cancelGridEvent(CancelGridEventRequest req, StreamObserver<io.heliotrope.proto.v1.GridEvent> out) {
    answer(out, () -> {
      requireId(req.getId());
      if (req.getReason().length() > Limits.MAX_TEXT) {
        throw new Violations().add("reason", "at most " + Limits.MAX_TEXT + " characters").toException();
      }
      String why = "cancelled by " + Principal.current().name() + (req.getReason().isBlank() ? "" : ": " + req.getReason());
      return GridEventMapper.toProto(book.events().cancel(req.getId(), why));
    });
  }

  @Override
  public void getGridEvent(GetGridEventRequest req, StreamObserver<io.heliotrope.proto.v1.GridEvent> out) {
    answer(out, () -> {
      requireId(req.getId());
      return GridEventMapper.toProto(book.events().get(req.getId()));
    });
  }

  @Override
  public void listGridEvents(ListGridEventsRequest req, StreamObserver<ListGridEventsResponse> out) {
    answer(out, () -> {
      int size = PageTokens.pageSize(req.getPageSize());
      Set<GridEventStatus> statuses = statuses(req.getStatusesList());
      String scope = "events|" + req.getZone() + "|" + new java.util.TreeSet<>(statuses);
      java.util.Optional<PageTokens.Cursor> after = PageTokens.cursor(req.getPageToken(), scope, "ListGridEvents",
          "zone and statuses");
      // By start, then id (as the book lists them): a page starts after the cursor's position.
      java.util.Comparator<PageTokens.Cursor> order = java.util.Comparator.comparing(PageTokens.Cursor::at)
          .thenComparing(PageTokens.Cursor::id);
      List<GridEvent> events = book.events().list(req.getZone(), statuses).stream()
          .filter(e -> after.isEmpty() || order.compare(new PageTokens.Cursor(e.start(), e.id()), after.get()) > 0)
          .toList();
      ListGridEventsResponse.Builder b = ListGridEventsResponse.newBuilder();
      events.stream().limit(size).forEach(e -> b.addEvents(GridEventMapper.toProto(e)));
      if (events.size() > size) {
        GridEvent last = events.get(size - 1);
        b.setNextPageToken(PageTokens.encode(new PageTokens.Cursor(last.start(), last.id()), scope));
      }
      return b.build();
    });
  }

  @Override
  public void watchGridEvents(WatchGridEventsRequest req, StreamObserver<io.heliotrope.proto.v1.GridEvent> out) {
    try {
      if (!req.getId().isEmpty()) {
        requireId(req.getId());
        book.events().get(req.getId()); // NOT_FOUND now rather than a stream that never speaks
      }
    } catch (RuntimeException e) {
      out.onError(StatusMapping.toStatus(e));
      return;
    }
    new GridEventWatch((ServerCallStreamObserver<io.heliotrope.proto.v1.GridEvent>) out, Limits.WATCH_BACKLOG)
        .start(book.events(), req.getZone(), req.getId());
  }

  /** The planner's flexibility forecast, for GetFlexibility. */
  public SignalGrpcService withFlexibility(io.heliotrope.broker.signal.Flexibility f) {
    this.flexibility = f;
    return this;
  }

  /** GetFlexibility answers at most this range: one plan per data centre and hour. */
  static final Duration MAX_FLEXIBILITY_RANGE = Duration.ofHours(24);

  @Override
  public void getFlexibility(io.heliotrope.proto.v1.GetFlexibilityRequest req,
      StreamObserver<io.heliotrope.proto.v1.GetFlexibilityResponse> out) {
    answer(out, () -> {
      Violations v = new Violations();
      String target = req.getTarget();
      if (target.isEmpty()) {
        v.add("target", "required: a zone or a data centre");
      } else if (!knownZones.contains(target) && !knownDataCenters.contains(target)) {
        v.add("target", "unknown zone or data centre " + Limits.echo(target));
      }
      Instant from = req.hasFrom() ? Times.instant(req.getFrom(), "from", v::add) : null;
      Instant to = req.hasTo() ? Times.instant(req.getTo(), "to", v::add) : null;
      if (!req.hasFrom() || !req.hasTo()) {
        v.add(!req.hasFrom() ? "from" : "to", "required");
      } else if (from != null && to != null && !to.isAfter(from)) {
        v.add("to", "must be after from");
      } else if (from != null && to != null && Duration.between(from, to).compareTo(MAX_FLEXIBILITY_RANGE) > 0) {
        v.add("to", "at most " + MAX_FLEXIBILITY_RANGE.toHours() + " h per request (one plan per data centre and hour)");
      }
      v.throwIfAny();
      var b = io.heliotrope.proto.v1.GetFlexibilityResponse.newBuilder();
      for (var h : flexibility.forecast(target, from, to)) {
        b.addHours(io.heliotrope.proto.v1.FlexibilityHour.newBuilder().setDataCenter(h.dataCenter())
            .setStart(JobMapper.timestamp(h.start())).setEnd(JobMapper.timestamp(h.end()))
            .setPlannedKw(h.planned().kilowatts()).setSheddableKw(h.sheddable().kilowatts())
            .setDelayedGpuHours(h.delayedGpuHours()).setJobsAffected(h.jobsAffected()));
      }
      return b.build();
    });
  }

  @Override
  public void getSignals(GetSignalsRequest req, StreamObserver<GetSignalsResponse> out) {
    answer(out, () -> {
      Violations v = new Violations();
      SignalView view = book.view();
      boolean byDataCenter = req.getZone().isEmpty() && !req.getDataCenter().isEmpty();
      String owner = byDataCenter ? req.getDataCenter() : req.getZone();
      if (owner.isEmpty()) {
        v.add("zone", "required (or data_center for a data centre's own supply)");
      } else if (byDataCenter ? !knownDataCenters.contains(owner)
          : !knownZones.contains(owner) && view.tariffs(owner).isEmpty()) {
        v.add(byDataCenter ? "data_center" : "zone", "unknown " + (byDataCenter ? "data centre" : "zone") + " "
            + Limits.echo(owner));
      }
      Instant from = req.hasFrom() ? Times.instant(req.getFrom(), "from", v::add) : null;
      Instant to = req.hasTo() ? Times.instant(req.getTo(), "to", v::add) : null;
      if (!req.hasFrom() || !req.hasTo()) {
        v.add(!req.hasFrom() ? "from" : "to", "required");
      } else if (from == null || to == null) {
        // already said: not a valid timestamp
      } else if (!to.isAfter(from)) {
        v.add("to", "must be after from");
      } else if (Duration.between(from, to).compareTo(MAX_RANGE) > 0) {
        v.add("to", "at most " + MAX_RANGE.toDays() + " days per request; page through longer ranges");
      }
      Set<SignalKind> kinds = EnumSet.noneOf(SignalKind.class);
      for (int i = 0; i < req.getKindsCount(); i++) {
        SignalKind k = SignalMapper.kind(req.getKinds(i));
        if (k == null) {
          v.add("kinds[" + i + "]", "unknown signal kind");
        } else {
          kinds.add(k);
        }
      }
      v.throwIfAny();
      GetSignalsResponse.Builder b = GetSignalsResponse.newBuilder().setZone(owner);
      view.keys(owner).stream().filter(k -> kinds.isEmpty() || kinds.contains(k.kind()))
          .sorted(Comparator.comparing(SeriesKey::toString))
          .forEach(k -> view.points(owner, k, byDataCenter, from, to).forEach(p -> b.addPoints(SignalMapper.toProto(p))));
      if (!byDataCenter && (kinds.isEmpty() || kinds.contains(SignalKind.PRICE))) {
        view.tariffs(owner).stream().sorted(Comparator.comparing(Tariff::id))
            .forEach(t -> b.addAllPoints(SignalMapper.tariffPoints(owner, t, from, to)));
      }
      Degradation d = view.degraded(owner);
      return b.setDegraded(d.degraded()).setDegradedReason(d.reason()).build();
    });
  }

  private static Set<GridEventStatus> statuses(List<io.heliotrope.proto.v1.GridEventStatus> wanted) {
    Violations v = new Violations();
    Set<GridEventStatus> out = EnumSet.noneOf(GridEventStatus.class);
    for (int i = 0; i < wanted.size(); i++) {
      GridEventStatus s = GridEventMapper.status(wanted.get(i));
      if (s == null) {
        v.add("statuses[" + i + "]", "unknown status");
      } else {
        out.add(s);
      }
    }
    v.throwIfAny();
    return out;
  }

  private static void requireId(String id) {
    if (id.isEmpty()) {
      throw new Violations().add("id", "required").toException();
    }
    Violations v = new Violations();
    Fields.id("id", id, v::add);
    v.throwIfAny();
  }

  /** Runs a unary call: its answer, or the failure mapped to a status the caller can act on. */
  private static <T> void answer(StreamObserver<T> out, Supplier<T> call) {
    T reply;
    try {
      reply = call.get();
    } catch (RuntimeException e) {
      out.onError(e instanceof InvalidSignalException ise ? Violations.of(ise.violations(), "").toException()
          : StatusMapping.toStatus(e));
      return;
    }
    out.onNext(reply);
    out.onCompleted();
  }
}
