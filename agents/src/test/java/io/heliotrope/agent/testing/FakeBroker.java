package io.heliotrope.agent.testing;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import io.heliotrope.proto.v1.AgentCommand;
import io.heliotrope.proto.v1.AgentServiceGrpc;
import io.heliotrope.proto.v1.PowerReport;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An in-process broker for tests. Everything runs on the caller's thread (direct executors), so a
 * test sees the broker's state right after the agent's call returns, without waiting.
 */
public final class FakeBroker implements AutoCloseable {
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final List<PowerReport> received = new CopyOnWriteArrayList<>();
  private final List<String> authorizations = new CopyOnWriteArrayList<>();
  private final List<StreamObserver<AgentCommand>> open = new CopyOnWriteArrayList<>();
  private final Server server;
  private final String name;
  private volatile boolean ackEachReport;
  private volatile Status refuseWith;
  private int streamsOpened;

  public FakeBroker() throws IOException {
    this.name = InProcessServerBuilder.generateName();
    ServerInterceptor captureAuth = new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
          ServerCallHandler<Q, R> next) {
        authorizations.add(headers.get(AUTHORIZATION));
        return next.startCall(call, headers);
      }
    };
    this.server = InProcessServerBuilder.forName(name).directExecutor()
        .addService(ServerInterceptors.intercept(new Service(), captureAuth)).build().start();
  }

  public ManagedChannel channel() {
    return InProcessChannelBuilder.forName(name).directExecutor().build();
  }

  public FakeBroker ackingEachReport() {
    ackEachReport = true;
    return this;
  }

  /** New streams fail at once with this status; null to accept again. */
  public void refuse(Status status) {
    refuseWith = status;
  }

  /** Breaks every open stream, as a broker restart does. */
  public void breakStreams() {
    List<StreamObserver<AgentCommand>> streams = new ArrayList<>(open);
    open.clear();
    streams.forEach(s -> s.onError(Status.UNAVAILABLE.withDescription("broker restarting").asRuntimeException()));
  }

  public void send(AgentCommand command) {
    open.forEach(s -> s.onNext(command));
  }

  public List<PowerReport> received() {
    return received;
  }

  public List<Long> sequences() {
    return received.stream().map(PowerReport::getSequence).toList();
  }

  public List<String> authorizations() {
    return authorizations;
  }

  public synchronized int streamsOpened() {
    return streamsOpened;
  }

  @Override
  public void close() {
    server.shutdownNow();
  }

  private final class Service extends AgentServiceGrpc.AgentServiceImplBase {
    @Override
    public StreamObserver<PowerReport> reportPower(StreamObserver<AgentCommand> responses) {
      synchronized (FakeBroker.this) {
        streamsOpened++;
      }
      if (refuseWith != null) {
        responses.onError(refuseWith.asRuntimeException());
        return new StreamObserver<>() {
          @Override public void onNext(PowerReport value) {}
          @Override public void onError(Throwable t) {}
          @Override public void onCompleted() {}
        };
      }
      open.add(responses);
      return new StreamObserver<>() {
        @Override
        public void onNext(PowerReport report) {
          received.add(report);
          if (ackEachReport) {
            responses.onNext(AgentCommand.newBuilder().setAcknowledgedSequence(report.getSequence()).build());
          }
        }

        @Override
        public void onError(Throwable t) {
          open.remove(responses);
        }

        @Override
        public void onCompleted() {
          open.remove(responses);
          responses.onCompleted();
        }
      };
    }
  }
}
