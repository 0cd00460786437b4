package io.heliotrope.broker.api;

import static io.heliotrope.broker.testing.Jobs.aJob;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.testing.TlsTesting;
import io.heliotrope.broker.config.BrokerConfig;
import io.heliotrope.broker.testing.TestBroker;
import io.heliotrope.proto.v1.JobServiceGrpc;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS and mutual TLS with grpc-java's test certificates (server1 is valid for *.test.google.fr). */
class TlsTest {
  @TempDir Path dir;

  private Path cert(String name) throws Exception {
    Path p = dir.resolve(name);
    if (Files.exists(p)) {
      return p;
    }
    try (InputStream in = TlsTesting.loadCert(name)) {
      Files.copy(in, p);
    }
    return p;
  }

  private Status.Code submitOver(int port, ChannelCredentials creds) {
    ManagedChannel ch = Grpc.newChannelBuilderForAddress("127.0.0.1", port, creds)
        .overrideAuthority("foo.test.google.fr").build();
    try {
      JobServiceGrpc.newBlockingStub(ch).submitJob(aJob().request());
      return Status.Code.OK;
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode();
    } finally {
      ch.shutdownNow();
    }
  }

  @Test
  void mutualTlsAcceptsOnlyClientsSignedByTheConfiguredCa() throws Exception {
    var tls = new BrokerConfig.TlsConfig(cert("server1.pem"), cert("server1.key"), Optional.of(cert("ca.pem")));
    try (TestBroker broker = TestBroker.start(dir.resolve("data"), List.of(), Optional.of(tls))) {
      var good = TlsChannelCredentials.newBuilder().trustManager(cert("ca.pem").toFile())
          .keyManager(cert("client.pem").toFile(), cert("client.key").toFile()).build();
      assertEquals(Status.Code.OK, submitOver(broker.port(), good));

      var bad = TlsChannelCredentials.newBuilder().trustManager(dir.resolve("ca.pem").toFile())
          .keyManager(cert("badclient.pem").toFile(), cert("badclient.key").toFile()).build();
      assertEquals(Status.Code.UNAVAILABLE, submitOver(broker.port(), bad));

      var noClientCert = TlsChannelCredentials.newBuilder().trustManager(dir.resolve("ca.pem").toFile()).build();
      assertEquals(Status.Code.UNAVAILABLE, submitOver(broker.port(), noClientCert));
      assertEquals(Status.Code.UNAVAILABLE, submitOver(broker.port(), InsecureChannelCredentials.create()));
    }
  }

  @Test
  void serverTlsWithoutClientCertificates() throws Exception {
    var tls = new BrokerConfig.TlsConfig(cert("server1.pem"), cert("server1.key"), Optional.empty());
    try (TestBroker broker = TestBroker.start(dir.resolve("data"), List.of(), Optional.of(tls))) {
      var creds = TlsChannelCredentials.newBuilder().trustManager(cert("ca.pem").toFile()).build();
      assertEquals(Status.Code.OK, submitOver(broker.port(), creds));
      StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> {
        ManagedChannel ch = Grpc.newChannelBuilderForAddress("127.0.0.1", broker.port(),
            TlsChannelCredentials.create()).overrideAuthority("foo.test.google.fr").build();
        try {
          JobServiceGrpc.newBlockingStub(ch).submitJob(aJob().request());
        } finally {
          ch.shutdownNow();
        }
      });
      assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode(), "an untrusted server certificate is refused");
    }
  }
}
