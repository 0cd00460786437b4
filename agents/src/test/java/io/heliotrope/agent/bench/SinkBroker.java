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
    int port = Integer.parseInt(args[0]);
    Server server = Grpc.newServerBuilderForPort(port, InsecureServerCredentials.create())
        .addService(new AgentServiceGrpc.AgentServiceImplBase() {
          @Override
          public StreamObserver<PowerReport> reportPower(StreamObserver<AgentCommand> out) {
            return new StreamObserver<>() {
              @Override
              public void onNext(PowerReport r) {
                System.out.printf("report seq=%d pods=%d total_watts=%.2f%n", r.getSequence(), r.getPodsCount(),
                    r.getTotalWatts());
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
    server.awaitTermination();
  }
}
