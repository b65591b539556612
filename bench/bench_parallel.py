"""The editing loop: the default explainer's preview with -j 2 against -j 1 and an empty scene.

Run: ``.venv/bin/python bench/bench_parallel.py`` (``-q l``, the preview, by default).

Each round renders, in fresh processes as a user would (``nnwarp render -ql --voice none``,
the trajectory already cached, no section cache): the whole default explainer with ``-j 1``,
the same with ``-j 2``, and Manim's empty scene of the same number of frames at the same size
(also a fresh process: its import counts too). Then the editing loop through the section
cache: a story of the default explainer rendered into an empty cache, then again after one
caption of one beat was edited. Rounds are interleaved and the best of each kept, so the
ratios are comparable on a noisy machine. Goals (issue 15): ``-j 2`` at least 1.4× faster than
``-j 1``; ``-j 2`` at most 2.0× the empty scene; the re-render after one caption edit at most
0.2× the cold render.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NNWARP = [sys.executable, "-m", "scenes.cli"]

EMPTY = """
import sys, manim as mn
frames, fps, w, h = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
out = sys.argv[5]
class Empty(mn.Scene):
    def construct(self):
        self.play(mn.Animation(mn.Mobject()), run_time=frames / fps)
cfg = {"frame_rate": fps, "pixel_width": w, "pixel_height": h, "media_dir": out,
       "notify_outdated_version": False, "verbosity": "ERROR", "progress_bar": "none"}
with mn.tempconfig(cfg):
    Empty().render()
"""


#: The default explainer as a story, with one caption of the Layer 2 section to edit.
STORY = """
scenes = ["explainer"]
[render]
quality = "l"
[voice]
engine = "none"
[[beat]]
id = "layer-2.bias"
caption = "{caption}"
"""


def run(args: list[str]) -> float:
    """Wall seconds of one command (which must succeed)."""
    start = time.perf_counter()
    subprocess.run(args, check=True, cwd=ROOT, capture_output=True)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-q", "--quality", default="l", choices=list("lmhpk"))
    parser.add_argument("--rounds", type=int, default=2)
    a = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        base = [*NNWARP, "render", f"-q{a.quality}", "--voice", "none", "--quiet", "--no-cache"]
        run([*base, "-j", "1", "-o", str(out / "warm.mp4")])  # trains (or finds) the network
        doc = json.loads((out / "warm.sections.json").read_text())
        import av

        with av.open(str(out / "warm.mp4")) as c:
            v = c.streams.video[0]
            frames, fps = v.frames, float(v.average_rate)
            w, h = v.codec_context.width, v.codec_context.height
        best: dict[str, float] = {}
        for k in range(max(a.rounds, 1)):
            cases = {
                "-j 1": [*base, "-j", "1", "-o", str(out / f"j1-{k}.mp4")],
                "-j 2": [*base, "-j", "2", "-o", str(out / f"j2-{k}.mp4")],
                "empty scene (Manim)": [
                    sys.executable, "-c", EMPTY, str(frames), str(fps), str(w), str(h),
                    str(out / f"empty{k}"),
                ],
            }  # fmt: skip
            for name, args in cases.items():
                best[name] = min(best.get(name, float("inf")), run(args))
            story = out / f"story{k}.toml"
            story.write_text(STORY.format(caption="A caption"), encoding="utf-8")
            media = ["--media-dir", str(out / f"media{k}"), "--quiet", "-j", "2"]
            cold = run([*NNWARP, "render", str(story), *media])
            story.write_text(STORY.format(caption="Another caption"), encoding="utf-8")
            edit = run([*NNWARP, "render", str(story), *media])
            best["story, cold cache"] = min(best.get("story, cold cache", float("inf")), cold)
            best["story, one caption edited"] = min(
                best.get("story, one caption edited", float("inf")), edit
            )
    print(f"default explainer, -q{a.quality}: {frames} frames, {doc['duration']:.1f} s of video")
    print(f"{'case':<22} {'wall s':>7} {'vs -j 1':>8} {'vs empty':>9}")
    for name, wall in best.items():
        print(
            f"{name:<22} {wall:7.2f} {best['-j 1'] / wall:7.2f}x "
            f"{wall / best['empty scene (Manim)']:8.2f}x"
        )
    print(
        f"caption edit vs cold render: "
        f"{best['story, one caption edited'] / best['story, cold cache']:.2f}x"
    )
    print(
        "goals: -j 2 at least 1.40x faster than -j 1; -j 2 at most 2.00x the empty scene; "
        "a caption edit at most 0.20x a cold render"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
