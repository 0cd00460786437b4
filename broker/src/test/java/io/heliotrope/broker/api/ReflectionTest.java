package io.heliotrope.broker.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import io.grpc.stub.StreamObserver;
import io.heliotrope.broker.cli.SingleResponse;
import io.heliotrope.broker.testing.TestBroker;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Server reflection over a real socket, in both protocol versions: v1 (current grpcurl) and v1alpha
 * (older grpcurl, Postman). With auth on, reflection needs no token.
 */
class ReflectionTest {
  private static final List<String> OURS = List.of("heliotrope.v1.AdminService", "heliotrope.v1.AgentService",
      "heliotrope.v1.JobService", "heliotrope.v1.SignalService");

  @TempDir Path dir;
  TestBroker broker;

  @BeforeEach
  void start() throws Exception {
    broker = TestBroker.start(dir, TestBroker.ALL_ROLES, Optional.empty());
  }

  @AfterEach
  void stop() {
    broker.close();
  }

  @Test
  void v1ListsEveryServiceAndServesTheirFiles() throws Exception {
    var stub = io.grpc.reflection.v1.ServerReflectionGrpc.newStub(broker.channel());
    Function<io.grpc.reflection.v1.ServerReflectionRequest, io.grpc.reflection.v1.ServerReflectionResponse> ask =
        req -> one(observer -> stub.serverReflectionInfo(observer), req);

    var listed = ask.apply(io.grpc.reflection.v1.ServerReflectionRequest.newBuilder().setListServices("*").build());
    List<String> names = listed.getListServicesResponse().getServiceList().stream()
        .map(io.grpc.reflection.v1.ServiceResponse::getName).toList();
    assertServices(names);
    assertTrue(names.contains("grpc.reflection.v1alpha.ServerReflection"), names.toString());

    var file = ask.apply(io.grpc.reflection.v1.ServerReflectionRequest.newBuilder()
        .setFileContainingSymbol("heliotrope.v1.JobService").build());
    assertJobProto(file.getFileDescriptorResponse().getFileDescriptorProtoList());
  }

  @Test
  void v1alphaListsEveryServiceAndServesTheirFiles() throws Exception {
    @SuppressWarnings("deprecation")
    var stub = io.grpc.reflection.v1alpha.ServerReflectionGrpc.newStub(broker.channel());
    Function<io.grpc.reflection.v1alpha.ServerReflectionRequest, io.grpc.reflection.v1alpha.ServerReflectionResponse> ask =
        req -> one(observer -> stub.serverReflectionInfo(observer), req);

    var listed = ask.apply(io.grpc.reflection.v1alpha.ServerReflectionRequest.newBuilder().setListServices("*").build());
    List<String> names = listed.getListServicesResponse().getServiceList().stream()
        .map(io.grpc.reflection.v1alpha.ServiceResponse::getName).toList();
    assertServices(names);
    assertTrue(names.contains("grpc.reflection.v1.ServerReflection"), names.toString());

    var file = ask.apply(io.grpc.reflection.v1alpha.ServerReflectionRequest.newBuilder()
        .setFileContainingSymbol("heliotrope.v1.JobService").build());
    assertJobProto(file.getFileDescriptorResponse().getFileDescriptorProtoList());
  }

  private static void assertServices(List<String> names) {
    assertTrue(names.containsAll(OURS), names.toString());
    assertTrue(names.contains("grpc.health.v1.Health"), names.toString());
  }

  private static void assertJobProto(List<ByteString> files) {
    List<String> served = new ArrayList<>();
    for (ByteString bytes : files) {
      try {
        served.add(FileDescriptorProto.parseFrom(bytes).getName());
      } catch (com.google.protobuf.InvalidProtocolBufferException e) {
        throw new AssertionError(e);
      }
    }
    assertEquals("heliotrope/v1/job.proto", served.get(0), served.toString());
  }

  /** Sends one request on a reflection stream, returns the one response, and ends the stream. */
  private static <Q, R> R one(Function<StreamObserver<R>, StreamObserver<Q>> open, Q request) {
    SingleResponse<R> answer = new SingleResponse<>();
    StreamObserver<Q> requests = open.apply(answer);
    requests.onNext(request);
    try {
      return answer.future().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("reflection call failed", e);
    } finally {
      requests.onCompleted();
    }
  }
}
