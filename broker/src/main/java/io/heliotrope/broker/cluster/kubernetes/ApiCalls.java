package io.heliotrope.broker.cluster.kubernetes;

import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Reports every Kubernetes API call of a driver's client (method, and whether it failed: an HTTP
 * status of 400 or more, or no connection) to a listener, e.g. the broker's metrics.
 */
public final class ApiCalls implements Interceptor {
  /** Receives one call. */
  public interface Listener {
    void call(String operation, boolean failed);
  }

  private final Listener listener;

  public ApiCalls(Listener listener) {
    this.listener = listener;
  }

  @Override
  public void after(HttpRequest request, HttpResponse<?> response, AsyncBody.Consumer<List<ByteBuffer>> consumer) {
    listener.call(request.method(), response.code() >= 400);
  }

  @Override
  public void afterConnectionFailure(HttpRequest request, Throwable failure) {
    listener.call(request.method(), true);
  }
}
