"""Benchmark fast point/line drawing against an empty Manim scene with the same frame count."""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

QUALITIES = {
    "l": (854, 480, 15),
    "m": (1280, 720, 30),
    "h": (1920, 1080, 60),
    "p": (2560, 1440, 60),
    "k": (3840, 2160, 60),
}


def make_points(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaved noisy half-moons (``n`` points) and their 0/1 labels.

    Parameters
    ----------
    n
        Number of points.
    seed
        Random seed.

    Returns
    -------
    tuple of numpy.ndarray
        ``(points (n, 2), labels (n,))``.
    """
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 2, n)
    angle = rng.uniform(0, np.pi, n)
    x = np.where(labels == 0, np.cos(angle), 1 - np.cos(angle))
    y = np.where(labels == 0, np.sin(angle), 0.5 - np.sin(angle))
    pts = np.stack([x - 0.5, y - 0.25], axis=1) * 2.5 + rng.normal(scale=0.15, size=(n, 2))
    return pts, labels


def make_grid(n_lines: int, samples: int, half: float = 3.5) -> np.ndarray:
    """``n_lines`` grid lines (half horizontal, half vertical) with ``samples`` samples each.

    Parameters
    ----------
    n_lines
        Total number of lines.
    samples
        Samples per line.
    half
        Half extent of the grid.

    Returns
    -------
    numpy.ndarray
        ``(n_lines, samples, 2)``.
    """
    k = n_lines // 2
    s = np.linspace(-half, half, samples)
    c = np.linspace(-half, half, k)
    xs = np.broadcast_to(s, (k, samples))
    ys = np.broadcast_to(c[:, None], (k, samples))
    horiz = np.stack([xs, ys], axis=-1)
    return np.concatenate([horiz, horiz[..., ::-1]], axis=0)


W1 = np.array([[1.3, 0.8], [-0.6, 1.1]])
#: Disc radius of the warp scene's points from 2,000 points up (theme radius 0.045 x 0.45).
WARP_RADIUS = 0.045 * 0.45


def warp(xy: np.ndarray, t: float) -> np.ndarray:
    """The benchmark's per-frame work: a linear map along the polar path, then ``tanh``.

    Parameters
    ----------
    xy
        ``(..., 2)`` points.
    t
        Animation time in ``[0, 1]``.

    Returns
    -------
    numpy.ndarray
        Warped ``(..., 2)`` points.
    """
    from scenes.core.geometry import apply_path, linear_path

    path = linear_path(W1)
    lin = apply_path(xy, path(t))
    return (1 - t) * lin + t * 2.5 * np.tanh(lin / 2.5)


def build_scenes(args: argparse.Namespace) -> dict[str, Callable[[], Any]]:
    """Scene classes keyed by benchmark name (created after Manim is configured)."""
    import manim as mn

    from scenes.draw import FastScene, FastThreeDScene, LineBundle, PointCloud

    seconds = args.seconds
    n_points = args.points
    grid = make_grid(40, 128)
    line_colors = [[0.45, 0.55, 1.0, 0.7]] * 20 + [[1.0, 0.8, 0.4, 0.7]] * 20
    palette = np.array([[0.95, 0.35, 0.25, 1.0], [0.25, 0.65, 1.0, 1.0]])

    def animate(scene: Any, *mobs: Any, update: Callable[[float], None]) -> None:
        tracker = mn.ValueTracker(0.0)
        holder = mn.Mobject()
        holder.add_updater(lambda _m: update(tracker.get_value()))
        scene.add(holder, *mobs)
        scene.play(tracker.animate.set_value(1.0), run_time=seconds, rate_func=mn.linear)

    class Empty(mn.Scene):
        def construct(self) -> None:
            animate(self, update=lambda t: None)

    def fast_2d(n: int, with_lines: bool = True) -> type:
        pts, labels = make_points(n)

        class Fast2D(FastScene):
            def construct(self) -> None:
                mobs: list[Any] = []
                cloud = None
                lines = LineBundle(grid, line_colors, stroke_width=0.02)
                if with_lines:
                    mobs.append(lines)
                if n:
                    cloud = PointCloud(pts, palette[labels], radius=0.04, outline_width=0.01)
                    mobs.append(cloud)

                def update(t: float) -> None:
                    if with_lines:
                        lines.set_lines(warp(grid, t))
                    if cloud is not None:
                        cloud.set_positions(warp(pts, t))

                animate(self, *mobs, update=update)

        return Fast2D

    pts2k, labels2k = make_points(n_points)

    class Fast3D(FastThreeDScene):
        def construct(self) -> None:
            self.set_camera_orientation(phi=65 * mn.DEGREES, theta=-50 * mn.DEGREES)
            cloud = PointCloud(
                np.c_[pts2k, np.zeros(len(pts2k))],
                palette[labels2k],
                radius=0.04,
                outline_width=0.01,
            )
            lines = LineBundle(grid, line_colors, stroke_width=0.02)
            grid3 = np.concatenate([grid, np.zeros((*grid.shape[:2], 1))], axis=-1)

            def update(t: float) -> None:
                w = warp(grid, t)
                g3 = grid3.copy()
                g3[..., :2] = w
                g3[..., 2] = t * np.tanh(w[..., 0] * w[..., 1] / 4.0)
                lines.set_lines(g3)
                p = warp(pts2k, t)
                cloud.set_positions(np.c_[p, t * np.tanh(p[:, 0] * p[:, 1] / 4.0)])
                self.renderer.camera.set_theta((-50 + 40 * t) * mn.DEGREES)

            animate(self, lines, cloud, update=update)

    class NativeVMobject(mn.Scene):
        def construct(self) -> None:
            vlines = mn.VGroup(
                *[mn.VMobject(stroke_width=2, stroke_opacity=0.7) for _ in range(len(grid))]
            )

            def update(t: float) -> None:
                w = warp(grid, t)
                for vm, line in zip(vlines, w, strict=True):
                    vm.set_points_as_corners(np.c_[line, np.zeros(len(line))])

            update(0.0)
            animate(self, vlines, update=update)

    class NativePMobject(mn.Scene):
        def construct(self) -> None:
            pm = mn.PMobject(stroke_width=6)
            pm.add_points(np.c_[pts2k, np.zeros(len(pts2k))], rgbas=palette[labels2k])

            def update(t: float) -> None:
                pm.points = np.c_[warp(pts2k, t), np.zeros(len(pts2k))]

            animate(self, pm, update=update)

    class NativeDots(mn.Scene):
        def construct(self) -> None:
            dots = mn.VGroup(
                *[
                    mn.Dot(np.r_[p, 0.0], radius=0.04, color=mn.ManimColor.from_rgb(palette[c, :3]))
                    for p, c in zip(pts2k, labels2k, strict=True)
                ]
            )

            def update(t: float) -> None:
                for dot, p in zip(dots, warp(pts2k, t), strict=True):
                    dot.move_to(np.r_[p, 0.0])

            animate(self, dots, update=update)

    def warp_sized(n: int, many_colours: bool = False) -> type:
        """Points as the warp scene draws them from 2,000 up: radius 0.02, a 28 % rim."""
        pts, labels = make_points(n)
        if many_colours:  # one colour per point, as with --color-by position or in 3-D
            from scenes.core.theme import position_rgbas

            colours = position_rgbas(pts)
        else:
            colours = palette[labels]

        class WarpSized(FastScene):
            def construct(self) -> None:
                cloud = PointCloud(
                    pts, colours, radius=WARP_RADIUS, outline_width=0.28 * WARP_RADIUS
                )

                def update(t: float) -> None:
                    cloud.set_positions(warp(pts, t))

                animate(self, cloud, update=update)

        return WarpSized

    scenes: dict[str, Callable[[], Any]] = {
        "empty": Empty,
        f"fast {n_points} pts + 40x128 lines": fast_2d(n_points),
        f"fast {args.many} pts + 40x128 lines": fast_2d(args.many),
        f"fast 3-D {n_points} pts + 40x128 lines": Fast3D,
        "fast 40x128 lines only": fast_2d(0),
        f"fast {n_points} pts only": fast_2d(n_points, with_lines=False),
        f"warp-size {n_points} pts": warp_sized(n_points),
        f"warp-size {args.many} pts": warp_sized(args.many),
        f"warp-size {n_points} pts, many colours": warp_sized(n_points, many_colours=True),
        f"warp-size {args.many} pts, many colours": warp_sized(args.many, many_colours=True),
        "manim VMobject 40x128 lines": NativeVMobject,
        f"manim PMobject {n_points} pts": NativePMobject,
    }
    if args.dots:
        scenes[f"manim Dot x{n_points}"] = NativeDots
    return scenes


def make_renderer(scene_class: Any, writer: str) -> Any:
    """A Cairo renderer for ``scene_class``'s own camera with the chosen video writer, so
    that every scene of a run, Manim's and nnwarp's, is encoded the same way."""
    import inspect

    from manim.renderer.cairo_renderer import CairoRenderer

    from scenes.draw.encoding import fast_renderer

    camera = inspect.signature(scene_class.__init__).parameters["camera_class"].default
    if writer == "nnwarp":
        return fast_renderer(camera)
    return CairoRenderer(camera_class=camera)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print a table of wall-clock ratios vs the empty scene."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quality", choices=sorted(QUALITIES), default="h")
    parser.add_argument("--seconds", type=float, default=2.0, help="animation length")
    parser.add_argument("--points", type=int, default=2000)
    parser.add_argument("--many", type=int, default=10000, help="point count of the big scene")
    parser.add_argument("--repeats", type=int, default=2, help="rounds; the best time is kept")
    parser.add_argument("--dots", action="store_true", help="also time one Dot per point (slow)")
    parser.add_argument("--only", default="", help="comma-separated substrings of scene names")
    parser.add_argument(
        "--preset", default="", help="x264 preset for all scenes (default: Manim's, i.e. medium)"
    )
    parser.add_argument(
        "--no-encode", action="store_true", help="draw frames but write no video (dry run)"
    )
    parser.add_argument(
        "--writer",
        choices=("nnwarp", "manim"),
        default="nnwarp",
        help="video writer for every scene: nnwarp's (FastScene's default) or Manim's own",
    )
    parser.add_argument(
        "--backends",
        default="auto",
        help="comma-separated PointCloud backends (auto, cairo, numpy); with several, every"
        " scene is rendered with each in every round, side by side",
    )
    args = parser.parse_args(argv)
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    if not backends or any(b not in ("auto", "cairo", "numpy") for b in backends):
        parser.error(f"--backends takes auto, cairo and/or numpy, not {args.backends!r}")

    import manim as mn

    width, height, fps = QUALITIES[args.quality]
    media = tempfile.mkdtemp(prefix="nnwarp-bench-")
    settings = {
        "pixel_width": width,
        "pixel_height": height,
        "frame_rate": fps,
        "media_dir": media,
        "disable_caching": True,
        "dry_run": args.no_encode,
        "progress_bar": "none",
        "verbosity": "ERROR",
        "notify_outdated_version": False,
    }
    if args.preset:
        settings["video_encoder_options"] = {"crf": "23", "preset": args.preset}
    mn.config.notify_outdated_version = False
    frames = round(args.seconds * fps)
    mode = (
        "no video (dry run)"
        if args.no_encode
        else f"x264 preset {args.preset or 'medium'}, {args.writer}'s video writer"
    )
    print(f"{width}x{height}@{fps}, {frames} frames per scene, {mode}, media in {media}")
    from scenes.draw import FastCameraMixin

    times: dict[str, list[float]] = {}
    cpu: dict[str, list[float]] = {}
    rows: list[str] = []
    with mn.tempconfig(settings):
        scenes = build_scenes(args)
        wanted = [s.strip() for s in args.only.split(",") if s.strip()]
        names = [n for n in scenes if n == "empty" or not wanted or any(w in n for w in wanted)]
        for _ in range(args.repeats):
            for name in names:
                draws_points = name.startswith("warp-size") or (
                    name.startswith("fast") and "pts" in name
                )
                for backend in backends if draws_points else backends[:1]:
                    row = f"{name} [{backend}]" if draws_points and len(backends) > 1 else name
                    if row not in rows:
                        rows.append(row)
                    FastCameraMixin.point_backend = backend
                    scene = scenes[name](renderer=make_renderer(scenes[name], args.writer))
                    start, start_cpu = time.perf_counter(), time.process_time()
                    scene.render()
                    times.setdefault(row, []).append(time.perf_counter() - start)
                    cpu.setdefault(row, []).append(time.process_time() - start_cpu)
    FastCameraMixin.point_backend = "auto"
    base = min(times["empty"])
    base_cpu = min(cpu["empty"])
    col = max(40, *(len(r) for r in rows))
    print(
        f"{'scene':<{col}} {'best s':>7} {'median s':>8} {'ms/frame':>8} {'ratio':>6}"
        f" {'cpu s':>7} {'cpu ratio':>9}"
    )
    for name in rows:
        best = min(times[name])
        med = statistics.median(times[name])
        best_cpu = min(cpu[name])
        print(
            f"{name:<{col}} {best:7.2f} {med:8.2f} {1000 * best / frames:8.1f} {best / base:6.2f}"
            f" {best_cpu:7.2f} {best_cpu / base_cpu:9.2f}"
        )
    print("ratio: best wall time / empty scene's; cpu: process CPU time incl. encoder threads")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
