"""Render a story: its scenes one after the other in one video, with its words and its voice.

Every scene's plan is built first and the story's ``[[beat]]`` ids checked against them
(before any frame). Then, scene by scene: the story's words replace the plan's, the voice
speaks them (lengthening beats to their speech), the story's durations and pauses apply,
and the scene is rendered silent into a private folder. The parts are joined by stream
copy (no re-encode), the voice is placed on the joined clock and muxed once, with a
chapter per section; subtitles, the section times and the course package follow, as for
any render. A failure anywhere leaves every earlier output in place.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nnmodel.fileio import work_dir
from scenes.core.timeline import lengthen, reading_durations
from scenes.errors import RenderError

if TYPE_CHECKING:
    from scenes.render.pipeline import RenderOptions, RenderResult
    from scenes.story import Story

__all__ = ["render_story"]


def _plans(story: Story, traj: Any, opts: RenderOptions) -> dict[str, Any]:
    """Every scene with its plan (built, not drawn), by name."""
    import manim

    from scenes.registry import spec
    from scenes.render.pipeline import manim_config

    scenes: dict[str, Any] = {}
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
    return scenes


def render_story(story: Story, trajectory: Path, opts: RenderOptions) -> RenderResult:
    """Render ``story`` with the trained network ``trajectory`` into ``opts.output``.

    ``opts`` carries the story's render settings with the command line's on top (quality,
    output, voice, course); its ``scene`` and ``params`` are ignored (each scene takes its
    own from the story).
    """
    from nnmodel import trajectory as trajectories
    from scenes.registry import spec
    from scenes.render.assemble import Part, finish
    from scenes.render.parallel import section_parts
    from scenes.render.pipeline import _check_beat, check_outputs
    from scenes.story import check_beat_ids, skipped

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
    traj = trajectories.load(trajectory)
    built = _plans(story, traj, opts)
    plans = {name: [b.id for b in scene.beats] for name, scene in built.items()}
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
    with work_dir(main.path.parent) as work:
        parts: list[Part] = []
        notes: list[str] = []
        for i, name in enumerate(story.scenes):
            part_opts = replace(
                opts,
                scene=name,
                params=story.scene_options(name),
                course=None,
                poster_beat=None,
                title=None,
            )
            scene, voices = _prepared(built[name], part_opts, edits.get(name, {}))
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
        result = finish(parts, targets, opts, work, story.title)
        result.notes += notes
        return result


def _prepared(scene: Any, opts: RenderOptions, by_id: Any) -> tuple[Any, Any]:
    """A story's ``scene`` (built, not drawn) with its plan as the story tells it: its
    words, the voice's lengths (the voice speaks them now, or finds them in the cache), its
    timing."""
    import manim

    from scenes.render.pipeline import _speak, manim_config
    from scenes.story import edit_lines, edit_timing, skipped, stand_ins

    voices = None
    from scenes.core.theme import use_theme

    with (
        work_dir(opts.media_dir) as scratch,
        use_theme(opts.theme),
        manim.tempconfig(manim_config(opts, scratch)),
    ):
        scene.beats = stand_ins(edit_lines(scene.beats, by_id), skipped(by_id))
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
