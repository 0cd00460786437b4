package io.heliotrope.broker.cli;

import io.grpc.ManagedChannel;
import io.heliotrope.proto.v1.SignalServiceGrpc;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Mixin;

/**
 * The shared body of the signal, tariff and event subcommands: open a channel to SignalService,
 * call, print; failures go to {@link CliErrors} (exit 1 for a refused call, with each field violation).
 */
abstract class SignalCall implements Callable<Integer>, Remote {
  @Mixin ClientOptions client;

  @Override
  public ClientOptions client() {
    return client;
  }

  /** Stubs with the caller's token. */
  record Stubs(SignalServiceGrpc.SignalServiceBlockingStub blocking, SignalServiceGrpc.SignalServiceStub async) {}

  abstract int call(Stubs stubs, SignalPrinter out) throws Exception;

  @Override
  public final Integer call() throws Exception {
    ManagedChannel channel = client.channel();
    try {
      var blocking = SignalServiceGrpc.newBlockingStub(channel);
      var async = SignalServiceGrpc.newStub(channel);
      if (client.credentials() != null) {
        blocking = blocking.withCallCredentials(client.credentials());
        async = async.withCallCredentials(client.credentials());
      }
      return call(new Stubs(blocking, async), new SignalPrinter(client.render()));
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
