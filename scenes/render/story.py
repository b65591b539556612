"""Render a story: its scenes one after the other in one video, with its words and its voice.

Every scene's plan is built first and the story's ``[[beat]]`` ids checked against them
(before any frame). Then, scene by scene: the story's words replace the plan's, the voice
speaks them (lengthening beats to their speech), the story's durations and pauses apply,
and the scene is rendered silent into a private folder. The parts are joined by stream
copy (no re-encode), the voice is placed on the joined clock and muxed once, with a
chapter per section; subtitles, the section times and the course package follow, as for
any render. A failure anywhere leaves every earlier output in place.

A story with a ``title`` opens on a title card: the explainer's (its caption the story's
title, its subcaption the network, said as shown), the beat ``title`` of the story's
first scene, in that scene's first section (chapter). An explainer first shows it on its
own card (there is never a second one); before any other scene the card is drawn by the
explainer, its plan cut to that one beat, as a part of its own (voiced, timed, cached
like any beat) whose section is the one the next part opens. An explainer later in the
story opens on a heading for its part instead of a title card of its own
(:func:`scenes.story.opening`).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nnmodel.fileio import work_dir
from scenes.core.timeline import lengthen, reading_durations
from scenes.errors import RenderError

if TYPE_CHECKING:
    from scenes.render.assemble import Part
    from scenes.render.pipeline import RenderOptions, RenderResult
    from scenes.story import Story

__all__ = ["render_story"]


#: The scene that draws a story's own title card (its beat ``title``, alone).
CARD_SCENE = "explainer"


def _plans(story: Story, traj: Any, opts: RenderOptions) -> tuple[dict[str, Any], Any]:
    """Every scene with its plan (built, not drawn), by name; and the story's own title
    card: the :data:`CARD_SCENE` with its plan cut to its title beat (None: the story has
    no title, or its first scene has a title card of its own)."""
    import manim

    from scenes.registry import spec
    from scenes.render.pipeline import manim_config
    from scenes.story import needs_title_card
    from scenes.story.shapes import TITLE_ID

    scenes: dict[str, Any] = {}
    card = None
    from scenes.core.theme import use_theme

    # a scratch folder for Manim: the plans are built to be checked, not drawn
    with work_dir(opts.media_dir, begins_work=False) as scratch, use_theme(opts.theme):
        cfg = manim_config(opts, scratch)
        with manim.tempconfig(cfg):
            for name in story.scenes:
                cls = spec(name).cls
                params = story.scene_options(name)
                if hasattr(cls, "check_params"):
                    cls.check_params(traj, params)
                scenes[name] = cls(trajectory=traj, **params)
            first = [b.id for b in scenes[story.scenes[0]].beats]
            if needs_title_card(story, first):
                card = spec(CARD_SCENE).cls(trajectory=traj)
                card.beats = [b for b in card.beats if b.id == TITLE_ID]
    return scenes, card


def render_story(story: Story, trajectory: Path, opts: RenderOptions) -> RenderResult:
    """Render ``story`` with the trained network ``trajectory`` into ``opts.output``.

    ``opts`` carries the story's render settings with the command line's on top (quality,
    output, voice, course); its ``scene`` and ``params`` are ignored (each scene takes its
    own from the story).
    """
    from scenes.registry import spec
    from scenes.render.assemble import finish
    from scenes.render.loaded import loaded
    from scenes.render.parallel import section_parts
    from scenes.render.pipeline import _check_beat, check_outputs
    from scenes.story import check_beat_ids, skipped, title_card_ids
    from scenes.story.shapes import TITLE_ID

    if opts.fmt != "mp4" or not opts.is_movie:
        raise RenderError("a story renders an MP4 (the video courses embed): drop the format")
    for name in story.scenes:
        if spec(name).needs != "trajectory":
            raise RenderError(f"a story shows one network; {name} compares several")
    stem = Path(story.source).stem if story.source else "story"
    targets = check_outputs(opts, stem, "Story")
    if opts.course is not None:
        from scenes.publish.course import check_course_target

        check_course_target(opts.course, "--course", create=True)
    traj = loaded(trajectory)
    built, card = _plans(story, traj, opts)
    plans = title_card_ids(
        story, {name: [b.id for b in scene.beats] for name, scene in built.items()}
    )
    edits = check_beat_ids(story, plans)
    if opts.poster_beat is not None:
        _check_beat(opts.poster_beat, [i for ids in plans.values() for i in ids], "--poster-beat")
    left_out = {name: skipped(by_id) for name, by_id in edits.items()}
    if all(len(left_out.get(name, ())) == len(ids) for name, ids in plans.items()):
        raise RenderError("every beat of the story has skip = true: nothing is left to render")
    if any(opts.poster_beat in ids for ids in left_out.values()):
        raise RenderError(
            f"--poster-beat {opts.poster_beat}: the story leaves that beat out (skip = true); "
            "pick a beat the video shows"
        )
    main = targets[0]
    main.path.parent.mkdir(parents=True, exist_ok=True)
    cache = opts.media_dir / "cache" / "sections" if opts.cache else None
    first = story.scenes[0]
    card_edits = {k: e for k, e in edits[first].items() if card is not None and k == TITLE_ID}
    edits[first] = {k: e for k, e in edits[first].items() if k not in card_edits}
    with work_dir(main.path.parent) as work:
        parts: list[Part] = []
        notes: list[str] = []
        if card is not None and TITLE_ID not in skipped(card_edits):
            card_opts = replace(
                opts, scene=CARD_SCENE, params={}, course=None, poster_beat=None, title=None
            )
            card, voices = _prepared(card, card_opts, card_edits, story.title)
            made, note = section_parts(
                trajectory, card_opts, card, voices, work / "title", opts.jobs, cache
            )
            parts += [replace(part, scene=first) for part in made]  # (its beat: the first's)
            notes += [f"title card: {note}"] if note else []
        opening = len(parts)
        for i, name in enumerate(story.scenes):
            part_opts = replace(
                opts,
                scene=name,
                params=story.scene_options(name),
                course=None,
                poster_beat=None,
                title=None,
            )
            title = story.title if i == 0 else None  # (an explainer first: on its own card)
            scene, voices = _prepared(
                built[name],
                part_opts,
                edits.get(name, {}),
                title,
                first=i == 0,
                last=i == len(story.scenes) - 1,
            )
            made, note = section_parts(
                trajectory,
                part_opts,
                scene,
                voices,
                work / f"scene{i}",
                opts.jobs,
                cache,
                left_out.get(name, frozenset()),
            )
            parts += made
            notes += [f"{name}: {note}"] if note else []
        if 0 < opening < len(parts):
            parts = _opening(parts[:opening], parts[opening:])
        parts = _chapters(parts)
        result = finish(parts, targets, opts, work, story.title)
        result.notes += notes
        return result


def _opening(card: list[Part], rest: list[Part]) -> list[Part]:
    """The title card's parts in the section the part after them opens (the card opens
    the video's first chapter, not a chapter of its own), and the parts after them."""
    section = rest[0].document["sections"][0]["name"]
    moved = []
    for part in card:
        doc = part.document
        document = {
            **doc,
            "sections": [{**s, "name": section} for s in doc["sections"]],
            "beats": [{**b, "section": section} for b in doc["beats"]],
        }
        moved.append(replace(part, document=document))
    return [*moved, replace(rest[0], continues=True), *rest[1:]]


def _chapters(parts: list[Part]) -> list[Part]:
    """The parts with their sections named as the story's chapters
    (:func:`scenes.story.chapters.chapter_names`: a later scene's "Introduction" after
    what it shows, no name twice); a scene's parts are consecutive."""
    from scenes.story.chapters import chapter_names

    order: list[str] = []
    names: dict[str, list[str]] = {}
    for part in parts:
        if part.scene not in names:
            order.append(part.scene)
            names[part.scene] = []
        for s in part.document["sections"]:
            if s["name"] not in names[part.scene]:
                names[part.scene].append(s["name"])
    new = chapter_names([(scene, names[scene]) for scene in order])
    renamed = {
        scene: dict(zip(names[scene], mine, strict=True))
        for scene, mine in zip(order, new, strict=True)
    }
    out = []
    for part in parts:
        to = renamed[part.scene]
        if all(old == name for old, name in to.items()):
            out.append(part)
            continue
        doc = part.document
        document = {
            **doc,
            "sections": [{**s, "name": to[s["name"]]} for s in doc["sections"]],
            "beats": [{**b, "section": to.get(b["section"], b["section"])} for b in doc["beats"]],
        }
        out.append(replace(part, document=document))
    return out


def _prepared(
    scene: Any,
    opts: RenderOptions,
    by_id: Any,
    title: str | None = None,
    first: bool = True,
    last: bool = True,
) -> tuple[Any, Any]:
    """A story's ``scene`` (built, not drawn) with its plan as the story tells it: its
    words (its title card, if it has one, as the story's ``first`` scene or a later one
    shows it: :func:`scenes.story.opening`; its end card signed off only as the ``last``:
    :func:`scenes.story.closing`), the voice's lengths (the voice speaks them now, or
    finds them in the cache), its timing."""
    import manim

    from scenes.render.pipeline import _speak, manim_config
    from scenes.story import closing, edit_lines, edit_timing, opening, skipped, stand_ins

    voices = None
    from scenes.core.theme import use_theme

    with (
        work_dir(opts.media_dir) as scratch,
        use_theme(opts.theme),
        manim.tempconfig(manim_config(opts, scratch)),
    ):
        told = edit_lines(closing(opening(scene.beats, title, first), last), by_id)
        scene.beats = stand_ins(told, skipped(by_id))
        if opts.voice is not None:
            voices = _speak(scene, opts, float(manim.config.frame_rate))
            lengths = {b.id: b.length for b in scene.beats}
            longer = {k: v for k, v in voices.durations.items() if v > lengths[k] + 1e-9}
            scene.beats = lengthen(scene.beats, longer)
        else:  # silent: the picture waits until its words can be read (the story may say)
            fps = float(manim.config.frame_rate)
            scene.beats = lengthen(scene.beats, reading_durations(scene.beats, fps))
        scene.beats = edit_timing(scene.beats, by_id)
    return scene, voices
