package io.heliotrope.broker.cli;

import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;

/**
 * The answer of a client-streaming call as a future: its one response, or its failure. Open for
 * extension so a caller can add flow control ({@code ClientResponseObserver}).
 */
public class SingleResponse<T> implements StreamObserver<T> {
  private final CompletableFuture<T> future = new CompletableFuture<>();

  public CompletableFuture<T> future() {
    return future;
  }

  @Override
  public void onNext(T value) {
    future.complete(value);
  }

  @Override
  public void onError(Throwable t) {
    future.completeExceptionally(t);
  }

  /** A stream that ends without a response leaves the future to fail the caller's check. */
  @Override
  public void onCompleted() {
    future.completeExceptionally(new IllegalStateException("the call ended without a response"));
  }
}
