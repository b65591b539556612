"""Faster rendering for nnwarp's scenes: no frame copy, threaded x264, no drawing while skipping."""

from __future__ import annotations

import shutil
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import numpy as np
from manim import Camera, config
from manim._config.video_encoder import VideoEncoderSpec
from manim.renderer.cairo_renderer import CairoRenderer
from manim.scene.scene_file_writer import SceneFileWriter
from manim.scene.video_segment_encoder import VideoSegmentEncoder
from manim.typing import RGBAPixelArray

__all__ = ["FastFileWriter", "FastRenderer", "FastSegmentEncoder", "fast_renderer"]

#: Encoders that run their own threads on whole frames (x264 pipelines several frames at
#: once). FFmpeg's default for them here is slice threading, which encodes one frame at a
#: time and leaves the colour conversion and the encoder waiting on each other.
FRAME_THREADED_CODECS = frozenset({"libx264"})


class FastSegmentEncoder(VideoSegmentEncoder):
    """Manim's segment encoder, without its per-frame copy and with frame-parallel x264.

    Manim wraps each frame into a new ``av.VideoFrame`` with ``from_ndarray`` (an 8 MB copy
    at 1080p) before converting it to the codec's pixel format. The writer owns the array it
    is given (Manim's renderer hands over a fresh copy and never touches it again), so the
    frame can be read in place: the conversion to YUV is the only pass over its pixels.
    """

    def __init__(self, *, target: Path, spec: VideoEncoderSpec) -> None:
        try:
            super().__init__(target=target, spec=spec)
        except RuntimeError as error:
            # Manim turns everything raised while it opens the file into a RuntimeError,
            # Ctrl-C and SIGTERM included: those stop the render as themselves.
            if isinstance(error.__cause__, KeyboardInterrupt | SystemExit):
                raise error.__cause__ from None
            raise
        if spec.codec in FRAME_THREADED_CODECS:
            self._stream.codec_context.thread_type = "FRAME"
        self._time_base = Fraction(spec.frame_rate.denominator, spec.frame_rate.numerator)

    def write_frame(self, pixels: RGBAPixelArray, *, repeat: int = 1) -> None:
        """Encode ``pixels`` (top-left origin RGBA) ``repeat`` times."""
        self._validate_frame(pixels, repeat)
        try:
            # Manim types frames as int64 (RGBAPixelArray); they are uint8, as PyAV wants.
            frame = av.VideoFrame.from_numpy_buffer(pixels, format="rgba")  # type: ignore[arg-type]
            frame = frame.reformat(format=self.spec.pixel_format)
            for _ in range(repeat):
                frame.pts = self._next_pts
                frame.time_base = self._time_base
                self._next_pts += 1
                # Manim types _stream as any PyAV stream; it opened a video stream.
                for packet in self._stream.encode(frame):  # type: ignore[union-attr, arg-type]
                    self._container.mux(packet)
        except Exception as error:  # not Ctrl-C or SIGTERM: they stop the render as themselves
            raise self._operation_error("encode", error) from error


@contextmanager
def _signals_held() -> Iterator[None]:
    """Hold SIGINT and SIGTERM: one that arrives in the block is delivered when it ends.

    Held by Python's own handlers, not by the thread's signal mask: the process has other
    threads (encoders, x264's), any of which may take the signal, and Python then runs its
    handler in the main thread at once, masked or not. Only the main thread may set
    handlers; elsewhere nothing is held.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []

    def hold(signum: int, _frame: Any) -> None:
        caught.append(signum)

    previous: dict[int, Any] = {}
    for sig in (signal.SIGINT, signal.SIGTERM):
        handler = signal.getsignal(sig)
        if handler is not None:  # (None: set outside Python, left alone)
            previous[sig] = signal.signal(sig, hold)
    try:
        yield
    finally:
        for held, handler in previous.items():
            signal.signal(held, handler)
        for signum in dict.fromkeys(caught):
            signal.raise_signal(signum)


class FastFileWriter(SceneFileWriter):
    """Manim's file writer, encoding each segment with :class:`FastSegmentEncoder`, and
    writing a held frame into a folder of frames as often as into a video.

    ``on_frames``, when set, is told how many frames each write adds (a progress bar).
    """

    on_frames: Callable[[int], None] | None = None
    #: Frames written so far.
    frames_written = 0

    def write_frame(self, pixels: RGBAPixelArray, *, repeat: int = 1) -> None:
        super().write_frame(pixels, repeat=repeat)
        if self.output_spec.is_image_sequence and repeat > 1:
            self._repeat_last_image(repeat - 1)
        self.frames_written += repeat
        if self.on_frames is not None:
            self.on_frames(repeat)

    def _repeat_last_image(self, times: int) -> None:
        """Copy the PNG just saved into the next ``times`` frames' files.

        While the picture holds still Manim hands over one frame with a repeat count: its
        video encodes it that many times, but its folder of frames saved it once, so the
        folder lost frames and frame N of it was no longer frame N of the video. The copies
        keep Manim's names (``0041.png``, ``0042.png``, ...) and cost no PNG encoding. They
        are copies, not hard links: a frame edited in place (``Image.save`` to its own
        name) must not change the frames it was copied to.
        """
        plan = self.output_plan
        first = plan.image_frame_path(self.frame_count - 1)
        for _ in range(times):
            shutil.copyfile(first, plan.image_frame_path(self.frame_count))
            self.frame_count += 1

    def open_partial_movie_stream(self, **kwargs: Any) -> None:
        """Manim's, with Ctrl-C and SIGTERM held until the segment's job is registered.

        Manim starts the job's encoder thread (non-daemon, waiting for frames) before it
        records the job; an interrupt in between (``Thread.start`` waits for the thread, a
        while on a busy machine) left a thread nobody would stop, and the interrupted
        render hung at exit instead of ending. Held, the signal arrives just after, and
        Manim's clean-up aborts the job it now knows.
        """
        with _signals_held():
            super().open_partial_movie_stream(**kwargs)

    def close_partial_movie_stream(self) -> None:
        """Manim's, with Ctrl-C and SIGTERM held until the segment is sealed and recorded.

        Sealing puts an end mark on the job's frame queue, and waits while the queue is
        full (the encoder behind, as on a busy machine). An interrupt in that wait left the
        job marked sealed with no end mark queued: aborting it then queued none either, and
        Manim's clean-up waited for its encoder thread for ever. Held, the signal arrives
        once the mark is queued, and the clean-up joins a thread that ends.
        """
        with _signals_held():
            super().close_partial_movie_stream()

    def _create_segment_encoder(self, target: Path) -> VideoSegmentEncoder:
        if self.video_encoder is None:
            raise RuntimeError("Video segment encoding requires resolved settings.")
        return FastSegmentEncoder(target=target, spec=self.video_encoder)


class FastRenderer(CairoRenderer):
    """Manim's Cairo renderer, drawing no frame while it skips animations.

    A skipped ``play`` (a section left out, the beats before a ``-j`` worker's own, ``-s``)
    writes no frame, yet Manim draws it twice: the static mobjects into a background, then
    the moving ones on top. Nothing reads those pixels: the first frame drawn after the
    skip starts again from a blank background and sets the camera from its trackers, and
    a still (``-s``) is drawn once the scene has finished. Skipping the drawing makes a
    skipped beat cost only its updates.
    """

    _in_play = False
    #: Whether a skipped ``play`` advances the clock by the whole frames drawing it would
    #: have written (as played), not by its exact run time (as Manim skips).
    exact_skips = False

    def play(self, scene: Any, *args: Any, **kwargs: Any) -> None:
        self._in_play = True
        start = self.time
        try:
            super().play(scene, *args, **kwargs)
        finally:
            self._in_play = False
        if self.exact_skips and self.skip_animations:
            self.time = self._clock_as_drawn(scene, start)

    def _clock_as_drawn(self, scene: Any, start: float) -> float:
        """The clock after drawing the play just skipped, from ``start``, with Manim's own
        arithmetic: a still is ``int(run time / dt)`` frames added at once, a moving play
        one frame per step of ``arange(0, run time, 1 / frame rate)``."""
        dt = 1 / self.camera.frame_rate
        if scene.is_current_animation_frozen_frame():
            return start + int(scene.duration / dt) * dt
        clock = start
        for _ in np.arange(0, scene.duration, 1 / config["frame_rate"]):
            clock += dt
        return clock

    def _skipping(self) -> bool:
        return self._in_play and bool(self.skip_animations)

    def update_frame(self, scene: Any, *args: Any, **kwargs: Any) -> None:
        if not self._skipping():
            super().update_frame(scene, *args, **kwargs)

    def save_static_frame_data(self, scene: Any, static_mobjects: Any) -> Any:
        if self._skipping():
            self.static_image = None
            return None
        return super().save_static_frame_data(scene, static_mobjects)

    def get_frame(self) -> Any:
        if self._skipping():
            return self.camera.pixel_array  # (not written: add_frame drops it)
        return super().get_frame()


def fast_renderer(camera_class: type[Camera], skip_animations: bool = False) -> CairoRenderer:
    """A :class:`FastRenderer` drawing with ``camera_class`` and writing with
    :class:`FastFileWriter`."""
    return FastRenderer(
        file_writer_class=FastFileWriter,
        camera_class=camera_class,
        skip_animations=skip_animations,
    )
