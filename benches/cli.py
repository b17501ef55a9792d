#!/usr/bin/env python3
"""Whole-process timings of dmsplan commands: median and p90 of many runs.

Builds the release binary, then runs each command N times (default 200) and prints the
median and 90th percentile wall time next to a trivial process start (`true`) for scale.
Targets: `check` under 5 ms; `render` of one plan and `new` with every answer given under
10 ms. Usage: python3 benches/cli.py [RUNS]
"""

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RUNS = int(sys.argv[1]) if len(sys.argv) > 1 else 200


def build():
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    return os.path.join(ROOT, "target", "release", "dmsplan")


def measure(argv, cwd):
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        done = subprocess.run(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append((time.perf_counter() - start) * 1000.0)
        if done.returncode not in (0, 1):
            sys.exit(f"{' '.join(argv)} exited {done.returncode}")
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.9) - 1]


def main():
    binary = build()
    work = tempfile.mkdtemp(prefix="dmsplan-bench-")
    plan = os.path.join(ROOT, "plans", "billing-oracle-to-aurora-postgresql", "plan.json")
    cases = [
        ("process start (`true`)", [shutil.which("true") or "/bin/true"]),
        ("dmsplan --version", [binary, "--version"]),
        ("dmsplan check (text)", [binary, "check", "--source", "oracle:19c", "--source-edition", "enterprise",
                                  "--target", "aurora-postgresql:16", "--cdc"]),
        ("dmsplan check --json", [binary, "check", "--source", "oracle:19c", "--target", "aurora-postgresql:16",
                                  "--cdc", "--json"]),
        ("dmsplan render -o -", [binary, "render", plan, "-o", "-"]),
        ("dmsplan new (all answers)", [binary, "new", "--name", "bench", "--source", "oracle:19c",
                                       "--target", "aurora-postgresql:16", "--size-gb", "800", "--downtime", "2h",
                                       "--region", "eu-west-1", "--out-dir", work, "--force", "--no-input"]),
    ]
    print(f"{RUNS} runs each, release build, {os.cpu_count()} cores")
    print(f"{'command':32} {'median ms':>10} {'p90 ms':>10}")
    for name, argv in cases:
        median, p90 = measure(argv, work)
        print(f"{name:32} {median:10.2f} {p90:10.2f}")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
