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
    "not_for_story",
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


#: Options of `nnwarp render` that only the compare scene takes (a story shows one network).
_COMPARE_ONLY = ("preset", "sweep_file", "vary", "workers")
#: Scene options whose key in a story's scene tables has another name.
_SCENE_KEYS = {"time_mapping": "time"}


def _flag(ctx: click.Context, name: str) -> str:
    """The option ``name`` as the user writes it: ``-s/--save-last-frame``, ``--format``."""
    for param in ctx.command.params:
        if param.name == name and isinstance(param, click.Option):
            return "/".join([*param.opts, *param.secondary_opts])
    return "--" + name.replace("_", "-")


def _scene_tables(key: str) -> list[str]:
    """The story's scene tables that have ``key`` (``[warp]``, ``[anatomy]``, ...)."""
    from pydantic import BaseModel

    from scenes.story import schema as s

    models: dict[str, type[BaseModel]] = {
        "warp": s.WarpOptions,
        "explainer": s.WarpOptions,
        "anatomy": s.AnatomyOptions,
        "evolution": s.EvolutionOptions,
    }
    return [f"[{t}]" for t in s.SCENE_TABLES if key in models[t].model_fields]


def _or(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def not_for_story(ctx: click.Context, names: list[str], story: str) -> str:
    """Why the options ``names`` (parameter names) do not apply to the story file named
    ``story``, and what to do instead: one line, with the options as the user writes them
    and the story key or table that does the same, where there is one."""
    from scenes.cli.options import TRAINING_OPTIONS
    from scenes.story.schema import STORY_FORMAT_WHY

    groups: dict[str, list[str]] = {}
    for name in names:
        flag = _flag(ctx, name)
        key = _SCENE_KEYS.get(name, name)
        if name in TRAINING_OPTIONS:
            keys = [n for n in names if n in TRAINING_OPTIONS]
            advice = f"set {', '.join(keys)} in {story}'s [train] table"
        elif name == "fmt":
            fmt = str(ctx.params[name])
            flag = f"--format {fmt}"
            advice = (
                f"{STORY_FORMAT_WHY}, and its [render] format takes only mp4; drop --format, "
                f"or render a scene by name for a {fmt.upper()}"
            )
        elif name == "trajectory_files":
            advice = f'write trajectory = "FILE.npz" at the top of {story}, instead of [train]'
        elif name == "sections":
            advice = (
                "it renders every scene whole; leave beats out with skip = true in "
                f"{story}'s [[beat]]s, or render one scene by name with --section"
            )
        elif name == "save_last_frame":
            advice = (
                "it renders a video; render a scene by name with -s for its last frame (with "
                "--course, --poster-beat picks the poster)"
            )
        elif name == "save_sections":
            advice = (
                "its sections' times are in the .sections.json beside the video; render a "
                "scene by name with --save-sections for one video per section"
            )
        elif name in _COMPARE_ONLY:
            advice = "it is for compare, and a story shows one network; render compare by name"
        elif _scene_tables(key):
            advice = f"set {key} in {story}'s {_or(_scene_tables(key))} table"
        else:
            advice = "render a scene by name to use it"
        groups.setdefault(advice, []).append(flag)
    return "; ".join(
        f"{', '.join(flags)} {'does' if len(flags) == 1 else 'do'} not apply to a story: {advice}"
        for advice, flags in groups.items()
    )


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
    from scenes.cli.options import output_path
    from scenes.cli.precheck import check_before_training
    from scenes.cli.rendering import jobs_for, report, train_for_render, voice_for
    from scenes.story import load_story
    from scenes.story.schema import STORY_FORMAT
    from scenes.voice import VoiceConfig

    given = _given(ctx)
    other = [
        name
        for name in given
        if name not in STORY_FLAGS
        and name != "scene"
        and not (name == "fmt" and given[name] == STORY_FORMAT)
    ]
    if other:
        raise click.UsageError(not_for_story(ctx, other, path.name))
    out = output_path(given["output"]) if "output" in given else None
    if out is not None and out.suffix.lower() != f".{STORY_FORMAT}":
        _refuse_output(out, path)
    story = load_story(path)
    args = story.to_render_args()
    out = out or args.output
    fmt = STORY_FORMAT
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
        first = replace(opts, scene=story.scenes[0])
        trajectory = train_for_render(first, kw, "retrain" in given, story)
    else:
        check_before_training(trajectory, opts.theme, story)
    from scenes.render.story import render_story

    report(render_story(story, trajectory, opts), bool(given.get("preview")))


def _refuse_output(out: Path, story: Path) -> None:
    """``-o`` for a story names something other than an MP4: say what to name."""
    from scenes.story.schema import STORY_FORMAT_WHY

    if out.is_dir():
        raise click.UsageError(
            f"-o {out} is a folder; give a file name for the story's video, e.g. -o "
            f"{out / story.with_suffix('.mp4').name}"
        )
    suffix = out.suffix
    named = f"has the suffix {suffix}" if suffix else "has no suffix"
    raise click.UsageError(
        f"-o {out} {named}; {STORY_FORMAT_WHY}: name it {out.with_suffix('.mp4')}"
    )


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
