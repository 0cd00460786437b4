package io.heliotrope.agent.bench;

import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.stub.StreamObserver;
import io.heliotrope.proto.v1.AgentCommand;
import io.heliotrope.proto.v1.AgentServiceGrpc;
import io.heliotrope.proto.v1.PowerReport;

/**
 * A minimal broker for agents/bench/agent-cost.sh: acknowledges every report and prints one line per
 * report so the bench can check the agent really reports its pods. Not a test; a bench fixture.
 */
public final class SinkBroker {
  public static void main(String[] args) throws Exception {
    start(Integer.parseInt(args[0]), r -> System.out.printf("report seq=%d pods=%d total_watts=%.2f%n",
        r.getSequence(), r.getPodsCount(), r.getTotalWatts())).awaitTermination();
  }

  /** Starts a sink on {@code port} (0: a free one) that hands each report to {@code seen}, then acks it. */
  public static Server start(int port, java.util.function.Consumer<PowerReport> seen) throws java.io.IOException {
    return Grpc.newServerBuilderForPort(port, InsecureServerCredentials.create())
        .addService(new AgentServiceGrpc.AgentServiceImplBase() {
          @Override
          public StreamObserver<PowerReport> reportPower(StreamObserver<AgentCommand> out) {
            return new StreamObserver<>() {
              @Override
              public void onNext(PowerReport r) {
                seen.accept(r);
                out.onNext(AgentCommand.newBuilder().setAcknowledgedSequence(r.getSequence()).build());
              }

              @Override
              public void onError(Throwable t) {}

              @Override
              public void onCompleted() {
                out.onCompleted();
              }
            };
          }
        }).build().start();
  }
}
