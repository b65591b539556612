"""Story files on the command line: `nnwarp render STORY.toml`, `nnwarp new`, `nnwarp schema`."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from click.core import ParameterSource

from nnmodel.errors import NnwarpError
from scenes.cli.errors import user_errors

if TYPE_CHECKING:
    from nnmodel.config import RunConfig

__all__ = [
    "STORY_FLAGS",
    "new",
    "planned_story_training",
    "render_story_file",
    "schema",
    "story_training",
    "story_training_kw",
]

#: `nnwarp render` options that apply to a story, on top of its [render] and [voice] tables
#: (the network, scenes and words come from the file).
STORY_FLAGS = {
    "quality": "-q",
    "fps": "--fps",
    "resolution": "-r",
    "output": "-o",
    "media_dir": "--media-dir",
    "retrain": "--retrain",
    "quiet": "--quiet",
    "preview": "-p",
    "voice_engine": "--voice",
    "course_dir": "--course",
    "poster_beat": "--poster-beat",
    "title": "--title",
    "x264_preset": "--x264-preset",
    "jobs": "-j",
    "use_cache": "--cache",
    "watch": "--watch",
    "theme_file": "--theme",
}


def _given(ctx: click.Context) -> dict[str, Any]:
    """The options the user typed (not defaults), by parameter name."""
    return {
        name: value
        for name, value in ctx.params.items()
        if ctx.get_parameter_source(name)
        in (ParameterSource.COMMANDLINE, ParameterSource.ENVIRONMENT)
    }


def render_story_file(ctx: click.Context, path: Path) -> None:
    """``nnwarp render STORY.toml``: the story's video (and course package, if asked)."""
    from scenes import render as r
    from scenes.cli.options import choose_format, output_path
    from scenes.cli.rendering import jobs_for, report, train_for_render, voice_for
    from scenes.story import load_story
    from scenes.voice import VoiceConfig

    given = _given(ctx)
    other = sorted(
        "--" + name.replace("_", "-")
        for name in given
        if name not in STORY_FLAGS and name != "scene"
    )
    if other:
        raise click.UsageError(
            f"{', '.join(other)} {'does' if len(other) == 1 else 'do'} not apply to a story: "
            f"set {'it' if len(other) == 1 else 'them'} in {path.name} (its [train], scene "
            "tables or [[beat]]s), or render a scene by name"
        )
    story = load_story(path)
    args = story.to_render_args()
    out = output_path(given["output"]) if "output" in given else args.output
    fmt = choose_format(None, out, False)
    if "voice_engine" in given:
        voice = voice_for(ctx, given["voice_engine"], fmt, False)
    else:
        v = args.voice
        voice = (
            None
            if v.engine == "none"
            else VoiceConfig(v.engine, v.voice, v.speed, v.pause, v.loudness)
        )
    resolution = given.get("resolution")
    opts = r.RenderOptions(
        scene="story",
        quality=given.get("quality", args.quality),
        fps=given.get("fps", args.fps),
        resolution=r.parse_resolution(resolution) if resolution else args.resolution,
        fmt=fmt,
        output=out,
        media_dir=given.get("media_dir", Path("media")),
        preset=given.get("x264_preset", args.x264_preset),
        progress=not given.get("quiet", False),
        course=given.get("course_dir"),
        poster_beat=given.get("poster_beat"),
        title=given.get("title") or (story.title if "course_dir" in given else None),
        voice=voice,
        jobs=jobs_for(given.get("jobs")),
        cache=bool(given.get("use_cache", True)),
        theme=given.get("theme_file", args.theme),
    )
    trajectory = args.trajectory
    if trajectory is None:
        kw = story_training_kw(story, args)
        trajectory = train_for_render(replace(opts, scene=story.scenes[0]), kw, "retrain" in given)
    from scenes.render.story import render_story

    report(render_story(story, trajectory, opts), bool(given.get("preview")))


def story_training_kw(story: Any, args: Any) -> dict[str, Any]:
    """The training options of a story (loaded, and as render arguments) as its render
    trains them: an evolution asks for enough snapshots for its clock, unless given."""
    from scenes.cli.rendering import evolution_snapshots

    kw = dict(args.train or {})
    if "evolution" in story.scenes and "snapshots" not in args.train_given:
        kw["snapshots"] = evolution_snapshots(kw["epochs"], None, None)
    return kw


def story_training(story: Any, args: Any) -> RunConfig | None:
    """The training a story (loaded, and as render arguments) has its render run (``None``:
    it reads a trajectory, or its training options would be refused: its render says why).
    """
    from scenes.cli.options import build_config

    if args.trajectory is not None:
        return None
    try:
        return build_config(story_training_kw(story, args))
    except (click.ClickException, NnwarpError):
        return None


def planned_story_training(path: Path) -> RunConfig | None:
    """:func:`story_training` of the story file ``path`` (``None`` too if it is refused)."""
    from scenes.story import load_story

    try:
        story = load_story(path)
        return story_training(story, story.to_render_args())
    except NnwarpError:
        return None


@click.command()
@click.argument("path", type=click.Path(path_type=Path))
@user_errors
def new(path: Path) -> None:
    """Write a commented starter story file to PATH (render it with `nnwarp render PATH`)."""
    from scenes.story import write_starter

    written = write_starter(path)
    click.echo(f"wrote {written}; render it with: nnwarp render {written} -ql")


@click.command()
@user_errors
def schema() -> None:
    """Print the JSON schema of story files (for editors that complete TOML keys)."""
    from scenes.story import story_json_schema

    click.echo(json.dumps(story_json_schema(), indent=2, ensure_ascii=False))
