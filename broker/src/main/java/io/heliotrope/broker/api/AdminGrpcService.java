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

/**
 * AdminService for operators: status, data centres and period reports from the energy ledger;
 * availability and re-planning arrive with their features (UNIMPLEMENTED until then).
 */
public final class AdminGrpcService extends AdminServiceGrpc.AdminServiceImplBase {
  private final JobRegistry registry;
  private final List<DataCenter> dataCenters;
  private final String storeDescription;
  private final Instant started;
  private final PeriodReports reports;

  public AdminGrpcService(JobRegistry registry, List<DataCenter> dataCenters, String storeDescription, Instant started) {
    this(registry, dataCenters, storeDescription, started, null);
  }

  /** @param reports the ledger's reports; null leaves GetReport UNIMPLEMENTED */
  public AdminGrpcService(JobRegistry registry, List<DataCenter> dataCenters, String storeDescription, Instant started,
      PeriodReports reports) {
    this.registry = registry;
    this.dataCenters = List.copyOf(dataCenters);
    this.storeDescription = storeDescription;
    this.started = started;
    this.reports = reports;
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
    if (v.isEmpty()) {
      Instant from = JobMapper.instant(req.getFrom());
      Instant to = JobMapper.instant(req.getTo());
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
        .setLeader(true)
        .setStarted(JobMapper.timestamp(started))
        .putAllJobsByState(byState)
        .setStore(storeDescription)
        .build());
    out.onCompleted();
  }

  @Override
  public void listDataCenters(ListDataCentersRequest req, StreamObserver<ListDataCentersResponse> out) {
    ListDataCentersResponse.Builder b = ListDataCentersResponse.newBuilder();
    for (DataCenter dc : dataCenters) {
      Resources used = Resources.NONE;
      for (Job j : registry.all()) {
        if (j.state() == io.heliotrope.broker.domain.JobState.RUNNING && j.placement().dataCenter().equals(dc.name())) {
          used = used.plus(j.spec().resources());
        }
      }
      b.addDataCenters(io.heliotrope.proto.v1.DataCenter.newBuilder()
          .setName(dc.name()).setRegion(dc.region()).setZone(dc.zone()).setCluster(dc.cluster()).setPue(dc.pue())
          .setCapacity(resources(dc.capacity())).setInUse(resources(used)).setAvailable(true));
    }
    out.onNext(b.build());
    out.onCompleted();
  }

  private static io.heliotrope.proto.v1.Resources resources(Resources r) {
    return io.heliotrope.proto.v1.Resources.newBuilder().setGpus(r.gpus()).setCpuMillis((int) r.cpuMillis())
        .setMemoryMib(r.memoryMib()).build();
  }
}
