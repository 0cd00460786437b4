package io.heliotrope.broker.api;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.heliotrope.broker.api.auth.Principal;
import io.heliotrope.broker.domain.Job;
import io.heliotrope.broker.domain.Limits;
import io.heliotrope.broker.domain.JobState;
import io.heliotrope.broker.domain.Transition;
import io.heliotrope.broker.job.JobNotFoundException;
import io.heliotrope.broker.job.JobKey;
import io.heliotrope.broker.job.JobRegistry;
import io.heliotrope.broker.telemetry.JobAccountant;
import io.heliotrope.proto.v1.CancelJobRequest;
import io.heliotrope.proto.v1.ExplainJobRequest;
import io.heliotrope.proto.v1.GetJobRequest;
import io.heliotrope.proto.v1.JobEvent;
import io.heliotrope.proto.v1.JobExplanation;
import io.heliotrope.proto.v1.JobServiceGrpc;
import io.heliotrope.proto.v1.ListJobsRequest;
import io.heliotrope.proto.v1.ListJobsResponse;
import io.heliotrope.proto.v1.SubmitJobRequest;
import io.heliotrope.proto.v1.WatchJobRequest;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** JobService: what ML teams call. A team sees only its own jobs; another team's job is NOT_FOUND. */
public final class JobGrpcService extends JobServiceGrpc.JobServiceImplBase {

  private final JobRegistry registry;
  private final JobSpecValidator validator;
  private volatile WorkloadPreview preview = WorkloadPreview.NONE;
  private final JobExplainer explainer;
  private final JobAccountant accountant;

  public JobGrpcService(JobRegistry registry, JobSpecValidator validator, JobExplainer explainer) {
    this(registry, validator, explainer, JobAccountant.NONE);
  }

  /** @param accountant fills each job's energy, carbon and cost (the telemetry's ledger) */
  public JobGrpcService(JobRegistry registry, JobSpecValidator validator, JobExplainer explainer,
      JobAccountant accountant) {
    this.registry = registry;
    this.validator = validator;
    this.explainer = explainer;
    this.accountant = accountant;
  }

  @Override
  public void submitJob(SubmitJobRequest req, StreamObserver<io.heliotrope.proto.v1.Job> out) {
    Principal who = Principal.current();
    JobSpecValidator.Checked checked = validator.check(req);
    Violations v = checked.violations();
    String team = req.getSpec().getTeam();
    if (who.isOperator() && team.isEmpty()) {
      v.add("spec.team", "required when an operator submits");
    } else if (!who.isOperator() && !team.isEmpty() && !team.equals(who.team())) {
      out.onError(Status.PERMISSION_DENIED.withDescription("token '" + who.name() + "' belongs to team '"
          + who.team() + "' and cannot submit for team '" + Limits.clip(team, Limits.MAX_ECHO) + "'").asRuntimeException());
      return;
    }
    if (!v.isEmpty()) {
      out.onError(v.toException());
      return;
    }
    registry.submit(req.getRequestId(), JobMapper.toDomain(req.getSpec(), who.team(), checked.workload()))
        .whenComplete((job, err) -> reply(out, job, err, true));
  }

  @Override
  public void getJob(GetJobRequest req, StreamObserver<io.heliotrope.proto.v1.Job> out) {
    try {
      reply(out, visible(req.getId()), null, true);
    } catch (RuntimeException e) {
      out.onError(StatusMapping.toStatus(e));
    }
  }

  @Override
  public void listJobs(ListJobsRequest req, StreamObserver<ListJobsResponse> out) {
    Principal who = Principal.current();
    int size;
    try {
      size = PageTokens.pageSize(req.getPageSize());
    } catch (io.grpc.StatusRuntimeException e) {
      out.onError(e);
      return;
    }
    if (req.getTeam().length() > Limits.MAX_ID) {
      out.onError(new Violations().add("team", "at most " + Limits.MAX_ID + " characters").toException());
      return;
    }
    Set<JobState> states = EnumSet.noneOf(JobState.class);
    for (var s : req.getStatesList()) {
      if (s == io.heliotrope.proto.v1.JobState.JOB_STATE_UNSPECIFIED || s == io.heliotrope.proto.v1.JobState.UNRECOGNIZED) {
        out.onError(new Violations().add("states", "unknown state " + s).toException());
        return;
      }
      states.add(JobMapper.state(s));
    }
    String team = who.isOperator() ? req.getTeam() : who.team();
    String scope = team + "|" + states;
    Optional<PageTokens.Cursor> cursor;
    try {
      cursor = PageTokens.cursor(req.getPageToken(), scope, "ListJobs", "team and states");
    } catch (io.grpc.StatusRuntimeException e) {
      out.onError(e);
      return;
    }
    JobRegistry.Page page;
    try {
      page = registry.list(team, states, cursor.map(c -> new JobKey(c.at(), c.id())), size);
    } catch (RuntimeException e) {
      out.onError(StatusMapping.toStatus(e));
      return;
    }
    ListJobsResponse.Builder b = ListJobsResponse.newBuilder();
    for (Job j : page.jobs()) {
      b.addJobs(AccountingMapper.withAccounting(JobMapper.toProto(j, !req.getSummary()), j, accountant));
    }
    if (page.more()) {
      Job last = page.jobs().get(page.jobs().size() - 1);
      b.setNextPageToken(PageTokens.encode(new PageTokens.Cursor(last.created(), last.id()), scope));
    }
    out.onNext(b.build());
    out.onCompleted();
  }

  @Override
  public void cancelJob(CancelJobRequest req, StreamObserver<io.heliotrope.proto.v1.Job> out) {
    try {
      Job job = visible(req.getId());
      if (req.getReason().length() > Limits.MAX_TEXT) {
        throw new Violations().add("reason", "at most " + Limits.MAX_TEXT + " characters").toException();
      }
      String why = "cancelled by " + Principal.current().name()
          + (req.getReason().isBlank() ? "" : ": " + req.getReason());
      registry.transition(job.id(), Transition.to(JobState.CANCELLED, "cancelled", why))
          .whenComplete((j, err) -> reply(out, j, err, true));
    } catch (RuntimeException e) {
      out.onError(StatusMapping.toStatus(e));
    }
  }

  @Override
  public void watchJob(WatchJobRequest req, StreamObserver<JobEvent> out) {
    Job job;
    try {
      job = visible(req.getId());
    } catch (RuntimeException e) {
      out.onError(StatusMapping.toStatus(e));
      return;
    }
    new JobWatch((ServerCallStreamObserver<JobEvent>) out, Limits.WATCH_BACKLOG).start(registry, job.id());
  }

  @Override
  public void explainJob(ExplainJobRequest req, StreamObserver<JobExplanation> out) {
    try {
      out.onNext(explainer.explain(visible(req.getId())));
      out.onCompleted();
    } catch (RuntimeException e) {
      out.onError(StatusMapping.toStatus(e));
    }
  }

  /** The job, if the caller may see it; NOT_FOUND otherwise, so ids of other teams do not leak. */
  private Job visible(String id) {
    if (id.isEmpty()) {
      throw new Violations().add("id", "required").toException();
    }
    Violations v = new Violations();
    Fields.id("id", id, v::add);
    v.throwIfAny();
    Job job = registry.get(id).orElseThrow(() -> new JobNotFoundException(id));
    if (!Principal.current().canAccessTeam(job.spec().team())) {
      throw new JobNotFoundException(id);
    }
    return job;
  }

  /** Shows each job's workload as created in its cluster in GetJob and SubmitJob replies. */
  public JobGrpcService withWorkloadPreview(WorkloadPreview p) {
    this.preview = p;
    return this;
  }

  private void reply(StreamObserver<io.heliotrope.proto.v1.Job> out, Job job, Throwable err, boolean events) {
    if (err != null) {
      out.onError(StatusMapping.toStatus(err));
    } else {
      var proto = JobMapper.toProto(job, events);
      var shown = preview.of(job);
      if (shown.isPresent()) {
        proto = proto.toBuilder().setWorkload(proto.getWorkload().toBuilder().setObjectName(shown.get().objectName())
            .setManifestAsCreated(shown.get().json())).build();
      }
      out.onNext(AccountingMapper.withAccounting(proto, job, accountant));
      out.onCompleted();
    }
  }
}
