package io.heliotrope.broker.job;

/** No job has this id. */
public final class JobNotFoundException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public JobNotFoundException(String id) {
    super("no job with id '" + id + "'");
  }
}
