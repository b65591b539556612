"""End-to-end renders: real Manim output, opened and checked with PyAV."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import av
import numpy as np
import pytest
from click.testing import CliRunner

from scenes.cli import main
from scenes.render import pipeline as r

SMALL = ["-r", "256,144", "--fps", "6"]


def _warp_options(
    tmp_path: Path, out: Path, size: tuple[int, int], **extra: Any
) -> r.RenderOptions:
    """A small warp render into ``out``, with Manim's media under ``tmp_path / "media"``."""
    return r.RenderOptions(
        scene="warp",
        resolution=size,
        output=out,
        media_dir=tmp_path / "media",
        progress=False,
        **extra,
    )


def _video_facts(path: Path) -> tuple[str, str, int, float, tuple[int, int]]:
    with av.open(str(path)) as c:
        s = c.streams.video[0]
        frames = sum(1 for _ in c.decode(s))
        return (
            s.codec_context.name,
            s.codec_context.pix_fmt,
            frames,
            c.duration / 1e6,
            (s.width, s.height),
        )


def _top_level_boxes(path: Path) -> list[str]:
    data, boxes, pos = path.read_bytes(), [], 0
    while pos + 8 <= len(data):
        size = int.from_bytes(data[pos : pos + 4], "big")
        boxes.append(data[pos + 4 : pos + 8].decode("latin-1"))
        if size == 1:
            size = int.from_bytes(data[pos + 8 : pos + 16], "big")
        if size < 8:
            break
        pos += size
    return boxes


def test_warp_renders_a_playable_h264_mp4_with_subtitles(
    one_layer_traj: Path, tmp_path: Path
) -> None:
    out = tmp_path / "warp.mp4"
    result = r.render(
        one_layer_traj,
        _warp_options(tmp_path, out, (256, 144), fps=6),
    )
    assert result.output == out and out.exists()
    codec, pix, frames, duration, size = _video_facts(out)
    assert (codec, pix, size) == ("h264", "yuv420p", (256, 144))
    assert result.duration >= 10
    assert abs(frames - result.duration * 6) <= 2
    assert abs(duration - result.duration) < 0.5
    boxes = _top_level_boxes(out)
    assert boxes.index("moov") < boxes.index("mdat"), boxes  # "faststart": playable while loading
    srt, vtt = out.with_suffix(".srt"), out.with_suffix(".vtt")
    assert srt.exists() and vtt.read_text().startswith("WEBVTT")
    text = srt.read_text()
    for caption in (
        "The data: moons",
        "Layer 1 · linear map W·x",
        "Layer 1 · tanh",
        "The output layer is a straight line",
    ):
        assert caption in text
    # nothing but the result and its subtitles is left
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "warp.mp4",
        "warp.sections.json",
        "warp.srt",
        "warp.vtt",
    ]
    # ordinary permissions, so a course site's web server can serve the files
    import os

    umask = os.umask(0)
    os.umask(umask)
    for made in (out, srt, vtt):
        assert made.stat().st_mode & 0o777 == 0o666 & ~umask


def test_last_frame_png_has_the_points_where_the_trajectory_says(
    one_layer_traj: Path, tmp_path: Path
) -> None:
    from PIL import Image

    from nnmodel.trajectory import load
    from scenes.warp import Warp

    seen = {}

    def keep(scene: Warp) -> None:
        seen["scene"] = scene

    out = tmp_path / "last.png"
    r.render(
        one_layer_traj,
        _warp_options(tmp_path, out, (480, 270), save_last_frame=True),
        on_scene=keep,
    )
    img = np.asarray(Image.open(out).convert("RGB"))
    assert img.shape == (270, 480, 3)
    # The last frame shows the input plane: points sit where the input view maps the inputs.
    scene = seen["scene"]
    traj = load(one_layer_traj)
    xy, _ = scene.input_view.project(traj.inputs)
    drawn = scene.rig.points.points[:, :2]
    np.testing.assert_allclose(np.sort(drawn, axis=0), np.sort(xy, axis=0), atol=1e-9)


def test_points_at_the_separator_are_the_exported_last_hidden_representation(
    moons_traj: Path, tmp_path: Path
) -> None:
    from nnmodel.trajectory import load
    from scenes.core.view import pad3
    from scenes.warp import Warp

    captured = {}

    def spy(scene: Warp) -> None:
        original = scene.beat_separator

        def at_separator(beat: object) -> None:
            captured["view"] = scene.rig.view
            captured["drawn"] = scene.rig.points.points[:, :2].copy()
            original(beat)  # type: ignore[arg-type]

        scene.beat_separator = at_separator  # type: ignore[method-assign]

    r.render(
        moons_traj,
        _warp_options(tmp_path, tmp_path / "a.mp4", (128, 72), fps=2),
        on_scene=spy,
    )
    traj = load(moons_traj)
    last_hidden = traj.stages(-1)[-3].points
    expected, _ = captured["view"].project(pad3(last_hidden))
    np.testing.assert_allclose(captured["drawn"], expected, atol=1e-6)


def _litter(folder: Path) -> list[str]:
    """nnwarp's temporaries (working folders, partial files) anywhere under ``folder``."""
    return sorted(
        str(p.relative_to(folder))
        for p in folder.rglob(".*")
        if p.name.startswith(".nnwarp-work-") or p.name.endswith(".nnwarp-part")
    )


def test_a_failed_render_leaves_the_previous_video_in_place(
    one_layer_traj: Path, tmp_path: Path
) -> None:
    out = tmp_path / "keep.mp4"
    opts = _warp_options(tmp_path, out, (128, 72), fps=2)
    r.render(one_layer_traj, opts)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    assert sorted(before) == ["keep.mp4", "keep.sections.json", "keep.srt", "keep.vtt"]

    def explode(scene: object) -> None:
        def boom(beat: object) -> None:
            raise KeyboardInterrupt

        scene.beat_separator = boom  # type: ignore[attr-defined]

    with pytest.raises(KeyboardInterrupt):
        r.render(one_layer_traj, opts, on_scene=explode)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before
    assert _litter(tmp_path) == []


def test_a_failure_while_placing_the_video_keeps_the_previous_one(
    one_layer_traj: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The last step (remux into place) fails half-way: the old video must survive whole."""
    out = tmp_path / "keep.mp4"
    opts = _warp_options(tmp_path, out, (128, 72), fps=2)
    r.render(one_layer_traj, opts)
    before = out.read_bytes()

    def half_written(src: Path, dst: Path, fmt: str) -> None:
        dst.write_bytes(src.read_bytes()[:1000])
        raise OSError("disk full")

    monkeypatch.setattr(r, "remux", half_written)
    with pytest.raises(OSError, match="disk full"):
        r.render(one_layer_traj, opts)
    assert out.read_bytes() == before
    assert _litter(tmp_path) == []


def test_a_render_replaces_its_own_earlier_output_only(
    one_layer_traj: Path, tmp_path: Path
) -> None:
    from nnmodel.errors import OutputError

    out = tmp_path / "clip.webm"
    opts = _warp_options(tmp_path, out, (96, 54), fps=2, fmt="webm")
    r.render(one_layer_traj, opts)
    first = out.stat().st_mtime_ns
    r.render(one_layer_traj, opts)  # ours: replaced
    assert out.stat().st_mtime_ns != first
    out.write_bytes(b"a video of my own")
    with pytest.raises(OutputError, match="not written by nnwarp"):
        r.render(one_layer_traj, opts)
    assert out.read_bytes() == b"a video of my own"


def test_cli_render_prints_the_output_path_last_and_preview_is_headless_safe(
    one_layer_traj: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    out = tmp_path / "clip.gif"
    result = CliRunner().invoke(
        main,
        [
            "render",
            "warp",
            "--trajectory",
            str(one_layer_traj),
            "-r",
            "128,72",
            "--fps",
            "2",
            "-o",
            str(out),
            "-p",
            "--media-dir",
            str(tmp_path / "media"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1] == str(out)
    assert "no video viewer" in result.output and out.read_bytes()[:3] == b"GIF"


def test_cli_render_trains_and_caches(tmp_path: Path) -> None:
    args = [
        "render",
        "warp",
        "-s",
        "-r",
        "128,72",
        "--media-dir",
        str(tmp_path / "m"),
        "--samples",
        "60",
        "--hidden",
        "2",
        "--epochs",
        "10",
        "--snapshots",
        "3",
    ]
    first = CliRunner().invoke(main, args)
    assert first.exit_code == 0, first.output
    png = Path(first.output.strip().splitlines()[-1])
    assert png.suffix == ".png" and png.exists() and png.parent.parent.name == "images"
    assert len(list((tmp_path / "m" / "trajectories").glob("*.npz"))) == 1
    second = CliRunner().invoke(main, args)
    assert "using cached trajectory" in second.output


def test_save_sections_writes_one_video_per_chapter(one_layer_traj: Path, tmp_path: Path) -> None:
    out = tmp_path / "lesson.mp4"
    result = r.render(
        one_layer_traj,
        _warp_options(tmp_path, out, (128, 72), fps=3, save_sections=True),
    )
    names = [p.stem.split("_", 2)[-1] for p in result.sections]
    assert names == ["Introduction", "Layer-1", "Separator", "Back-to-the-input"]
    assert all(p.parent == tmp_path / "lesson_sections" for p in result.sections)
    total = sum(_video_facts(p)[2] for p in result.sections)
    assert abs(total - _video_facts(out)[2]) <= len(result.sections)


GOLDEN = Path(__file__).parents[1] / "data" / "golden.npz"


@pytest.mark.parametrize(("fmt", "codec"), [("webm", "vp9"), ("mov", "h264")])
def test_other_video_formats(tmp_path: Path, fmt: str, codec: str) -> None:
    out = tmp_path / f"clip.{fmt}"
    result = CliRunner().invoke(
        main,
        [
            "render",
            "warp",
            "--trajectory",
            str(GOLDEN),
            "-r",
            "96,54",
            "--fps",
            "2",
            "-o",
            str(out),
            "--media-dir",
            str(tmp_path / "m"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert _video_facts(out)[0] == codec


def test_png_format_writes_every_frame_into_a_folder(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main,
        [
            "render",
            "warp",
            "--trajectory",
            str(GOLDEN),
            "-r",
            "96,54",
            "--fps",
            "2",
            "--format",
            "png",
            "-o",
            str(tmp_path / "frames"),
            "--media-dir",
            str(tmp_path / "m"),
        ],
    )
    assert result.exit_code == 0, result.output
    folder = tmp_path / "frames"
    assert result.output.strip().splitlines()[-1] == str(folder)
    frames = sorted(folder.glob("*.png"))
    assert len(frames) > 20 and frames[0].name == "0000.png"


def test_the_rewind_lands_exactly_on_the_flat_input_view(tmp_path: Path) -> None:
    """Undoing a first-layer lift into 3-D must end flat by itself, not with a jump cut."""
    from nnmodel.config import ModelConfig, TrainConfig
    from nnmodel.pipeline import train_to_file
    from scenes.warp import Warp
    from tests.conftest import small_config

    lifted = train_to_file(
        small_config(model=ModelConfig(hidden=(3,)), train=TrainConfig(epochs=30)),
        tmp_path / "t.npz",
    )
    seen: dict = {"moves": []}

    def spy(scene: Warp) -> None:
        move, rewind = scene.move, scene.beat_rewind

        def recording_move(step, dims, *args, **kwargs):  # type: ignore[no-untyped-def]
            move(step, dims, *args, **kwargs)
            seen["moves"].append((dims, scene.rig.view, scene.rig.points.points[:, :2].copy()))

        def watched_rewind(beat: object) -> None:
            seen["moves"].clear()
            rewind(beat)  # type: ignore[arg-type]

        scene.move = recording_move  # type: ignore[method-assign]
        scene.beat_rewind = watched_rewind  # type: ignore[method-assign]
        seen["scene"] = scene

    r.render(
        lifted,
        _warp_options(tmp_path, tmp_path / "a.mp4", (96, 54), fps=2),
        on_scene=spy,
    )
    scene = seen["scene"]
    assert [d for d, _, _ in seen["moves"]] == [3, 3, 2]  # activation, bias, then the lift undone
    _, view, drawn = seen["moves"][-1]
    assert (view.phi, view.theta) == (0.0, 0.0)
    assert view.scale == pytest.approx(scene.input_view.scale)
    expected, _ = scene.input_view.project(scene.traj.inputs)
    np.testing.assert_allclose(drawn, expected, atol=1e-6)


def test_last_frame_at_a_frame_rate_that_rounds_beats(wine_traj: Path, tmp_path: Path) -> None:
    """-s skips animations, so beats take unrounded times: at 15 fps a 0.5 s caption is
    7.5 frames. The plan's whole-frame check must not mistake that for a bug."""
    out = tmp_path / "last.png"
    args = ["render", "warp", "--trajectory", str(wine_traj), "-s", "-ql", "-o", str(out)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_real_data_renders_its_scales_and_hands_over_to_the_axes(
    wine_traj: Path, tmp_path: Path
) -> None:
    """The input plane of file data carries scales in its units, which give way to the axes
    through the origin when the first layer moves, and come back with the regions."""
    out = tmp_path / "wine.mp4"
    result = CliRunner().invoke(
        main,
        ["render", "warp", "--trajectory", str(wine_traj), *SMALL, "-o", str(out)],
    )
    assert result.exit_code == 0, result.output
    with av.open(str(out)) as container:
        frames = [f.to_ndarray(format="rgb24") for f in container.decode(video=0)]

    # the left margin (where the proline values and name are written) has text in the first
    # section and in the last frame, and none in the middle of the layers
    def margin_ink(frame: np.ndarray) -> int:
        h, w, _ = frame.shape
        strip = frame[int(h * 0.25) : int(h * 0.75), int(w * 0.06) : int(w * 0.12)]
        return int((strip.max(axis=2) > 120).sum())

    n = len(frames)
    assert margin_ink(frames[int(n * 0.1)]) > 0
    assert margin_ink(frames[-1]) > 0
    assert margin_ink(frames[int(n * 0.45)]) == 0


def test_gif_has_one_proper_palette_and_stores_only_what_changes(tmp_path: Path) -> None:
    """Manim's own GIF is re-dithered onto a fixed 3-3-2 palette: the background flickers
    and every frame is stored whole. nnwarp's keeps the theme's background exact and still
    pixels still, so a frame costs only its changes."""
    from scenes.core.theme import hex_to_rgb, theme

    golden = Path(__file__).parents[1] / "data" / "golden.npz"
    out = tmp_path / "w.gif"
    args = ["render", "warp", "--trajectory", str(golden), *SMALL, "-o", str(out)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    with av.open(str(out)) as container:
        stream = container.streams.video[0]
        frames = [f.to_ndarray(format="rgb24") for f in container.decode(stream)]
    with av.open(str(out)) as container:
        sizes = [p.size for p in container.demux(video=0) if p.size]
    background = np.array([round(c * 255) for c in hex_to_rgb(theme().background)])
    corner = frames[len(frames) // 2][:12, :12].reshape(-1, 3)
    close = (np.abs(corner.astype(int) - background).max(axis=1) <= 1).mean()
    assert close >= 0.9, "the background is dithered"
    unchanged = [bool(np.array_equal(a, b)) for a, b in zip(frames, frames[1:], strict=False)]
    assert sum(unchanged) >= 3  # the held frames of the beats stay exactly the same
    h, w, _ = frames[0].shape
    assert np.mean(sizes) < 0.35 * w * h  # far less than a whole 8-bit frame each
