package io.heliotrope.broker.cli;

import io.heliotrope.proto.v1.GetJobRequest;
import io.heliotrope.proto.v1.JobServiceGrpc;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "get", mixinStandardHelpOptions = true, description = "Show a job with its history.")
final class JobGet extends JobCommand.Call {
  @Parameters(paramLabel = "ID", converter = Names.JobId.class, description = "j-... or job/j-... (as -o name prints it)") String id;

  @Override
  int call(JobServiceGrpc.JobServiceBlockingStub stub, Printer out) {
    out.job(stub.getJob(GetJobRequest.newBuilder().setId(id).build()));
    return 0;
  }
}
