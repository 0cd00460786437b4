package io.heliotrope.broker.cli;

import io.heliotrope.proto.v1.ExplainJobRequest;
import io.heliotrope.proto.v1.JobServiceGrpc;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "explain", mixinStandardHelpOptions = true, description = "Why is my job where it is?")
final class JobExplain extends JobCommand.Call {
  @Parameters(paramLabel = "ID", converter = Names.JobId.class, description = "j-... or job/j-... (as -o name prints it)") String id;

  @Override
  int call(JobServiceGrpc.JobServiceBlockingStub stub, Printer out) {
    out.explanation(stub.explainJob(ExplainJobRequest.newBuilder().setId(id).build()));
    return 0;
  }
}
