package io.heliotrope.broker.cli;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.heliotrope.proto.v1.JobServiceGrpc;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code job ...}: the ML team's client. */
@Command(name = "job", mixinStandardHelpOptions = true, description = "Submit and follow jobs.",
    subcommands = {JobSubmit.class, JobGet.class, JobList.class, JobCancel.class, JobWatch.class, JobExplain.class})
public final class JobCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** The shared body of every job subcommand: open a channel, call, print, map errors to exit codes. */
  abstract static class Call implements Callable<Integer> {
    @Mixin ClientOptions client;

    /** Does the call; returns the exit code. */
    abstract int call(JobServiceGrpc.JobServiceBlockingStub stub, Printer out);

    @Override
    public final Integer call() throws Exception {
      ManagedChannel channel = client.channel();
      try {
        var stub = JobServiceGrpc.newBlockingStub(channel);
        if (client.credentials() != null) {
          stub = stub.withCallCredentials(client.credentials());
        }
        return call(stub, new Printer(System.out, client.json() || client.yaml(), client.yaml()));
      } catch (StatusRuntimeException e) {
        Printer.error(System.err, e);
        return 1;
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }

    static PrintStream err() {
      return System.err;
    }
  }
}
