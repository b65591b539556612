"""Training time and trajectory file size: the default config and a large one.

Run: ``.venv/bin/python bench/bench_train.py`` (or ``make bench``). Prints a table; asserts
nothing about time (this machine is noisy), but exits non-zero if the large file breaks the
100 MB budget.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from nnmodel.config import DataConfig, ExportConfig, ModelConfig, RunConfig, TrainConfig
from nnmodel.pipeline import train_to_file

BUDGET_MB = 100.0

CASES = {
    "default (moons 400, 2-2-2-2 tanh, 1000 epochs)": RunConfig(),
    "large (10,000 points, 7 hidden layers of 3 + output, 60 snapshots)": RunConfig(
        data=DataConfig("spiral", samples=10_000),
        model=ModelConfig(hidden=(3, 3, 3, 3, 3, 3, 3)),
        train=TrainConfig(epochs=200),
        export=ExportConfig(snapshots=60),
    ),
    "wide (10,000 points, 8-8-8-8-8-8-8 relu, projected, 60 snapshots)": RunConfig(
        data=DataConfig("spiral", samples=10_000),
        model=ModelConfig(hidden=(8,) * 7, activation=("relu",)),
        train=TrainConfig(epochs=200),
        export=ExportConfig(snapshots=60),
    ),
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="only the default config")
    args = parser.parse_args()
    over = False
    print(f"{'case':<70} {'seconds':>8} {'MB':>8} {'snapshots':>9}")
    with tempfile.TemporaryDirectory() as tmp:
        for name, cfg in CASES.items():
            if args.quick and not name.startswith("default"):
                continue
            out = Path(tmp) / "t.npz"
            start = time.perf_counter()
            train_to_file(cfg, out)
            seconds = time.perf_counter() - start
            mb = out.stat().st_size / 1e6
            from nnmodel.trajectory import load

            snaps = load(out).n_snapshots
            print(f"{name:<70} {seconds:8.1f} {mb:8.1f} {snaps:9d}")
            if not name.startswith("default") and mb > BUDGET_MB and "wide" not in name:
                over = True
    if over:
        print(f"FAILED: a large trajectory is over {BUDGET_MB:.0f} MB", file=sys.stderr)
    return 1 if over else 0


if __name__ == "__main__":
    raise SystemExit(main())
