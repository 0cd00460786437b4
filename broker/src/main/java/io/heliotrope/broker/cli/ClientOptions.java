package io.heliotrope.broker.cli;

import io.grpc.CallCredentials;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import java.io.File;
import java.io.IOException;
import picocli.CommandLine.Option;

/** How a CLI command reaches the broker: address, token, TLS, output format. */
public final class ClientOptions {
  @Option(names = "--server", defaultValue = "${env:HELIOTROPE_SERVER:-127.0.0.1:7070}",
      description = "broker address host:port (default ${DEFAULT-VALUE}; env HELIOTROPE_SERVER)")
  String server;

  @Option(names = "--token", defaultValue = "${env:HELIOTROPE_TOKEN}",
      description = "bearer token (env HELIOTROPE_TOKEN)")
  String token;

  @Option(names = "--tls", description = "connect with TLS")
  boolean tls;

  @Option(names = "--ca-cert", description = "CA certificate (PEM) to trust; implies --tls")
  File caCert;

  @Option(names = "--client-cert", description = "client certificate (PEM) for mutual TLS")
  File clientCert;

  @Option(names = "--client-key", description = "client private key (PEM) for mutual TLS")
  File clientKey;

  @Option(names = "--authority", description = "override the TLS authority (server name) checked")
  String authority;

  @Option(names = {"-o", "--output"}, defaultValue = "text", description = "text, json or yaml (default ${DEFAULT-VALUE})")
  Output output;

  /** Output formats of the CLI. */
  public enum Output { TEXT, JSON, YAML }

  ManagedChannel channel() throws IOException {
    ChannelCredentials creds = InsecureChannelCredentials.create();
    if (tls || caCert != null || clientCert != null) {
      TlsChannelCredentials.Builder b = TlsChannelCredentials.newBuilder();
      if (caCert != null) {
        b.trustManager(caCert);
      }
      if (clientCert != null && clientKey != null) {
        b.keyManager(clientCert, clientKey);
      }
      creds = b.build();
    }
    var builder = Grpc.newChannelBuilder(server, creds);
    if (authority != null) {
      builder.overrideAuthority(authority);
    }
    return builder.build();
  }

  CallCredentials credentials() {
    return token == null || token.isBlank() ? null : new BearerToken(token);
  }

  boolean json() {
    return output == Output.JSON;
  }

  boolean yaml() {
    return output == Output.YAML;
  }
}
