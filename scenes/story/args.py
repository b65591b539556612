"""A story as what ``nnwarp render`` needs: training options or a trajectory, render options.

A pure mapping (nothing is read or written): paths are resolved against the story file's
folder, defaults filled in. The command line's own options (``-ql``, ``-o``, ``-j``) win
over the story's; the renderer applies them on top of :class:`StoryArgs`.

Example
-------
>>> from scenes.story.load import parse_story
>>> text = 'scenes = ["explainer", "anatomy"]\\n[train]\\nhidden = [8, 2]\\n'
>>> text += '[anatomy]\\nsample = 4\\n'
>>> args = parse_story(text, "lessons/moons.toml").to_render_args()
>>> args.train["hidden"], args.train_given, args.output.as_posix(), args.fmt
('8,2', ('hidden',), 'lessons/moons.mp4', 'mp4')
>>> [(s.name, s.params) for s in args.scenes]
[('explainer', {}), ('anatomy', {'sample': 4})]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scenes.story.schema import Story, TrainOptions

__all__ = ["SceneArgs", "StoryArgs", "VoiceArgs", "render_args"]


@dataclass(frozen=True)
class SceneArgs:
    """One scene of the story: its registry name and its ``RenderOptions.params``."""

    name: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class VoiceArgs:
    """The voice, as ``scenes.voice.VoiceConfig`` takes it (``VoiceConfig(**asdict(args))``):
    engine, voice (empty: the engine's own), speed, pause after each beat's speech (s) and
    loudness (LUFS)."""

    engine: str
    voice: str
    speed: float
    pause: float
    loudness: float


@dataclass(frozen=True)
class StoryArgs:
    """Everything a story asks of the renderer.

    Attributes
    ----------
    story : Path or None
        The story file (None for a story made in Python).
    title : str or None
        The video's title.
    scenes : tuple of SceneArgs
        The scenes, in the order the video shows them.
    trajectory : Path or None
        The trained network to show; when None, ``train`` is trained (or found in the cache).
    train : dict or None
        The training options, as ``scenes.cli.options.build_config`` takes them (every key
        the command line's training options have; a data file's path resolved). None with
        a trajectory.
    train_given : tuple of str
        The training options the story sets itself (the others are defaults: e.g. the
        evolution picks its own ``snapshots`` when the story does not).
    quality, fps, resolution, fmt, x264_preset, save_sections
        As ``nnwarp render``'s options; ``fmt`` is always ``"mp4"`` (a story renders an MP4).
    output : Path
        The video to write (default: beside the story, named like it).
    theme : Path or None
        A theme file to render with (None: nnwarp's theme).
    voice : VoiceArgs
        Who reads the narration.
    """

    story: Path | None
    title: str | None
    scenes: tuple[SceneArgs, ...]
    trajectory: Path | None
    train: dict[str, Any] | None
    train_given: tuple[str, ...]
    quality: str
    fps: float | None
    resolution: tuple[int, int] | None
    fmt: str
    output: Path
    theme: Path | None
    x264_preset: str | None
    save_sections: bool
    voice: VoiceArgs


def _resolve(story_file: Path, written: str) -> Path:
    from scenes.story.load import resolve

    return resolve(story_file, written)


def render_args(story: Story) -> StoryArgs:
    """The render arguments of ``story`` (see :class:`StoryArgs`)."""
    from scenes.story.values import is_data_file

    file = Path(story.source) if story.source else None
    base = file if file is not None else Path("story.toml")
    r = story.render
    train = None
    given: tuple[str, ...] = ()
    if story.trajectory is None:
        options = story.train if story.train is not None else TrainOptions()
        train = options.cli_options()
        if is_data_file(options.dataset):
            train["dataset"] = str(_resolve(base, options.dataset))
        given = tuple(sorted(options.model_fields_set))
    fmt = r.chosen_format
    output = _resolve(base, r.output) if r.output else base.with_suffix(f".{fmt}")
    return StoryArgs(
        story=file,
        title=story.title,
        scenes=tuple(SceneArgs(name, story.scene_options(name)) for name in story.scenes),
        trajectory=None if story.trajectory is None else _resolve(base, story.trajectory),
        train=train,
        train_given=given,
        quality=r.quality,
        fps=r.fps,
        resolution=None if r.resolution is None else (r.resolution[0], r.resolution[1]),
        fmt=fmt,
        output=output,
        theme=None if r.theme is None else _resolve(base, r.theme),
        x264_preset=r.x264_preset,
        save_sections=r.save_sections,
        voice=VoiceArgs(**{**story.voice.model_dump(), "voice": story.voice.voice or ""}),
    )
