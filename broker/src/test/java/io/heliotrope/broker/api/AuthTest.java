package io.heliotrope.broker.api;

import static io.heliotrope.broker.testing.GrpcAssertions.assertStatus;
import static io.heliotrope.broker.testing.Jobs.aJob;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.heliotrope.broker.cli.BearerToken;
import io.heliotrope.broker.testing.TestBroker;
import io.heliotrope.proto.v1.AdminServiceGrpc;
import io.heliotrope.proto.v1.AgentServiceGrpc;
import io.heliotrope.proto.v1.GetJobRequest;
import io.heliotrope.proto.v1.GetSignalsRequest;
import io.heliotrope.proto.v1.GetStatusRequest;
import io.heliotrope.proto.v1.Job;
import io.heliotrope.proto.v1.ListJobsRequest;
import io.heliotrope.proto.v1.PublishSignalsRequest;
import io.heliotrope.proto.v1.SignalServiceGrpc;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each role on its own RPCs and on the others', over real gRPC with bearer tokens. */
class AuthTest {
  @TempDir Path dir;
  private TestBroker broker;

  @BeforeEach
  void start() throws Exception {
    broker = TestBroker.start(dir, TestBroker.ALL_ROLES, Optional.empty());
  }

  @AfterEach
  void stop() {
    broker.close();
  }

  private <T extends io.grpc.stub.AbstractStub<T>> T as(Function<io.grpc.Channel, T> make, String token) {
    T stub = make.apply(broker.channel());
    return token == null ? stub : stub.withCallCredentials(new BearerToken(token));
  }

  private Status.Code publishSignals(String token) {
    return code(() -> as(SignalServiceGrpc::newBlockingStub, token).publishSignals(PublishSignalsRequest.getDefaultInstance()));
  }

  private Status.Code submit(String token) {
    return code(() -> as(io.heliotrope.proto.v1.JobServiceGrpc::newBlockingStub, token)
        .submitJob(aJob().team(token == TestBroker.VISION ? "vision" : "ops-team").request()));
  }

  private Status.Code adminStatus(String token) {
    return code(() -> as(AdminServiceGrpc::newBlockingStub, token).getStatus(GetStatusRequest.getDefaultInstance()));
  }

  private Status.Code reportPower(String token) {
    var call = as(AgentServiceGrpc::newStub, token);
    var done = new java.util.concurrent.CompletableFuture<Status.Code>();
    var requests = call.reportPower(new io.grpc.stub.StreamObserver<>() {
      @Override
      public void onNext(io.heliotrope.proto.v1.AgentCommand value) {}

      @Override
      public void onError(Throwable t) {
        done.complete(Status.fromThrowable(t).getCode());
      }

      @Override
      public void onCompleted() {
        done.complete(Status.Code.OK);
      }
    });
    requests.onCompleted();
    return done.join();
  }

  private static Status.Code code(Runnable call) {
    try {
      call.run();
      return Status.Code.OK;
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode();
    }
  }

  @Test
  void missingOrUnknownTokenIsUnauthenticatedEverywhere() {
    for (String token : new String[] {null, "not-a-configured-token"}) {
      assertEquals(Status.Code.UNAUTHENTICATED, submit(token));
      assertEquals(Status.Code.UNAUTHENTICATED, publishSignals(token));
      assertEquals(Status.Code.UNAUTHENTICATED, adminStatus(token));
      assertEquals(Status.Code.UNAUTHENTICATED, reportPower(token));
    }
  }

  @Test
  void eachRoleIsDeniedTheOthersRpcs() {
    // team
    assertEquals(Status.Code.OK, submit(TestBroker.VISION));
    assertEquals(Status.Code.PERMISSION_DENIED, publishSignals(TestBroker.VISION));
    assertEquals(Status.Code.PERMISSION_DENIED, adminStatus(TestBroker.VISION));
    assertEquals(Status.Code.PERMISSION_DENIED, reportPower(TestBroker.VISION));
    // dispatch
    assertEquals(Status.Code.PERMISSION_DENIED, submit(TestBroker.DISPATCH));
    assertNotEquals(Status.Code.PERMISSION_DENIED, publishSignals(TestBroker.DISPATCH));
    assertEquals(Status.Code.PERMISSION_DENIED, adminStatus(TestBroker.DISPATCH));
    assertEquals(Status.Code.PERMISSION_DENIED, reportPower(TestBroker.DISPATCH));
    // agent
    assertEquals(Status.Code.PERMISSION_DENIED, submit(TestBroker.AGENT));
    assertEquals(Status.Code.PERMISSION_DENIED, publishSignals(TestBroker.AGENT));
    assertEquals(Status.Code.PERMISSION_DENIED, adminStatus(TestBroker.AGENT));
    assertNotEquals(Status.Code.PERMISSION_DENIED, reportPower(TestBroker.AGENT));
    // operator: everything
    assertEquals(Status.Code.OK, submit(TestBroker.OPERATOR));
    assertNotEquals(Status.Code.PERMISSION_DENIED, publishSignals(TestBroker.OPERATOR));
    assertEquals(Status.Code.OK, adminStatus(TestBroker.OPERATOR));
    assertNotEquals(Status.Code.PERMISSION_DENIED, reportPower(TestBroker.OPERATOR));
  }

  @Test
  void signalReadsAreOpenToEveryAuthenticatedRole() {
    for (String token : new String[] {TestBroker.VISION, TestBroker.AGENT, TestBroker.DISPATCH}) {
      Status.Code c = code(() -> as(SignalServiceGrpc::newBlockingStub, token).getSignals(GetSignalsRequest.getDefaultInstance()));
      assertNotEquals(Status.Code.PERMISSION_DENIED, c);
      assertNotEquals(Status.Code.UNAUTHENTICATED, c);
    }
  }

  @Test
  void aTeamSeesOnlyItsOwnJobs() {
    Job visionJob = broker.jobs(TestBroker.VISION).submitJob(aJob().team("").request());
    assertEquals("vision", visionJob.getSpec().getTeam(), "the team comes from the token");
    Job speechJob = broker.jobs(TestBroker.SPEECH).submitJob(aJob().team("speech").request());

    assertStatus(Status.Code.NOT_FOUND,
        () -> broker.jobs(TestBroker.SPEECH).getJob(GetJobRequest.newBuilder().setId(visionJob.getId()).build()));
    var listed = broker.jobs(TestBroker.SPEECH).listJobs(ListJobsRequest.newBuilder().setTeam("vision").build());
    assertEquals(java.util.List.of(speechJob.getId()), listed.getJobsList().stream().map(Job::getId).toList());
    var all = broker.jobs(TestBroker.OPERATOR).listJobs(ListJobsRequest.getDefaultInstance());
    assertEquals(2, all.getJobsCount());

    StatusRuntimeException e = assertStatus(Status.Code.PERMISSION_DENIED,
        () -> broker.jobs(TestBroker.SPEECH).submitJob(aJob().team("vision").request()));
    assertTrue(e.getStatus().getDescription().contains("cannot submit for team 'vision'"));
  }

  @Test
  void healthNeedsNoToken() {
    HealthCheckResponse r = HealthGrpc.newBlockingStub(broker.channel()).check(HealthCheckRequest.getDefaultInstance());
    assertEquals(HealthCheckResponse.ServingStatus.SERVING, r.getStatus());
    assertThrows(StatusRuntimeException.class, () -> as(AdminServiceGrpc::newBlockingStub, null)
        .getStatus(GetStatusRequest.getDefaultInstance()));
  }
}
