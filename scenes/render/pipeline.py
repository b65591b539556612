"""Render a scene from a trajectory file to a video or image, atomically."""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nnmodel.fileio import atomic_file, replace_dir, work_dir
from scenes.core.timeline import lengthen, reading_durations
from scenes.errors import OutputError, RenderError
from scenes.render.gif import LOSSLESS_CODEC, LOSSLESS_OPTIONS, to_gif
from scenes.render.outputs import (
    FRAMES_MARKER,
    MARK,
    SECTIONS_MARKER,
    Target,
    check_targets,
    gif_comment_block,
    png_text,
    video_metadata,
)
from scenes.render.progress import Bar, bar_for

if TYPE_CHECKING:
    from scenes.compare.grid import GridSource
    from scenes.voice import BeatVoices, VoiceConfig

__all__ = [
    "DEFAULT_PRESET",
    "QUALITY_PRESETS",
    "FORMATS",
    "MAX_SIDE",
    "PRESETS",
    "QUALITIES",
    "RenderOptions",
    "RenderResult",
    "VIDEO_FORMATS",
    "check_output_name",
    "check_outputs",
    "default_output",
    "manim_config",
    "parse_resolution",
    "plan_outputs",
    "preview",
    "remux",
    "render",
]

QUALITIES: dict[str, str] = {
    "l": "low_quality",
    "m": "medium_quality",
    "h": "high_quality",
    "p": "production_quality",
    "k": "fourk_quality",
}
#: What ``--format`` takes: videos, or ``png`` for a folder of frames.
FORMATS = ("mp4", "webm", "gif", "mov", "png")
VIDEO_FORMATS = FORMATS[:-1]
#: x264 speed presets. Encoding, not drawing, is most of a frame's cost at 1080p (see
#: bench/README.md): on the warp's frames "veryfast" encodes in half the CPU time of x264's
#: default "medium"; at the same crf (23) the slower presets keep a little more fine detail in
#: files of about the same size.
PRESETS = ("ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow", "slower")
DEFAULT_PRESET = "veryfast"
#: The default preset of a quality when it is not ``DEFAULT_PRESET``. A ``-ql`` preview is
#: watched on the author's machine while editing: "ultrafast" encodes it in a quarter of
#: veryfast's CPU time (the default explainer's preview: 13 % faster with ``-j 2``, 9 % with
#: ``-j 1``), in files about three times larger, the frames differing by about one level of
#: 255 on average (bench/README.md).
QUALITY_PRESETS = {"l": "ultrafast"}
#: Formats a voice is muxed into (AAC in MP4). A GIF has no sound; WebM and MOV stay silent.
AUDIO_FORMATS = ("mp4",)
#: Largest width or height of a frame, in pixels.
MAX_SIDE = 4096


@dataclass(frozen=True)
class RenderOptions:
    """How to render: Manim's quality presets and output options, plus scene parameters."""

    scene: str = "explainer"
    quality: str = "h"
    fps: float | None = None
    resolution: tuple[int, int] | None = None
    fmt: str = "mp4"
    save_last_frame: bool = False
    output: Path | None = None
    media_dir: Path = Path("media")
    save_sections: bool = False
    preset: str | None = None
    progress: bool = True
    params: dict[str, Any] = field(default_factory=dict)
    #: Also write a course package (MP4 with AAC and chapters, subtitles, page) here.
    course: Path | None = None
    #: The beat the course package's poster shows (None: its default rule).
    poster_beat: str | None = None
    #: The course page's title (None: the video's first caption).
    title: str | None = None
    #: The narrator (None: a silent video); spoken only into MP4s (:mod:`.voiceover`).
    voice: VoiceConfig | None = None
    #: Processes rendering sections side by side (:mod:`.parallel`); 1: this one only.
    jobs: int = 1
    #: Keep every section rendered under ``media_dir/cache/sections`` and reuse unchanged
    #: ones (:mod:`.parallel`; MP4s of one network).
    cache: bool = False
    #: A theme file to draw with (None: nnwarp's own; :func:`scenes.core.theme.load_theme`).
    theme: Path | None = None

    def __post_init__(self) -> None:
        if self.quality not in QUALITIES:
            raise RenderError(
                f"unknown quality {self.quality!r}; choose from {', '.join(QUALITIES)}"
            )
        if self.fmt not in FORMATS:
            raise RenderError(f"unknown format {self.fmt!r}; choose from {', '.join(FORMATS)}")
        if self.resolution is not None:
            w, h = self.resolution
            if w < 16 or h < 16:
                raise RenderError(f"resolution {w}x{h} is too small: use at least 16x16")
            if max(w, h) > MAX_SIDE:
                raise RenderError(
                    f"resolution {w}x{h} is too large: use at most {MAX_SIDE} pixels a side "
                    f"(4K is -qk, 3840x2160; every frame is held in memory several times)"
                )
            if (w % 2 or h % 2) and self.is_movie:
                raise RenderError(
                    f"resolution {w}x{h} has an odd side, which the video encoder cannot "
                    f"encode; use even sizes, e.g. -r {w + w % 2},{h + h % 2}"
                )
        if self.preset is not None and self.preset not in PRESETS:
            raise RenderError(f"unknown preset {self.preset!r}; choose from {', '.join(PRESETS)}")
        if self.fps is not None and not 1 <= self.fps <= 240:
            raise RenderError(f"fps must be between 1 and 240, got {self.fps:g}")
        if self.output is not None:
            check_output_name(self.output, self.fmt, self.save_last_frame)
        if self.theme is not None:
            from scenes.mobjects.fonts import load_checked_theme

            load_checked_theme(self.theme)  # a bad theme file is refused before any work
        if not isinstance(self.jobs, int) or self.jobs < 1:
            raise RenderError(
                f"-j {self.jobs}: the number of processes must be 1 or more (-j 1: no others)"
            )
        if self.course is not None and not (self.is_movie and self.fmt == "mp4"):
            raise RenderError(
                "--course packages an MP4 for a web page: drop -s/--format, or drop --course"
            )
        if self.course is None and (self.poster_beat or self.title):
            flag = "--poster-beat" if self.poster_beat else "--title"
            raise RenderError(f"{flag} is an option of the course package: add --course DIR")

    @property
    def is_movie(self) -> bool:
        """Whether the result is a video (not a still or a folder of frames)."""
        return not self.save_last_frame and self.fmt != "png"


def check_output_name(output: Path, fmt: str, still: bool) -> None:
    """Refuse an ``-o`` whose name does not fit what will be written there."""
    suffix = output.suffix.lower()
    if not str(output) or output.name in ("", ".", ".."):
        example = (
            "a new folder name, e.g. -o frames"
            if fmt == "png" and not still
            else ("a file name, e.g. -o lesson.mp4")
        )
        raise RenderError(f"-o {str(output)!r} names no file or new folder; give {example}")
    if still:
        if suffix != ".png":
            raise RenderError(f"-o {output}: -s writes one PNG image; name it {output.stem}.png")
    elif fmt == "png":
        if suffix in (".png", *(f".{f}" for f in FORMATS)):
            raise RenderError(
                f"-o {output}: --format png writes a folder of frames; give a folder name "
                f"(e.g. -o {output.with_suffix('')}), or add -s to save only the last frame"
            )
    elif suffix != f".{fmt}":
        raise RenderError(
            f"-o {output} does not end in .{fmt}, the format being written; name it "
            f"{output.with_suffix('.' + fmt).name}, or choose the format with --format"
        )


@dataclass
class RenderResult:
    """Where the render landed."""

    output: Path
    subtitles: list[Path] = field(default_factory=list)
    sections: list[Path] = field(default_factory=list)
    #: The JSON of section and beat times (``NAME.sections.json``), for movies.
    timeline: Path | None = None
    duration: float = 0.0
    #: The course package's folder (``--course``).
    course: Path | None = None
    #: The engine that spoke the narration (None: no voice).
    voice: str | None = None
    #: Lines for the user (e.g. which engine spoke when ``auto`` fell back).
    notes: list[str] = field(default_factory=list)


def parse_resolution(text: str) -> tuple[int, int]:
    """``"854,480"`` (or ``854x480``) → ``(854, 480)``."""
    parts = text.lower().replace("x", ",").split(",")
    try:
        w, h = (int(p) for p in parts)
    except ValueError:
        raise RenderError(f"resolution {text!r} is not W,H; write e.g. -r 1280,720") from None
    return w, h


def manim_config(opts: RenderOptions, media_dir: Path) -> dict[str, Any]:
    """The Manim config dict for ``opts``, writing under ``media_dir``."""
    from manim.constants import QUALITIES as MANIM_QUALITIES

    from scenes.core.theme import theme

    preset = MANIM_QUALITIES[QUALITIES[opts.quality]]
    width, height = opts.resolution or (preset["pixel_width"], preset["pixel_height"])
    movie = not opts.save_last_frame and opts.fmt != "png"
    encoder: dict[str, str] = {}
    codec = {"video_codec": "auto", "pixel_format": "auto"}
    if movie and opts.fmt in ("mp4", "mov"):
        encoder = {"preset": x264_preset(opts), "crf": "23", **repeatable_x264()}
    elif movie and opts.fmt == "gif":
        # Manim renders a lossless RGB video, which scenes.render.gif turns into the GIF
        # (one palette for the whole video, only changed pixels stored per frame).
        encoder, codec = dict(LOSSLESS_OPTIONS), dict(LOSSLESS_CODEC)
    return {
        # first: Manim applies the keys in this order, and some log as they are set (a
        # webm "format" warns that it is slow), on stdout, which carries nnwarp's results
        "verbosity": "ERROR",
        **codec,
        "video_encoder_options": encoder,
        "pixel_width": width,
        "pixel_height": height,
        "frame_rate": opts.fps or preset["frame_rate"],
        "media_dir": str(media_dir),
        # Manim 0.22: "png" is a still of the last frame, "png-sequence" every frame. A GIF
        # is converted from a lossless MP4 (see scenes.render.gif).
        "format": "png"
        if opts.save_last_frame
        else ("png-sequence" if opts.fmt == "png" else "mp4" if opts.fmt == "gif" else opts.fmt),
        "save_last_frame": opts.save_last_frame,
        "write_to_movie": movie,
        "save_sections": opts.save_sections and movie,
        "disable_caching": True,
        # keep every animation's file until the render is done: a render cut into beats joins
        # them per beat after Manim's finish(), which would otherwise delete all but the
        # newest 100 (a deep network's explainer has more); they live in nnwarp's work folder
        "max_files_cached": -1,
        # encode each animation's frames while the next one draws (Manim's default, 1, waits
        # for every animation's file to be finished before drawing on)
        "max_inflight_encoders": 4 if width * height <= 1920 * 1080 else 2,
        "progress_bar": "none",  # one bar for the whole render instead (scenes.render.progress)
        "notify_outdated_version": False,
        "background_color": theme().background,
        "preview": False,
    }


def x264_preset(opts: RenderOptions) -> str:
    """The x264 preset ``opts`` encode with: the one asked for, else its quality's default.

    >>> x264_preset(RenderOptions(quality="l")), x264_preset(RenderOptions(quality="h"))
    ('ultrafast', 'veryfast')
    >>> x264_preset(RenderOptions(quality="l", preset="slow"))
    'slow'
    """
    return opts.preset or QUALITY_PRESETS.get(opts.quality, DEFAULT_PRESET)


@functools.cache
def _cpuinfo() -> str:
    """``/proc/cpuinfo``'s text, read once a process ("" where there is none)."""
    try:
        return Path("/proc/cpuinfo").read_text(errors="replace")
    except OSError:
        return ""


def repeatable_x264(cpuinfo: str | None = None) -> dict[str, str]:
    """x264 options that make the same frames encode to the same video on this CPU.

    x264's AVX-512 routines do not encode repeatably: the same frames, encoded again in
    the same process, sometimes come out a few levels different (measured on an Intel Xeon
    with AVX-512: one 9-frame clip encoded 150 times came out 2 or 3 ways, with one
    thread or several; with AVX2 only, one way, as fast). A ``-j``
    render, joined, and a render from cached sections would then differ from a render in
    one piece, and two renders of one plan from each other. On such a CPU x264 keeps to
    its AVX2 routines, which repeat exactly. ``cpuinfo`` is ``/proc/cpuinfo``'s text (read
    when not given); without it, or without AVX-512, x264 keeps its own choice.

    >>> repeatable_x264("flags\t: fpu sse2 avx2 fma bmi2 avx512f avx512bw")
    {'x264-params': 'asm=AVX2'}
    >>> repeatable_x264("flags\t: fpu sse2 avx2 fma bmi2")
    {}
    """
    if cpuinfo is None:
        cpuinfo = _cpuinfo()
    flags: set[str] = set()
    for line in cpuinfo.splitlines():
        name, _, value = line.partition(":")
        if name.strip() == "flags":
            flags.update(value.split())
    if {"avx512f", "avx2", "fma", "bmi2"} <= flags:
        return {"x264-params": "asm=AVX2"}
    return {}


def default_output(opts: RenderOptions, cfg: dict[str, Any], stem: str, scene_name: str) -> Path:
    """Manim's layout: ``media/videos/<stem>/<H>p<fps>/<Scene>.<ext>`` (images for stills)."""
    if opts.save_last_frame:
        return opts.media_dir / "images" / stem / f"{scene_name}.png"
    quality_dir = f"{cfg['pixel_height']}p{cfg['frame_rate']:g}"
    ext = "" if opts.fmt == "png" else f".{opts.fmt}"
    return opts.media_dir / "videos" / stem / quality_dir / f"{scene_name}{ext}"


def remux(src: Path, dst: Path, fmt: str) -> None:
    """Copy a video's packets into ``dst`` with nnwarp's mark; MP4/MOV get "faststart"."""
    import av

    options = {"movflags": "+faststart"} if fmt in ("mp4", "mov") else {}
    with av.open(str(src)) as inp, av.open(str(dst), "w", format=fmt, options=options) as out:
        out.metadata.update(video_metadata())
        streams = {}
        for stream in inp.streams:
            if stream.type in ("video", "audio"):
                streams[stream.index] = out.add_stream_from_template(stream)
        for packet in inp.demux(*[inp.streams[i] for i in streams]):
            if packet.dts is None:
                continue
            packet.stream = streams[packet.stream.index]
            out.mux(packet)


def _mark_png(src: Path, dst: Path) -> None:
    from PIL import Image, PngImagePlugin

    info = PngImagePlugin.PngInfo()
    for key, value in png_text().items():
        info.add_text(key, value)
    with Image.open(src) as img:
        img.save(dst, format="PNG", pnginfo=info)


def _mark_gif(src: Path, dst: Path) -> None:
    data = src.read_bytes()
    if not data.endswith(b";"):
        raise RenderError(f"the encoder wrote an unfinished GIF ({src.name}); render again")
    dst.write_bytes(data[:-1] + gif_comment_block() + b";")


def _place_file(src: Path, target: Target, fmt: str) -> None:
    """Write ``src`` to the target with nnwarp's mark, atomically (never half-written)."""
    with atomic_file(target.path, still_ours=target.still_ours) as tmp:
        if fmt in ("mp4", "mov", "webm"):
            remux(src, tmp, fmt)
        elif fmt == "gif":
            gif = src.with_suffix(".gif")
            to_gif(src, gif)
            _mark_gif(gif, tmp)
        else:
            _mark_png(src, tmp)


def _sections_to_gif(folder: Path) -> None:
    """Manim wrote the sections as lossless MP4s (see :func:`manim_config`): make them GIFs,
    and say so in Manim's index of the sections."""
    import json

    for part in sorted(folder.glob("*.mp4")):
        to_gif(part, part.with_suffix(".gif"))
        part.unlink()  # ours: made in this render's working folder
    for index in folder.glob("*.json"):
        entries = json.loads(index.read_text())
        for entry in entries if isinstance(entries, list) else []:
            if isinstance(entry, dict) and str(entry.get("video", "")).endswith(".mp4"):
                entry["video"] = entry["video"][: -len(".mp4")] + ".gif"
                entry.update(codec_name="gif", pix_fmt="pal8")
        index.write_text(json.dumps(entries, indent=4))


def _place_dir(src: Path, target: Target, marker: str) -> None:
    """Move the folder ``src`` to the target, with its marker file, replacing only our own."""
    (src / marker).write_text(f"{MARK}: every file in this folder is nnwarp's output\n")
    replace_dir(src, target.path, still_ours=target.still_ours)


def plan_outputs(opts: RenderOptions, stem: str, scene_name: str) -> list[Target]:
    """Everything a render will write: the result first, then subtitles and sections."""
    cfg = manim_config(opts, opts.media_dir)
    ours = opts.output is None  # under the media folder: nnwarp may create the folders
    dest = opts.output or default_output(opts, cfg, stem, scene_name)
    flag = "-o" if not ours else "output"
    if opts.fmt == "png" and not opts.save_last_frame:
        targets = [Target(dest, "frames", "frames", flag, ours)]
    else:
        what = "image" if opts.save_last_frame else "video"
        targets = [Target(dest, "file", what, flag, ours)]
    if opts.is_movie:
        sections_json = dest.with_name(dest.stem + ".sections.json")
        targets.append(Target(sections_json, "file", "section times", "sections", ours))
        for suffix in (".srt", ".vtt"):
            targets.append(Target(dest.with_suffix(suffix), "file", "subtitles", "subtitles", ours))
        if opts.save_sections:
            folder = dest.with_name(dest.stem + "_sections")
            targets.append(Target(folder, "sections", "section videos", "sections", ours))
    return targets


def check_outputs(opts: RenderOptions, stem: str, scene_name: str) -> list[Target]:
    """Check every output path of a render before any work (the course package's folder
    too); returns the targets."""
    targets = plan_outputs(opts, stem, scene_name)
    check_targets(targets)
    if opts.course is not None:
        from scenes.publish.course import check_course_target

        course = opts.course.resolve()
        for target in targets:
            if target.path.resolve().is_relative_to(course):
                raise OutputError(
                    f"{target.flag} {target.path} is inside the --course folder {opts.course}, "
                    "which the package fills (with its own copy of the video): write the video "
                    "elsewhere, or leave out -o"
                )
        check_course_target(opts.course, "--course", create=True)
    return targets


def render(
    source: str | os.PathLike[str] | GridSource,
    opts: RenderOptions,
    *,
    on_scene: Callable[[Any], None] | None = None,
) -> RenderResult:
    """Render ``opts.scene`` from a trajectory file.

    Every output path is checked first (nothing but nnwarp's own earlier output is ever
    replaced). The scene is rendered in a private working folder beside its destination;
    only finished files are moved into place (``opts.output`` or Manim's usual place under
    ``opts.media_dir``), so a failed or interrupted render leaves any previous video there
    untouched.
    """
    from scenes.compare.grid import GridSource
    from scenes.registry import spec
    from scenes.render.loaded import loaded

    scene_spec = spec(opts.scene)
    cls = scene_spec.cls
    data: Any
    if scene_spec.needs == "trajectories":
        if not isinstance(source, GridSource):
            raise RenderError(
                f"scene {opts.scene!r} compares several runs: give it --preset, --sweep, "
                "--vary or several --trajectory files"
            )
        data, stem = source.load(), source.stem
        kwargs: dict[str, Any] = {"grid": data}
    else:
        if isinstance(source, GridSource):
            raise RenderError(
                f"scene {opts.scene!r} shows one run; several are compared by "
                "`nnwarp render compare`"
            )
        data, stem = loaded(source), Path(source).stem
        kwargs = {"trajectory": data}
    if hasattr(cls, "check_params"):  # the plan is refused or returned before any work
        import manim

        # at the frame rate it will be drawn at: the plan is made once, checked and drawn
        with manim.tempconfig({"frame_rate": manim_config(opts, opts.media_dir)["frame_rate"]}):
            planned = cls.check_params(data, opts.params)
        if opts.poster_beat is not None:
            _check_beat(opts.poster_beat, [b.id for b in planned], "--poster-beat")
    from scenes.core.theme import check_class_colours

    runs = data.trajs if isinstance(source, GridSource) else [data]
    check_class_colours(opts.theme, max(t.n_classes for t in runs))
    targets = check_outputs(opts, stem, cls.__name__)
    main = targets[0]
    dest = main.path
    dest.parent.mkdir(parents=True, exist_ok=True)
    with work_dir(dest.parent) as work:
        voices: BeatVoices | None = None

        def prepare(scene: Any, fps: float) -> Any:
            nonlocal voices
            if opts.voice is not None and opts.is_movie and opts.fmt in AUDIO_FORMATS:
                from scenes.render.voiceover import merged_durations

                voices = _speak(scene, opts, fps)
                durations = merged_durations(opts.params.get("durations"), voices, scene.beats)
                if durations:  # the picture waits for the voice
                    scene.beats = lengthen(scene.beats, durations)
            elif not opts.save_last_frame:  # silent: the picture waits for its words
                scene.beats = lengthen(scene.beats, reading_durations(scene.beats, fps))
            if on_scene is not None:
                on_scene(scene)
            if opts.poster_beat is not None:
                _check_beat(opts.poster_beat, [b.id for b in scene.beats], "--poster-beat")
            return scene

        if _parallel(opts, scene_spec.needs) or _cached(opts, scene_spec.needs):
            import manim

            from scenes.core.theme import use_theme

            with use_theme(opts.theme), manim.tempconfig(manim_config(opts, work)):
                planned = prepare(cls(**kwargs, **opts.params), float(manim.config.frame_rate))
            rendered = [b.section for b in planned.beats]
            only = planned.only_sections
            if opts.cache or len({s for s in rendered if only is None or s in only}) > 1:
                from scenes.render.parallel import render_parallel

                assert not isinstance(source, GridSource)
                cache = opts.media_dir / "cache" / "sections" if opts.cache else None
                return render_parallel(
                    Path(source), opts, planned, voices, targets, work, opts.jobs, cache
                )
        scene, produced, duration, sections_dir = play(cls, kwargs, opts, work, prepare)
        doc = None
        if opts.is_movie and getattr(scene, "beat_times", None):
            from scenes.publish.sections import timeline_document

            doc = timeline_document(scene.beats, scene.beat_times, scene.drawn_ids())
        cues = list(getattr(scene, "cues", None) or [])
        if main.kind == "frames":
            _place_dir(produced, main, FRAMES_MARKER)
        elif voices is not None and voices.speech and doc is not None:
            from scenes.render.voiceover import voice_cues, voiced_mp4

            voiced = voiced_mp4(produced, doc, voices, work)
            with atomic_file(main.path, still_ours=main.still_ours) as tmp:
                shutil.copyfile(voiced, tmp)
            cues = voice_cues(doc, voices)
        else:
            _place_file(produced, main, "png" if opts.save_last_frame else opts.fmt)
        result = RenderResult(dest, duration=float(doc["duration"]) if doc else duration)
        if voices is not None:
            result.voice = voices.engine
            result.notes += [voices.note] if voices.note else []
        if opts.is_movie and cues:
            from scenes.publish.subtitles import write_subtitles

            result.subtitles = list(write_subtitles(dest, cues))
        if doc is not None:
            from scenes.publish.sections import write_timeline

            result.timeline = write_timeline(targets[1].path, doc)
            from scenes.render.assemble import course

            result.course = course(opts, dest, doc, cues)
        if sections_dir is not None and sections_dir.exists():
            if opts.fmt == "gif":
                _sections_to_gif(sections_dir)
            _place_dir(sections_dir, targets[-1], SECTIONS_MARKER)
            result.sections = sorted(targets[-1].path.glob(f"*.{opts.fmt}"))
        return result


def play(
    cls: type,
    kwargs: dict[str, Any],
    opts: RenderOptions,
    media: Path,
    prepare: Callable[[Any, float], Any] | None = None,
    on_frames: Callable[[int], None] | None = None,
) -> tuple[Any, Path, float, Path | None]:
    """Make the scene ``cls(**kwargs, **opts.params)`` and render it with Manim under
    ``media`` (a private working folder); ``prepare(scene, fps)`` may change its beats
    first; ``on_frames(n)`` hears of the frames written (default: a progress bar). Returns
    the scene, what Manim wrote, the length in seconds and the folder of section videos
    (if asked for)."""
    import manim

    from scenes.core.theme import use_theme
    from scenes.mobjects.textcache import default_folder, text_cache

    with use_theme(opts.theme), text_cache(default_folder()):
        cfg = manim_config(opts, media)
        with manim.tempconfig(cfg):
            return _play(cls, kwargs, opts, cfg, prepare, on_frames)


def _play(
    cls: type,
    kwargs: dict[str, Any],
    opts: RenderOptions,
    cfg: dict[str, Any],
    prepare: Callable[[Any, float], Any] | None,
    on_frames: Callable[[int], None] | None,
) -> tuple[Any, Path, float, Path | None]:
    """:func:`play` inside its theme and Manim config."""
    scene = cls(**kwargs, **opts.params)
    if prepare is not None:
        scene = prepare(scene, float(cfg["frame_rate"]))
    enabled = opts.progress and on_frames is None
    if opts.save_last_frame:  # one frame is drawn, after the plan is played without drawing
        bar = Bar(1, "frame", label="last frame", enabled=enabled)
    else:
        bar = bar_for(scene, float(cfg["frame_rate"]), enabled=enabled)
        scene.renderer.file_writer.on_frames = on_frames or bar.advance
    try:
        scene.render()
        if opts.save_last_frame:
            bar.advance(1)
    finally:
        bar.close()
    writer = scene.renderer.file_writer
    if opts.save_last_frame:
        produced = Path(writer.image_file_path)
    elif opts.fmt == "png":
        produced = Path(writer.image_sequence_directory)
    else:
        produced = Path(writer.movie_file_path)
    duration = float(scene.renderer.time)
    sections_dir = Path(writer.sections_output_dir) if cfg["save_sections"] else None
    if not produced.exists():
        raise RenderError(f"Manim produced no output for scene {opts.scene!r}")
    return scene, produced, duration, sections_dir


def _parallel(opts: RenderOptions, needs: str) -> bool:
    """Whether this render may go to several processes (MP4s of one network's sections;
    section videos, stills and other formats render in one)."""
    from scenes.render.parallel import FORMATS

    return (
        opts.jobs > 1
        and opts.is_movie
        and opts.fmt in FORMATS
        and needs == "trajectory"
        and not opts.save_sections
    )


def _cached(opts: RenderOptions, needs: str) -> bool:
    """Whether this render goes section by section through the section cache."""
    return _parallel(replace(opts, jobs=2), needs) and opts.cache


def _speak(scene: Any, opts: RenderOptions, fps: float) -> BeatVoices:
    """Every rendered beat of ``scene`` spoken (or found in the speech cache), with a bar."""
    from scenes.render.voiceover import speak_beats

    assert opts.voice is not None
    bar = Bar(len(scene.beats), "beats", label="voice", enabled=opts.progress)
    try:
        return speak_beats(
            scene.beats,
            scene.only_sections,
            opts.voice,
            opts.media_dir / "voice",
            fps,
            progress=lambda done, total, beat: bar.set(done),
        )
    finally:
        bar.close()


def _check_beat(beat_id: str, ids: list[str], flag: str) -> None:
    """Refuse a beat id the scene's plan does not have, naming the close one."""
    if beat_id not in ids:
        import difflib

        close = difflib.get_close_matches(beat_id, ids, n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        raise RenderError(
            f"{flag} {beat_id}: no such beat in this video; {hint}its beats are in "
            'NAME.sections.json ("beats"), e.g. ' + ", ".join(ids[:6])
        )


def preview(path: Path) -> str:
    """Open ``path`` in the system viewer; on a headless machine, say where it is instead."""
    opener = shutil.which("open") if sys.platform == "darwin" else shutil.which("xdg-open")
    headless = sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    )
    if opener is None or headless:
        return f"no video viewer available on this machine; open {path} yourself"
    subprocess.Popen([opener, str(path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return f"opened {path}"
