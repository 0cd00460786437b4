package io.heliotrope.broker.cli;

import io.grpc.CallCredentials;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import java.io.File;
import java.io.IOException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** How a CLI command reaches the broker: address, token, TLS, output format. */
public final class ClientOptions {
  @Option(names = "--server", defaultValue = "${env:HELIOTROPE_SERVER:-127.0.0.1:7070}",
      converter = ServerConverter.class,
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

  @Option(names = {"-o", "--output"}, defaultValue = "text",
      description = "text, wide, json, yaml or name (default ${DEFAULT-VALUE})")
  Render.Format output;

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

  Render render() {
    return new Render(System.out, output);
  }

  /** host:port with a port in 1..65535; a bracketed IPv6 host ([::1]:7070) too. */
  static final class ServerConverter implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      int colon = value.lastIndexOf(':');
      String host = colon < 0 ? "" : value.substring(0, colon);
      String port = colon < 0 ? "" : value.substring(colon + 1);
      boolean ipv6 = host.startsWith("[") && host.endsWith("]");
      if (host.isEmpty() || !port.matches("\\d{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535
          || (!ipv6 && (host.contains(":") || !host.matches("[A-Za-z0-9._-]+")))) {
        throw new TypeConversionException("'" + value + "' is not host:port (e.g. 127.0.0.1:7070, broker.example:443)");
      }
      return value;
    }
  }
}
