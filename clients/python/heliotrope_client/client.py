"""Client: the JobService in a few Python calls."""
import datetime
import uuid

import grpc
from google.protobuf import duration_pb2, timestamp_pb2

from heliotrope_client import errors
from heliotrope_client._times import parse_duration, parse_time
from heliotrope_client.v1 import job_pb2, job_pb2_grpc

_PAGE = 1000


class Client:
    """A connection to a Heliotrope broker.

    server: "host:port" (plaintext), or "https://host:port" for TLS. token: a bearer token for a
    broker with auth on. root_certificates: PEM bytes to trust instead of the system's (TLS only).
    timeout: seconds for each call except watch(). Use it as a context manager, or call close().
    Every method raises a HeliotropeError subclass (InvalidArgument, NotFound, ...) on failure.
    """

    def __init__(self, server="127.0.0.1:7070", token=None, *, tls=None, root_certificates=None, timeout=30.0):
        target, use_tls = _target(server, tls)
        self.server = target
        if use_tls:
            self._channel = grpc.secure_channel(target, grpc.ssl_channel_credentials(root_certificates))
        else:
            self._channel = grpc.insecure_channel(target)
        self._metadata = (("authorization", "Bearer " + token),) if token else ()
        self._timeout = timeout
        self.jobs = job_pb2_grpc.JobServiceStub(self._channel)

    def close(self):
        self._channel.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def submit(self, *, name, gpus=0, duration="4h", deadline="24h", team="", cpu_millis=0, memory_mib=0,
               earliest_start=None, interruptible=False, checkpointable=False, regions=(), image="",
               command=(), args=(), env=None, labels=None, power_watts=None, checkpoint_size_mib=0,
               carbon_first=False, cost_first=False, carbon_weight=None, home_data_center="",
               request_id=None):
        """Submits a job and returns it (a heliotrope.v1.Job) once the broker has it on disk.

        duration: estimated run time ("4h", "1h30m", a timedelta or seconds). deadline and
        earliest_start: relative to now ("24h") or absolute (an aware datetime or
        "2026-11-23T02:00:00Z"). request_id: idempotency key; a retry with the same one returns
        the job created first (default: a new random one per call).
        """
        now = datetime.datetime.now(datetime.timezone.utc)
        problems = []

        def convert(field, parse, value):
            try:
                return parse(value)
            except ValueError as e:
                problems.append((field, str(e)))
                return None

        run_time = convert("spec.estimated_duration", parse_duration, duration)
        due = convert("spec.deadline", lambda v: parse_time(v, now), deadline)
        start = convert("spec.earliest_start", lambda v: parse_time(v, now), earliest_start) if earliest_start else None
        if sum(bool(x) for x in (carbon_first, cost_first, carbon_weight is not None)) > 1:
            problems.append(("spec.preference", "choose one of carbon_first, cost_first, carbon_weight"))
        if problems:
            raise errors.invalid(problems)
        spec = job_pb2.JobSpec(
            name=name, team=team,
            resources=job_pb2.Resources(gpus=gpus, cpu_millis=cpu_millis, memory_mib=memory_mib),
            estimated_duration=_duration(run_time), deadline=_timestamp(due),
            interruptible=interruptible, checkpointable=checkpointable, allowed_regions=list(regions),
            container=job_pb2.Container(image=image, command=list(command), args=list(args), env=env or {}),
            labels=labels or {}, checkpoint_size_mib=checkpoint_size_mib, home_data_center=home_data_center)
        if start is not None:
            spec.earliest_start.CopyFrom(_timestamp(start))
        if power_watts is not None:
            spec.estimated_power_watts = power_watts
        if carbon_first:
            spec.preference.carbon_first = True
        elif cost_first:
            spec.preference.cost_first = True
        elif carbon_weight is not None:
            spec.preference.carbon_weight = carbon_weight
        request = job_pb2.SubmitJobRequest(request_id=request_id or str(uuid.uuid4()), spec=spec)
        return self._call(self.jobs.SubmitJob, request)

    def get(self, id):
        """The job with this id, with its event history."""
        return self._call(self.jobs.GetJob, job_pb2.GetJobRequest(id=id))

    def list(self, *, team="", states=(), summary=True, limit=None):
        """Jobs, newest first (all pages, or the first `limit`). states: JobState values or names."""
        wanted = [job_pb2.JobState.Value(s) if isinstance(s, str) else s for s in states]
        found, token = [], ""
        while limit is None or len(found) < limit:
            page = _PAGE if limit is None else min(_PAGE, limit - len(found))
            response = self._call(self.jobs.ListJobs, job_pb2.ListJobsRequest(
                team=team, states=wanted, page_size=page, page_token=token, summary=summary))
            found.extend(response.jobs)
            token = response.next_page_token
            if not token:
                break
        return found

    def watch(self, id):
        """Yields the job's events (heliotrope.v1.JobEvent), its current state first, until it finishes.

        Stops the stream on the broker when the loop is left early.
        """
        stream = self.jobs.WatchJob(job_pb2.WatchJobRequest(id=id), metadata=self._metadata)
        try:
            for event in stream:
                yield event
        except grpc.RpcError as e:
            if e.code() != grpc.StatusCode.CANCELLED:
                raise errors.from_rpc_error(e, self.server) from None
        finally:
            stream.cancel()

    def explain(self, id):
        """Why the job is where it is: a heliotrope.v1.JobExplanation (summary, details, latest start)."""
        return self._call(self.jobs.ExplainJob, job_pb2.ExplainJobRequest(id=id))

    def cancel(self, id, reason=""):
        """Cancels a job that has not finished; FailedPrecondition for one that has."""
        return self._call(self.jobs.CancelJob, job_pb2.CancelJobRequest(id=id, reason=reason))

    def _call(self, method, request):
        try:
            return method(request, timeout=self._timeout, metadata=self._metadata)
        except grpc.RpcError as e:
            raise errors.from_rpc_error(e, self.server) from None


def _target(server, tls):
    for scheme, secure in (("https://", True), ("http://", False)):
        if server.startswith(scheme):
            return server[len(scheme):].rstrip("/"), secure if tls is None else tls
    return server, bool(tls)


def _duration(delta):
    d = duration_pb2.Duration()
    d.FromTimedelta(delta)
    return d


def _timestamp(when):
    t = timestamp_pb2.Timestamp()
    t.FromDatetime(when.astimezone(datetime.timezone.utc).replace(tzinfo=None))
    return t
