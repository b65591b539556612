"""``-j N``: a video's sections rendered in N processes and joined without re-encoding.

A section renders alone exactly as it looks inside the whole video (every beat's data is
computed before drawing), so the plan's sections are cut into N runs of neighbouring
sections with about the same number of frames; each process renders one run into its
own MP4 in the render's private folder (one Manim media folder each), silent; the parts
are joined by stream copy (:mod:`scenes.render.join`), and the voice, subtitles, section
times and course package are made once, from the parts' timelines
(:func:`scenes.render.assemble.finish`). The joined video decodes to the same frames as a
one-process render (tests/render/test_parallel_render.py).
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scenes.core.timeline import Beat
from scenes.publish.subtitles import Cue

if TYPE_CHECKING:
    from scenes.render.outputs import Target
    from scenes.render.pipeline import RenderOptions, RenderResult
    from scenes.voice import BeatVoices

__all__ = ["FORMATS", "cores", "split_sections", "render_parallel"]

#: Formats a parallel render joins (H.264 in MP4); others render in one process.
FORMATS = ("mp4",)
#: How processes start: "fork" on Linux (a worker starts with Manim already imported).
START_METHOD = "fork" if sys.platform == "linux" else "spawn"


def cores() -> int:
    """The CPU cores this process may use (the default of ``-j``)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def split_sections(beats: Sequence[Beat], jobs: int, fps: float) -> list[list[str]]:
    """The plan's sections in at most ``jobs`` runs of neighbours, of about equal frames.

    Each run closes once it holds its share of what is left (so no run is empty while
    sections remain), and a section is never cut.

    >>> from scenes.narration.text import Line
    >>> beats = [Beat(s, s, Line(s), t) for s, t in [("a", 4), ("b", 1), ("c", 2), ("d", 5)]]
    >>> split_sections(beats, 2, 10)
    [['a', 'b', 'c'], ['d']]
    >>> split_sections(beats, 9, 10)
    [['a'], ['b'], ['c'], ['d']]
    """
    frames: dict[str, float] = {}
    for beat in beats:
        frames[beat.section] = frames.get(beat.section, 0.0) + beat.length * fps
    names = list(frames)
    jobs = max(1, min(jobs, len(names)))
    runs: list[list[str]] = []
    left = sum(frames.values())
    i = 0
    for k in range(jobs):
        share = left / (jobs - k)
        run: list[str] = []
        got = 0.0
        # leave at least one section for each run still to come
        while i < len(names) - (jobs - k - 1) and (not run or got + frames[names[i]] / 2 <= share):
            run.append(names[i])
            got += frames[names[i]]
            i += 1
        runs.append(run)
        left -= got
    runs[-1] += names[i:]
    return runs


def _render_run(
    source: str, opts: RenderOptions, media: str, queue: Any
) -> tuple[str, dict[str, Any], list[Cue]]:
    """Worker: render ``opts``'s sections into ``media``; returns (video, timeline, cues)."""
    from nnmodel.trajectory import load
    from scenes.publish.sections import timeline_document
    from scenes.registry import spec
    from scenes.render.pipeline import play

    def tell(n: int) -> None:
        queue.put(n)

    scene, produced, _, _ = play(
        spec(opts.scene).cls, {"trajectory": load(source)}, opts, Path(media), on_frames=tell
    )
    doc = timeline_document(scene.beats, scene.beat_times, scene.only_sections)
    return str(produced), doc, list(scene.cues)


def render_parallel(
    source: Path,
    opts: RenderOptions,
    scene: Any,
    voices: BeatVoices | None,
    targets: list[Target],
    work: Path,
    jobs: int,
) -> RenderResult:
    """Render ``scene``'s plan (built in this process, lengthened for ``voices``) in
    ``jobs`` processes, and finish the video as one."""
    from scenes.render.assemble import Part, finish
    from scenes.render.join import video_seconds
    from scenes.render.progress import Bar, planned_frames

    fps = float(opts.fps or _frame_rate(opts))
    only = scene.only_sections
    beats = [b for b in scene.beats if only is None or b.section in only]
    runs = split_sections(beats, jobs, fps)
    durations = {b.id: b.length for b in scene.beats if b.length != b.min_duration}
    bar = Bar(planned_frames(beats, fps), "frames", label="render", enabled=opts.progress)
    manager = multiprocessing.get_context(START_METHOD).Manager()
    queue = manager.Queue()
    stop = threading.Event()

    def listen() -> None:
        while not stop.is_set():
            try:
                n = queue.get(timeout=0.1)
            except Exception:  # noqa: BLE001 (queue.Empty, or the manager closing)
                continue
            bar.advance(int(n))

    listener = threading.Thread(target=listen, daemon=True)
    listener.start()
    pool = ProcessPoolExecutor(len(runs), mp_context=multiprocessing.get_context(START_METHOD))
    try:
        futures = []
        for k, run in enumerate(runs):
            part_opts = replace(
                opts,
                params={**opts.params, "sections": run, "durations": durations},
                progress=False,
                voice=None,
                course=None,
                poster_beat=None,
                title=None,
                output=None,
                jobs=1,
            )
            futures.append(
                pool.submit(_render_run, str(source), part_opts, str(work / f"run{k}"), queue)
            )
        done = [f.result() for f in futures]
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        for proc in list((getattr(pool, "_processes", None) or {}).values()):
            proc.terminate()
        raise
    finally:
        pool.shutdown(wait=True)
        stop.set()
        listener.join()
        manager.shutdown()
        bar.close()
    parts = [
        Part(opts.scene, Path(video), video_seconds(Path(video)), doc, tuple(cues), voices)
        for video, doc, cues in done
    ]
    return finish(parts, targets, opts, work)


def _frame_rate(opts: RenderOptions) -> float:
    from scenes.render.pipeline import manim_config

    return float(manim_config(opts, opts.media_dir)["frame_rate"])
