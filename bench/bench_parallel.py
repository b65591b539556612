"""The editing loop: the default explainer's preview with -j 2 against -j 1 and an empty scene.

Run: ``.venv/bin/python bench/bench_parallel.py`` (``-q l``, the preview, by default).

Each round renders, in fresh processes as a user would (``nnwarp render -ql --voice none``,
the trajectory already cached, no section cache): the whole default explainer with ``-j 1``,
the same with ``-j 2``, and Manim's empty scene of the same number of frames at the same size
(also a fresh process: its import counts too). Then the editing loop through the section
cache: a story of the default explainer rendered into an empty cache, then again after one
caption of one beat was edited, in a fresh process and in a running ``--watch`` (from the
save to the new video's path printed: the watch's polling and settling included). Text
outlines are kept between renders (the user's cache folder); ``--cold-text`` empties it
before every render to show what a first render on a machine costs. Rounds are interleaved
and the best of each kept, so the ratios are comparable on a noisy machine. Goals (issue
15): ``-j 2`` at least 1.4× faster than ``-j 1``; ``-j 2`` at most 2.0× the empty scene; the
re-render after one caption edit at most 0.2× the cold render.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
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


def watch_edit(story: Path, media: list[str], caption: str) -> float:
    """Seconds from saving ``story`` with ``caption`` to the new video in a running
    ``--watch`` (which first renders the story as it is)."""
    proc = subprocess.Popen(
        [*NNWARP, "render", str(story), *media, "--watch"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    done: list[float] = []
    ready = threading.Event()

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.strip().endswith(".mp4"):
                done.append(time.perf_counter())
                ready.set()

    threading.Thread(target=read, daemon=True).start()
    try:
        if not ready.wait(300):
            raise RuntimeError("the watch never rendered")
        time.sleep(2.0)  # (its first render is over; a save is told by its modification time)
        ready.clear()
        saved = time.perf_counter()
        story.write_text(STORY.format(caption=caption), encoding="utf-8")
        deadline = saved + 300
        while not (done and done[-1] > saved):
            if time.perf_counter() > deadline or proc.poll() is not None:
                raise RuntimeError("the watch did not render the edit")
            ready.wait(1.0)
            ready.clear()
        return done[-1] - saved
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-q", "--quality", default="l", choices=list("lmhpk"))
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument(
        "--cold-text", action="store_true", help="empty the text cache before every render"
    )
    a = parser.parse_args()
    # Every process as a user's Python runs it, keeping compiled bytecode (with
    # PYTHONDONTWRITEBYTECODE set, each one compiles nnwarp's modules anew: 0.35 s).
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    sys.path.insert(0, str(ROOT))
    from scenes.mobjects.textcache import default_folder

    text_cache = default_folder()

    def run_cold(args: list[str]) -> float:
        if a.cold_text:
            shutil.rmtree(text_cache, ignore_errors=True)
        return run(args)

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
                best[name] = min(best.get(name, float("inf")), run_cold(args))
            story = out / f"story{k}.toml"
            story.write_text(STORY.format(caption="A caption"), encoding="utf-8")
            media_dir = out / f"media{k}"
            media = ["--media-dir", str(media_dir), "--quiet", "-j", "2"]
            media_dir.mkdir()
            os.symlink(ROOT / "media" / "trajectories", media_dir / "trajectories")
            cold = run([*NNWARP, "render", str(story), *media])
            story.write_text(STORY.format(caption="Another caption"), encoding="utf-8")
            edit = run([*NNWARP, "render", str(story), *media])
            watched = watch_edit(story, media, "A third caption")
            for name, wall in [
                ("story, cold cache", cold),
                ("story, one caption edited", edit),
                ("the same in --watch", watched),
            ]:
                best[name] = min(best.get(name, float("inf")), wall)
    print(f"default explainer, -q{a.quality}: {frames} frames, {doc['duration']:.1f} s of video")
    print(f"{'case':<26} {'wall s':>7} {'vs -j 1':>8} {'vs empty':>9}")
    for name, wall in best.items():
        print(
            f"{name:<26} {wall:7.2f} {best['-j 1'] / wall:7.2f}x "
            f"{wall / best['empty scene (Manim)']:8.2f}x"
        )
    cold = best["story, cold cache"]
    print(
        f"caption edit vs cold render: {best['story, one caption edited'] / cold:.2f}x "
        f"(a fresh process), {best['the same in --watch'] / cold:.2f}x (in --watch)"
    )
    print(
        "goals: -j 2 at least 1.40x faster than -j 1; -j 2 at most 2.00x the empty scene; "
        "a caption edit at most 0.20x a cold render"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
