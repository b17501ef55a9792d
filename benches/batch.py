#!/usr/bin/env python3
"""Benchmark `dmsplan batch`: wall time, peak RSS, the ratio to copying its own output tree
(`cp -r`, the floor of writing that many files on this disk), scaling from 1,000 to 10,000 rows,
and plans per second of a `--dry-run` (compute alone). The second line of each size isolates the
writing: the time and the CPU time (user + system, steadier on a busy machine) a batch takes
beyond its dry run, against those of `cp -r`; and the dry run's peak RSS. Each timed step starts
after a `sync` (not timed), so it does not pay for the previous step's writeback, and nothing is
deleted before the end (the outputs of both sizes, about 1.5 GB, stay until then).

Targets (issue 8): 10,000 rows under 100 MB peak RSS; at most 1.5 x `cp -r` of the output;
10x the rows at most 11x the time; a dry run at least 20,000 plans per second on 2 cores.
Usage: python3 benches/batch.py [--dir DIR]   (DIR: where to write, default the temp dir; a
tmpfs such as /dev/shm leaves the disk, and whatever else uses it, out of the figures)
"""

import argparse
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PAIRS = [
    ("oracle", "19c", "enterprise", "aurora-postgresql", "16"),
    ("sqlserver", "2019", "standard", "sqlserver", "2019"),
    ("mysql", "5.7", "", "aurora-mysql", "8.0"),
    ("postgres", "14", "", "aurora-postgresql", "16"),
    ("mongodb", "6.0", "", "docdb", "4.0"),
    ("mariadb", "10.6", "", "aurora-mysql", "8.0"),
]


def inventory(path, rows):
    rnd = random.Random(42)
    with open(path, "w") as f:
        f.write("name,source,source_version,source_edition,source_hosting,target,target_version,target_hosting,"
                "size_gb,downtime,change_rate_gb_per_hour,network,environment,app,depends_on,region\n")
        for i in range(rows):
            s, sv, se, t, tv = PAIRS[i % len(PAIRS)]
            dep = f"db-{i - 1}" if i % 10 == 9 else ""
            f.write(f"db-{i},{s},{sv},{se},on-prem,{t},{tv},,{rnd.randint(5, 2000)},{rnd.choice(['1h', '4h', '8h', '1d'])},"
                    f"{rnd.randint(0, 5)},vpn,{rnd.choice(['prod', 'test'])},app-{i // 50},{dep},eu-west-1\n")


def run(argv, cwd):
    """Wall seconds, peak RSS (MB, read by GNU time) and CPU seconds (user + system) of one child
    process, started after an untimed `sync`."""
    os.sync()
    timer = ["/usr/bin/time", "-f", "%M"] if os.path.exists("/usr/bin/time") else []
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(timer + argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1):
        sys.exit(f"{' '.join(argv)}: exit {proc.returncode}: {proc.stderr}")
    last = proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else ""
    peak_kb = int(last) if timer and last.isdigit() else after.ru_maxrss
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, peak_kb / 1024.0, cpu


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", help="where to write (default: the temp dir)")
    args = parser.parse_args()
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    binary = os.path.join(ROOT, "target", "release", "dmsplan")
    work = tempfile.mkdtemp(prefix="dmsplan-batch-bench-", dir=args.dir)
    # Nothing is deleted until the end: ext4 passes over inodes freed in the last seconds
    # (minutes while their table blocks are unwritten) when it makes new files, so a step
    # that follows a big delete pays for it. Files deleted just before the bench started
    # age first.
    os.sync()
    time.sleep(6)
    results = {}
    try:
        for rows in (1000, 10000):
            inv = os.path.join(work, f"estate-{rows}.csv")
            inventory(inv, rows)
            out = os.path.join(work, f"out-{rows}")
            wall, rss, cpu = run([binary, "batch", inv, "--out-dir", out, "--quiet"], work)
            copy = os.path.join(work, f"copy-{rows}")
            cp, _, cp_cpu = run(["cp", "-r", out, copy], work)
            dry, dry_rss, dry_cpu = run([binary, "batch", inv, "--out-dir", os.path.join(work, f"dry-{rows}"), "--dry-run", "--quiet"], work)
            results[rows] = (wall, rss, cp, dry)
            print(f"{rows:>6} rows: batch {wall:7.2f} s, peak RSS {rss:6.1f} MB, cp -r {cp:6.2f} s, "
                  f"ratio {wall / cp:5.2f}, dry run {dry:6.2f} s = {rows / dry:8.0f} plans/s")
            print(f"{'':>13}writing (batch - dry run) {wall - dry:6.2f} s = {(wall - dry) / cp:5.2f} x cp -r, "
                  f"CPU {cpu - dry_cpu:6.2f} s = {(cpu - dry_cpu) / cp_cpu:5.2f} x cp -r's; "
                  f"dry run peak RSS {dry_rss:6.1f} MB")
        small, large = results[1000][0], results[10000][0]
        print(f"10x rows took {large / small:.2f}x the time (target at most 11x)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
