"""nnwarp's segment encoder writes the same pictures as Manim's, faster."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest
from manim._config.video_encoder import VideoEncoderSpec
from manim.scene.video_segment_encoder import VideoSegmentEncoder

from scenes.draw import FastScene
from scenes.draw.encoding import FastFileWriter, FastSegmentEncoder

W, H = 64, 48


def _frames(alpha: bool) -> list[np.ndarray]:
    rng = np.random.default_rng(7)
    frames = [rng.integers(0, 256, (H, W, 4), dtype=np.uint8) for _ in range(4)]
    if not alpha:
        for f in frames:
            f[..., 3] = 255
    return frames


def _encode(cls: type[VideoSegmentEncoder], spec: VideoEncoderSpec, path: Path) -> list[np.ndarray]:
    encoder = cls(target=path, spec=spec)
    for i, frame in enumerate(_frames(alpha=spec.pixel_format != "yuv420p")):
        encoder.write_frame(frame.copy(), repeat=2 if i == 1 else 1)
    encoder.finish()
    with av.open(str(path)) as container:
        return [f.to_ndarray(format="rgba") for f in container.decode(video=0)]


@pytest.mark.parametrize(
    ("container", "codec", "pix_fmt", "options"),
    [
        ("mp4", "libx264", "yuv420p", (("crf", "0"), ("preset", "veryfast"))),
        ("mov", "qtrle", "argb", ()),
    ],
)
def test_same_pictures_as_manims_encoder(
    tmp_path: Path, container: str, codec: str, pix_fmt: str, options: tuple
) -> None:
    spec = VideoEncoderSpec(container, codec, pix_fmt, W, H, Fraction(30), options)
    ours = _encode(FastSegmentEncoder, spec, tmp_path / f"ours.{container}")
    manims = _encode(VideoSegmentEncoder, spec, tmp_path / f"manim.{container}")
    assert len(ours) == len(manims) == 5  # the repeated frame is written twice
    for a, b in zip(ours, manims, strict=True):
        np.testing.assert_array_equal(a, b)


def test_x264_encodes_whole_frames_in_parallel(tmp_path: Path) -> None:
    spec = VideoEncoderSpec("mp4", "libx264", "yuv420p", W, H, Fraction(30), ())
    encoder = FastSegmentEncoder(target=tmp_path / "x.mp4", spec=spec)
    try:
        assert encoder._stream.codec_context.thread_type.name == "FRAME"
    finally:
        encoder.abort()
    assert not (tmp_path / "x.mp4").exists()


def test_fast_scenes_write_with_the_fast_writer() -> None:
    scene = FastScene()
    assert scene.renderer._file_writer_class is FastFileWriter
    assert type(scene.renderer.camera).__name__ == "FastCamera"


@pytest.mark.parametrize("when", ["open", "encode"])
def test_ctrl_c_while_a_segment_is_written_stops_the_render_as_ctrl_c(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, when: str
) -> None:
    """Manim wraps whatever its encoder meets into a RuntimeError, Ctrl-C included: the
    render then ended as an unexpected error (exit 1, "please file a bug") instead of
    being stopped (exit 130, the previous video kept)."""
    import manim.scene.video_segment_encoder as manims

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    spec = VideoEncoderSpec("mp4", "libx264", "yuv420p", W, H, Fraction(30), ())
    if when == "open":
        monkeypatch.setattr(manims.av, "open", interrupted)
        with pytest.raises(KeyboardInterrupt):
            FastSegmentEncoder(target=tmp_path / "x.mp4", spec=spec)
        return
    encoder = FastSegmentEncoder(target=tmp_path / "x.mp4", spec=spec)
    monkeypatch.setattr(av.VideoFrame, "from_numpy_buffer", interrupted)
    try:
        with pytest.raises(KeyboardInterrupt):
            encoder.write_frame(_frames(alpha=False)[0])
    finally:
        encoder.abort()
    # any other failure still says which file and why
    monkeypatch.setattr(av.VideoFrame, "from_numpy_buffer", lambda *a, **k: 1 / 0)
    encoder = FastSegmentEncoder(target=tmp_path / "y.mp4", spec=spec)
    try:
        with pytest.raises(RuntimeError, match="Failed to encode video segment .*y.mp4"):
            encoder.write_frame(_frames(alpha=False)[0])
    finally:
        encoder.abort()


@pytest.mark.parametrize("taken_by", ["process", "encoder thread"])
def test_an_interrupt_while_a_segment_opens_leaves_no_encoder_thread_behind(
    taken_by: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Manim starts a segment's encoder thread (not a daemon: it waits for frames) before
    it records the job; Ctrl-C or SIGTERM in between, most likely while ``Thread.start``
    waits on a busy machine, left a thread nothing would stop, and the render hung at
    exit instead of ending (seen once in the suite's SIGTERM test). The signal may be
    taken by any thread, the new encoder's too: Python still handles it in the main
    thread (held by a signal mask, the interrupt came early in one run of the suite)."""
    import os
    import signal
    import threading
    import time

    import manim

    from scenes.render import pipeline as r

    start = threading.Thread.start

    def start_then_interrupt(self: threading.Thread) -> None:
        start(self)
        if self.name.startswith("partial-movie-encoder"):
            if taken_by == "process":
                os.kill(os.getpid(), signal.SIGINT)
            else:
                assert self.ident is not None
                signal.pthread_kill(self.ident, signal.SIGINT)

    cfg = r.manim_config(
        r.RenderOptions(quality="l", resolution=(64, 36), fps=5, progress=False), tmp_path
    )
    missing = object()
    job_when_interrupted: object = missing
    # Ctrl-C as in a terminal (a shell's background job starts with SIGINT ignored)
    before = signal.signal(signal.SIGINT, signal.default_int_handler)
    with manim.tempconfig(cfg):
        writer = FastScene().renderer.file_writer
        monkeypatch.setattr(threading.Thread, "start", start_then_interrupt)
        try:
            try:
                writer.open_partial_movie_stream(animation_index=0, file_path=tmp_path / "a.mp4")
                # A thread that was asleep takes its signal when it next runs: soon
                deadline = time.monotonic() + 10
                while time.monotonic() < deadline:
                    time.sleep(0.01)
            except KeyboardInterrupt:
                job_when_interrupted = writer._current_encode_job
        finally:
            signal.signal(signal.SIGINT, before)
            monkeypatch.undo()
            writer.abort_encode_jobs()  # what Manim does on the way out
            left = [t for t in threading.enumerate() if t.name.startswith("partial-movie-encoder")]
            for thread in left:  # (unblock them, whatever this test found: no hang at exit)
                thread._target.__self__.abort()  # type: ignore[attr-defined]
    assert job_when_interrupted is not missing, "the interrupt never came"
    assert job_when_interrupted is not None  # registered before the interrupt
    assert left == []


class _HoldsStill(FastScene):
    """A square held still for 5 frames, moved over 3, held for 4 (at 10 fps)."""

    def construct(self) -> None:
        import manim

        square = manim.Square(color=manim.RED)
        self.add(square)
        self.wait(0.5)
        self.play(square.animate.shift(manim.RIGHT), run_time=0.3)
        self.wait(0.4)


def _render_holds_still(tmp_path: Path, fmt: str) -> tuple[FastFileWriter, list[np.ndarray]]:
    """Render :class:`_HoldsStill` as ``fmt`` ("png-sequence", or a lossless RGB "mp4")."""
    import manim
    from PIL import Image

    settings = {
        "pixel_width": W,
        "pixel_height": H,
        "frame_rate": 10,
        "media_dir": str(tmp_path / fmt),
        "format": fmt,
        "video_codec": "libx264rgb",
        "pixel_format": "rgb24",
        "video_encoder_options": {"qp": "0", "preset": "ultrafast"},
        "disable_caching": True,
        "progress_bar": "none",
        "verbosity": "ERROR",
        "notify_outdated_version": False,
        "preview": False,
    }
    with manim.tempconfig(settings):
        scene = _HoldsStill()
        scene.render()
    writer = scene.renderer.file_writer
    assert isinstance(writer, FastFileWriter)
    if fmt == "mp4":
        with av.open(str(writer.movie_file_path)) as container:
            return writer, [f.to_ndarray(format="rgb24") for f in container.decode(video=0)]
    folder = Path(writer.image_sequence_directory)
    names = sorted(p.name for p in folder.iterdir())
    assert names == [f"{i:04d}.png" for i in range(len(names))]  # contiguous, Manim's names
    return writer, [np.asarray(Image.open(folder / n).convert("RGB")) for n in names]


def test_a_frame_held_still_is_written_into_a_png_sequence_as_often_as_into_a_video(
    tmp_path: Path,
) -> None:
    """Manim hands a held frame over once with a repeat count; its PNG sequence saved it
    once, so the folder had fewer frames than the video and frame N of it was not frame N
    of the video. The repeats are copies of the first file (no PNG encoding, and not
    hard links: a frame edited in place must not change the frames after it)."""
    writer, pngs = _render_holds_still(tmp_path, "png-sequence")
    _, video = _render_holds_still(tmp_path, "mp4")
    assert len(pngs) == len(video) == writer.frames_written == writer.frame_count == 12
    for i, (png, frame) in enumerate(zip(pngs, video, strict=True)):
        np.testing.assert_array_equal(png, frame, err_msg=f"frame {i}")
    assert all(np.array_equal(pngs[0], p) for p in pngs[1:5])  # the first hold: 5 frames
    assert all(p.stat().st_nlink == 1 for p in Path(writer.image_sequence_directory).iterdir())


def test_an_interrupt_while_a_full_segment_is_sealed_leaves_no_encoder_thread_behind(
    tmp_path: Path,
) -> None:
    """Sealing a segment queues its end mark, waiting while the frame queue is full (the
    encoder behind, on a busy machine). SIGTERM in that wait left the job marked sealed
    with no end mark queued; Manim's abort then queued none either and joined the
    encoder thread for ever: the suite's SIGTERM test hung under load."""
    import signal
    import threading
    import time

    import manim
    from manim.scene.scene_file_writer import _PartialMovieEncodeJob

    from scenes.render import pipeline as r

    class Slow:
        target = tmp_path / "a.mp4"

        def write_frame(self, pixels: np.ndarray, *, repeat: int = 1) -> None:
            time.sleep(1.0)  # the encoder far behind: the queue stays full

        def finish(self) -> None:
            pass

        def abort(self) -> None:
            pass

    class Terminated(Exception):
        pass

    def terminate(signum: int, frame: object) -> None:
        raise Terminated

    cfg = r.manim_config(
        r.RenderOptions(quality="l", resolution=(64, 36), fps=5, progress=False), tmp_path
    )
    with manim.tempconfig(cfg):
        writer = FastScene().renderer.file_writer
    job = _PartialMovieEncodeJob(animation_index=0, encoder=Slow(), frame_queue_size=2)  # type: ignore[arg-type]
    for _ in range(3):  # one taken by the encoder, two fill the queue
        job.put(1, np.zeros((1,), np.uint8))
    writer._current_encode_job = job
    before = signal.signal(signal.SIGTERM, terminate)
    main = threading.main_thread().ident
    assert main is not None
    threading.Timer(0.1, signal.pthread_kill, (main, signal.SIGTERM)).start()
    interrupted = False
    try:
        try:
            writer.close_partial_movie_stream()
            time.sleep(5)  # (held: the signal comes once the end mark is queued)
        except Terminated:
            interrupted = True
    finally:
        signal.signal(signal.SIGTERM, before)
    aborting = threading.Thread(target=writer.abort_encode_jobs, daemon=True)
    aborting.start()  # what Manim does on the way out
    aborting.join(timeout=15)
    stuck = job.thread.is_alive()
    if stuck:  # (unblock it, whatever this test found: no hang at exit)
        job.queue.put((-1, None))
    assert interrupted, "the interrupt never came"
    assert not stuck and not aborting.is_alive()
