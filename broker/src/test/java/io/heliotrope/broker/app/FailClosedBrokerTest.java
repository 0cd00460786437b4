package io.heliotrope.broker.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.heliotrope.broker.testing.FaultyStore;
import io.heliotrope.broker.testing.Jobs;
import io.heliotrope.broker.testing.TestBroker;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A broker whose job writer dies says so: NOT_SERVING, UNAVAILABLE, and a fatal signal for serve to exit on. */
class FailClosedBrokerTest {
  @TempDir Path dir;

  @Test
  void anErrorOnTheWriterTurnsHealthNotServingAndFailsCallsUnavailable() throws Exception {
    AtomicBoolean broken = new AtomicBoolean();
    try (TestBroker b = TestBroker.start(dir, s -> new FaultyStore(s, broken))) {
      var health = HealthGrpc.newBlockingStub(b.channel());
      assertEquals(ServingStatus.SERVING, health.check(HealthCheckRequest.getDefaultInstance()).getStatus());
      b.jobs().submitJob(Jobs.aJob().request());
      broken.set(true);
      StatusRuntimeException first = assertThrows(StatusRuntimeException.class,
          () -> b.jobs().withDeadlineAfter(10, TimeUnit.SECONDS).submitJob(Jobs.aJob().request()));
      assertEquals(Status.Code.UNAVAILABLE, first.getStatus().getCode(), first.getStatus().toString());
      broken.set(false); // even with the store healthy again, a failed writer accepts nothing
      StatusRuntimeException later = assertThrows(StatusRuntimeException.class,
          () -> b.jobs().withDeadlineAfter(10, TimeUnit.SECONDS).submitJob(Jobs.aJob().request()));
      assertEquals(Status.Code.UNAVAILABLE, later.getStatus().getCode());
      assertInstanceOf(OutOfMemoryError.class, b.broker().fatal().get(10, TimeUnit.SECONDS));
      assertEquals(ServingStatus.NOT_SERVING, health.check(HealthCheckRequest.getDefaultInstance()).getStatus());
    }
  }
}
