package io.heliotrope.broker.api;

import io.grpc.stub.StreamObserver;
import io.heliotrope.broker.domain.DataCenter;
import io.heliotrope.broker.domain.Job;
import io.heliotrope.broker.domain.Resources;
import io.heliotrope.broker.job.JobRegistry;
import io.heliotrope.proto.v1.AdminServiceGrpc;
import io.heliotrope.proto.v1.BrokerStatus;
import io.heliotrope.proto.v1.GetStatusRequest;
import io.heliotrope.proto.v1.ListDataCentersRequest;
import io.heliotrope.proto.v1.ListDataCentersResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

/**
 * AdminService for operators. Status and data centres are served here; availability, re-planning
 * and reports arrive with the planner and the energy ledger (UNIMPLEMENTED until then).
 */
public final class AdminGrpcService extends AdminServiceGrpc.AdminServiceImplBase {
  private final JobRegistry registry;
  private final List<DataCenter> dataCenters;
  private final String storeDescription;
  private final Instant started;
  private final BooleanSupplier leader;

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
