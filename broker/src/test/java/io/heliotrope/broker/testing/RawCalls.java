package io.heliotrope.broker.testing;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.heliotrope.broker.api.RawMethods;
import io.heliotrope.broker.cli.BearerToken;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Calls any RPC with raw bytes as its request, as a broken or hostile client would. */
public final class RawCalls {
  private RawCalls() {}

  /** The status a call of {@code fullName} with {@code payload} as its one request ends with. */
  public static Status call(Channel channel, String token, String fullName, MethodDescriptor.MethodType type,
      byte[] payload) throws Exception {
    CallOptions options = CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS)
        .withCallCredentials(new BearerToken(token));
    MethodDescriptor<byte[], byte[]> m = RawMethods.method(fullName, type);
    if (type == MethodDescriptor.MethodType.UNARY) {
      try {
        ClientCalls.blockingUnaryCall(channel, m, options, payload);
        return Status.OK;
      } catch (StatusRuntimeException e) {
        return e.getStatus();
      }
    }
    CompletableFuture<Status> ended = new CompletableFuture<>();
    StreamObserver<byte[]> replies = new StreamObserver<>() {
      @Override
      public void onNext(byte[] value) {
        ended.complete(Status.OK);
      }

      @Override
      public void onError(Throwable t) {
        ended.complete(Status.fromThrowable(t));
      }

      @Override
      public void onCompleted() {
        ended.complete(Status.OK);
      }
    };
    var call = channel.newCall(m, options);
    StreamObserver<byte[]> requests;
    if (type == MethodDescriptor.MethodType.SERVER_STREAMING) {
      ClientCalls.asyncServerStreamingCall(call, payload, replies);
      // A watch that accepted its request streams until cancelled: its first reply, or a quiet
      // half second, means "accepted".
      Status s = ended.completeOnTimeout(Status.OK, 500, TimeUnit.MILLISECONDS).get();
      call.cancel("done", null);
      return s;
    }
    requests = type == MethodDescriptor.MethodType.CLIENT_STREAMING
        ? ClientCalls.asyncClientStreamingCall(call, replies) : ClientCalls.asyncBidiStreamingCall(call, replies);
    requests.onNext(payload);
    requests.onCompleted();
    return ended.get(10, TimeUnit.SECONDS);
  }
}
