"""Render a scene from a trajectory file to a video or image, atomically."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nnmodel.errors import NnwarpError
from nnmodel.fileio import temp_beside

QUALITIES: dict[str, str] = {
    "l": "low_quality",
    "m": "medium_quality",
    "h": "high_quality",
    "p": "production_quality",
    "k": "fourk_quality",
}
FORMATS = ("mp4", "webm", "gif", "mov", "png")
#: x264 speed presets. Encoding, not drawing, is most of a frame's cost at 1080p (see
#: bench/README.md): on the warp's frames "veryfast" encodes in half the CPU time of x264's
#: default "medium"; at the same crf (23) the slower presets keep a little more fine detail in
#: files of about the same size.
PRESETS = ("ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow", "slower")
DEFAULT_PRESET = "veryfast"


class RenderError(NnwarpError):
    """A render option is invalid or the render failed."""


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
            if (w % 2 or h % 2) and self.fmt in ("mp4", "mov", "webm") and not self.save_last_frame:
                raise RenderError(
                    f"resolution {w}x{h} has an odd side, which H.264 cannot encode; "
                    f"use even sizes, e.g. -r {w + w % 2},{h + h % 2}"
                )
        if self.preset is not None and self.preset not in PRESETS:
            raise RenderError(f"unknown preset {self.preset!r}; choose from {', '.join(PRESETS)}")
        if self.fps is not None and not 1 <= self.fps <= 240:
            raise RenderError(f"fps must be between 1 and 240, got {self.fps:g}")


@dataclass
class RenderResult:
    """Where the render landed."""

    output: Path
    subtitles: list[Path] = field(default_factory=list)
    sections: list[Path] = field(default_factory=list)
    duration: float = 0.0


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

    from scenes.theme import theme

    preset = MANIM_QUALITIES[QUALITIES[opts.quality]]
    width, height = opts.resolution or (preset["pixel_width"], preset["pixel_height"])
    movie = not opts.save_last_frame and opts.fmt != "png"
    encoder = {}
    if movie and opts.fmt in ("mp4", "mov"):
        encoder = {"preset": opts.preset or DEFAULT_PRESET, "crf": "23"}
    return {
        "video_encoder_options": encoder,
        "pixel_width": width,
        "pixel_height": height,
        "frame_rate": opts.fps or preset["frame_rate"],
        "media_dir": str(media_dir),
        # Manim 0.22: "png" is a still of the last frame, "png-sequence" every frame.
        "format": "png"
        if opts.save_last_frame
        else ("png-sequence" if opts.fmt == "png" else opts.fmt),
        "save_last_frame": opts.save_last_frame,
        "write_to_movie": movie,
        "save_sections": opts.save_sections and movie,
        "disable_caching": True,
        "progress_bar": "display" if opts.progress else "none",
        "verbosity": "ERROR",
        "notify_outdated_version": False,
        "background_color": theme().background,
        "preview": False,
    }


def default_output(opts: RenderOptions, cfg: dict[str, Any], stem: str, scene_name: str) -> Path:
    """Manim's layout: ``media/videos/<stem>/<H>p<fps>/<Scene>.<ext>`` (images for stills)."""
    if opts.save_last_frame:
        return opts.media_dir / "images" / stem / f"{scene_name}.png"
    quality_dir = f"{cfg['pixel_height']}p{cfg['frame_rate']:g}"
    ext = "" if opts.fmt == "png" else f".{opts.fmt}"
    return opts.media_dir / "videos" / stem / quality_dir / f"{scene_name}{ext}"


def faststart_remux(src: Path, dst: Path) -> None:
    """Copy an MP4/MOV's packets into ``dst`` with the index up front (web 'faststart')."""
    import av

    with (
        av.open(str(src)) as inp,
        av.open(
            str(dst),
            "w",
            format="mp4" if dst.suffix != ".mov" else "mov",
            options={"movflags": "+faststart"},
        ) as out,
    ):
        streams = {}
        for stream in inp.streams:
            if stream.type in ("video", "audio"):
                streams[stream.index] = out.add_stream_from_template(stream)
        for packet in inp.demux(*[inp.streams[i] for i in streams]):
            if packet.dts is None:
                continue
            packet.stream = streams[packet.stream.index]
            out.mux(packet)


def _place(src: Path, dst: Path, remux: bool) -> None:
    """Move ``src`` to ``dst`` so that ``dst`` is never half-written."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    if src.is_dir():  # a PNG sequence: replace the whole folder
        tmp_dir = Path(tempfile.mkdtemp(prefix=f".{dst.name}.", dir=dst.parent))
        shutil.rmtree(tmp_dir)
        shutil.move(str(src), str(tmp_dir))
        if dst.exists():
            shutil.rmtree(dst)
        os.replace(tmp_dir, dst)
        return
    tmp = temp_beside(dst, suffix=dst.suffix)
    try:
        if remux:
            faststart_remux(src, tmp)
        else:
            shutil.copyfile(src, tmp)
        os.replace(tmp, dst)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def render(
    trajectory_path: str | os.PathLike[str],
    opts: RenderOptions,
    *,
    on_scene: Callable[[Any], None] | None = None,
) -> RenderResult:
    """Render ``opts.scene`` from a trajectory file.

    The scene is rendered into a private temporary folder; only a finished file is moved
    to its destination (``opts.output`` or Manim's usual place under ``opts.media_dir``),
    so a failed or interrupted render leaves any previous video there untouched.
    """
    from nnmodel import trajectory
    from scenes.registry import scene_class

    traj = trajectory.load(trajectory_path)
    cls = scene_class(opts.scene, traj)
    stem = Path(trajectory_path).stem
    opts.media_dir.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".render-", dir=opts.media_dir))
    try:
        import manim

        cfg = manim_config(opts, work)
        with manim.tempconfig(cfg):
            scene = cls(trajectory=traj, **opts.params)
            if on_scene is not None:
                on_scene(scene)
            scene.render()
            writer = scene.renderer.file_writer
            if opts.save_last_frame:
                produced = Path(writer.image_file_path)
            elif opts.fmt == "png":
                produced = Path(writer.image_sequence_directory)
            else:
                produced = Path(writer.movie_file_path)
            duration = float(scene.renderer.time)
            sections_dir = Path(writer.sections_output_dir) if cfg["save_sections"] else None
        dest = opts.output or default_output(opts, cfg, stem, cls.__name__)
        if opts.fmt == "png" and not opts.save_last_frame and dest.suffix.lower() == ".png":
            dest = dest.with_suffix("")  # an image sequence is a folder of PNGs
        if not produced.exists():
            raise RenderError(f"Manim produced no output for scene {opts.scene!r}")
        _place(produced, dest, remux=opts.fmt in ("mp4", "mov") and not opts.save_last_frame)
        result = RenderResult(dest, duration=duration)
        if cfg["write_to_movie"] and getattr(scene, "cues", None):
            from scenes.subtitles import write_subtitles

            result.subtitles = list(write_subtitles(dest, scene.cues))
        if sections_dir is not None and sections_dir.exists():
            target = dest.with_name(dest.stem + "_sections")
            _place(sections_dir, target, remux=False)
            result.sections = sorted(target.glob(f"*.{opts.fmt}"))
        return result
    finally:
        shutil.rmtree(work, ignore_errors=True)


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
