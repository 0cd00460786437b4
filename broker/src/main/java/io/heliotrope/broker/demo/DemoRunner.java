package io.heliotrope.broker.demo;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.heliotrope.broker.api.JobMapper;
import io.heliotrope.broker.app.Broker;
import io.heliotrope.broker.domain.DataCenter;
import io.heliotrope.broker.domain.Job;
import io.heliotrope.broker.domain.JobState;
import io.heliotrope.broker.plan.PlannerSettings;
import io.heliotrope.broker.sim.VirtualClock;
import io.heliotrope.broker.signal.SignalPoint;
import io.heliotrope.broker.signal.providers.BuiltInProfiles;
import io.heliotrope.proto.v1.GridEvent;
import io.heliotrope.proto.v1.GridEventKind;
import io.heliotrope.proto.v1.JobServiceGrpc;
import io.heliotrope.proto.v1.PublishGridEventRequest;
import io.heliotrope.proto.v1.SignalServiceGrpc;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The demo: a real broker on embedded defaults (SQLite file, simulated data centres, built-in grid
 * profiles) on a virtual clock; a day of jobs submitted through the real gRPC API as they arrive;
 * a grid dispatch event; simulated time run to the end; then where, when and why jobs ran, and
 * what that saved against running each job on arrival at home.
 */
public final class DemoRunner {
  private final PrintStream out;

  public DemoRunner(PrintStream out) {
    this.out = out;
  }

  /** Returns the path of the written report. */
  public Path run(Broker broker, VirtualClock clock, Path reportDir) throws Exception {
    Instant start = clock.instant();
    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", broker.grpcPort()).usePlaintext().build();
    try {
      var jobs = JobServiceGrpc.newBlockingStub(channel);
      var signals = SignalServiceGrpc.newBlockingStub(channel);
      List<DemoWorkload.Arrival> arrivals = DemoWorkload.day(start, 7);
      out.printf("Heliotrope demo: %d jobs from 4 teams arrive over 24 h; %d simulated data centres; built-in grid "
          + "profiles; broker on 127.0.0.1:%d; virtual time from %s%n%n", arrivals.size(),
          broker.config().dataCenters().size(), broker.grpcPort(), start);
      topUpForecasts(broker, clock.instant());

      int next = 0;
      Instant end = start.plus(Duration.ofDays(3));
      Instant lastTopUp = clock.instant();
      boolean eventSent = false;
      while (clock.instant().isBefore(end)) {
        while (next < arrivals.size() && !arrivals.get(next).at().isAfter(clock.instant())) {
          jobs.submitJob(arrivals.get(next++).request());
        }
        if (!eventSent && !clock.instant().isBefore(start.plus(Duration.ofHours(6)))) {
          dispatch(signals, clock.instant());
          eventSent = true;
        }
        broker.loop().cycle();
        if (next >= arrivals.size() && broker.registry().all().stream().allMatch(j -> j.state().isTerminal())) {
          break;
        }
        clock.advance(Duration.ofMinutes(15));
        if (Duration.between(lastTopUp, clock.instant()).toHours() >= 3) {
          topUpForecasts(broker, clock.instant());
          lastTopUp = clock.instant();
        }
      }
      return summarise(broker, start, clock.instant(), reportDir);
    } finally {
      channel.shutdownNow();
    }
  }

  /** Grid dispatch asks Guangdong to shed load four hours from now, for two hours. */
  private void dispatch(SignalServiceGrpc.SignalServiceBlockingStub signals, Instant now) {
    GridEvent event = signals.publishGridEvent(PublishGridEventRequest.newBuilder().setEvent(GridEvent.newBuilder()
          .setId("gd-peak-" + now.getEpochSecond()).setKind(GridEventKind.PEAK_SHAVING)
          .setDataCenter("cn-gd-shenzhen").setReduceKw(20)
          .setStart(JobMapper.timestamp(now.plus(Duration.ofHours(4))))
          .setEnd(JobMapper.timestamp(now.plus(Duration.ofHours(6))))).build());
      out.printf("At %s grid dispatch asks cn-gd-shenzhen to cut 20 kW from %s for 2 h; the planner answers %s, "
        + "%.1f kW (%s)%n%n", now, now.plus(Duration.ofHours(4)), event.getStatus(), event.getCommittedKw(),
        event.getCommitmentReason());
  }

  /** The built-in profiles give 48 h of forecast from a time; keep them ahead of the virtual clock. */
  private static void topUpForecasts(Broker broker, Instant now) throws Exception {
    BuiltInProfiles profiles = new BuiltInProfiles();
    for (DataCenter dc : broker.config().dataCenters()) {
      if (profiles.serves(dc.zone())) {
        // Two overlapping 48 h runs keep more than the planner's 48 h horizon covered.
        broker.signals().publish(profiles.fetch(dc.zone(), now));
        // The second run is issued now: a broker refuses forecasts issued in its future.
        broker.signals().publish(profiles.fetch(dc.zone(), now.plus(Duration.ofHours(24))).stream()
            .map(p -> p.forecast() ? new SignalPoint(p.zone(), p.dataCenter(), p.kind(), p.start(), p.end(), p.value(),
                p.unit(), p.basis(), true, now, p.source()) : p).toList());
      }
    }
  }

  private Path summarise(Broker broker, Instant start, Instant end, Path reportDir) throws Exception {
    Map<String, DataCenter> dcs = new LinkedHashMap<>();
    broker.config().dataCenters().forEach(dc -> dcs.put(dc.name(), dc));
    DemoAccounting acc = new DemoAccounting(broker.signals().view(), dcs, PlannerSettings.defaults());
    List<Job> all = broker.registry().between(start, end.plusSeconds(1)); // with those finished and gone from memory
    all.sort(java.util.Comparator.comparing(Job::created));
    DemoReport report = new DemoReport(start, end);
    for (Job j : all) {
      report.add(j, acc.actual(j), acc.runNow(j));
    }
    report.print(out);
    Path path = report.write(reportDir);
    out.printf("%nReport: %s%n", path.toAbsolutePath());
    long missed = all.stream().filter(j -> j.state() != JobState.SUCCEEDED
        || j.lastEvent().time().isAfter(j.spec().deadline())).count();
    if (missed > 0) {
      out.printf("%d job(s) did not finish by their deadline%n", missed);
    }
    return path;
  }
}
