package io.heliotrope.broker.loop;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Bounded, interruptible waits for the registry's futures: the loop never hangs on one. */
final class Await {
  static final Duration LIMIT = Duration.ofSeconds(30);

  private Await() {}

  /** The future's value; its failure, a timeout or an interrupt as an unchecked exception. */
  static <T> T result(CompletableFuture<T> f) {
    try {
      return f.get(LIMIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException re ? re : new CompletionException(e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("not recorded within " + LIMIT.toSeconds() + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
