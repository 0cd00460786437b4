"""The client against a real broker at $HELIOTROPE_SERVER (PythonClientIT starts one)."""
import datetime
import os
import unittest

from heliotrope_client import AlreadyExists, Client, FailedPrecondition, InvalidArgument, JobState, NotFound, Unavailable

SERVER = os.environ.get("HELIOTROPE_SERVER")
FINISHED = {JobState.SUCCEEDED, JobState.FAILED, JobState.CANCELLED}


@unittest.skipUnless(SERVER, "HELIOTROPE_SERVER is not set (PythonClientIT sets it)")
class BrokerTest(unittest.TestCase):
    def setUp(self):
        self.client = Client(SERVER)
        self.addCleanup(self.client.close)

    def submit(self, **kw):
        args = dict(name="train", team="vision", gpus=8, duration="4h", deadline="24h", interruptible=True,
                    image="ghcr.io/acme/train:1", command=["python", "train.py"], labels={"run": "py"})
        args.update(kw)
        return self.client.submit(**args)

    def test_submit_get_list_explain(self):
        job = self.submit(power_watts=5600.0, carbon_weight=0.8)
        self.assertTrue(job.id)
        self.assertEqual(8, job.spec.resources.gpus)
        self.assertEqual(4 * 3600, job.spec.estimated_duration.seconds)
        self.assertEqual(["python", "train.py"], list(job.spec.container.command))
        self.assertTrue(job.spec.HasField("estimated_power_watts"))
        self.assertEqual(5600.0, job.spec.estimated_power_watts)
        self.assertAlmostEqual(0.8, job.spec.preference.carbon_weight)
        deadline_in = job.spec.deadline.seconds - job.created.seconds
        self.assertTrue(24 * 3600 - 60 <= deadline_in <= 24 * 3600 + 60, deadline_in)

        got = self.client.get(job.id)
        self.assertEqual(job.id, got.id)
        self.assertEqual("submitted", got.events[0].kind)
        self.assertIn(job.id, [j.id for j in self.client.list()])
        # The planner may move the job on meanwhile, but it cannot finish a 4-hour job yet.
        waiting_or_running = ["QUEUED", "SCHEDULED", "RUNNING", "SUSPENDED", "MIGRATING"]
        self.assertIn(job.id, [j.id for j in self.client.list(team="vision", states=waiting_or_running)])
        self.assertNotIn(job.id, [j.id for j in self.client.list(states=[JobState.SUCCEEDED, JobState.FAILED])])
        self.assertEqual(1, len(self.client.list(limit=1)))

        explanation = self.client.explain(job.id)
        self.assertEqual(job.id, explanation.job_id)
        self.assertTrue(explanation.summary)

    def test_submit_is_idempotent_on_request_id(self):
        # A retry must send the same spec: absolute times, since "24h" means a later deadline later.
        deadline = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0) + datetime.timedelta(hours=24)
        first = self.submit(request_id="py-retry-1", deadline=deadline)
        again = self.submit(request_id="py-retry-1", deadline=deadline)
        self.assertEqual(first.id, again.id)
        with self.assertRaises(AlreadyExists) as e:
            self.submit(request_id="py-retry-1", deadline=deadline, gpus=4)
        self.assertIn("different spec", str(e.exception))

    def test_watch_streams_until_cancelled_and_cancel_twice_fails(self):
        job = self.submit(name="watched")
        events = self.client.watch(job.id)
        first = next(events)
        self.assertEqual(job.id, first.job_id)
        self.assertNotIn(first.state, FINISHED)
        cancelled = self.client.cancel(job.id, reason="python test")
        self.assertEqual(JobState.CANCELLED, cancelled.state)
        rest = list(events)  # the stream ends by itself once the job has finished
        self.assertTrue(rest, "no event after the cancellation")
        self.assertEqual(JobState.CANCELLED, rest[-1].state)
        self.assertEqual("cancelled", rest[-1].kind)
        with self.assertRaises(FailedPrecondition) as e:
            self.client.cancel(job.id)
        self.assertIn("CANCELLED", str(e.exception))

    def test_a_bad_request_names_every_offending_field(self):
        with self.assertRaises(InvalidArgument) as e:
            self.client.submit(name="", gpus=0, duration="0s", deadline="24h", regions=["atlantis"],
                               env={"1BAD": "x"}, power_watts=-5.0)
        fields = e.exception.fields
        for field in ("spec.name", "spec.resources", "spec.estimated_duration", "spec.allowed_regions[0]",
                      'spec.container.env["1BAD"]', "spec.estimated_power_watts"):
            self.assertIn(field, fields)
            self.assertIn(field + ": ", str(e.exception))
        self.assertIn('unknown region "atlantis"', str(e.exception))

    def test_unknown_job_is_not_found(self):
        for call in (self.client.get, self.client.explain, self.client.cancel):
            with self.assertRaises(NotFound):
                call("j-nope")
        with self.assertRaises(NotFound):
            list(self.client.watch("j-nope"))

    def test_a_broker_that_is_not_there_is_unavailable(self):
        with Client("127.0.0.1:9", timeout=5) as down:
            with self.assertRaises(Unavailable) as e:
                down.get("j-1")
        self.assertIn("cannot reach 127.0.0.1:9", str(e.exception))


if __name__ == "__main__":
    unittest.main()
