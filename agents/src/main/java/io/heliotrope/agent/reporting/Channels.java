package io.heliotrope.agent.reporting;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** The channel to the broker: TLS against a given CA when one is configured, plaintext otherwise. */
public final class Channels {
  private Channels() {}

  public static ManagedChannel toBroker(String target, Optional<Path> caFile) throws IOException {
    ChannelCredentials credentials = caFile.isPresent()
        ? TlsChannelCredentials.newBuilder().trustManager(caFile.get().toFile()).build()
        : InsecureChannelCredentials.create();
    return Grpc.newChannelBuilder(target, credentials)
        // Keepalive notices a broker that vanished without closing the connection (node loss,
        // a dropped NAT entry) long before TCP would.
        .keepAliveTime(30, TimeUnit.SECONDS)
        .keepAliveTimeout(10, TimeUnit.SECONDS)
        .build();
  }
}
