package io.heliotrope.broker.api;

import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects every problem with a request, each naming its field, and turns them into one
 * INVALID_ARGUMENT with {@code google.rpc.BadRequest} details.
 */
public final class Violations {
  private final List<BadRequest.FieldViolation> list = new ArrayList<>();

  public Violations add(String field, String description) {
    list.add(BadRequest.FieldViolation.newBuilder().setField(field).setDescription(description).build());
    return this;
  }

  public boolean isEmpty() {
    return list.isEmpty();
  }

  public List<BadRequest.FieldViolation> list() {
    return List.copyOf(list);
  }

  public void throwIfAny() {
    if (!list.isEmpty()) {
      throw toException();
    }
  }

  /** The model's violations, each field prefixed (e.g. "tariff.") to name it within the request. */
  public static Violations of(List<io.heliotrope.broker.signal.Violation> found, String fieldPrefix) {
    Violations v = new Violations();
    found.forEach(x -> v.add(fieldPrefix + x.field(), x.description()));
    return v;
  }

  public StatusRuntimeException toException() {
    return toException("");
  }

  /** As {@link #toException()}, the message starting with {@code leadIn} (what else happened). */
  public StatusRuntimeException toException(String leadIn) {
    StringBuilder msg = new StringBuilder(leadIn)
        .append(list.size() == 1 ? "invalid request: " : list.size() + " problems: ");
    for (int i = 0; i < list.size(); i++) {
      msg.append(i == 0 ? "" : "; ").append(list.get(i).getField()).append(": ").append(list.get(i).getDescription());
    }
    com.google.rpc.Status status = com.google.rpc.Status.newBuilder()
        .setCode(Code.INVALID_ARGUMENT_VALUE)
        .setMessage(msg.toString())
        .addDetails(com.google.protobuf.Any.pack(BadRequest.newBuilder().addAllFieldViolations(list).build()))
        .build();
    return StatusProto.toStatusRuntimeException(status);
  }
}
