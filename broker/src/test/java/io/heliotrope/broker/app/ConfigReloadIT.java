package io.heliotrope.broker.app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.heliotrope.broker.cli.BearerToken;
import io.heliotrope.broker.testing.BrokerProcess;
import io.heliotrope.proto.v1.AdminServiceGrpc;
import io.heliotrope.proto.v1.ListDataCentersRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code serve} process reloads its config without a restart: tokens rotated in the file
 * take effect on the file's change, a rotated tokenFile on SIGHUP (which no longer stops the
 * JVM), a restart-only change is named in the log and not applied, and a file that does not load
 * is refused while the running configuration keeps serving.
 */
class ConfigReloadIT {
  private static final String A = "a".repeat(32);
  private static final String B = "b".repeat(32);
  private static final String C = "c".repeat(32);
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path dir;

  @Test
  void safeKeysReloadOnChangeAndOnSighupAndTheRestAreNamed() throws Exception {
    Path tokenFile = Files.writeString(dir.resolve("ops.token"), A);
    Path config = dir.resolve("broker.yaml");
    Files.writeString(config, "auth:\n  tokens:\n    - {name: ops, tokenFile: " + tokenFile + ", role: operator}\n");
    Path log = dir.resolve("broker.log");
    try (BrokerProcess broker = BrokerProcess.serve(ProcessBuilder.Redirect.to(log.toFile()), dir.resolve("data"),
        "--config", config.toString())) {
      ManagedChannel channel = NettyChannelBuilder.forTarget(broker.address()).usePlaintext().build();
      try {
        assertEquals(Status.Code.OK, call(channel, A));
        assertEquals(Status.Code.UNAUTHENTICATED, call(channel, B));
        int dataCenters = AdminServiceGrpc.newBlockingStub(channel).withCallCredentials(new BearerToken(A))
            .listDataCenters(ListDataCentersRequest.getDefaultInstance()).getDataCentersCount();

        // 1. The file changes: an inline token replaces the file's; nothing else changed.
        write(config, "auth:\n  tokens:\n    - {name: ops, token: " + B + ", role: operator}\n");
        await().atMost(WAIT).until(() -> call(channel, B) == Status.Code.OK);
        assertEquals(Status.Code.UNAUTHENTICATED, call(channel, A), "the old token is refused at once");
        awaitLog(log, "config reloaded (a change of " + config + "): applied [auth.tokens]; needs a restart to take"
            + " effect: nothing");

        // 2. Back to the token file, then the file's secret rotates (as a mounted Secret does):
        //    the config file does not change, SIGHUP re-reads it.
        write(config, "auth:\n  tokens:\n    - {name: ops, tokenFile: " + tokenFile + ", role: operator}\n");
        await().atMost(WAIT).until(() -> call(channel, A) == Status.Code.OK);
        Files.writeString(tokenFile, C);
        Process hup = new ProcessBuilder("kill", "-HUP", Long.toString(broker.pid())).start();
        assertTrue(hup.waitFor(10, TimeUnit.SECONDS) && hup.exitValue() == 0);
        await().atMost(WAIT).until(() -> call(channel, C) == Status.Code.OK);
        assertEquals(Status.Code.UNAUTHENTICATED, call(channel, A));
        awaitLog(log, "config reloaded (SIGHUP): applied [auth.tokens]");
        assertTrue(broker.isAlive(), "SIGHUP reloads; it does not stop the broker");

        // 3. A restart-only key with a safe one: the token applies, the data centres wait for a restart.
        write(config, "auth:\n  tokens:\n    - {name: ops, token: " + B + ", role: operator}\n"
            + "dataCenters:\n  - {name: dc-x, region: r, zone: DE-LU, pue: 1.2,"
            + " capacity: {gpus: 8, cpuMillis: 64000, memoryMib: 65536}}\n");
        await().atMost(WAIT).until(() -> call(channel, B) == Status.Code.OK);
        awaitLog(log, "applied [auth.tokens]; needs a restart to take effect: [dataCenters]");
        assertEquals(dataCenters, AdminServiceGrpc.newBlockingStub(channel).withCallCredentials(new BearerToken(B))
            .listDataCenters(ListDataCentersRequest.getDefaultInstance()).getDataCentersCount());

        // 4. A file that does not load is refused whole; the running configuration keeps serving.
        write(config, "auth:\n  tokens:\n    - {name: ops, token: " + A + ", role: operator}\nbogus: 1\n");
        awaitLog(log, "refused, the running configuration stays");
        assertEquals(Status.Code.OK, call(channel, B));
        assertEquals(Status.Code.UNAUTHENTICATED, call(channel, A));
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }

  /** Replaces the file as an editor or a ConfigMap update does: a new file moved over the old. */
  private static void write(Path config, String text) throws Exception {
    Path next = Files.writeString(config.resolveSibling(config.getFileName() + ".next"), text);
    Files.move(next, config, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  private static void awaitLog(Path log, String line) {
    await().atMost(WAIT).until(() -> Files.readString(log).contains(line));
  }

  private static Status.Code call(ManagedChannel channel, String token) {
    try {
      AdminServiceGrpc.newBlockingStub(channel).withCallCredentials(new BearerToken(token))
          .withDeadlineAfter(10, TimeUnit.SECONDS).listDataCenters(ListDataCentersRequest.getDefaultInstance());
      return Status.Code.OK;
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode();
    }
  }
}
