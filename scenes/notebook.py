"""nnwarp from Python: render a scene or a story and show the video inline in Jupyter.

In a notebook::

    from scenes import notebook as nw

    video = nw.render("explainer")  # trains (or finds in the cache), then renders at 480p
    video                           # a cell's last value: plays here, with its subtitles
    nw.render_story("lesson.toml")  # a story file, or a story's TOML text

Training goes through the command line's own steps (``scenes.cli``): trained networks are
cached under ``media/trajectories`` as ``nnwarp render`` caches them, and every output path
is checked before any work, so nothing but nnwarp's own earlier output is ever replaced. A
mistake raises one of nnwarp's errors (:class:`~nnmodel.errors.NnwarpError`), which IPython
shows as its one-line message (``NNWARP_DEBUG=1`` shows the whole traceback). Importing
this module imports neither torch nor Manim.
"""

from __future__ import annotations

import base64
import difflib
import functools
import hashlib
import html
import inspect
import io
import json
import os
from collections.abc import Callable, Mapping
from contextlib import redirect_stderr
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, ParamSpec, TypeVar
from urllib.parse import quote

from scenes.errors import NnwarpError, RenderError

if TYPE_CHECKING:
    from nnmodel.config import RunConfig
    from scenes.registry import SceneSpec
    from scenes.render.pipeline import RenderOptions, RenderResult
    from scenes.story import Story
    from scenes.voice import VoiceConfig

__all__ = ["EMBED_LIMIT", "Section", "Video", "render", "render_story"]

#: Videos up to this size (bytes) are embedded in the notebook; larger ones are linked.
EMBED_LIMIT = 20 * 1024 * 1024
#: What the notebook API writes (a ``<video>`` plays them); stills and GIFs: ``nnwarp render``.
_MIME = {".mp4": "video/mp4", ".webm": "video/webm"}

P = ParamSpec("P")
R = TypeVar("R")
PathLike = str | os.PathLike[str]


class Section(NamedTuple):
    """A section of a video (a chapter): its name, start and end in seconds."""

    name: str
    start: float
    end: float


@dataclass(frozen=True)
class Video:
    """A video nnwarp rendered; shown inline when it is a notebook cell's last value.

    Attributes
    ----------
    path : Path
        The video (MP4, or WebM when asked for).
    duration : float
        Its length in seconds.
    subtitles : Path or None
        Its WebVTT subtitles (an ``.srt`` lies beside them).
    sections : tuple of Section
        Its sections (chapters), from ``timeline``.
    timeline : Path or None
        ``NAME.sections.json``: the start and end of every section and beat, with the words.
    voice : str or None
        The engine that spoke the narration (None: a silent video).
    notes : tuple of str
        What nnwarp had to say (e.g. that a cached network was used).
    """

    path: Path
    duration: float
    subtitles: Path | None = None
    sections: tuple[Section, ...] = ()
    timeline: Path | None = None
    voice: str | None = None
    notes: tuple[str, ...] = ()

    def html(self, embed: bool | None = None) -> str:
        """An HTML5 ``<video controls>`` of this video, with its subtitles as a ``<track>``.

        ``embed``: put the video's bytes in the page as a base64 ``data:`` URL (the page
        then works anywhere, e.g. in a shared notebook file), or link it by its path
        relative to the working folder (Jupyter serves files below its root). By default
        videos up to :data:`EMBED_LIMIT` (20 MB) are embedded and larger ones linked, so a
        notebook does not grow by hundreds of megabytes. Subtitles are always embedded.

        >>> print(Video(Path("lessons/a b.mp4"), 3.0).html(embed=False))
        <video controls preload="metadata" style="max-width: 100%">
          <source src="lessons/a%20b.mp4" type="video/mp4">
        </video>
        """
        mime = _MIME.get(self.path.suffix.lower(), "video/mp4")
        if embed is None:
            embed = self.path.is_file() and self.path.stat().st_size <= EMBED_LIMIT
        if embed:
            src = _data_url(self.path.read_bytes(), mime)
        else:
            src = quote(Path(os.path.relpath(self.path.absolute())).as_posix())
        lines = [
            '<video controls preload="metadata" style="max-width: 100%">',
            f'  <source src="{html.escape(src)}" type="{mime}">',
        ]
        if self.subtitles is not None and self.subtitles.is_file():
            vtt = _data_url(self.subtitles.read_bytes(), "text/vtt;charset=utf-8")
            lines.append(
                f'  <track kind="subtitles" srclang="en" label="English" src="{vtt}" default>'
            )
        return "\n".join([*lines, "</video>"])

    def _repr_html_(self) -> str:
        return self.html()


def _data_url(data: bytes, mime: str) -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def _friendly(fn: Callable[P, R]) -> Callable[P, R]:
    """nnwarp's errors as IPython shows them: one line, no traceback through Manim.

    An nnwarp error is re-raised from here with its message as IPython's whole traceback;
    anything unexpected becomes a :class:`RenderError` naming the file its traceback was
    saved to. ``NNWARP_DEBUG=1`` leaves every exception as it was.
    """

    signature = inspect.signature(fn)

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        signature.bind(*args, **kwargs)  # a misspelt keyword: Python's own TypeError
        try:
            return fn(*args, **kwargs)
        except Exception as exc:
            if os.environ.get("NNWARP_DEBUG"):
                raise
            err = exc if isinstance(exc, NnwarpError) else _unexpected(exc)
            # IPython prints what an exception's _render_traceback_ returns as its traceback
            err.__dict__["_render_traceback_"] = lambda: [f"{type(err).__name__}: {err}"]
            raise err.with_traceback(None) from None

    return wrapper


def _unexpected(exc: Exception) -> RenderError:
    import click

    if isinstance(exc, click.ClickException):  # the command line's checks, reused here
        return RenderError(exc.format_message())
    import tempfile
    import traceback

    fd, name = tempfile.mkstemp(prefix="nnwarp-error-", suffix=".txt")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(traceback.format_exc())
    return RenderError(
        f"unexpected error ({type(exc).__name__}: {exc}). The details are in {name}: please "
        "attach it to a bug report (NNWARP_DEBUG=1 shows them here)"
    )


@_friendly
def render(
    scene: str = "explainer",
    *,
    trajectory: PathLike | None = None,
    config: RunConfig | Mapping[str, Any] | None = None,
    quality: str = "l",
    voice: str | VoiceConfig | None = None,
    output: PathLike | None = None,
    resolution: tuple[int, int] | str | None = None,
    fps: float | None = None,
    media_dir: PathLike = "media",
    course: PathLike | None = None,
    retrain: bool = False,
    progress: bool = False,
    jobs: int | None = None,
    **params: Any,
) -> Video:
    """Render ``scene`` (``explainer``, ``warp``, ``anatomy``, ``evolution``) as a video.

    Parameters
    ----------
    scene : str
        The scene to render (``nnwarp list``); ``compare`` is ``nnwarp render compare``'s.
    trajectory : path, optional
        A trained network (``nnwarp train -o``, ``nnmodel.record``); without it ``config``
        is trained, or found in the cache under ``media_dir/trajectories``.
    config : RunConfig or dict, optional
        The network to train: a :class:`~nnmodel.config.RunConfig`, or ``nnwarp train``'s
        options by name, e.g. ``{"dataset": "spiral", "hidden": [16, 16, 2], "epochs": 300}``
        (the others keep their defaults). Default: nnwarp's default network.
    quality : str
        Manim's preset: ``l`` 480p15 (default: quick), ``m`` 720p30, ``h`` 1080p60, ``p``, ``k``.
    voice : str or VoiceConfig, optional
        The narrator: ``"none"`` (silent), ``"hibari"``, ``"espeak"``, ``"auto"``, or a
        :class:`~scenes.voice.VoiceConfig`. Default: ``$NNWARP_VOICE``, else none.
    output : path, optional
        Write the video exactly here (``.mp4`` or ``.webm``). Default: Manim's layout under
        ``media_dir/videos``.
    resolution, fps
        Override the preset's frame size ``(width, height)`` and frame rate.
    media_dir : path
        Where renders and trained networks go (``--media-dir``).
    course : path, optional
        Also write a course package there (``--course``).
    retrain : bool
        Train again even if the cache has the network.
    progress : bool
        Print progress lines (training and rendering) on stderr.
    jobs : int, optional
        Processes rendering sections side by side (``-j``). Default: ``$NNWARP_JOBS``, else 1.
    **params
        The scene's options: ``epoch``, ``merge_bias``, ``color_by``, ``sections``,
        ``sample`` (anatomy), ``time`` and ``duration`` (evolution).
    """
    from scenes.registry import spec
    from scenes.render.pipeline import RenderOptions
    from scenes.render.pipeline import render as render_file

    chosen = spec(scene)
    if chosen.needs != "trajectory":
        raise RenderError(
            f"{chosen.name} compares several trainings; render it with `nnwarp render "
            f"{chosen.name}`, or show one network here (explainer, warp, anatomy, evolution)"
        )
    out = _output(output)
    fmt = "mp4" if out is None else out.suffix.lower().lstrip(".")
    opts = RenderOptions(
        scene=chosen.name,
        quality=quality,
        fps=fps,
        resolution=_resolution(resolution),
        fmt=fmt,
        output=out,
        media_dir=Path(media_dir),
        progress=progress,
        course=None if course is None else Path(course),
        voice=_voice(voice, fmt),
        jobs=_jobs(jobs),
        params=_scene_params(chosen, params),
    )
    notes: list[str] = []
    if trajectory is not None:
        if config is not None or retrain:
            raise RenderError(
                "config and retrain train a network, but trajectory is one already trained: "
                "give one or the other"
            )
        source = Path(trajectory)
    else:
        kw, given = _train_options(config)
        if chosen.name == "evolution" and "snapshots" not in given:
            from scenes.cli.rendering import evolution_snapshots

            p = opts.params
            kw["snapshots"] = evolution_snapshots(kw["epochs"], p.get("time"), p.get("duration"))
        source = _train(opts, kw, retrain, notes)
    return _video(render_file(source, opts), notes)


@_friendly
def render_story(
    story: PathLike | Story,
    *,
    quality: str | None = None,
    voice: str | VoiceConfig | None = None,
    output: PathLike | None = None,
    resolution: tuple[int, int] | str | None = None,
    fps: float | None = None,
    media_dir: PathLike = "media",
    course: PathLike | None = None,
    retrain: bool = False,
    progress: bool = False,
    jobs: int | None = None,
) -> Video:
    """Render a story (``nnwarp render STORY.toml``): a file, its TOML text, or a ``Story``.

    A string ending in ``.toml`` (one line) names a file; any other string is the story's
    text, whose relative paths are relative to the working folder and whose video goes to
    ``media_dir/stories/story-<hash of the text>.mp4`` unless its ``[render]`` names an
    ``output``. The keywords override the story's ``[render]`` and ``[voice]`` as the
    command line's options do (``$NNWARP_VOICE`` too); they mean what they mean in
    :func:`render`.
    """
    from scenes.render.pipeline import RenderOptions
    from scenes.render.story import render_story as render_file
    from scenes.voice import VoiceConfig

    told, default_out = _story(story, Path(media_dir))
    args = told.to_render_args()
    if args.theme is not None:
        raise RenderError("[render] theme is not supported yet; remove it to use nnwarp's theme")
    out = _output(output)
    if out is None and default_out is not None:
        default_out.parent.mkdir(parents=True, exist_ok=True)  # in the media folder: ours
    out = out or default_out or args.output
    opts = RenderOptions(
        scene="story",
        quality=quality or args.quality,
        fps=args.fps if fps is None else fps,
        resolution=_resolution(resolution) or args.resolution,
        fmt="mp4",
        output=out,
        media_dir=Path(media_dir),
        preset=args.x264_preset,
        progress=progress,
        course=None if course is None else Path(course),
        title=told.title if course is not None else None,
        voice=_voice(voice, "mp4", default=VoiceConfig(**asdict(args.voice))),
        jobs=_jobs(jobs),
    )
    notes: list[str] = []
    trajectory = args.trajectory
    if trajectory is None:
        from scenes.cli.story import story_training_kw

        kw = story_training_kw(told, args)
        trajectory = _train(replace(opts, scene=told.scenes[0]), kw, retrain, notes, told)
    elif retrain:
        raise RenderError("retrain: this story shows a trained network (its trajectory)")
    else:
        from scenes.cli.precheck import check_before_training

        check_before_training(trajectory, opts.theme, told)  # as the training path does
    return _video(render_file(told, trajectory, opts), notes)


# ------------------------------------------------------------------ the arguments, checked


def _output(output: PathLike | None) -> Path | None:
    """``output`` as a path; refused unless a ``<video>`` plays it (MP4, WebM)."""
    if output is None:
        return None
    if not str(output).strip():
        raise RenderError("output is empty; give a file name, e.g. output='lesson.mp4'")
    out = Path(output).expanduser()
    if out.suffix.lower() not in _MIME:
        raise RenderError(
            f"output {str(output)!r}: a notebook shows .mp4 or .webm videos; name it "
            f"{out.with_suffix('.mp4').name} (GIFs, MOVs and stills: `nnwarp render -o`)"
        )
    return out


def _resolution(resolution: tuple[int, int] | str | None) -> tuple[int, int] | None:
    """``(320, 180)`` or ``"320,180"``; RenderOptions checks the sizes."""
    from scenes.render.pipeline import parse_resolution

    if resolution is None or isinstance(resolution, str):
        return None if resolution is None else parse_resolution(resolution)
    try:
        width, height = resolution
        if all(isinstance(n, int) and not isinstance(n, bool) for n in (width, height)):
            return width, height
    except (TypeError, ValueError):
        pass
    raise RenderError(f"resolution {resolution!r} is not (width, height); write e.g. (320, 180)")


def _jobs(jobs: int | None) -> int:
    """The processes to render in: ``jobs``, else ``$NNWARP_JOBS``, else 1.

    One by default (not one per core as on the command line): the render then stays in
    the notebook's kernel, which is not forked.
    """
    if jobs is None:
        text = os.environ.get("NNWARP_JOBS", "1")
        try:
            jobs = int(text)
        except ValueError:
            jobs = 0
        if jobs < 1:
            raise RenderError(
                f"the environment variable NNWARP_JOBS={text!r} is not a number of processes: "
                "it takes a whole number, 1 or more (1: no other process); change it, or "
                "unset it (1), or give jobs="
            )
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        raise RenderError(f"jobs={jobs!r}: give a number of processes, 1 or more")
    return jobs


def _voice(
    voice: str | VoiceConfig | None, fmt: str, default: str | VoiceConfig = "none"
) -> VoiceConfig | None:
    """The narrator (None: silent): ``voice``, else ``$NNWARP_VOICE``, else ``default``."""
    from scenes.voice import VoiceConfig

    chosen = voice if voice is not None else os.environ.get("NNWARP_VOICE") or default
    if isinstance(chosen, str):
        chosen = VoiceConfig(engine=chosen.strip().lower())  # refuses an unknown engine
    if not isinstance(chosen, VoiceConfig):
        raise RenderError(f"voice {voice!r}: give an engine name, e.g. 'hibari' or 'none'")
    if chosen.engine == "none":
        return None
    if fmt != "mp4":
        if voice is None:
            return None  # a default voice: silently none where there is no sound
        raise RenderError(
            f"voice {chosen.engine!r}: a {fmt.upper()} has no sound; the voice is spoken into "
            "MP4s (render an .mp4, or give voice='none')"
        )
    return chosen


def _options_of(cls: type) -> list[str]:
    """The options a scene class takes (besides its trajectory)."""
    parameters = inspect.signature(cls).parameters.items()
    return [n for n, p in parameters if n != "trajectory" and p.kind is p.POSITIONAL_OR_KEYWORD]


def _scene_params(chosen: SceneSpec, params: Mapping[str, Any]) -> dict[str, Any]:
    """The scene's options as its class takes them; an unknown one names the close one, or
    the scenes it is an option of."""
    from scenes.registry import names, spec

    accepted = _options_of(chosen.cls)
    for name in params:
        if name not in accepted:
            close = difflib.get_close_matches(name, accepted, n=1)
            owners = [s for s in names() if name in _options_of(spec(s).cls)]
            hint = (
                f" (did you mean {close[0]!r}?)"
                if close
                else f" ({name} is an option of {' and '.join(owners)})"
                if owners
                else ""
            )
            raise RenderError(
                f"{chosen.name} has no option {name!r}{hint}; its options are {', '.join(accepted)}"
            )
    out = dict(params)
    if isinstance(out.get("sections"), str):
        out["sections"] = [out["sections"]]
    for name, choices in (("color_by", ("class", "position")), ("time", ("log", "linear"))):
        if name in out and out[name] not in choices:
            raise RenderError(f"{name}={out[name]!r}: choose {' or '.join(choices)}")
    return out


def _train_options(config: RunConfig | Mapping[str, Any] | None) -> tuple[dict[str, Any], set[str]]:
    """``config`` as the command line's training options (all of them), and those given."""
    import click

    from nnmodel.config import RunConfig
    from scenes.cli.options import TRAINING_OPTIONS, build_config
    from scenes.cli.rendering import render as command

    names = [n for n in TRAINING_OPTIONS if n != "retrain"]
    options = {p.name: p for p in command.params if p.name in names}
    kw = {name: option.default for name, option in options.items()}
    if config is None:
        return kw, set()
    if isinstance(config, RunConfig):
        d, m, t = config.data, config.model, config.train
        kw.update(
            dataset=d.name,
            samples=d.samples,
            noise=d.noise,
            arms=d.arms,
            columns=None if d.columns is None else ",".join(d.columns),
            standardize=d.standardize,
            hidden=",".join(map(str, m.hidden)),
            activation=",".join(m.activation),
            **{k: getattr(t, k) for k in names if hasattr(t, k)},
            snapshots=config.export.snapshots,
            seed=config.seed,
        )
        if build_config(kw) != config:
            raise RenderError(
                "config sets what nnwarp's training options cannot (momentum, or the export's "
                "grid and mesh sizes); train it with nnmodel and give trajectory= instead"
            )
        return kw, set(names)
    if not isinstance(config, Mapping):
        raise RenderError(
            f"config must be a RunConfig or a dict of training options, not {config!r}"
        )
    for key, value in config.items():
        name = str(key).replace("-", "_")
        if name not in names:
            close = difflib.get_close_matches(name, names, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise RenderError(
                f"config: no training option {key!r}{hint}; the options are {', '.join(names)}"
            )
        if isinstance(value, list | tuple):
            value = ",".join(map(str, value))
        elif isinstance(value, os.PathLike) or name in ("hidden", "activation", "columns"):
            value = str(value)
        option = options[name]
        try:  # as the command line reads it: "300" is 300, "Moons" the moons
            if isinstance(value, str):
                value = option.type.convert(value, option, None)
            if option.callback is not None:
                value = option.callback(click.Context(command), option, value)
        except click.BadParameter as exc:
            raise RenderError(f"config {key!r}: {exc.message}") from None
        kw[name] = value
    build_config(kw)  # every mistake now, before anything is trained or drawn
    return kw, {str(k).replace("-", "_") for k in config}


def _train(
    opts: RenderOptions,
    kw: dict[str, Any],
    retrain: bool,
    notes: list[str],
    story: Story | None = None,
) -> Path:
    """Train (or find in the cache) as ``nnwarp render`` does, after the same checks: the
    data against the ``story`` (:mod:`scenes.cli.precheck`), and the outputs."""
    from scenes.cli.rendering import train_for_render

    if opts.progress:
        return train_for_render(opts, kw, retrain, story)
    with redirect_stderr(io.StringIO()) as said:  # its one line: "using cached trajectory"
        path = train_for_render(opts, kw, retrain, story)
    notes += [line.strip() for line in said.getvalue().splitlines() if line.strip()]
    return path


def _story(story: PathLike | Story, media_dir: Path) -> tuple[Story, Path | None]:
    """The story, and where its video goes when it came as text (None: its own choice)."""
    from scenes.story import Story, load_story, parse_story

    if isinstance(story, Story):
        told, text = story, story.model_dump_json()
    elif isinstance(story, os.PathLike) or (
        str(story).strip().lower().endswith(".toml") and "\n" not in str(story).strip()
    ):
        return load_story(Path(story)), None
    else:
        told, text = parse_story(str(story), "<story>"), str(story)
    if told.render.output:
        return told, None
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]
    return told, media_dir / "stories" / f"story-{digest}.mp4"


def _video(result: RenderResult, notes: list[str]) -> Video:
    """What a render wrote, as a :class:`Video` (its length from its timeline, which counts
    only the sections written)."""
    duration = result.duration
    sections: tuple[Section, ...] = ()
    if result.timeline is not None and result.timeline.is_file():
        doc = json.loads(result.timeline.read_text(encoding="utf-8"))
        duration = float(doc["duration"])
        sections = tuple(
            Section(str(s["name"]), float(s["start"]), float(s["end"])) for s in doc["sections"]
        )
    return Video(
        path=result.output,
        duration=duration,
        subtitles=next((p for p in result.subtitles if p.suffix == ".vtt"), None),
        sections=sections,
        timeline=result.timeline,
        voice=result.voice,
        notes=(*notes, *result.notes),
    )
