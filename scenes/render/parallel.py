"""``-j N`` and the section cache: a video's beats rendered apart and joined without re-encoding.

A beat draws alone exactly as it looks inside the whole video (every beat's data is
computed before drawing; the beats before it are played without drawing), so the plan's
beats are cut into N runs of neighbours with about the same number of frames; each
process renders one run into its own MP4 in the render's private folder (one Manim media
folder each), silent; the parts are joined by stream copy (:mod:`scenes.render.join`),
and the voice, subtitles, section times and course package are made once, from the
parts' timelines (:func:`scenes.render.assemble.finish`). The joined video decodes to the
same frames as a one-process render (tests/render/test_parallel_render.py).

The section cache keeps every beat rendered this way under ``MEDIA/cache/sections``,
keyed by everything its frames depend on (:func:`beat_key`: the trajectory file's bytes,
the scene and its options, the beat's words and length, the caption it opens on, the
theme, the quality, the code's own version). A render after editing one caption draws
that caption's beat and copies the others from the cache, but for the next beat, whose
first frames fade the caption out: it draws those, and joins on the rest of the beat (its
body, kept under a key of its own that leaves out the caption before it) from the cache.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import multiprocessing
import os
import shutil
import sys
import threading
from collections.abc import Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scenes.core.timeline import Beat, lengthen
from scenes.errors import RenderError
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
    "balanced",
    "beat_key",
    "contiguous",
    "section_parts",
    "split_beats",
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


def _units(beats: Sequence[Beat], fps: float, per_frame: Mapping[str, float] | None) -> list[float]:
    """Each beat's frames, weighed by what a frame of it cost before (if known)."""
    from scenes.render.costs import weights

    return weights([b.id for b in beats], [b.length * fps for b in beats], per_frame or {})


def split_beats(
    beats: Sequence[Beat], jobs: int, fps: float, per_frame: Mapping[str, float] | None = None
) -> list[list[str]]:
    """The ids of ``beats`` in at most ``jobs`` runs of neighbours, of about equal frames
    (or, with ``per_frame``, the seconds a frame of some beats took before: of about equal
    drawing time, :mod:`scenes.render.costs`).

    Each run closes once it holds its share of what is left (so no run is empty while
    beats remain); a beat is never cut. A run may start inside a section: a beat draws
    alone exactly as inside the whole video.

    >>> from scenes.narration.text import Line
    >>> beats = [Beat(s, "S", Line(s), t) for s, t in [("a", 4), ("b", 1), ("c", 2), ("d", 5)]]
    >>> split_beats(beats, 2, 10)
    [['a', 'b', 'c'], ['d']]
    >>> split_beats(beats, 9, 10)
    [['a'], ['b'], ['c'], ['d']]
    >>> split_beats(beats, 2, 10, {"a": 0.01, "b": 0.01, "c": 0.01, "d": 0.002})  # d is cheap
    [['a'], ['b', 'c', 'd']]
    """
    units = _units(beats, fps, per_frame)
    frames = [(b.id, u) for b, u in zip(beats, units, strict=True)]
    jobs = max(1, min(jobs, len(frames)))
    runs: list[list[str]] = []
    left = sum(f for _, f in frames)
    i = 0
    for k in range(jobs):
        share = left / (jobs - k)
        run: list[str] = []
        got = 0.0
        # leave at least one beat for each run still to come
        while i < len(frames) - (jobs - k - 1) and (not run or got + frames[i][1] / 2 <= share):
            run.append(frames[i][0])
            got += frames[i][1]
            i += 1
        runs.append(run)
        left -= got
    runs[-1] += [name for name, _ in frames[i:]]
    return runs


def balanced(
    beats: Sequence[Beat], jobs: int, fps: float, per_frame: Mapping[str, float] | None = None
) -> list[list[str]]:
    """The ids of ``beats`` in at most ``jobs`` sets of about equal drawing time, each in
    the plan's order; a set need not be neighbours (for renders that cut every beat into
    its own piece: a process plays the beats between its own without drawing them).

    The longest beats first, each to the set with least so far, so no process is left
    waiting on one that drew a run of costly beats.

    >>> from scenes.narration.text import Line
    >>> beats = [Beat(s, "S", Line(s), t) for s, t in [("a", 4), ("b", 1), ("c", 2), ("d", 5)]]
    >>> balanced(beats, 2, 10)  # 60 frames each
    [['a', 'c'], ['b', 'd']]
    """
    units = _units(beats, fps, per_frame)
    sets: list[list[int]] = [[] for _ in range(max(1, min(jobs, len(beats))))]
    load = [0.0] * len(sets)
    for i in sorted(range(len(beats)), key=lambda i: (-units[i], i)):
        k = min(range(len(sets)), key=lambda k: (load[k], k))
        sets[k].append(i)
        load[k] += units[i]
    return [[beats[i].id for i in s] for s in sorted(sorted(s) for s in sets if s)]


def contiguous(ids: Sequence[str], order: Sequence[str]) -> list[list[str]]:
    """``ids`` in runs of neighbours in ``order``.

    >>> contiguous(["a", "b", "d"], ["a", "b", "c", "d", "e"])
    [['a', 'b'], ['d']]
    """
    wanted = set(ids)
    runs: list[list[str]] = []
    previous = False
    for name in order:
        if name in wanted:
            if not previous:
                runs.append([])
            runs[-1].append(name)
        previous = name in wanted
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


#: Beat data a story sets on a scene's plan that changes the beat's frames (not its words):
#: part of the beat's cache key, and handed to the processes that draw it.
STORY_DATA = ("sign_off",)

#: What a drawing process needs of the plan as told (it builds the scene's own plan
#: again): each beat's words, the lengths that differ from the plan's, and the
#: :data:`STORY_DATA` a story set, by beat id.
Plan = tuple[dict[str, Line], dict[str, float], dict[str, dict[str, Any]]]


def story_data(beats: Sequence[Beat]) -> dict[str, dict[str, Any]]:
    """The :data:`STORY_DATA` of each beat that has some, by id."""
    out = {b.id: {k: b.data[k] for k in STORY_DATA if k in b.data} for b in beats}
    return {k: v for k, v in out.items() if v}


def beat_key(
    beats: Sequence[Beat],
    beat_id: str,
    opts: RenderOptions,
    source_digest: str,
    code: str,
    body: bool = False,
) -> str:
    """The cache key of ``beat_id``'s frames in a render of ``beats`` with ``opts``.

    It covers the beat's own words, kind, section and length (and what a story sets in
    its data that changes its frames: :data:`STORY_DATA`), and the caption it opens
    on (the one it fades out: the words of the beats before it, back to the last one with
    a caption); not how long earlier beats last, which changes no frame of this one.
    With ``body``, the key of the beat's body (its frames after that caption has faded
    out: :class:`scenes.mobjects.planned.PlaysPlan`), which do not show the caption.

    >>> from scenes.narration.text import Line
    >>> from scenes.render.pipeline import RenderOptions
    >>> plan = [Beat("a", "A", Line("one"), 2.0), Beat("b", "B", Line("two"), 2.0)]
    >>> opts = RenderOptions(scene="warp", quality="l")
    >>> key = beat_key(plan, "b", opts, "traj", "code")
    >>> key == beat_key([Beat("a", "A", Line("ONE"), 2.0), plan[1]], "b", opts, "traj", "code")
    False
    >>> key == beat_key([Beat("a", "A", Line("one"), 9.0), plan[1]], "b", opts, "traj", "code")
    True
    >>> body = beat_key(plan, "b", opts, "traj", "code", body=True)
    >>> body == beat_key([Beat("a", "A", Line("ONE"), 2.0), plan[1]], "b", opts, "traj", "code",
    ...                  body=True)
    True
    """
    i = next(k for k, b in enumerate(beats) if b.id == beat_id)
    opens_on: list[Any] | str = "(its body: after that caption)"
    if not body:
        opens_on = []
        for before in reversed(beats[:i]):
            opens_on.append([before.line.caption, before.line.sub])
            if before.line.caption:
                break
    params = {k: v for k, v in opts.params.items() if k not in ("sections", "durations")}
    blob = json.dumps(
        {
            "scene": opts.scene,
            "params": params,
            "beat": [*_beat_words(beats[i]), beats[i].section],
            "story": story_data(beats[i : i + 1]),
            "opens_on": opens_on,
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


#: What a worker gives back for each piece of video: (MP4, timeline, caption cues, head).
#: ``head``: the frames of the beat's head (:class:`scenes.mobjects.planned.PlaysPlan`) when
#: a body follows them in the MP4, or, for a beat drawn up to its head only, when it has
#: one (the MP4 then holds the head alone); else None.
Piece = tuple[str, dict[str, Any], list[Cue], int | None]


def _render_run(
    source: str,
    opts: RenderOptions,
    plan: Plan,
    media: str,
    tell: Any,
    run: list[str],
    cut: bool,
    traj: Any = None,
    heads: frozenset[str] = frozenset(),
) -> list[Piece]:
    """Worker: draw the beats ``run`` (ids, neighbours) of ``opts``'s scene into ``media``,
    with the words and lengths of ``plan`` (by beat id). Returns one piece for the whole
    run, or with ``cut`` one per beat (each beat's frames are whole animations, each of
    which Manim encodes into its own file: those are joined per beat). ``traj``: the
    trajectory ``source`` holds, if loaded already. The beats ``heads`` names are drawn up
    to the end of their head only."""
    from nnmodel.trajectory import load
    from scenes.publish.sections import rendered_cues, timeline_document
    from scenes.registry import spec
    from scenes.render.pipeline import play

    lines, durations, data = plan

    def prepare(scene: Any, fps: float) -> Any:
        told = [
            replace(b, line=lines.get(b.id, b.line), data={**b.data, **data.get(b.id, {})})
            for b in scene.beats
        ]
        scene.beats = lengthen(told, {k: v for k, v in durations.items() if k in lines})
        scene.only_beats = frozenset(run)
        scene.cut_beats = cut
        scene.heads_only = heads
        return scene

    scene, produced, _, _ = play(
        spec(opts.scene).cls,
        {"trajectory": load(source) if traj is None else traj},
        opts,
        Path(media),
        prepare,
        on_frames=tell,
    )
    rate = _frame_rate(opts)
    took = {
        b.id: scene.drawing_seconds[b.id] / max(1.0, b.min_duration * rate)
        for b in scene.beats
        if b.id in scene.drawing_seconds
    }
    (Path(media) / "costs.json").write_text(json.dumps(took), encoding="utf-8")
    if not cut:
        doc = timeline_document(scene.beats, scene.beat_times, scene.drawn_ids())
        return [(str(produced), doc, list(scene.cues), None)]
    writer = scene.renderer.file_writer
    files, before = _beat_files(writer.sections, run)
    pieces: list[Piece] = []
    for k, beat_id in enumerate(run):
        video = Path(media) / f"beat{k}.mp4"
        writer.combine_files(files[beat_id], video)  # as Manim joins them into the movie
        one = {beat_id}
        doc = timeline_document(scene.beats, scene.beat_times, one)
        cues = rendered_cues(scene.clock_cues, scene.beats, scene.beat_times, one)
        head = None
        if beat_id in scene.head_plays:
            plays, frames = scene.head_plays[beat_id]
            if beat_id in heads or plays < len(files[beat_id]) - len(before[beat_id]):
                head = frames + _frames(before[beat_id])
        pieces.append((str(video), doc, cues, head))
    return pieces


def _frames(videos: Sequence[str]) -> int:
    """The frames in ``videos`` (one packet each)."""
    import av

    n = 0
    for video in videos:
        with av.open(video) as c:
            n += sum(1 for p in c.demux(video=0) if p.pts is not None)
    return n


def _beat_files(
    sections: Sequence[Any], run: Sequence[str]
) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Each drawn beat's partial movie files, from Manim's sections (one per beat, named by
    its id; files of a section not named so, drawn before a beat, go with that beat); and
    of those, the ones drawn before it."""
    files: dict[str, list[str]] = {}
    early: dict[str, list[str]] = {}
    before: list[str] = []
    for section in sections:
        own = [str(f) for f in section.get_clean_partial_movie_files()]
        if section.name in run and not section.skip_animations:
            files[section.name], early[section.name] = before + own, before
            before = []
        else:
            before += own
    missing = [b for b in run if b not in files]
    if missing or before:
        raise RenderError(f"the frames of beat {(missing or run)[-1]!r} could not be told apart")
    return files, early


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
    leave_out: frozenset[str] = frozenset(),
) -> tuple[list[Part], str]:
    """The parts of ``scene``'s video (as its plan says now: words and lengths included),
    rendered in ``jobs`` processes or copied from the ``cache``; and a note on the cache.

    The beats ``leave_out`` names are in no part: played (what follows them starts where
    they end) but never drawn, so the video cuts from the beat before to the beat after.

    Without a cache the beats are cut into ``jobs`` runs of neighbours of about equal
    drawing time (:func:`split_beats`), one part each. With one every beat is its own part:
    those in the cache are copied from it, the others shared out among ``jobs`` processes
    by drawing time (:func:`balanced`, neighbours or not) and added to it. A beat whose
    body is in the cache (its frames after the caption it opens on has faded out: only
    that caption changed) is drawn up to there, and the body joined on.
    """
    from nnmodel.fileio import atomic_file
    from scenes.render import costs
    from scenes.render.assemble import Part
    from scenes.render.join import join_videos, video_seconds
    from scenes.render.progress import planned_frames

    fps = float(opts.fps or _frame_rate(opts))
    only = scene.only_sections
    beats = [
        b for b in scene.beats if (only is None or b.section in only) and b.id not in leave_out
    ]
    order = [b.id for b in beats]
    keys: dict[str, str] = {}
    body_keys: dict[str, str] = {}
    cached: set[str] = set()
    #: beat id: (the key of a cached video with the beat's body, the frames before it)
    bodies: dict[str, tuple[str, int]] = {}
    if cache is not None:
        digest = hashlib.sha256(Path(source).read_bytes()).hexdigest()
        code = code_version()
        keys = {b.id: beat_key(scene.beats, b.id, opts, digest, code) for b in beats}
        cached = {i for i in order if _in_cache(cache, keys[i])}
        for b in beats:
            if b.id not in cached:
                body_keys[b.id] = beat_key(scene.beats, b.id, opts, digest, code, body=True)
                found = _body_in_cache(cache, body_keys[b.id])
                if found is not None:
                    bodies[b.id] = found
    todo = [b for b in beats if b.id not in cached]
    # what the processes will draw: of a beat whose body is kept, its head
    drawn = [
        replace(b, min_duration=bodies[b.id][1] / fps, duration=None) if b.id in bodies else b
        for b in todo
    ]
    by_id = {b.id: b for b in drawn}
    total = max(sum(b.length for b in drawn), 1e-9)
    where = costs.scope(opts.scene, opts.quality, opts.resolution, fps)
    known = costs.load(opts.media_dir, where)
    runs: list[list[str]] = []
    if cache is not None:  # every beat its own piece: any set of beats makes a run
        runs = balanced(drawn, jobs, fps, known)
    else:
        for stretch in contiguous(list(by_id), order):
            beats_here = [by_id[i] for i in stretch]
            share = sum(b.length for b in beats_here) / total  # of the processes
            runs += split_beats(beats_here, max(1, round(jobs * share)), fps, known)
    durations = {b.id: b.length for b in scene.beats if b.length != b.min_duration}
    lines = {b.id: b.line for b in scene.beats}
    done = _render_runs(
        source,
        opts,
        runs,
        (lines, durations, story_data(scene.beats)),
        work,
        jobs,
        planned_frames(drawn, fps),
        cache is not None,
        getattr(scene, "traj", None),
        frozenset(bodies),
    )
    seen: dict[str, float] = {}
    for k in range(len(runs)):
        with contextlib.suppress(OSError, ValueError):  # (a hint: a lost one does no harm)
            seen.update(json.loads((work / f"run{k}" / "costs.json").read_text(encoding="utf-8")))
    costs.save(opts.media_dir, where, seen)
    pieces: list[tuple[list[str], Path, float, dict[str, Any], tuple[Cue, ...]]] = []
    joined = 0
    for run, made in zip(runs, done, strict=True):
        if cache is None:
            ((video, doc, cues, _),) = made
            pieces.append((run, Path(video), video_seconds(Path(video)), doc, tuple(cues)))
            continue
        cache.mkdir(parents=True, exist_ok=True)
        for beat_id, (video, doc, cues, head) in zip(run, made, strict=True):
            if beat_id in bodies and head is not None:  # its head: the body joined on
                holder, before = bodies[beat_id]
                whole = Path(video).with_name(f"{Path(video).stem}-whole.mp4")
                join_videos([Path(video), (cache / f"{holder}.mp4", before)], whole)
                video, joined = str(whole), joined + 1
            seconds = video_seconds(Path(video))
            with atomic_file(cache / f"{keys[beat_id]}.mp4") as tmp:
                shutil.copyfile(video, tmp)
            record = {
                "document": doc,
                "cues": [[c.start, c.end, c.text] for c in cues],
                "seconds": seconds,
            }
            with atomic_file(cache / f"{keys[beat_id]}.json") as tmp:
                tmp.write_text(json.dumps(record), encoding="utf-8")
            if head is not None:  # its body, for a render where only its caption changed
                with atomic_file(cache / f"{body_keys[beat_id]}.body.json") as tmp:
                    tmp.write_text(json.dumps({"video": keys[beat_id], "head": head}))
            pieces.append(([beat_id], Path(video), seconds, doc, tuple(cues)))
    for beat_id in cached:
        assert cache is not None
        record = json.loads((cache / f"{keys[beat_id]}.json").read_text(encoding="utf-8"))
        kept = tuple(Cue(float(a), float(b), str(t)) for a, b, t in record["cues"])
        kept_video = cache / f"{keys[beat_id]}.mp4"
        seconds = record.get("seconds")  # (a record from before it was kept: measured)
        seconds = float(seconds) if seconds is not None else video_seconds(kept_video)
        pieces.append(([beat_id], kept_video, seconds, record["document"], kept))
    position = {beat_id: k for k, beat_id in enumerate(order)}
    pieces.sort(key=lambda p: position[p[0][0]])
    section_of = {b.id: b.section for b in beats}
    parts = []
    for k, (ids, path, seconds, timeline, said) in enumerate(pieces):
        previous = pieces[k - 1][0][-1] if k else None
        parts.append(
            Part(
                opts.scene,
                path,
                seconds,
                _told(timeline, lines),
                said,
                voices,
                continues=previous is not None and section_of[previous] == section_of[ids[0]],
            )
        )
    note = f"{len(cached)} of {len(order)} beats unchanged: copied from the cache"
    if joined == 1:
        note += "; 1 more drawn only until the caption before it fades out"
    elif joined:
        note += f"; {joined} more drawn only until the captions before them fade out"
    return parts, note if cached or joined else ""


def _in_cache(cache: Path, key: str) -> bool:
    """Whether the cache holds the beat ``key`` (its video and its record)."""
    return (cache / f"{key}.mp4").is_file() and (cache / f"{key}.json").is_file()


def _body_in_cache(cache: Path, body_key: str) -> tuple[str, int] | None:
    """The key of a cached beat whose video has the body ``body_key`` names, and the frames
    before that body; None if there is none (or its record is unreadable)."""
    try:
        found = json.loads((cache / f"{body_key}.body.json").read_text(encoding="utf-8"))
        key, head = str(found["video"]), int(found["head"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return (key, head) if head > 0 and _in_cache(cache, key) else None


def _told(doc: dict[str, Any], lines: dict[str, Line]) -> dict[str, Any]:
    """``doc`` with every beat's words as the plan tells them now (a cached beat's frames
    do not depend on its narration, but its timeline names it)."""
    beats = []
    for b in doc["beats"]:
        line = lines.get(b["id"])
        if line is not None:
            b = {**b, "caption": line.caption, "subcaption": line.sub, "narration": line.spoken}
        beats.append(b)
    return {**doc, "beats": beats}


def _render_runs(
    source: Path,
    opts: RenderOptions,
    runs: list[list[str]],
    plan: Plan,
    work: Path,
    jobs: int,
    frames: int,
    cut: bool,
    traj: Any = None,
    heads: frozenset[str] = frozenset(),
) -> list[list[Piece]]:
    """Render each run of beats in ``work``, in up to ``jobs`` processes (in this one when
    there is one run or one job), with one progress bar; ``cut``: one piece per beat.
    ``traj``: the trajectory ``source`` holds, for workers forked from here to start with.
    ``heads``: beats drawn up to the end of their head only."""
    from scenes.render.progress import Bar

    if not runs:
        return []
    bar = Bar(frames, "frames", label="render", enabled=opts.progress)

    def options() -> RenderOptions:
        return replace(
            opts,
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
                _render_run(
                    str(source),
                    options(),
                    plan,
                    str(work / f"run{k}"),
                    bar.advance,
                    run,
                    cut,
                    traj,
                    heads=heads,
                )
                for k, run in enumerate(runs)
            ]
        finally:
            bar.close()
    context = multiprocessing.get_context(START_METHOD)
    queue = context.Queue()  # frames done, from the workers (a None ends the listening)

    def listen() -> None:
        while (n := queue.get()) is not None:
            bar.advance(int(n))

    listener = threading.Thread(target=listen, daemon=True)
    listener.start()
    workers = min(jobs, len(runs))
    if traj is not None:
        _inherited[str(source)] = traj
    pool = ProcessPoolExecutor(
        workers, mp_context=context, initializer=_worker_start, initargs=(queue,)
    )
    try:
        futures = [
            pool.submit(
                _render_run_here,
                str(source),
                options(),
                plan,
                str(work / f"run{k}"),
                run,
                cut,
                heads,
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
        _inherited.clear()
        queue.put(None)
        listener.join(5.0)
        queue.close()
        bar.close()


#: In a worker: where to tell the frames it has drawn (set as it starts).
_progress: Any = None
#: Trajectories the parent had loaded when it forked its workers, by path (a worker
#: started another way finds none and loads the file).
_inherited: dict[str, Any] = {}


def _worker_start(queue: Any) -> None:
    global _progress
    _progress = queue


def _render_run_here(
    source: str,
    opts: RenderOptions,
    plan: Plan,
    media: str,
    run: list[str],
    cut: bool,
    heads: frozenset[str] = frozenset(),
) -> list[Piece]:
    """:func:`_render_run` in a worker, telling its frames to the parent's progress bar."""
    traj = _inherited.get(source)
    return _render_run(source, opts, plan, media, _progress.put, run, cut, traj, heads)


def _frame_rate(opts: RenderOptions) -> float:
    from scenes.render.pipeline import manim_config

    return float(manim_config(opts, opts.media_dir)["frame_rate"])
