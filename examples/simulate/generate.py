#!/usr/bin/env python3
"""Writes the small synthetic example set of `simulate` (docs/evaluation.md, "Your own data").

Nothing here comes from real data: two zones with made-up daily carbon and price shapes (a solar
dip in NORTH, a night-time wind trough in SOUTH), in four of the accepted formats and three
resolutions, and 40 jobs. Deterministic: re-running it rewrites the same files.
"""
import json
import math
import random
from datetime import datetime, timedelta, timezone

START = datetime(2024, 3, 1, tzinfo=timezone.utc)
DAYS = 14
rnd = random.Random(7)


def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def north_carbon(t):  # solar dip at noon UTC
    h = t.hour + t.minute / 60
    return 320 - 180 * max(0.0, math.cos((h - 12) / 24 * 2 * math.pi)) ** 2 + rnd.uniform(-15, 15)


def south_carbon(t):  # wind at night
    h = t.hour + t.minute / 60
    return 450 + 120 * math.sin((h - 9) / 24 * 2 * math.pi) + rnd.uniform(-20, 20)


with open("carbon-north.csv", "w") as f:  # plain time,value, 15 minutes
    f.write("time,value\n")
    for i in range(DAYS * 96):
        t = START + timedelta(minutes=15 * i)
        f.write(f"{iso(t)},{north_carbon(t):.1f}\n")

with open("carbon-south.csv", "w") as f:  # Electricity Maps export, hourly
    f.write("Datetime (UTC),Country,Zone Name,Zone Id,Carbon Intensity gCO₂eq/kWh (direct),"
            "Carbon Intensity gCO₂eq/kWh (LCA),Low Carbon Percentage,Renewable Percentage,"
            "Data Source,Data Estimated,Data Estimation Method\n")
    for i in range(DAYS * 24):
        t = START + timedelta(hours=i)
        c = south_carbon(t)
        f.write(f"{t.strftime('%Y-%m-%d %H:%M:%S')},Southland,Southland,SOUTH,{c:.1f},{c * 1.2:.1f},"
                "40,35,synthetic,false,\n")

with open("price-north.csv", "w") as f:  # time,value,currency: EUR, 30 minutes
    f.write("time,value,currency\n")
    for i in range(DAYS * 48):
        t = START + timedelta(minutes=30 * i)
        h = t.hour + t.minute / 60
        f.write(f"{iso(t)},{70 + 40 * math.sin((h - 14) / 24 * 2 * math.pi) + rnd.uniform(-5, 5):.2f},EUR\n")

with open("price-south.csv", "w") as f:  # green-dcc form, hourly USD
    f.write("Datetime (UTC),Datetime (Local),Price (USD/MWh)\n")
    for i in range(DAYS * 24):
        t = START + timedelta(hours=i)
        f.write(f"{t.strftime('%Y-%m-%d %H:%M:%S')},{t.strftime('%Y-%m-%d %H:%M:%S')},"
                f"{55 + 30 * math.cos(t.hour / 24 * 2 * math.pi):.2f}\n")

jobs = []
first = START + timedelta(days=9)
for i in range(40):
    arrival = first + timedelta(minutes=rnd.randrange(0, 2 * 24 * 60, 5))
    duration = rnd.choice([1800, 3600, 2 * 3600, 4 * 3600, 8 * 3600])
    gpus = rnd.choice([1, 2, 4, 8])
    flexible = duration >= 3600
    jobs.append({
        "id": f"job-{i:02d}", "arrival": iso(arrival), "duration": duration,
        "estimated_duration": int(duration * rnd.uniform(0.9, 1.1)),
        "gpus": gpus, "cpu_millis": 4000 * gpus, "memory_mib": 32768 * gpus,
        "deadline": iso(arrival + timedelta(seconds=duration, hours=rnd.choice([6, 12, 24]))),
        "interruptible": flexible, "checkpointable": flexible,
        "home": rnd.choice(["dc-north", "dc-south"]),
        "checkpoint_mib": 2048 * gpus,
    })
jobs.sort(key=lambda j: j["arrival"])
cols = list(jobs[0].keys())
with open("jobs.csv", "w") as f:
    f.write(",".join(cols) + "\n")
    for j in jobs:
        f.write(",".join(str(j[c]).lower() if isinstance(j[c], bool) else str(j[c]) for c in cols) + "\n")
with open("jobs.jsonl", "w") as f:
    for j in jobs[:10]:
        f.write(json.dumps({**j, "power_watts": 300 * j["gpus"], "regions": ["north", "south"]}) + "\n")

with open("data-centers.yaml", "w") as f:
    f.write("""# The same section as in the broker config (docs/operations.md).
dataCenters:
  - name: dc-north
    region: north
    zone: NORTH
    pue: 1.2
    capacity: {gpus: 32, cpuMillis: 512000, memoryMib: 4194304}
  - name: dc-south
    region: south
    zone: SOUTH
    pue: 1.3
    capacity: {gpus: 32, cpuMillis: 512000, memoryMib: 4194304}
""")
