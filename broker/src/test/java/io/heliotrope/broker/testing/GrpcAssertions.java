package io.heliotrope.broker.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.BadRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.function.Executable;

/** Assertions on gRPC failures: the code, and the field violations of INVALID_ARGUMENT. */
public final class GrpcAssertions {
  private GrpcAssertions() {}

  public static StatusRuntimeException assertStatus(Status.Code code, Executable call) {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call);
    assertEquals(code, e.getStatus().getCode(), e.getStatus().getDescription());
    return e;
  }

  /** Field -> description of every violation in the error's BadRequest details. */
  public static Map<String, String> fieldViolations(StatusRuntimeException e) {
    Map<String, String> out = new LinkedHashMap<>();
    com.google.rpc.Status s = StatusProto.fromThrowable(e);
    for (var any : s.getDetailsList()) {
      try {
        for (var v : any.unpack(BadRequest.class).getFieldViolationsList()) {
          out.put(v.getField(), v.getDescription());
        }
      } catch (InvalidProtocolBufferException ex) {
        throw new AssertionError(ex);
      }
    }
    return out;
  }
}
