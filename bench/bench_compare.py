"""The comparison: its clock against an empty scene of the same frames, and its training.

Run: ``.venv/bin/python bench/bench_compare.py`` (1080p60 by default; ``-q l`` for a quick
look).

1. Drawing. The sandwich-grid preset's six runs (400 points and a 128 × 128 mesh each) in
   the real :class:`scenes.compare.Compare` machinery: every cell's mesh, points, numbers,
   loss curve and badges, the clock's bar and a caption, while the clock runs from epoch 0
   to 200 in ``--seconds`` of video, written to MP4 like any render. Against Manim's empty
   scene and nnwarp's (its faster video writer) of the same frame count, interleaved for
   ``--rounds`` rounds, best kept. Building the cells (their text) is one-off setup and is
   not counted. Goal: ≤ 2.0× Manim's empty scene.
2. Training. The same six runs trained by :func:`nnmodel.sweep.train` into an empty cache,
   in a fresh process (so torch's import counts, as for ``nnwarp``), on every core; then
   again (all cached). Goal: ≤ 10 s on 2 cores.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench_warp import EMPTY, OWN_EMPTY, measure, scene_classes  # noqa: E402

TRAIN = """
import sys, time
t = time.perf_counter()
from nnmodel import sweep
trained = sweep.train(sweep.from_preset("sandwich-grid"), sys.argv[1])
print(time.perf_counter() - t, trained.n_trained)
"""


def clock_scene(seconds: float) -> Any:
    """The comparison's board with the whole clock played in ``seconds``."""
    import manim as mn

    from scenes.compare import Compare

    class ClockOnly(Compare):
        """Every cell and the clock's bar, the clock from epoch 0 to 200, a caption above."""

        def construct(self) -> None:
            start = (time.perf_counter(), time.process_time())
            self.prepare()  # building the cells' text is one-off setup
            board = self.board
            caption = self.captions.build("Every run on one clock: epoch 0 to 200", "log time")
            self.add(*board.mobjects(), *board.badge_groups(), caption)
            self.setup_cost = (time.perf_counter() - start[0], time.process_time() - start[1])
            total = self.plan.clock_frames

            class WholeClock(mn.Animation):
                def begin(self) -> None:
                    self.interpolate(0.0)

                def finish(self) -> None:
                    board.show(total)

                def clean_up_from_scene(self, scene: Any) -> None:
                    pass

                def interpolate(self, alpha: float) -> None:
                    board.show(alpha * total)

            group = mn.Mobject()
            group.submobjects = board.moving()
            self.play(WholeClock(group, run_time=seconds, rate_func=mn.linear))

    return ClockOnly


def train_times(cache: Path) -> tuple[float, float, int, float]:
    """(process wall s, in-call s, runs trained) of a fresh sweep, and a cached rerun's."""
    runs = []
    for _ in range(2):
        wall = time.perf_counter()
        out = subprocess.run(
            [sys.executable, "-c", TRAIN, str(cache)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        call, trained = out.stdout.split()
        runs.append((time.perf_counter() - wall, float(call), int(trained)))
    (wall, call, trained), (again, _, _) = runs
    return wall, call, trained, again


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-q", "--quality", default="h", choices=list("lmhpk"))
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--preset", default="veryfast", help="x264 preset")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-train", action="store_true", help="skip the training bench")
    args = parser.parse_args()

    from nnmodel import sweep
    from scenes.compare import GridSource
    from scenes.render import RenderOptions, manim_config

    with tempfile.TemporaryDirectory() as tmp:
        if not args.no_train:
            wall, call, trained, again = train_times(Path(tmp) / "fresh")
            print(
                f"training the sandwich grid ({trained} runs, {sweep.cores()} cores): "
                f"{wall:.2f} s in a fresh process ({call:.2f} s in sweep.train); "
                f"again, all cached: {again:.2f} s  (goal ≤ 10 s)\n",
                flush=True,
            )
        sw = sweep.from_preset("sandwich-grid")
        trained_grid = sweep.train(sw, Path(tmp) / "trajectories")
        grid = GridSource(trained_grid.paths, sw.labels, sw.name).load()
        opts = RenderOptions(
            quality=args.quality, media_dir=Path(tmp), preset=args.preset, progress=False
        )
        cfg = manim_config(opts, Path(tmp) / "media")
        empty, own_empty, _ = scene_classes(args.seconds)
        scenes: dict[str, tuple[Any, dict[str, Any]]] = {
            EMPTY: (empty, {}),
            OWN_EMPTY: (own_empty, {}),
            "2 × 3 grid, 6 × (128² mesh + 400 points)": (clock_scene(args.seconds), {"grid": grid}),
        }
        print(
            f"quality -{args.quality}, {args.seconds:g} s of video per scene, x264 "
            f"{args.preset}, best of {args.rounds} interleaved rounds\n"
            "× empty: wall time over Manim's empty scene (the goal's 1.0); × own empty: over "
            "nnwarp's renderer's empty scene; cpu ×: CPU time (all threads) over Manim's\n"
        )
        header = (
            f"{'case':<44} {'frames':>6} {'wall s':>7} {'× empty':>8} {'× own empty':>11} "
            f"{'cpu ×':>6}"
        )
        print(header)
        print("-" * len(header))
        best = measure(scenes, cfg, args.rounds)
        base_wall, base_cpu, _ = best[EMPTY]
        own = best[OWN_EMPTY][0]
        for name, (w, c, frames) in best.items():
            print(
                f"{name:<44} {frames:>6} {w:7.2f} {w / base_wall:8.2f} {w / own:11.2f} "
                f"{c / base_cpu:6.2f}",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
