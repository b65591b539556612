"""Render the warp animation and an empty scene of the same frame count; print the ratios.

Run: ``.venv/bin/python bench/bench_warp.py`` (1080p60 by default; ``-q l`` for a quick look).

Each case renders the first hidden layer's moves (linear map, shift, activation) of a real
trained network with the real :class:`scenes.warp.Warp` machinery, for ``--seconds`` of video,
written to MP4 like any render. The empty scene renders and encodes the same number of frames
with nothing in them. One-off setup (building the side panel's text) is not counted. Both
run in this one process, side by side, for each x264 preset, so the ratio is comparable even
on a noisy machine; wall time and CPU time (all threads) are shown.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from nnmodel.config import DataConfig, ExportConfig, ModelConfig, RunConfig, TrainConfig  # noqa: E402
from nnmodel.pipeline import ensure_trajectory  # noqa: E402

CASES: dict[str, RunConfig] = {
    "2,000 points + 40 grid lines": RunConfig(
        data=DataConfig("moons", samples=2000),
        model=ModelConfig(hidden=(2,)),
        train=TrainConfig(epochs=200),
        export=ExportConfig(snapshots=4, grid_lines=20, grid_samples=128),
    ),
    "10,000 points + 40 grid lines": RunConfig(
        data=DataConfig("moons", samples=10_000),
        model=ModelConfig(hidden=(2,)),
        train=TrainConfig(epochs=200),
        export=ExportConfig(snapshots=4, grid_lines=20, grid_samples=128),
    ),
    "3-D layer, 2,000 points + 40 lines": RunConfig(
        data=DataConfig("rings", samples=2000),
        model=ModelConfig(hidden=(3,)),
        train=TrainConfig(epochs=200),
        export=ExportConfig(snapshots=4, grid_lines=20, grid_samples=128),
    ),
}


def scene_classes(seconds: float) -> tuple[Any, Any, Any]:
    """Empty scenes (Manim's renderer, nnwarp's) and a warp-only scene, ``seconds`` long."""
    import manim as mn

    from scenes.fastdraw import FastScene
    from scenes.warp import Warp

    class Empty(mn.Scene):
        """Manim's own empty scene: the issue's 1.0."""

        def construct(self) -> None:
            self.play(mn.Animation(mn.Mobject()), run_time=seconds)

    class FastEmpty(FastScene):
        """An empty scene through nnwarp's renderer (faster encoding than Manim's)."""

        def construct(self) -> None:
            self.play(mn.Animation(mn.Mobject()), run_time=seconds)

    class WarpOnly(Warp):
        def construct(self) -> None:
            start = (time.perf_counter(), time.process_time())
            self.prepare()  # panel text and framing: one-off setup, not per-frame cost
            self.setup_cost = (time.perf_counter() - start[0], time.process_time() - start[1])
            self.add(self.rig.grid, self.rig.axes, self.rig.points)
            steps = self.layer_steps(0)
            for _, step, dims in steps:
                self.move(step, dims, run_time=seconds / len(steps))

    return Empty, FastEmpty, WarpOnly


def timed(cls: Any, cfg: dict[str, Any], **kwargs: Any) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds and frames to render one scene."""
    import manim as mn

    with mn.tempconfig(cfg):
        scene = cls(**kwargs)
        wall, cpu = time.perf_counter(), time.process_time()
        scene.render()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        setup_wall, setup_cpu = getattr(scene, "setup_cost", (0.0, 0.0))
        frames = round(scene.renderer.time * cfg["frame_rate"])
        return wall - setup_wall, cpu - setup_cpu, int(frames)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-q", "--quality", default="h", choices=list("lmhpk"))
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--presets", default="medium,veryfast", help="x264 presets to compare")
    parser.add_argument("--only", default=None, help="run only cases whose name has this text")
    parser.add_argument(
        "--rounds", type=int, default=3, help="rounds of every scene, interleaved; best one kept"
    )
    args = parser.parse_args()

    from nnmodel.trajectory import load
    from scenes.render import RenderOptions, manim_config

    empty_cls, fast_empty_cls, warp_cls = scene_classes(args.seconds)
    with tempfile.TemporaryDirectory() as tmp:
        trajs = {}
        for name, run in CASES.items():
            if args.only and args.only not in name:
                continue
            path, _ = ensure_trajectory(run, Path(tmp) / "trajectories")
            trajs[name] = load(path)
        print(
            f"quality -{args.quality}, {args.seconds:g} s of video per scene, "
            f"best of {args.rounds} interleaved rounds\n"
            "× empty: wall time over Manim's empty scene (the goal's 1.0); "
            "× own empty: over an empty scene through nnwarp's renderer; "
            "cpu ×: CPU time (all threads) over Manim's empty scene\n"
        )
        header = (
            f"{'case':<36} {'preset':<9} {'frames':>6} {'wall s':>7} {'× empty':>8} "
            f"{'× own empty':>11} {'cpu ×':>6}"
        )
        print(header)
        print("-" * len(header))
        for preset in args.presets.split(","):
            opts = RenderOptions(
                quality=args.quality, media_dir=Path(tmp), preset=preset, progress=False
            )
            cfg = manim_config(opts, Path(tmp) / "media")
            scenes: dict[str, tuple[Any, dict[str, Any]]] = {
                "empty scene (Manim)": (empty_cls, {}),
                "empty scene (nnwarp renderer)": (fast_empty_cls, {}),
            }
            scenes.update({name: (warp_cls, {"trajectory": t}) for name, t in trajs.items()})
            best: dict[str, tuple[float, float, int]] = {}
            for _ in range(max(args.rounds, 1)):
                for name, (cls, kwargs) in scenes.items():
                    result = timed(cls, cfg, **kwargs)
                    if name not in best or result[0] < best[name][0]:
                        best[name] = result
            base_wall, base_cpu, _ = best["empty scene (Manim)"]
            own_wall = best["empty scene (nnwarp renderer)"][0]
            for name, (wall, cpu, frames) in best.items():
                print(
                    f"{name:<36} {preset:<9} {frames:>6} {wall:7.2f} {wall / base_wall:8.2f} "
                    f"{wall / own_wall:11.2f} {cpu / base_cpu:6.2f}",
                    flush=True,
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
