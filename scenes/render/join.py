"""Join videos end to end without re-encoding: the H.264 packets are copied, their clocks shifted.

Parts rendered with the same settings (size, frame rate, encoder options) share their
stream parameters, so the joined file decodes to exactly the frames of the parts, one after
the other (tests/render/test_join_videos.py compares them). Used for stories of several
scenes and for sections rendered in parallel (``-j``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any

from scenes.errors import RenderError

__all__ = ["join_videos", "video_seconds"]


def _base(stream: Any) -> Fraction:
    base = stream.time_base
    if base is None:
        raise RenderError("a video part has no time base: it was not written by nnwarp")
    return Fraction(base)


def _signature(stream: Any) -> tuple[Any, ...]:
    ctx = stream.codec_context
    return (ctx.name, ctx.width, ctx.height, str(ctx.pix_fmt), bytes(ctx.extradata or b""))


def video_seconds(path: Path) -> float:
    """How long ``path``'s video stream lasts: the end of its last frame, in seconds."""
    import av

    with av.open(str(path)) as inp:
        stream = inp.streams.video[0]
        end = 0
        for packet in inp.demux(stream):
            if packet.pts is not None:
                end = max(end, packet.pts + (packet.duration or 0))
        return float(end * _base(stream))


def join_videos(
    parts: Sequence[Path | tuple[Path, int]], dst: Path, metadata: dict[str, str] | None = None
) -> float:
    """Write ``dst`` (MP4): the video streams of ``parts`` one after the other. Returns the
    joined length in seconds.

    A part ``(path, k)`` is ``path`` less its first ``k`` frames, which must end where one
    of the files ``path`` was joined from ends (the frame after them starts an encoding:
    nothing after it refers to a frame before it).

    Raises :class:`RenderError` if the parts were not encoded alike (they cannot be joined
    without re-encoding), or if a part cannot be cut where asked.
    """
    import av

    if not parts:
        raise RenderError("nothing to join: no video parts were rendered")
    offset = 0  # in the output stream's time base
    with av.open(str(dst), "w", format="mp4", options={"movflags": "+faststart"}) as out:
        if metadata:
            out.metadata.update(metadata)
        out_stream = None
        first: tuple[Any, ...] | None = None
        base: Fraction | None = None
        cuts = [(part, 0) if isinstance(part, Path) else part for part in parts]
        for path, cut in cuts:
            with av.open(str(path)) as inp:
                stream = inp.streams.video[0]
                if out_stream is None:
                    out_stream = out.add_stream_from_template(stream)
                    first, base = _signature(stream), _base(stream)
                elif _signature(stream) != first:
                    raise RenderError(
                        f"{Path(path).name} was encoded differently from {cuts[0][0].name}: "
                        "render every part with the same size, frame rate and encoder"
                    )
                assert base is not None
                scale = _base(stream) / base
                packets: Iterable[Any] = (
                    p for p in inp.demux(stream) if p.dts is not None and p.pts is not None
                )
                shift = 0  # a cut part starts where its first frame kept was joined
                if cut:
                    packets = list(packets)
                    if cut >= len(packets) or not packets[cut].is_keyframe:
                        raise RenderError(
                            f"{Path(path).name} cannot be cut after frame {cut}: no encoding "
                            "starts there (render it again without the cache)"
                        )
                    shift = min(p.pts for p in packets[cut:]) - min(p.pts for p in packets)
                    packets = packets[cut:]
                end = 0
                for packet in packets:
                    pts = round((packet.pts - shift) * scale) + offset
                    dts = round((packet.dts - shift) * scale) + offset
                    length = round((packet.duration or 0) * scale)
                    end = max(end, pts - offset + length)
                    packet.pts, packet.dts = pts, dts
                    packet.stream = out_stream
                    out.mux(packet)
                offset += end
    assert base is not None
    return float(offset * base)
