"""What a render writes, checked before any work: nnwarp replaces only files it wrote.

Every file nnwarp renders carries a mark that says so: a ``comment`` tag in MP4, MOV and
WebM containers, a GIF comment block, a PNG text chunk, a ``NOTE`` in WebVTT subtitles
(with the hashes of the cues and of the ``.srt`` beside them, so hand-edited subtitles
are not ours any more), a ``written_by`` key in the sections JSON, a marker file in a
folder of frames or sections. A target that exists without the mark is refused before
anything is trained or drawn.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from nnmodel import __version__
from nnmodel.errors import OutputError
from nnmodel.fileio import check_dir_target, check_file_target, dir_is_ours

__all__ = [
    "FRAMES_MARKER",
    "MARK",
    "SECTIONS_MARKER",
    "Target",
    "check_targets",
    "gif_comment_block",
    "is_frame_name",
    "is_ours",
    "is_section_name",
    "png_text",
    "subtitle_note",
    "video_metadata",
]

#: The words every nnwarp output carries.
MARK = "written by nnwarp"
FRAMES_MARKER = ".nnwarp-frames"
SECTIONS_MARKER = ".nnwarp-sections"
_GIF_TEXT = f"{MARK} {__version__}".encode("ascii")
_NOTE = re.compile(r"^NOTE " + re.escape(MARK) + r" [^;]*; sha256 cues=(\w+) srt=(\w+)$", re.M)


def video_metadata() -> dict[str, str]:
    """Container tags for MP4, MOV and WebM outputs."""
    return {"comment": f"{MARK} {__version__}"}


def gif_comment_block() -> bytes:
    """A GIF comment extension naming nnwarp (placed just before the GIF's trailer byte)."""
    return b"\x21\xfe" + bytes([len(_GIF_TEXT)]) + _GIF_TEXT + b"\x00"


def png_text() -> dict[str, str]:
    """PNG text chunks for stills."""
    return {"Software": f"{MARK} {__version__}"}


def subtitle_note(vtt_cues: str, srt: str) -> str:
    """The NOTE line that makes a WebVTT file (and the SRT beside it) recognisably nnwarp's."""
    return f"NOTE {MARK} {__version__}; sha256 cues={_sha(vtt_cues)} srt={_sha(srt)}"


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def is_frame_name(name: str) -> bool:
    """Names of a PNG sequence's frames (``0000.png``)."""
    return re.fullmatch(r"\d+\.png", name) is not None


def is_section_name(name: str) -> bool:
    """Names of section videos and Manim's section index."""
    return re.fullmatch(r"[\w.-]+\.(mp4|mov|webm|gif|json)", name) is not None


def _container_is_ours(path: Path) -> bool:
    import av

    try:
        with av.open(str(path)) as container:
            tags = {k.lower(): v for k, v in container.metadata.items()}
    except Exception:  # not a video PyAV can read: not one of ours
        return False
    return str(tags.get("comment", "")).startswith(MARK)


def _gif_is_ours(path: Path) -> bool:
    with path.open("rb") as fh:
        head = fh.read(4)
        fh.seek(0, 2)
        fh.seek(max(0, fh.tell() - 80))
        tail = fh.read()
    # Our comment block stands right before the trailer: 0x21 0xFE, length, text, 0x00, ';'.
    return (
        head == b"GIF8"
        and tail.endswith(b"\x00;")
        and b"\x21\xfe" in tail
        and (MARK.encode("ascii") in tail)
    )


def _png_is_ours(path: Path) -> bool:
    from PIL import Image

    try:
        with Image.open(path) as img:
            return img.format == "PNG" and str(img.info.get("Software", "")).startswith(MARK)
    except Exception:  # not an image Pillow can read: not one of ours
        return False


def _vtt_is_ours(path: Path) -> bool:
    text = path.read_text(encoding="utf-8", errors="replace")
    found = _NOTE.search(text)
    if found is None:
        return False
    cues = text[found.end() :].lstrip("\n")
    return _sha(cues) == found.group(1)


def _srt_is_ours(path: Path) -> bool:
    vtt = path.with_suffix(".vtt")
    if not vtt.is_file():
        return False
    found = _NOTE.search(vtt.read_text(encoding="utf-8", errors="replace"))
    return found is not None and _sha(path.read_text(encoding="utf-8", errors="replace")) == (
        found.group(2)
    )


def _json_is_ours(path: Path) -> bool:
    import json

    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError):
        return False
    return isinstance(doc, dict) and str(doc.get("written_by", "")).startswith(MARK)


_BY_SUFFIX: dict[str, Callable[[Path], bool]] = {
    ".json": _json_is_ours,
    ".mp4": _container_is_ours,
    ".mov": _container_is_ours,
    ".webm": _container_is_ours,
    ".gif": _gif_is_ours,
    ".png": _png_is_ours,
    ".vtt": _vtt_is_ours,
    ".srt": _srt_is_ours,
}


def is_ours(path: Path) -> bool:
    """Whether the file ``path`` carries nnwarp's mark (see the module docstring)."""
    check = _BY_SUFFIX.get(path.suffix.lower())
    if check is None or not path.is_file():
        return False
    try:
        return check(path)
    except OSError:
        return False


@dataclass(frozen=True)
class Target:
    """One path a render will write: a file, or a folder of frames or of sections."""

    path: Path
    kind: str  # "file", "frames" or "sections"
    what: str
    flag: str = "-o"
    #: Whether missing parent folders are nnwarp's to create (its media folder).
    create: bool = False

    def check(self) -> None:
        """Refuse this target now (before any work) if writing it could lose a file."""
        c = self.create
        if self.kind == "file":
            check_file_target(self.path, self.flag, is_ours, self.what, create=c)
        elif self.kind == "frames":
            check_dir_target(
                self.path, self.flag, FRAMES_MARKER, is_frame_name, self.what, create=c
            )
        else:
            check_dir_target(
                self.path, self.flag, SECTIONS_MARKER, is_section_name, self.what, create=c
            )

    def still_ours(self, path: Path) -> bool:
        """The same test again, at the moment of replacing (for :mod:`nnmodel.fileio`)."""
        if self.kind == "file":
            return is_ours(path)
        marker = FRAMES_MARKER if self.kind == "frames" else SECTIONS_MARKER
        pattern = is_frame_name if self.kind == "frames" else is_section_name
        return dir_is_ours(path, marker, pattern)


def check_targets(targets: list[Target]) -> None:
    """Check every target; two targets may not be the same path."""
    seen: dict[Path, Target] = {}
    for target in targets:
        key = target.path.absolute()
        if key in seen:
            raise OutputError(
                f"{target.flag} {target.path}: the {target.what} and the {seen[key].what} "
                "would be the same file; choose another name"
            )
        seen[key] = target
        target.check()
