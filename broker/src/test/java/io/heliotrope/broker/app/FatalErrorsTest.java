package io.heliotrope.broker.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.heliotrope.broker.testing.TestBroker;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An OutOfMemoryError on any thread ends the broker (health first), instead of leaving a zombie. */
class FatalErrorsTest {
  @TempDir Path dir;

  @Test
  void anOutOfMemoryErrorOnAnyThreadFailsHealthAndHalts() throws Exception {
    try (TestBroker broker = TestBroker.start(dir)) {
      var health = HealthGrpc.newBlockingStub(broker.channel());
      assertEquals(ServingStatus.SERVING, health.check(HealthCheckRequest.getDefaultInstance()).getStatus());
      List<Integer> halts = new CopyOnWriteArrayList<>();
      Thread worker = new Thread(() -> {
        throw new OutOfMemoryError("Java heap space");
      }, "some-worker");
      worker.setUncaughtExceptionHandler(FatalErrors.handler(broker.broker()::notServing, halts::add));
      worker.start();
      worker.join();
      assertEquals(List.of(FatalErrors.EXIT_CODE), halts);
      assertEquals(ServingStatus.NOT_SERVING, health.check(HealthCheckRequest.getDefaultInstance()).getStatus());

      Thread other = new Thread(() -> {
        throw new IllegalStateException("a bug, not a dying JVM");
      });
      other.setUncaughtExceptionHandler(FatalErrors.handler(() -> halts.add(-1), halts::add));
      other.start();
      other.join();
      assertEquals(List.of(FatalErrors.EXIT_CODE), halts, "other exceptions are logged, not fatal");
    }
  }
}
