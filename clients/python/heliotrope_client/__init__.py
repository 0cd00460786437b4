"""Python client for the Heliotrope broker.

    from heliotrope_client import Client
    with Client("127.0.0.1:7070") as hc:
        job = hc.submit(name="train", team="ml", gpus=8, duration="4h", deadline="24h",
                        interruptible=True, image="ghcr.io/acme/train:1", command=["python", "train.py"])
        for event in hc.watch(job.id):
            print(JobState.Name(event.state), event.reason)
"""
from heliotrope_client.client import Client
from heliotrope_client.errors import (AlreadyExists, FailedPrecondition, FieldViolation, HeliotropeError,
                                      InvalidArgument, NotFound, PermissionDenied, Unauthenticated, Unavailable)
from heliotrope_client.v1.job_pb2 import JobState

__version__ = "0.1.0.dev0"

__all__ = ["Client", "JobState", "HeliotropeError", "InvalidArgument", "NotFound", "AlreadyExists",
           "FailedPrecondition", "PermissionDenied", "Unauthenticated", "Unavailable", "FieldViolation"]
