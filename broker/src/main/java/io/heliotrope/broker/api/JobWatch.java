package io.heliotrope.broker.api;

import io.grpc.stub.ServerCallStreamObserver;
import io.heliotrope.broker.domain.Job;
import io.heliotrope.broker.domain.JobEvent;
import io.heliotrope.broker.job.JobRegistry;
import io.heliotrope.proto.v1.JobEvent.Builder;

/**
 * One WatchJob stream: first the job's current state, then every later event in order, then the
 * end of the stream when the job finishes or the client goes away.
 */
final class JobWatch {
  private final ServerCallStreamObserver<io.heliotrope.proto.v1.JobEvent> out;
  private final BoundedStream<io.heliotrope.proto.v1.JobEvent> stream;
  private long sent;
  private boolean done;
  private Runnable unsubscribe = () -> {};

  JobWatch(ServerCallStreamObserver<io.heliotrope.proto.v1.JobEvent> out, int backlog) {
    this.out = out;
    this.stream = new BoundedStream<>(out, backlog, () -> {
      done = true;
      unsubscribe.run();
    });
  }

  void start(JobRegistry registry, String jobId) {
    // Subscribe before reading the current state so no event falls between the two.
    synchronized (this) {
      unsubscribe = registry.watch(jobId, this::onChange);
      out.setOnCancelHandler(this::stop);
      Job now = registry.get(jobId).orElseThrow();
      JobEvent last = now.lastEvent();
      sent = last.sequence();
      Builder current = JobMapper.event(jobId, last).toBuilder().setKind("current");
      stream.send(current.build());
      finishIfTerminal(now);
    }
  }

  private synchronized void onChange(Job job) {
    if (done) {
      return;
    }
    for (JobEvent e : job.events()) {
      if (e.sequence() > sent) {
        stream.send(JobMapper.event(job.id(), e));
        sent = e.sequence();
      }
    }
    finishIfTerminal(job);
  }

  private void finishIfTerminal(Job job) {
    if (job.state().isTerminal() && !done) {
      done = true;
      unsubscribe.run();
      stream.complete();
    }
  }

  private synchronized void stop() {
    done = true;
    stream.cancelled();
    unsubscribe.run();
  }
}
