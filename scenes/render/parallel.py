"""``-j N`` and the section cache: a video's sections rendered apart and joined without re-encoding.

A section renders alone exactly as it looks inside the whole video (every beat's data is
computed before drawing), so the plan's sections are cut into N runs of neighbouring
sections with about the same number of frames; each process renders one run into its
own MP4 in the render's private folder (one Manim media folder each), silent; the parts
are joined by stream copy (:mod:`scenes.render.join`), and the voice, subtitles, section
times and course package are made once, from the parts' timelines
(:func:`scenes.render.assemble.finish`). The joined video decodes to the same frames as a
one-process render (tests/render/test_parallel_render.py).

The section cache: each section rendered this way is kept under ``MEDIA/cache/sections``,
keyed by everything its frames depend on (:func:`section_key`: the trajectory file's
bytes, the scene and its options, the section's beats with their words and lengths, the
caption it opens on, the theme, the quality, the code's own version). A render after
editing one caption renders that caption's section (and the next, whose first frames fade
the caption out) and copies the others from the cache.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import shutil
import sys
import threading
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scenes.core.timeline import Beat, lengthen
from scenes.narration.text import Line
from scenes.publish.subtitles import Cue

if TYPE_CHECKING:
    from scenes.render.assemble import Part
    from scenes.render.outputs import Target
    from scenes.render.pipeline import RenderOptions, RenderResult
    from scenes.voice import BeatVoices

__all__ = [
    "FORMATS",
    "code_version",
    "cores",
    "render_parallel",
    "section_key",
    "section_parts",
    "split_sections",
]

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


def code_version() -> str:
    """A hash of nnwarp's own code and theme and of Manim's version (any change of either
    may change frames, so it is part of every cache key)."""
    import manim

    import nnmodel
    import scenes

    h = hashlib.sha256(manim.__version__.encode())
    for package in (scenes, nnmodel):
        root = Path(next(iter(package.__path__)))
        for path in sorted(root.rglob("*.py")):
            h.update(str(path.relative_to(root)).encode())
            h.update(path.read_bytes())
    from scenes.core.theme import THEME_FILE, asset

    h.update(asset(THEME_FILE).read_bytes())
    return h.hexdigest()


def _beat_words(beat: Beat) -> list[Any]:
    return [beat.id, beat.kind, beat.line.caption, beat.line.sub, beat.length, beat.min_duration]


def section_key(
    beats: Sequence[Beat],
    section: str,
    opts: RenderOptions,
    source_digest: str,
    code: str,
) -> str:
    """The cache key of ``section``'s frames in a render of ``beats`` with ``opts``.

    >>> from scenes.narration.text import Line
    >>> from scenes.render.pipeline import RenderOptions
    >>> plan = [Beat("a", "A", Line("one"), 2.0), Beat("b", "B", Line("two"), 2.0)]
    >>> opts = RenderOptions(scene="warp", quality="l")
    >>> key = section_key(plan, "B", opts, "traj", "code")
    >>> key == section_key([Beat("a", "A", Line("ONE"), 2.0), plan[1]], "B", opts, "traj", "code")
    False
    >>> key == section_key([Beat("a", "A", Line("one"), 9.0), plan[1]], "B", opts, "traj", "code")
    True
    """
    own = [i for i, b in enumerate(beats) if b.section == section]
    before = beats[own[0] - 1].line if own and own[0] > 0 else None  # the caption it opens on
    params = {k: v for k, v in opts.params.items() if k not in ("sections", "durations")}
    blob = json.dumps(
        {
            "scene": opts.scene,
            "params": params,
            "section": section,
            "beats": [_beat_words(beats[i]) for i in own],
            "opens_on": None if before is None else [before.caption, before.sub],
            "render": [opts.quality, opts.fps, opts.resolution, opts.fmt, opts.preset],
            "theme": None
            if opts.theme is None
            else hashlib.sha256(Path(opts.theme).read_bytes()).hexdigest(),
            "trajectory": source_digest,
            "code": code,
        },
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(blob.encode()).hexdigest()[:32]


def _render_run(
    source: str,
    opts: RenderOptions,
    plan: tuple[dict[str, Line], dict[str, float]],
    media: str,
    tell: Any,
) -> tuple[str, dict[str, Any], list[Cue]]:
    """Worker: render ``opts``'s sections into ``media``, the plan's beats with the words
    and lengths of ``plan`` (by beat id); returns (video, timeline, cues)."""
    from nnmodel.trajectory import load
    from scenes.publish.sections import timeline_document
    from scenes.registry import spec
    from scenes.render.pipeline import play

    lines, durations = plan

    def prepare(scene: Any, fps: float) -> Any:
        told = [replace(b, line=lines.get(b.id, b.line)) for b in scene.beats]
        scene.beats = lengthen(told, {k: v for k, v in durations.items() if k in lines})
        return scene

    scene, produced, _, _ = play(
        spec(opts.scene).cls,
        {"trajectory": load(source)},
        opts,
        Path(media),
        prepare,
        on_frames=tell,
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
    cache: Path | None = None,
) -> RenderResult:
    """Render ``scene``'s plan (built in this process, lengthened for ``voices``) in
    ``jobs`` processes, and finish the video as one.

    With a ``cache`` folder, every section is its own part: those in the cache are copied
    from it, the others rendered and added to it.
    """
    from scenes.render.assemble import finish

    parts, note = section_parts(source, opts, scene, voices, work, jobs, cache)
    result = finish(parts, targets, opts, work)
    result.notes += [note] if note else []
    return result


def section_parts(
    source: Path,
    opts: RenderOptions,
    scene: Any,
    voices: BeatVoices | None,
    work: Path,
    jobs: int,
    cache: Path | None = None,
) -> tuple[list[Part], str]:
    """The parts of ``scene``'s video (as its plan says now: words and lengths included),
    rendered in ``jobs`` processes or copied from the ``cache``; and a note on the cache."""
    from nnmodel.fileio import atomic_file
    from scenes.render.assemble import Part
    from scenes.render.join import video_seconds
    from scenes.render.progress import planned_frames

    fps = float(opts.fps or _frame_rate(opts))
    only = scene.only_sections
    beats = [b for b in scene.beats if only is None or b.section in only]
    sections = list(dict.fromkeys(b.section for b in beats))
    keys: dict[str, str] = {}
    cached: set[str] = set()
    if cache is not None:
        digest = hashlib.sha256(Path(source).read_bytes()).hexdigest()
        code = code_version()
        keys = {name: section_key(scene.beats, name, opts, digest, code) for name in sections}
        cached = {
            name
            for name in sections
            if (cache / f"{keys[name]}.mp4").is_file() and (cache / f"{keys[name]}.json").is_file()
        }
        runs = [[name] for name in sections if name not in cached]
    else:
        runs = split_sections(beats, jobs, fps)
    durations = {b.id: b.length for b in scene.beats if b.length != b.min_duration}
    lines = {b.id: b.line for b in scene.beats}
    todo = [b for b in beats if b.section not in cached]
    done = _render_runs(
        source, opts, runs, (lines, durations), work, jobs, planned_frames(todo, fps)
    )
    rendered: dict[str, tuple[Path, dict[str, Any], tuple[Cue, ...]]] = {}
    for run, (video, doc, cues) in zip(runs, done, strict=True):
        entry = (Path(video), doc, tuple(cues))
        if cache is not None:
            (name,) = run
            cache.mkdir(parents=True, exist_ok=True)
            with atomic_file(cache / f"{keys[name]}.mp4") as tmp:
                shutil.copyfile(video, tmp)
            record = {"document": doc, "cues": [[c.start, c.end, c.text] for c in cues]}
            with atomic_file(cache / f"{keys[name]}.json") as tmp:
                tmp.write_text(json.dumps(record), encoding="utf-8")
        rendered[run[0]] = entry
    pieces = []
    if cache is None:
        pieces = list(rendered.values())
    else:
        for name in sections:
            if name in rendered:
                pieces.append(rendered[name])
            else:
                record = json.loads((cache / f"{keys[name]}.json").read_text(encoding="utf-8"))
                kept = tuple(Cue(float(a), float(b), str(t)) for a, b, t in record["cues"])
                pieces.append((cache / f"{keys[name]}.mp4", record["document"], kept))
    parts = [
        Part(opts.scene, video, video_seconds(video), doc, cues, voices)
        for video, doc, cues in pieces
    ]
    note = f"{len(cached)} of {len(sections)} sections unchanged: copied from the cache"
    return parts, note if cached else ""


def _render_runs(
    source: Path,
    opts: RenderOptions,
    runs: list[list[str]],
    plan: tuple[dict[str, Line], dict[str, float]],
    work: Path,
    jobs: int,
    frames: int,
) -> list[tuple[str, dict[str, Any], list[Cue]]]:
    """Render each run of sections into its own MP4 in ``work``, in up to ``jobs``
    processes (in this one when there is one run or one job), with one progress bar."""
    from scenes.render.progress import Bar

    if not runs:
        return []
    bar = Bar(frames, "frames", label="render", enabled=opts.progress)

    def options(run: list[str]) -> RenderOptions:
        return replace(
            opts,
            params={**opts.params, "sections": run},
            progress=False,
            voice=None,
            course=None,
            poster_beat=None,
            title=None,
            output=None,
            jobs=1,
        )

    if jobs == 1 or len(runs) == 1:
        try:
            return [
                _render_run(str(source), options(run), plan, str(work / f"run{k}"), bar.advance)
                for k, run in enumerate(runs)
            ]
        finally:
            bar.close()
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
    workers = min(jobs, len(runs))
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(START_METHOD))
    try:
        futures = [
            pool.submit(
                _render_run, str(source), options(run), plan, str(work / f"run{k}"), queue.put
            )
            for k, run in enumerate(runs)
        ]
        return [f.result() for f in futures]
    except BaseException:
        for proc in list((getattr(pool, "_processes", None) or {}).values()):
            proc.terminate()  # (before shutdown, which forgets them)
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    finally:
        pool.shutdown(wait=True)
        stop.set()
        listener.join()
        manager.shutdown()
        bar.close()


def _frame_rate(opts: RenderOptions) -> float:
    from scenes.render.pipeline import manim_config

    return float(manim_config(opts, opts.media_dir)["frame_rate"])
