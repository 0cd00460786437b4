package io.heliotrope.broker.cli;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.BadRequest;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.heliotrope.broker.api.Durations;
import io.heliotrope.proto.v1.Job;
import io.heliotrope.proto.v1.JobAccounting;
import io.heliotrope.proto.v1.JobEvent;
import io.heliotrope.proto.v1.JobExplanation;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Renders jobs for people (aligned text) or programs (json, yaml, name), and errors with their fields. */
final class Printer {
  static final Table<Job> JOBS = new Table<Job>()
      .col("ID", Job::getId).col("NAME", j -> j.getSpec().getName()).col("TEAM", j -> j.getSpec().getTeam())
      .col("STATE", j -> j.getState().name()).col("DATA CENTRE", j -> j.getPlacement().getDataCenter())
      .num("GPUS", j -> String.valueOf(j.getSpec().getResources().getGpus()))
      .col("AGE", j -> Human.age(j.getCreated(), Instant.now()))
      .wide("PLANNED START", j -> j.hasPlannedStart() ? Human.shortTime(j.getPlannedStart()) : "")
      .wide("DEADLINE", j -> Human.shortTime(j.getSpec().getDeadline()))
      .wide("HOME", j -> j.getSpec().getHomeDataCenter())
      .wide("LABELS", j -> j.getSpec().getLabelsMap().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
          .sorted().collect(Collectors.joining(",")))
      .col("REASON", Job::getReason);

  private final Render render;
  private final PrintStream out;

  Printer(Render render) {
    this.render = render;
    this.out = render.out();
  }

  Render render() {
    return render;
  }

  void job(Job j) {
    render.one(ProtoJson.node(j), "job/" + j.getId(), () -> jobText(j));
  }

  private void jobText(Job j) {
    Instant now = Instant.now();
    out.printf("job        %s  %s  (team %s)%n", j.getId(), j.getSpec().getName(), j.getSpec().getTeam());
    out.printf("state      %s%n", j.getState());
    out.printf("placement  %s%n", j.getPlacement().getDataCenter().isEmpty() ? "-" : j.getPlacement().getDataCenter()
        + " (" + j.getPlacement().getRegion() + ", zone " + j.getPlacement().getZone() + ")");
    if (!j.getSpec().getHomeDataCenter().isEmpty()) {
      out.printf("home       %s%n", j.getSpec().getHomeDataCenter());
    }
    if (j.hasPlannedStart()) {
      out.printf("planned    %s%n", Human.time(j.getPlannedStart(), now));
    }
    out.printf("resources  %d GPU, %d mCPU, %d MiB; ~%s%n", j.getSpec().getResources().getGpus(),
        j.getSpec().getResources().getCpuMillis(), j.getSpec().getResources().getMemoryMib(),
        Durations.human(java.time.Duration.ofSeconds(j.getSpec().getEstimatedDuration().getSeconds())));
    WorkloadText.derived(out, j);
    out.printf("submitted  %s%n", Human.time(j.getCreated(), now));
    out.printf("deadline   %s%n", Human.time(j.getSpec().getDeadline(), now));
    if (j.hasAccounting()) {
      JobAccounting a = j.getAccounting();
      String est = a.getEstimated() ? " (estimated)" : " (measured)";
      out.printf("energy     %.3f kWh%s%n", a.getEnergyKwh(), est);
      out.printf("carbon     %.3f kg CO2 (run-now baseline %.3f kg)%n", a.getCarbonKg(), a.getBaselineCarbonKg());
      out.printf("cost       %.2f %s (run-now baseline %.2f %s)%n", a.getCost(), a.getCurrency(), a.getBaselineCost(),
          a.getCurrency());
    } else {
      out.printf("energy     - (no accounting yet)%n");
    }
    out.printf("reason     %s%n", j.getReason());
    if (j.getEventsCount() > 0) {
      out.println("history");
      for (JobEvent e : j.getEventsList()) {
        eventText(e, now);
      }
    }
  }

  void jobs(List<Job> jobs) {
    render.list(jobs, ProtoJson::node, j -> "job/" + j.getId(), JOBS);
  }

  /** One event of a watched job. */
  void event(JobEvent e) {
    render.streamed(ProtoJson.node(e), "job/" + e.getJobId(), () -> eventText(e, Instant.now()));
  }

  private void eventText(JobEvent e, Instant now) {
    out.printf("  %s  %-10s %-10s %s%n", Human.time(e.getTime(), now), e.getState(), e.getKind(), e.getReason());
  }

  void explanation(JobExplanation x) {
    render.one(ProtoJson.node(x), "job/" + x.getJobId(), () -> {
      out.println(x.getSummary());
      x.getDetailsList().forEach(d -> out.println("  - " + d));
    });
  }

  /** Prints a failed call to stderr: its status, and each offending field on its own line. */
  static void error(PrintStream err, StatusRuntimeException e) {
    PrintWriter w = new PrintWriter(err, true);
    error(w, e);
    w.flush();
  }

  static void error(PrintWriter err, StatusRuntimeException e) {
    List<BadRequest.FieldViolation> fields = fieldViolations(e);
    if (fields.isEmpty()) {
      err.println("error: " + e.getStatus().getCode() + ": " + e.getStatus().getDescription());
      return;
    }
    err.println("error: " + e.getStatus().getCode() + ": " + fields.size() + " problem(s) with the request");
    fields.forEach(v -> err.println("  " + v.getField() + ": " + v.getDescription()));
  }

  static List<BadRequest.FieldViolation> fieldViolations(StatusRuntimeException e) {
    com.google.rpc.Status details = StatusProto.fromThrowable(e);
    List<BadRequest.FieldViolation> out = new ArrayList<>();
    if (details != null) {
      for (var any : details.getDetailsList()) {
        if (any.is(BadRequest.class)) {
          try {
            out.addAll(any.unpack(BadRequest.class).getFieldViolationsList());
          } catch (InvalidProtocolBufferException ignored) {
            // unreadable details: the status line still says what went wrong
          }
        }
      }
    }
    return out;
  }
}
