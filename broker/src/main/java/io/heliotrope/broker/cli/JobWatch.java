package io.heliotrope.broker.cli;

import io.heliotrope.proto.v1.JobServiceGrpc;
import io.heliotrope.proto.v1.WatchJobRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "watch", mixinStandardHelpOptions = true,
    description = "Follow a job's events until it finishes (Ctrl-C to stop watching).")
final class JobWatch extends JobCommand.Call {
  @Parameters(paramLabel = "ID") String id;

  @Override
  int call(JobServiceGrpc.JobServiceBlockingStub stub, Printer out) {
    stub.watchJob(WatchJobRequest.newBuilder().setId(id).build()).forEachRemaining(out::event);
    return 0;
  }
}
