package io.heliotrope.broker.api;

import io.grpc.stub.StreamObserver;
import io.heliotrope.broker.domain.DataCenter;
import io.heliotrope.broker.domain.Job;
import io.heliotrope.broker.domain.Resources;
import io.heliotrope.broker.job.JobRegistry;
import io.heliotrope.proto.v1.AdminServiceGrpc;
import io.heliotrope.proto.v1.BrokerStatus;
import io.heliotrope.proto.v1.GetReportRequest;
import io.heliotrope.proto.v1.GetStatusRequest;
import io.heliotrope.proto.v1.Report;
import io.heliotrope.proto.v1.ListDataCentersRequest;
import io.heliotrope.proto.v1.ListDataCentersResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import io.heliotrope.broker.loop.ControlLoop;
import io.heliotrope.broker.plan.Decision;
import io.heliotrope.broker.plan.Plan;
import io.heliotrope.broker.plan.Site;
import io.heliotrope.proto.v1.ReplanRequest;
import io.heliotrope.proto.v1.ReplanResponse;
import io.heliotrope.proto.v1.SetDataCenterAvailabilityRequest;
import io.grpc.Status;

/**
 * AdminService for operators: status, data centres with their current signals, draining a data
 * centre, and an immediate re-plan.
 */
public final class AdminGrpcService extends AdminServiceGrpc.AdminServiceImplBase {
  private final JobRegistry registry;
  private final List<DataCenter> dataCenters;
  private final String storeDescription;
  private final Instant started;
  private final BooleanSupplier leader;
  private ControlLoop loop;
  private PeriodReports reports;

  public AdminGrpcService(JobRegistry registry, List<DataCenter> dataCenters, String storeDescription, Instant started) {
    this(registry, dataCenters, storeDescription, started, () -> true);
  }

  /** {@code leader}: whether this replica plans and dispatches (leader election), read per call. */
  public AdminGrpcService(JobRegistry registry, List<DataCenter> dataCenters, String storeDescription, Instant started,
      BooleanSupplier leader) {
    this.leader = leader;
    this.registry = registry;
    this.dataCenters = List.copyOf(dataCenters);
    this.storeDescription = storeDescription;
    this.started = started;
  }

  /** A report of [from, to): both required, from before to, at most a year (it walks the ledger). */
  @Override
  public void getReport(GetReportRequest req, StreamObserver<Report> out) {
    if (reports == null) {
      super.getReport(req, out);
      return;
    }
    Violations v = new Violations();
    if (!req.hasFrom()) {
      v.add("from", "required");
    }
    if (!req.hasTo()) {
      v.add("to", "required");
    }
    Instant from = req.hasFrom() ? Times.instant(req.getFrom(), "from", v::add) : null;
    Instant to = req.hasTo() ? Times.instant(req.getTo(), "to", v::add) : null;
    if (v.isEmpty()) {
      if (!from.isBefore(to)) {
        v.add("to", "must be after from");
      } else if (java.time.Duration.between(from, to).toDays() > 366) {
        v.add("to", "a report covers at most 366 days");
      }
      if (v.isEmpty()) {
        out.onNext(reports.build(from, to));
        out.onCompleted();
        return;
      }
    }
    out.onError(v.toException());
  }

  @Override
  public void getStatus(GetStatusRequest req, StreamObserver<BrokerStatus> out) {
    Map<String, Long> byState = new TreeMap<>();
    for (Job j : registry.all()) {
      byState.merge(j.state().name(), 1L, Long::sum);
    }
    out.onNext(BrokerStatus.newBuilder()
        .setVersion(Version.current())
        .setLeader(leader.getAsBoolean())
        .setStarted(JobMapper.timestamp(started))
        .putAllJobsByState(byState)
        .setStore(storeDescription)
        .build());
    out.onCompleted();
  }

  @Override
  public void listDataCenters(ListDataCentersRequest req, StreamObserver<ListDataCentersResponse> out) {
    out.onNext(dataCentersNow());
    out.onCompleted();
  }

  private ListDataCentersResponse dataCentersNow() {
    // One pass over the jobs for every data centre's use, not one pass per data centre.
    Map<String, Resources> used = new java.util.HashMap<>();
    for (Job j : registry.all()) {
      if (j.state() == io.heliotrope.broker.domain.JobState.RUNNING) {
        used.merge(j.placement().dataCenter(), j.spec().resources(), Resources::plus);
      }
    }
    ListDataCentersResponse.Builder b = ListDataCentersResponse.newBuilder();
    for (DataCenter dc : dataCenters) {
      io.heliotrope.proto.v1.DataCenter.Builder d = io.heliotrope.proto.v1.DataCenter.newBuilder()
          .setName(dc.name()).setRegion(dc.region()).setZone(dc.zone()).setCluster(dc.cluster()).setPue(dc.pue())
          .setCapacity(JobMapper.toProto(dc.capacity()))
          .setInUse(JobMapper.toProto(used.getOrDefault(dc.name(), Resources.NONE))).setAvailable(true);
      decorate(d);
      b.addDataCenters(d);
    }
    return b.build();
  }

  /** The loop that re-plans and drains; without one (tests of status only) those RPCs are UNIMPLEMENTED. */
  public AdminGrpcService withReports(PeriodReports periodReports) {
    this.reports = periodReports;
    return this;
  }

  /** The loop that re-plans and drains. */
  public AdminGrpcService withLoop(ControlLoop controlLoop) {
    this.loop = controlLoop;
    return this;
  }

  @Override
  public void replan(ReplanRequest req, StreamObserver<ReplanResponse> out) {
    if (loop == null || !leader.getAsBoolean()) {
      out.onError(Status.FAILED_PRECONDITION.withDescription("this replica is not the leader: ask the leader to re-plan")
          .asRuntimeException());
      return;
    }
    long t0 = System.nanoTime();
    Plan plan = loop.cycle();
    ReplanResponse.Builder b = ReplanResponse.newBuilder().setDurationMs((System.nanoTime() - t0) / 1e6);
    for (Decision d : plan.decisions()) {
      io.heliotrope.proto.v1.Decision.Builder p = io.heliotrope.proto.v1.Decision.newBuilder().setJobId(d.jobId())
          .setKind(d.kind()).setReason(d.reason());
      if (d instanceof Decision.Start s) {
        p.setDataCenter(s.dataCenter());
      } else if (d instanceof Decision.Defer f) {
        p.setDataCenter(f.dataCenter()).setPlannedStart(JobMapper.timestamp(f.plannedStart()));
      } else if (d instanceof Decision.Suspend s) {
        p.setPlannedStart(JobMapper.timestamp(s.plannedResume()));
      } else if (d instanceof Decision.Migrate m) {
        p.setFromDataCenter(m.from()).setDataCenter(m.to());
      } else if (d instanceof Decision.Cap c) {
        p.setDataCenter(c.dataCenter());
      }
      b.addDecisions(p);
    }
    out.onNext(b.build());
    out.onCompleted();
  }

  @Override
  public void setDataCenterAvailability(SetDataCenterAvailabilityRequest req,
      StreamObserver<io.heliotrope.proto.v1.DataCenter> out) {
    if (loop == null || dataCenters.stream().noneMatch(dc -> dc.name().equals(req.getName()))) {
      out.onError(new Violations().add("name", "unknown data centre "
          + io.heliotrope.broker.domain.Limits.echo(req.getName())).toException());
      return;
    }
    if (req.getReason().length() > io.heliotrope.broker.domain.Limits.MAX_TEXT) {
      out.onError(new Violations().add("reason", "at most " + io.heliotrope.broker.domain.Limits.MAX_TEXT
          + " characters").toException());
      return;
    }
    loop.setAvailable(req.getName(), req.getAvailable(), req.getReason());
    ListDataCentersResponse all = dataCentersNow();
    out.onNext(all.getDataCentersList().stream().filter(d -> d.getName().equals(req.getName())).findFirst().orElseThrow());
    out.onCompleted();
  }

  /** Signals of the last planning cycle's first slot, and availability as the planner will see it. */
  private void decorate(io.heliotrope.proto.v1.DataCenter.Builder b) {
    if (loop == null) {
      return;
    }
    String drained = loop.drained().get(b.getName());
    if (drained != null) {
      b.setAvailable(false).setUnavailableReason(drained);
    }
    var snap = loop.lastSnapshot();
    if (snap == null) {
      return;
    }
    for (Site s : snap.sites()) {
      if (s.name().equals(b.getName()) && s.slots() > 0) {
        b.setCarbonGPerKwh(s.carbon()[0])
            .setPrice(io.heliotrope.proto.v1.EnergyPriceView.newBuilder().setAmountPerMwh(s.priceLocal()[0])
                .setCurrency(s.currency()))
            .setSignalsDegraded(s.degraded());
        if (!s.available() && drained == null) {
          b.setAvailable(false).setUnavailableReason(s.unavailableReason());
        }
      }
    }
  }
}
