"""Run every benchmark in turn (``make bench``)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

if __name__ == "__main__":
    codes = [
        subprocess.call([sys.executable, str(HERE / name)])
        for name in (
            "bench_train.py",
            "bench_limits.py",
            "bench_warp.py",
            "bench_draw.py",
            "bench_compare.py",
            "bench_voice.py",
            "bench_parallel.py",
            "bench_batch.py",
        )
    ]
    raise SystemExit(max(codes))
