"""GIFs for blogs: one palette made for the whole video, and only what changed in each frame.

Manim 0.22 computes a palette but then writes its GIF as ``rgb8`` (a fixed 3-3-2 palette),
so every frame is re-dithered against 256 fixed colours: the background flickers with
noise, no two frames share pixels and 45 s at 480p take 100 MB. nnwarp renders a lossless
RGB video instead and converts it here in two passes, so memory does not grow with the
video's length: the first finds the 256 colours the whole video needs (FFmpeg's
``palettegen``), the second maps every frame onto them (``paletteuse``, ordered dithering,
which keeps still pixels still) and the GIF encoder stores only each frame's changed
rectangle.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av

__all__ = ["LOSSLESS_CODEC", "LOSSLESS_OPTIONS", "to_gif"]

#: The intermediate video a GIF is made from: lossless RGB H.264 (no noise between frames),
#: as Manim's ``video_codec``, ``pixel_format`` and ``video_encoder_options``.
LOSSLESS_CODEC: dict[str, str] = {"video_codec": "libx264rgb", "pixel_format": "rgb24"}
LOSSLESS_OPTIONS: dict[str, str] = {"qp": "0", "preset": "ultrafast"}
#: Ordered (Bayer) dithering: a pixel's dither depends only on its place and colour, so a
#: still region stays identical from frame to frame and costs nothing in the GIF. Scale 5
#: (the weakest pattern) leaves flat colours such as the background exact, and smaller.
_PALETTEUSE = "dither=bayer:bayer_scale=5:diff_mode=rectangle"


def _palette(src: Path) -> av.VideoFrame:
    """Pass 1: the 256 colours the whole video needs."""
    with av.open(str(src)) as container:
        stream = container.streams.video[0]
        graph = av.filter.Graph()
        source = graph.add_buffer(template=stream)
        gen = graph.add("palettegen", "stats_mode=full")
        sink = graph.add("buffersink")
        source.link_to(gen)
        gen.link_to(sink)
        graph.configure()
        for frame in container.decode(stream):
            source.push(frame)
        source.push(None)
        palette = sink.pull()
    assert isinstance(palette, av.VideoFrame)
    return palette


def to_gif(src: Path, dst: Path) -> None:
    """Convert the video ``src`` into the GIF ``dst`` (same size and frame rate)."""
    palette = _palette(src)
    with av.open(str(src)) as container, av.open(str(dst), "w", format="gif") as out:
        stream = container.streams.video[0]
        rate = stream.average_rate or Fraction(15)
        gif = out.add_stream("gif", rate=rate)
        gif.width, gif.height = stream.codec_context.width, stream.codec_context.height
        gif.pix_fmt = "pal8"
        graph = av.filter.Graph()
        video = graph.add_buffer(template=stream)
        pal = graph.add_buffer(
            width=palette.width,
            height=palette.height,
            format=palette.format,
            time_base=Fraction(1, 1),
        )
        use = graph.add("paletteuse", _PALETTEUSE)
        sink = graph.add("buffersink")
        video.link_to(use, 0, 0)
        pal.link_to(use, 0, 1)
        use.link_to(sink)
        graph.configure()
        palette.pts = 0
        pal.push(palette)
        pal.push(None)
        written = 0

        def drain() -> None:
            nonlocal written
            while True:
                try:
                    frame = sink.pull()
                except (av.error.BlockingIOError, av.error.EOFError):
                    return
                assert isinstance(frame, av.VideoFrame)
                frame.pts = written
                frame.time_base = Fraction(1) / rate
                written += 1
                for packet in gif.encode(frame):
                    out.mux(packet)

        for frame in container.decode(stream):
            video.push(frame)
            drain()
        video.push(None)
        drain()
        for packet in gif.encode():
            out.mux(packet)
