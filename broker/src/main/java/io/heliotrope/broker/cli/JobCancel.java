package io.heliotrope.broker.cli;

import io.heliotrope.proto.v1.CancelJobRequest;
import io.heliotrope.proto.v1.JobServiceGrpc;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "cancel", mixinStandardHelpOptions = true, description = "Cancel a job that has not finished.")
final class JobCancel extends JobCommand.Call {
  @Parameters(paramLabel = "ID", converter = Names.JobId.class, description = "j-... or job/j-... (as -o name prints it)") String id;

  @Option(names = "--reason", defaultValue = "", description = "recorded in the job's history") String reason;

  @Override
  int call(JobServiceGrpc.JobServiceBlockingStub stub, Printer out) {
    out.job(stub.cancelJob(CancelJobRequest.newBuilder().setId(id).setReason(reason).build()));
    return 0;
  }
}
