package io.heliotrope.broker.api;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.heliotrope.broker.domain.Limits;
import io.heliotrope.broker.metrics.Metrics;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outermost interceptor: gives every call a request id, and when it closes logs one line
 * (request id, method, status, duration) and counts it. Outside auth, so refused calls show too.
 * Nothing from the payload or the credentials is logged.
 */
public final class CallObserver implements ServerInterceptor {
  /** A logger name of its own, so operators can turn the access log down without losing the rest. */
  private static final Logger log = LoggerFactory.getLogger("heliotrope.rpc");

  private final Metrics metrics;

  public CallObserver(Metrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    String id = RequestIds.from(headers);
    long t0 = System.nanoTime();
    String service = call.getMethodDescriptor().getServiceName();
    String method = call.getMethodDescriptor().getBareMethodName();
    ServerCall<Q, R> observed = new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
      private boolean headersSent;

      @Override
      public void sendHeaders(Metadata h) {
        h.put(RequestIds.HEADER, id);
        headersSent = true;
        super.sendHeaders(h);
      }

      @Override
      public void close(Status status, Metadata trailers) {
        if (!headersSent) {
          trailers.put(RequestIds.HEADER, id);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        metrics.rpc(String.valueOf(service), String.valueOf(method), status.getCode().name(), took);
        if (status.isOk()) {
          log.info("rpc request_id={} method={}/{} status={} duration_ms={}", id, service, method,
              status.getCode(), took.toMillis());
        } else {
          // The description is our own text (validation, not found); it carries no token, and values
          // quoted in it are cut and escaped (Limits.echo), so no caller can forge a log line.
          log.info("rpc request_id={} method={}/{} status={} duration_ms={} error=\"{}\"", id, service, method,
              status.getCode(), took.toMillis(), Limits.clip(String.valueOf(status.getDescription()), 512).replace('"', '\''));
        }
        super.close(status, trailers);
      }
    };
    return Contexts.interceptCall(Context.current().withValue(RequestIds.KEY, id), observed, headers, next);
  }
}
