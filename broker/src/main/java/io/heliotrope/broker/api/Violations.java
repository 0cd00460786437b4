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

  public StatusRuntimeException toException() {
    StringBuilder msg = new StringBuilder(list.size() == 1 ? "invalid request: " : list.size() + " problems: ");
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
