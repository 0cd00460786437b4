#!/usr/bin/env python3
"""Submits a training job, says why it waits, and follows it until it finishes.

    python3 clients/python/examples/submit_and_watch.py --server 127.0.0.1:7070
"""
import argparse
import os
import sys

from heliotrope_client import Client, HeliotropeError, JobState


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--server", default=os.environ.get("HELIOTROPE_SERVER", "127.0.0.1:7070"))
    parser.add_argument("--token", default=os.environ.get("HELIOTROPE_TOKEN"))
    parser.add_argument("--cancel", action="store_true", help="cancel the job after its first event")
    args = parser.parse_args()
    try:
        with Client(args.server, token=args.token) as hc:
            job = hc.submit(name="train-resnet", team="vision", gpus=8, duration="4h", deadline="24h",
                            interruptible=True, image="ghcr.io/acme/train:1",
                            command=["python", "train.py", "--epochs", "90"], labels={"project": "resnet"})
            print("submitted %s (%s)" % (job.id, JobState.Name(job.state)))
            print("why:", hc.explain(job.id).summary)
            for event in hc.watch(job.id):
                where = event.placement.data_center or "-"
                print("%s  %-10s %-10s %s  %s" % (event.time.ToDatetime().isoformat(timespec="seconds"),
                                                  JobState.Name(event.state), event.kind, where, event.reason))
                if args.cancel and event.state not in (JobState.CANCELLED,):
                    hc.cancel(job.id, reason="example run")
                    args.cancel = False
            final = hc.get(job.id)
            print("finished %s: %.1f kWh, %.2f kg CO2e" % (JobState.Name(final.state), final.accounting.energy_kwh,
                                                          final.accounting.carbon_kg))
    except HeliotropeError as e:
        sys.exit("error: %s" % e)


if __name__ == "__main__":
    main()
