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

import numpy as np

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

    from scenes.draw import FastScene
    from scenes.mobjects.widgets import typst_matrix
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
        """The first layer's three moves, on screen as a viewer sees them: the grid, axes and
        points, a caption above, and the side panel (diagram, formula, legend, metrics)."""

        def construct(self) -> None:
            start = (time.perf_counter(), time.process_time())
            # Building the text is one-off setup, not per-frame cost.
            self.prepare()
            caption = self.captions.build("Layer 1 · linear map W·x", "W rotates, stretches")
            self.set_formula(typst_matrix("W", np.asarray(self.weights[0][0])), None)
            self.setup_cost = (time.perf_counter() - start[0], time.process_time() - start[1])
            self.add(self.rig.grid, self.rig.axes, self.rig.points, caption)
            self.add(*self.diagram.mobjects(), self.arch_label, self.legend, self.metrics_label)
            self.add(self.formula)
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


def measure(
    scenes: dict[str, tuple[Any, dict[str, Any]]], cfg: dict[str, Any], rounds: int
) -> dict[str, tuple[float, float, int]]:
    """Best (wall, cpu, frames) of each scene over interleaved rounds."""
    best: dict[str, tuple[float, float, int]] = {}
    for _ in range(max(rounds, 1)):
        for name, (cls, kwargs) in scenes.items():
            result = timed(cls, cfg, **kwargs)
            if name not in best or result[0] < best[name][0]:
                best[name] = result
    return best


def print_rows(best: dict[str, tuple[float, float, int]], preset: str) -> None:
    """One row per scene, as ratios to the two empty scenes."""
    base_wall, base_cpu, _ = best[EMPTY]
    own_wall = best[OWN_EMPTY][0]
    for name, (wall, cpu, frames) in best.items():
        print(
            f"{name:<36} {preset:<9} {frames:>6} {wall:7.2f} {wall / base_wall:8.2f} "
            f"{wall / own_wall:11.2f} {cpu / base_cpu:6.2f}",
            flush=True,
        )


EMPTY, OWN_EMPTY = "empty scene (Manim)", "empty scene (nnwarp renderer)"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-q", "--quality", default="h", choices=list("lmhpk"))
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--presets", default="medium,veryfast", help="x264 presets to compare")
    parser.add_argument("--only", default=None, help="run only cases whose name has this text")
    parser.add_argument(
        "--rounds", type=int, default=3, help="rounds of every scene, interleaved; best one kept"
    )
    parser.add_argument(
        "--whole",
        action="store_true",
        help="instead: the whole warp scene of the default network (every beat, its text built"
        " as it goes) against empty scenes of the same length",
    )
    args = parser.parse_args()

    from nnmodel.trajectory import load
    from scenes.render import RenderOptions, manim_config
    from scenes.warp import Warp

    empty_cls, fast_empty_cls, warp_cls = scene_classes(args.seconds)
    with tempfile.TemporaryDirectory() as tmp:
        cases = {"whole warp scene (default network)": RunConfig()} if args.whole else CASES
        trajs = {}
        for name, run in cases.items():
            if args.only and args.only not in name:
                continue
            path, _ = ensure_trajectory(run, Path(tmp) / "trajectories")
            trajs[name] = load(path)
        length = "the whole scene" if args.whole else f"{args.seconds:g} s of video per scene"
        print(
            f"quality -{args.quality}, {length}, best of {args.rounds} interleaved rounds\n"
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
                name: (Warp if args.whole else warp_cls, {"trajectory": t})
                for name, t in trajs.items()
            }
            if args.whole:  # the empty scenes last as long as the warp scene
                _, _, frames = timed(Warp, cfg, trajectory=next(iter(trajs.values())))
                empty_cls, fast_empty_cls, _ = scene_classes(frames / cfg["frame_rate"])
            scenes = {EMPTY: (empty_cls, {}), OWN_EMPTY: (fast_empty_cls, {}), **scenes}
            print_rows(measure(scenes, cfg, args.rounds), preset)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
