"""A batch of renders: one worker against a local pool of two and a local Dask cluster of two.

Run: ``.venv/bin/python bench/bench_batch.py`` (about 5 minutes on 2 cores; ``--jobs 4
--section Separator`` for a quicker look).

Six silent jobs at 480p15 (``quality = "l"``, ``voice = "none"``), each the warp scene's
"Layer 1" section of the
test suite's golden trajectory in a different variant (colours by class or position, bias
merged or not, last or first epoch), rendered by ``nnwarp batch`` three ways, side by side
in one run, each batch in a fresh process (its start, checks and imports count):

* **serial**: ``--workers 1``, the jobs one after another;
* **pool**: ``--workers 2``, the local pool (a fresh process per job, forked from a server
  that imported Manim once);
* **Dask**: ``--cluster`` on a ``LocalCluster`` of two single-threaded worker processes on
  127.0.0.1, started before the clock runs (an existing cluster); each job runs in a new
  Python process on its worker.

Prints each batch's wall time, its speed-up over serial, the CPU seconds the job processes
used (the same work in every batch: the ratio of wall times is all scheduling), and the peak
resident memory of the processes that rendered the jobs (``ru_maxrss``, the largest of them)
and of the batch's own process. Goals: pool ≥ 1.8× serial, Dask ≥ 1.6×. ``--render`` adds
the jobs as separate ``nnwarp render`` commands run one after another (what a batch
replaces). Other work on the machine skews the ratios: the load average is printed.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
GOLDEN = ROOT / "tests" / "data" / "golden.npz"
GOALS = {"pool": 1.8, "dask": 1.6}
VARIANTS = [
    {},
    {"color-by": "position"},
    {"merge-bias": True},
    {"color-by": "position", "merge-bias": True},
    {"epoch": 0},
    {"epoch": 0, "color-by": "position"},
    {"epoch": 0, "merge-bias": True},
    {"epoch": 0, "color-by": "position", "merge-bias": True},
]

CHILD = """
import json, resource, sys
from pathlib import Path
from scenes.batch.runner import BatchOptions, run_batch

if __name__ == "__main__":
    jobs, workers, cluster = sys.argv[1], int(sys.argv[2]), sys.argv[3] or None
    opts = BatchOptions(workers=workers, cluster=cluster, force=True, quiet=True)
    report = run_batch([Path(jobs)], opts)
    print(json.dumps({
        "failed": [f"{j.job.label}: {j.error}" for j in report.jobs if j.status == "failed"],
        "job_rss": max(j.peak_rss for j in report.jobs),
        "job_seconds": [j.seconds for j in report.jobs],
        "job_cpu": sum(j.cpu for j in report.jobs),
        "parent_rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
    }))
"""


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value)


def write_jobs(folder: Path, n: int, section: str) -> Path:
    """A jobs file of ``n`` variants of one warp section at 480p15, beside a trajectory."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(GOLDEN, folder / "t.npz")
    tables = []
    for i in range(n):
        keys = {
            "scene": "warp",
            "trajectory": "t.npz",
            "quality": "l",
            "voice": "none",  # the renders are measured (speech is cached, and threads itself)
            "section": section,
            **VARIANTS[i % len(VARIANTS)],
            "output": f"job{i + 1}.mp4",
        }
        tables.append("[[job]]\n" + "".join(f"{k} = {_toml(v)}\n" for k, v in keys.items()))
    path = folder / "jobs.toml"
    path.write_text("\n".join(tables))
    return path


def run_batch(jobs: Path, workers: int, cluster: str = "") -> dict[str, Any]:
    """One batch in a fresh process: its wall time and what it reported."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(jobs), str(workers), cluster],
        capture_output=True,
        text=True,
        cwd=jobs.parent,
    )
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"the batch failed ({done.returncode}):\n{done.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    if result["failed"]:
        raise SystemExit("jobs failed:\n" + "\n".join(result["failed"]))
    result["seconds"] = seconds
    return result


def run_commands(jobs: Path) -> dict[str, Any]:
    """The same jobs as ``nnwarp render`` commands, one after another."""
    from scenes.batch.jobs import load_jobs

    nnwarp = Path(sys.executable).with_name("nnwarp")
    start = time.perf_counter()
    for job in load_jobs([jobs]):
        out = job.output.with_name("render-" + job.output.name)
        subprocess.run(
            [str(nnwarp), "render", job.scene, *job.args, "-o", str(out), "--quiet"],
            check=True,
            capture_output=True,
        )
    seconds = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    rss = usage.ru_maxrss * 1024
    cpu = usage.ru_utime + usage.ru_stime
    return {"seconds": seconds, "job_rss": rss, "parent_rss": rss, "job_cpu": cpu}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--jobs", type=int, default=6, help="number of jobs (default 6)")
    parser.add_argument("--section", default="Layer 1", help="the warp section each job renders")
    parser.add_argument("--workers", type=int, default=2, help="pool and cluster workers")
    parser.add_argument(
        "--render", action="store_true", help="also time the jobs as `nnwarp render` commands"
    )
    args = parser.parse_args()
    # Every process as a user's Python runs it, keeping compiled bytecode (with
    # PYTHONDONTWRITEBYTECODE set, each one compiles nnwarp's modules anew: 0.35 s).
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)

    from distributed import LocalCluster

    load = os.getloadavg()[0]

    rows: list[tuple[str, str, dict[str, Any]]] = []
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
        folder = Path(tmp)
        if args.render:
            rows.append(
                (
                    "render",
                    "nnwarp render × N",
                    run_commands(write_jobs(folder / "r", args.jobs, args.section)),
                )
            )
        serial = run_batch(write_jobs(folder / "serial", args.jobs, args.section), 1)
        rows.append(("serial", "serial (--workers 1)", serial))
        pool = run_batch(write_jobs(folder / "pool", args.jobs, args.section), args.workers)
        rows.append(("pool", f"local pool, {args.workers} workers", pool))
        start = time.perf_counter()
        with LocalCluster(
            n_workers=args.workers,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster:
            started = time.perf_counter() - start
            jobs = write_jobs(folder / "dask", args.jobs, args.section)
            dask = run_batch(jobs, args.workers, str(cluster.scheduler_address))
            # The same batch again on the same cluster: its workers kept their warm
            # processes (a cluster that has run nnwarp before, as a course's re-renders)
            jobs = write_jobs(folder / "dask-again", args.jobs, args.section)
            again = run_batch(jobs, args.workers, str(cluster.scheduler_address))
        rows.append(("dask", f"Dask, {args.workers} workers", dask))
        rows.append(("dask", "  the next batch on it", again))

    print(
        f"{args.jobs} jobs: warp section {args.section!r} of {GOLDEN.name} at 854x480 15 fps "
        f"(-ql); Dask's LocalCluster started in {started:.1f} s (not counted)"
    )
    print(
        f"load average (1 min) {load:.1f} before, {os.getloadavg()[0]:.1f} after, on "
        f"{os.cpu_count()} cores: other work on the machine takes its share of them"
    )
    head = f"{'batch':<24} {'seconds':>8} {'× serial':>9} {'jobs CPU s':>10}"
    print(f"{head} {'peak RSS of a job':>18} {'batch process':>14}")
    for key, name, row in rows:
        ratio = serial["seconds"] / row["seconds"]
        goal = GOALS.get(key)
        verdict = (
            "" if goal is None else f"   goal ≥ {goal:.1f}×: {'met' if ratio >= goal else 'MISSED'}"
        )
        print(
            f"{name:<24} {row['seconds']:>8.1f} {ratio:>8.2f}× {row['job_cpu']:>10.1f} "
            f"{row['job_rss'] / 2**20:>15.0f} MB {row['parent_rss'] / 2**20:>11.0f} MB{verdict}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
