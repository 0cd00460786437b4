package io.heliotrope.broker.api;

import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.heliotrope.broker.domain.Limits;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects every problem with a request, each naming its field, and turns them into one
 * INVALID_ARGUMENT with {@code google.rpc.BadRequest} details.
 */
public final class Violations {
  /**
   * Status and details travel in HTTP/2 trailers, which clients cap at 8 KiB: a batch of thousands
   * of bad points must still come back as INVALID_ARGUMENT, so only the first ones are listed.
   */
  private static final int MAX_IN_MESSAGE = 10;
  private static final int MAX_IN_DETAILS = 40;
  /** Bytes of all details together, well under the 8 KiB trailers with the message beside them. */
  private static final int MAX_DETAIL_BYTES = 3072;

  private final List<BadRequest.FieldViolation> list = new ArrayList<>();

  /** Values quoted in descriptions are cut already ({@code Limits.echo}); this is the backstop. */
  public Violations add(String field, String description) {
    list.add(BadRequest.FieldViolation.newBuilder().setField(Limits.clip(field, 2 * Limits.MAX_ECHO))
        .setDescription(Limits.clip(description, 256)).build());
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
    int inMessage = Math.min(list.size(), MAX_IN_MESSAGE);
    for (int i = 0; i < inMessage; i++) {
      msg.append(i == 0 ? "" : "; ").append(list.get(i).getField()).append(": ").append(list.get(i).getDescription());
    }
    if (list.size() > MAX_IN_DETAILS) {
      msg.append("; only the first ").append(MAX_IN_DETAILS).append(" are listed in the details");
    } else if (list.size() > inMessage) {
      msg.append("; ").append(list.size() - inMessage).append(" more in the details");
    }
    BadRequest.Builder details = BadRequest.newBuilder();
    int bytes = 0;
    for (BadRequest.FieldViolation v : list.subList(0, Math.min(list.size(), MAX_IN_DETAILS))) {
      bytes += v.getSerializedSize();
      if (bytes > MAX_DETAIL_BYTES) {
        break;
      }
      details.addFieldViolations(v);
    }
    com.google.rpc.Status status = com.google.rpc.Status.newBuilder()
        .setCode(Code.INVALID_ARGUMENT_VALUE)
        .setMessage(Limits.clip(msg.toString(), Limits.MAX_ERROR))
        .addDetails(com.google.protobuf.Any.pack(details.build()))
        .build();
    return StatusProto.toStatusRuntimeException(status);
  }
}
