package io.heliotrope.broker.cli;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import com.google.rpc.BadRequest;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.heliotrope.proto.v1.Job;
import io.heliotrope.proto.v1.JobEvent;
import io.heliotrope.proto.v1.JobExplanation;
import java.io.PrintStream;
import java.time.Instant;

/** Renders API messages for people (aligned text) or programs (JSON), and errors with their fields. */
final class Printer {
  private static final JsonFormat.Printer JSON = JsonFormat.printer().omittingInsignificantWhitespace();

  private final PrintStream out;
  private final boolean json;
  private final boolean yaml;

  Printer(PrintStream out, boolean json) {
    this(out, json, false);
  }

  /** {@code yaml}: what would be JSON is printed as YAML, with the created workload as an object. */
  Printer(PrintStream out, boolean json, boolean yaml) {
    this.out = out;
    this.json = json;
    this.yaml = yaml;
  }

  void json(MessageOrBuilder m) {
    try {
      out.println(yaml ? WorkloadText.yaml(JSON.print(m)) : JSON.print(m));
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
  }

  void job(Job j) {
    if (json) {
      json(j);
      return;
    }
    out.printf("job        %s  %s  (team %s)%n", j.getId(), j.getSpec().getName(), j.getSpec().getTeam());
    out.printf("state      %s%n", j.getState());
    out.printf("placement  %s%n", j.getPlacement().getDataCenter().isEmpty() ? "-" : j.getPlacement().getDataCenter()
        + " (" + j.getPlacement().getRegion() + ", zone " + j.getPlacement().getZone() + ")");
    if (j.hasPlannedStart()) {
      out.printf("planned    %s%n", time(j.getPlannedStart()));
    }
    out.printf("resources  %d GPU, %d mCPU, %d MiB; ~%s%n", j.getSpec().getResources().getGpus(),
        j.getSpec().getResources().getCpuMillis(), j.getSpec().getResources().getMemoryMib(),
        io.heliotrope.broker.api.Durations.human(java.time.Duration.ofSeconds(j.getSpec().getEstimatedDuration().getSeconds())));
    WorkloadText.derived(out, j);
    out.printf("deadline   %s%n", time(j.getSpec().getDeadline()));
    out.printf("reason     %s%n", j.getReason());
    if (j.getEventsCount() > 0) {
      out.println("history");
      for (JobEvent e : j.getEventsList()) {
        event(e);
      }
    }
  }

  void event(JobEvent e) {
    if (json) {
      json(e);
      return;
    }
    out.printf("  %s  %-10s %-10s %s%n", time(e.getTime()), e.getState(), e.getKind(), e.getReason());
  }

  void summaryHeader() {
    if (!json) {
      out.printf("%-20s %-24s %-12s %-10s %-16s %s%n", "ID", "NAME", "TEAM", "STATE", "DATA CENTRE", "REASON");
    }
  }

  void summary(Job j) {
    if (json) {
      json(j);
      return;
    }
    out.printf("%-20s %-24s %-12s %-10s %-16s %s%n", j.getId(), j.getSpec().getName(), j.getSpec().getTeam(),
        j.getState(), j.getPlacement().getDataCenter().isEmpty() ? "-" : j.getPlacement().getDataCenter(), j.getReason());
  }

  void explanation(JobExplanation x) {
    if (json) {
      json(x);
      return;
    }
    out.println(x.getSummary());
    x.getDetailsList().forEach(d -> out.println("  - " + d));
  }

  private static String time(com.google.protobuf.Timestamp t) {
    return Instant.ofEpochSecond(t.getSeconds(), t.getNanos()).toString();
  }

  /** Prints a failed call to stderr: its status, and each offending field on its own line. */
  static void error(PrintStream err, StatusRuntimeException e) {
    java.util.List<BadRequest.FieldViolation> fields = fieldViolations(e);
    if (fields.isEmpty()) {
      err.println("error: " + e.getStatus().getCode() + ": " + e.getStatus().getDescription());
      return;
    }
    err.println("error: " + e.getStatus().getCode() + ": " + fields.size() + " problem(s) with the request");
    fields.forEach(v -> err.println("  " + v.getField() + ": " + v.getDescription()));
  }

  static java.util.List<BadRequest.FieldViolation> fieldViolations(StatusRuntimeException e) {
    com.google.rpc.Status details = StatusProto.fromThrowable(e);
    java.util.List<BadRequest.FieldViolation> out = new java.util.ArrayList<>();
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
