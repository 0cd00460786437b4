package io.heliotrope.broker.api;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.heliotrope.broker.domain.IllegalTransitionException;
import io.heliotrope.broker.domain.Limits;
import io.heliotrope.broker.job.ConcurrentChangeException;
import io.heliotrope.broker.job.DuplicateRequestException;
import io.heliotrope.broker.job.JobNotFoundException;
import io.heliotrope.broker.job.OverloadedException;
import io.heliotrope.broker.job.RegistryClosedException;
import io.heliotrope.broker.job.StorageFailedException;
import io.heliotrope.broker.job.store.StoreException;
import io.heliotrope.broker.signal.GridEventConflictException;
import io.heliotrope.broker.signal.GridEventNotFoundException;
import io.heliotrope.broker.signal.SignalStoreException;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Maps domain and store failures to gRPC status codes that tell the caller what to do. */
public final class StatusMapping {
  private static final Logger log = LoggerFactory.getLogger(StatusMapping.class);

  private StatusMapping() {}

  public static StatusRuntimeException toStatus(Throwable t) {
    StatusRuntimeException s = map(t);
    String d = s.getStatus().getDescription();
    // Messages may quote what a caller sent; trailers are capped at 8 KiB by clients.
    return d != null && d.length() > Limits.MAX_ERROR
        ? new StatusRuntimeException(s.getStatus().withDescription(Limits.clip(d, Limits.MAX_ERROR)), s.getTrailers())
        : s;
  }

  private static StatusRuntimeException map(Throwable t) {
    Throwable e = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    if (e instanceof StatusRuntimeException sre) {
      return sre;
    }
    if (e instanceof JobNotFoundException) {
      return Status.NOT_FOUND.withDescription(e.getMessage()).asRuntimeException();
    }
    if (e instanceof DuplicateRequestException) {
      return Status.ALREADY_EXISTS.withDescription(e.getMessage()).asRuntimeException();
    }
    if (e instanceof IllegalTransitionException ite) {
      String hint = ite.from().isTerminal() ? " (the job has already finished)" : "";
      return Status.FAILED_PRECONDITION.withDescription(e.getMessage() + hint).asRuntimeException();
    }
    if (e instanceof ConcurrentChangeException) {
      return Status.ABORTED.withDescription(e.getMessage() + "; retry").asRuntimeException();
    }
    if (e instanceof OverloadedException) {
      return Status.RESOURCE_EXHAUSTED.withDescription(e.getMessage()).asRuntimeException();
    }
    if (e instanceof StorageFailedException) {
      return Status.UNAVAILABLE.withDescription("the job store's storage failed; nothing was saved, and the broker "
          + "stops to be restarted: " + e.getMessage()).asRuntimeException();
    }
    if (e instanceof RegistryClosedException) {
      return Status.UNAVAILABLE.withDescription(e.getMessage()).asRuntimeException();
    }
    if (e instanceof io.heliotrope.broker.signal.GridEventLimitException) {
      return Status.RESOURCE_EXHAUSTED.withDescription(e.getMessage()).asRuntimeException();
    }
    if (e instanceof GridEventNotFoundException) {
      return Status.NOT_FOUND.withDescription(e.getMessage()).asRuntimeException();
    }
    if (e instanceof GridEventConflictException gce) {
      return (gce.alreadyExists() ? Status.ALREADY_EXISTS : Status.FAILED_PRECONDITION).withDescription(e.getMessage())
          .asRuntimeException();
    }
    if (e instanceof SignalStoreException) {
      log.error("signal store failure", e);
      return Status.UNAVAILABLE.withDescription("the signal store failed; nothing was applied, retry: " + e.getMessage())
          .asRuntimeException();
    }
    if (e instanceof StoreException) {
      log.error("store failure", e);
      return Status.UNAVAILABLE.withDescription("the job store failed; nothing was saved, retry: " + e.getMessage())
          .asRuntimeException();
    }
    log.error("unexpected failure", e);
    return Status.INTERNAL.withDescription("unexpected " + e.getClass().getSimpleName() + "; see broker log")
        .asRuntimeException();
  }
}
