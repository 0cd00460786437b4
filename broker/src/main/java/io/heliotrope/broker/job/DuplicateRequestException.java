package io.heliotrope.broker.job;

/** A request id already used by the team for a job with a different spec. */
public final class DuplicateRequestException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DuplicateRequestException(String requestId, String existingJobId) {
    super("request_id '" + requestId + "' was already used for job " + existingJobId
        + " with a different spec; use a new request_id for a new job");
  }
}
