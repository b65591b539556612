"""Peak memory at nnwarp's documented limits, beside the defaults, measured in one run.

Run: ``.venv/bin/python bench/bench_limits.py`` (or ``make bench``). Each case runs in a
fresh process, so its peak resident memory (``ru_maxrss``) is its own. Cases:

* training + export: the default explainer's network, and the largest trajectory nnwarp
  accepts (20,000 points, 8 hidden layers of 64 units, as many snapshots as fit in the
  512 MB file limit);
* rendering: the warp scene at 854x480 and at the largest frame (4096x4096), 1 fps.

Prints seconds and peak RSS, and each limit case as a ratio of its default.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
GOLDEN = HERE.parent / "tests" / "data" / "golden.npz"


def _largest_config() -> object:
    from nnmodel.config import DataConfig, ExportConfig, ModelConfig, RunConfig, TrainConfig
    from nnmodel.export import MAX_FILE_BYTES, estimate_bytes

    def cfg(snaps: int) -> RunConfig:
        return RunConfig(
            data=DataConfig("spiral", samples=20_000, arms=8),
            model=ModelConfig(hidden=(64,) * 8, activation=("relu",)),
            train=TrainConfig(epochs=snaps - 1, batch_size=2_000),
            export=ExportConfig(snapshots=snaps),
        )

    snaps = 2
    while estimate_bytes(cfg(snaps + 1), 20_000, 8) <= MAX_FILE_BYTES:
        snaps += 1
    return cfg(snaps)


def _train(which: str) -> dict[str, float]:
    from nnmodel.config import RunConfig
    from nnmodel.pipeline import train_to_file

    cfg = RunConfig() if which == "default" else _largest_config()
    with tempfile.TemporaryDirectory() as tmp:
        out = train_to_file(cfg, Path(tmp) / "t.npz")  # type: ignore[arg-type]
        return {"MB file": out.stat().st_size / 2**20}


def _render(which: str) -> dict[str, float]:
    from scenes import render as r

    size = (854, 480) if which == "default" else (4096, 4096)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "w.mp4"
        opts = r.RenderOptions(scene="warp", resolution=size, fps=1, output=out, progress=False)
        r.render(GOLDEN, opts)
        return {"MB file": out.stat().st_size / 2**20}


def _child(kind: str, which: str) -> None:
    start = time.perf_counter()
    facts = (_train if kind == "train" else _render)(which)
    facts["seconds"] = time.perf_counter() - start
    facts["peak MB"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(facts))


CASES = [
    ("train", "default", "train + export, default explainer (moons 400, 2-2-2-2)"),
    ("train", "largest", "train + export, largest allowed (20,000 pts, 8x64, 512 MB)"),
    ("render", "default", "render warp 854x480, 1 fps"),
    ("render", "largest", "render warp 4096x4096 (largest frame), 1 fps"),
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(*args.child)
        return 0
    results: dict[tuple[str, str], dict[str, float]] = {}
    print(f"{'case':<62} {'seconds':>8} {'peak MB':>8} {'x default':>9}")
    for kind, which, label in CASES:
        proc = subprocess.run(
            [sys.executable, __file__, "--child", kind, which],
            capture_output=True,
            text=True,
            check=False,
        )
        if proc.returncode:
            print(f"{label}: FAILED\n{proc.stderr}", file=sys.stderr)
            return 1
        facts = json.loads(proc.stdout.strip().splitlines()[-1])
        results[kind, which] = facts
        base = results.get((kind, "default"), facts)
        ratio = facts["peak MB"] / base["peak MB"]
        print(f"{label:<62} {facts['seconds']:8.1f} {facts['peak MB']:8.0f} {ratio:9.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
