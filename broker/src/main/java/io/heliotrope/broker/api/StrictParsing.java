package io.heliotrope.broker.api;

import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.heliotrope.broker.domain.Limits;
import java.io.InputStream;

/**
 * Requests that are not the message they claim to be answer INVALID_ARGUMENT, in one line.
 * Without this, grpc-java's parse failure escapes the call as UNKNOWN ("Application error
 * processing RPC") with the exception's stack trace in the log, on every RPC. The request
 * marshaller of each method is wrapped: a parse failure becomes a null request, which the
 * innermost listener turns into INVALID_ARGUMENT before the service ever sees it.
 */
public final class StrictParsing {
  private StrictParsing() {}

  public static ServerServiceDefinition wrap(ServerServiceDefinition def) {
    ServiceDescriptor old = def.getServiceDescriptor();
    ServiceDescriptor.Builder descriptor = ServiceDescriptor.newBuilder(old.getName())
        .setSchemaDescriptor(old.getSchemaDescriptor());
    java.util.List<ServerMethodDefinition<?, ?>> methods = new java.util.ArrayList<>();
    for (ServerMethodDefinition<?, ?> m : def.getMethods()) {
      ServerMethodDefinition<?, ?> wrapped = wrap(m);
      methods.add(wrapped);
      descriptor.addMethod(wrapped.getMethodDescriptor());
    }
    ServerServiceDefinition.Builder b = ServerServiceDefinition.builder(descriptor.build());
    methods.forEach(b::addMethod);
    return b.build();
  }

  private static <Q, R> ServerMethodDefinition<Q, R> wrap(ServerMethodDefinition<Q, R> m) {
    MethodDescriptor<Q, R> md = m.getMethodDescriptor();
    String type = md.getFullMethodName();
    MethodDescriptor<Q, R> lenient = md.toBuilder(new NullOnFailure<>(md.getRequestMarshaller()),
        md.getResponseMarshaller()).build();
    ServerCallHandler<Q, R> handler = m.getServerCallHandler();
    return ServerMethodDefinition.create(lenient, new ServerCallHandler<Q, R>() {
      @Override
      public ServerCall.Listener<Q> startCall(ServerCall<Q, R> call, Metadata headers) {
        return new Refusing<>(handler.startCall(call, headers), call, type);
      }
    });
  }

  /** The method's own marshaller, answering null (and remembering why) where it would throw. */
  private static final class NullOnFailure<Q> implements MethodDescriptor.Marshaller<Q> {
    private final MethodDescriptor.Marshaller<Q> delegate;

    NullOnFailure(MethodDescriptor.Marshaller<Q> delegate) {
      this.delegate = delegate;
    }

    @Override
    public InputStream stream(Q value) {
      return delegate.stream(value);
    }

    @Override
    public Q parse(InputStream stream) {
      try {
        return delegate.parse(stream);
      } catch (RuntimeException e) {
        return null;
      }
    }
  }

  /** Passes everything on until a request failed to parse; then closes the call and drops the rest. */
  private static final class Refusing<Q, R> extends ForwardingServerCallListener.SimpleForwardingServerCallListener<Q> {
    private final ServerCall<Q, R> call;
    private final String method;
    private boolean refused;

    Refusing(ServerCall.Listener<Q> delegate, ServerCall<Q, R> call, String method) {
      super(delegate);
      this.call = call;
      this.method = method;
    }

    @Override
    public void onMessage(Q message) {
      if (refused) {
        return;
      }
      if (message == null) {
        refused = true;
        call.close(Status.INVALID_ARGUMENT.withDescription("the request is not a valid message of "
            + Limits.clip(method, Limits.MAX_ID) + " (it does not parse as protobuf)"), new Metadata());
        return;
      }
      super.onMessage(message);
    }

    @Override
    public void onHalfClose() {
      if (!refused) {
        super.onHalfClose();
      }
    }

    @Override
    public void onReady() {
      if (!refused) {
        super.onReady();
      }
    }
  }
}
