"""The course MP4: H.264 copied as is, an AAC track fitted to it, chapters, moov first.

The video stream is copied packet by packet (no re-encode, so no loss and no wait). The
audio is decoded from the given file (a WAV of the voice), or from the video's own audio
track, resampled to 48 kHz, cut or padded with silence to the video's exact length and
encoded to AAC. A video without any sound still gets an AAC track, of silence: players,
course platforms and phones then treat every nnwarp package the same, and the silence costs
a few hundred bytes a second. The file is written with ``movflags=+faststart`` (the index,
``moov``, before the media, ``mdat``) so a browser can start playing before it has it all.
Chapters are stored both ways FFmpeg writes them in MP4 (a Nero ``chpl`` box and a
QuickTime chapter text track, which demuxers list as a third, data stream).
"""

from __future__ import annotations

import heapq
from collections.abc import Generator, Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from scenes.errors import RenderError

__all__ = [
    "AUDIO_RATE",
    "MP4Chapter",
    "VideoInfo",
    "fitted_blocks",
    "frame_at",
    "probe_video",
    "write_course_mp4",
]

#: Sample rate of the AAC track (Hz).
AUDIO_RATE = 48_000
#: Samples per AAC frame.
_AAC_FRAME = 1024
_MS = Fraction(1, 1000)


@dataclass(frozen=True)
class MP4Chapter:
    """A chapter mark: ``title`` from ``start`` to ``end`` seconds."""

    title: str
    start: float
    end: float


@dataclass(frozen=True)
class VideoInfo:
    """What the course needs to know about a rendered video."""

    duration: float
    width: int
    height: int
    codec: str
    has_audio: bool


def _open(path: Path, what: str) -> Any:
    import av

    try:
        return av.open(str(path))
    except (OSError, av.FFmpegError) as exc:
        raise RenderError(f"cannot read the {what} {path}: {exc}; give a readable file") from None


def _stream_seconds(stream: Any, container: Any) -> float:
    if stream.duration is not None and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    if container.duration is not None:
        return float(container.duration) / 1_000_000
    raise RenderError(f"{container.name}: the video's length is unknown; render it again")


def probe_video(path: Path) -> VideoInfo:
    """Duration, size and codec of the video ``path`` (which must hold a video stream)."""
    with _open(path, "video") as container:
        if not container.streams.video:
            raise RenderError(f"{path} holds no video stream; give the MP4 nnwarp rendered")
        stream = container.streams.video[0]
        ctx = stream.codec_context
        return VideoInfo(
            duration=_stream_seconds(stream, container),
            width=int(ctx.width),
            height=int(ctx.height),
            codec=str(ctx.name),
            has_audio=bool(container.streams.audio),
        )


def _pcm(path: Path, what: str) -> Generator[npt.NDArray[np.float32], None, None]:
    """The first audio stream of ``path`` as planar float chunks (channels, n) at 48 kHz."""
    import av

    with _open(path, what) as container:
        if not container.streams.audio:
            raise RenderError(f"the {what} {path} holds no audio; give a WAV file")
        stream = container.streams.audio[0]
        layout = "mono" if stream.codec_context.channels == 1 else "stereo"
        resampler = av.AudioResampler(format="fltp", layout=layout, rate=AUDIO_RATE)
        try:
            for frame in container.decode(stream):
                for out in resampler.resample(frame):
                    yield out.to_ndarray().astype(np.float32, copy=False)
        except av.FFmpegError as exc:
            raise RenderError(f"cannot decode the {what} {path}: {exc}") from None
        for out in resampler.resample(None):
            yield out.to_ndarray().astype(np.float32, copy=False)


def _channels(path: Path | None) -> int:
    if path is None:
        return 1
    with _open(path, "audio") as container:
        if not container.streams.audio:
            raise RenderError(f"the audio {path} holds no audio stream; give a WAV file")
        return 1 if container.streams.audio[0].codec_context.channels == 1 else 2


def fitted_blocks(
    chunks: Iterator[npt.NDArray[np.float32]], total: int, channels: int, block: int = _AAC_FRAME
) -> Iterator[npt.NDArray[np.float32]]:
    """Blocks of ``block`` samples (the last one shorter) making exactly ``total`` samples.

    The audio is cut where ``total`` is reached and padded with silence when it ends early.

    >>> parts = iter([np.ones((1, 3), np.float32), np.ones((1, 4), np.float32)])
    >>> [b.tolist() for b in fitted_blocks(parts, 9, 1, block=4)]
    [[[1.0, 1.0, 1.0, 1.0]], [[1.0, 1.0, 1.0, 0.0]], [[0.0]]]
    >>> [b.shape for b in fitted_blocks(iter([np.ones((1, 10), np.float32)]), 5, 1, block=4)]
    [(1, 4), (1, 1)]
    """
    pending: list[npt.NDArray[np.float32]] = []
    held = sent = 0
    for chunk in chunks:
        chunk = chunk[:, : max(total - sent - held, 0)]
        if chunk.size:
            pending.append(chunk)
            held += chunk.shape[1]
        if held >= block:
            joined = np.concatenate(pending, axis=1)
            whole = held - held % block
            for i in range(0, whole, block):
                yield joined[:, i : i + block]
            pending, held, sent = [joined[:, whole:]], held - whole, sent + whole
        if sent + held >= total:
            break
    silence = np.zeros((channels, total - sent - held), np.float32)
    rest = np.concatenate([*pending, silence], axis=1) if pending else silence
    for i in range(0, rest.shape[1], block):
        yield rest[:, i : i + block]


def _audio_packets(stream: Any, blocks: Iterator[npt.NDArray[np.float32]]) -> Iterator[Any]:
    import av

    layout = "mono" if stream.codec_context.channels == 1 else "stereo"
    pts = 0
    for block in blocks:
        frame = av.AudioFrame.from_ndarray(
            np.ascontiguousarray(block), format="fltp", layout=layout
        )
        frame.sample_rate = AUDIO_RATE
        frame.pts = pts
        frame.time_base = Fraction(1, AUDIO_RATE)
        pts += block.shape[1]
        yield from stream.encode(frame)
    yield from stream.encode(None)


def _seconds(packet: Any) -> float:
    return float(packet.dts * packet.time_base) if packet.dts is not None else 0.0


def write_course_mp4(
    video: Path,
    dst: Path,
    *,
    audio: Path | None,
    chapters: Sequence[MP4Chapter],
    metadata: dict[str, str],
) -> VideoInfo:
    """Write ``dst``: ``video``'s H.264 copied, an AAC track fitted to it, ``chapters``.

    ``audio`` is the sound (any file FFmpeg reads, normally the voice's WAV), starting with
    the video; without it the video's own audio track is used, or silence if it has none.
    Returns what :func:`probe_video` says about ``video``.
    """
    import av

    info = probe_video(video)
    if info.codec != "h264":
        raise RenderError(
            f"{video} is {info.codec}, not H.264: a course package needs an MP4 render "
            "(render with --format mp4)"
        )
    if not hasattr(av.container.OutputContainer, "set_chapters"):
        raise RenderError(
            f"PyAV {av.__version__} cannot write chapters into an MP4; "
            "upgrade it: pip install 'av>=16'"
        )
    source = audio if audio is not None else (video if info.has_audio else None)
    channels = _channels(source)
    total = round(info.duration * AUDIO_RATE)
    pcm = _pcm(source, "audio") if source is not None else None
    with (
        _open(video, "video") as inp,
        av.open(str(dst), "w", format="mp4", options={"movflags": "+faststart"}) as out,
    ):
        in_video = inp.streams.video[0]
        out_video = out.add_stream_from_template(in_video)
        out_audio = out.add_stream(
            "aac", rate=AUDIO_RATE, layout="mono" if channels == 1 else "stereo"
        )
        out_audio.bit_rate = 64_000 * channels
        out.metadata.update(metadata)
        # Chapters must be set before the header is written (at the first packet).
        out.set_chapters(
            [
                {
                    "id": i,
                    "start": round(c.start * 1000),
                    "end": round(c.end * 1000),
                    "time_base": _MS,
                    "metadata": {"title": c.title},
                }
                for i, c in enumerate(chapters, 1)
            ]
        )

        def video_packets() -> Iterator[Any]:
            for packet in inp.demux(in_video):
                if packet.dts is not None:  # the demuxer's empty flush packet has none
                    packet.stream = out_video
                    yield packet

        blocks = fitted_blocks(pcm if pcm is not None else iter(()), total, channels)
        # Interleaved by time, so a player streaming the file gets sound and picture together.
        try:
            for packet in heapq.merge(
                video_packets(), _audio_packets(out_audio, blocks), key=_seconds
            ):
                out.mux(packet)
        finally:
            if pcm is not None:
                pcm.close()  # the audio may be longer than the video: close its file now
    return info


def frame_at(video: Path, t: float) -> Any:
    """The frame of ``video`` shown at ``t`` seconds, as a Pillow image."""
    import av

    with _open(video, "video") as container:
        stream = container.streams.video[0]
        tb = stream.time_base
        if tb is not None:
            container.seek(int(t / tb), stream=stream, backward=True, any_frame=False)
        chosen = None
        try:
            for frame in container.decode(stream):
                if chosen is not None and frame.time is not None and frame.time > t + 1e-6:
                    break
                chosen = frame
        except av.FFmpegError as exc:
            raise RenderError(f"cannot decode {video}: {exc}") from None
        if chosen is None:
            raise RenderError(f"{video} has no frame at {t:.2f} s; render it again")
        return chosen.to_image()
