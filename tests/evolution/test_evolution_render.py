"""Real renders: the scene plays its plan, and the picture at a stored epoch is that epoch's."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import av
import manim
import numpy as np
import pytest
from PIL import Image

from nnmodel.trajectory import load
from scenes.evolution.plan import evolution_plan
from scenes.evolution.scene import Evolution
from scenes.mobjects import separators
from scenes.mobjects.widgets import FRAME_HALF_HEIGHT, FRAME_HALF_WIDTH, text
from scenes.render import pipeline as r

GOLDEN = Path(__file__).parents[1] / "data" / "golden.npz"  # snapshots at epochs 0, 5, 33, 200
SIZE = (256, 144)
FPS = 4


def plane_pixels(frame: np.ndarray, scene: Evolution) -> np.ndarray:
    """The pixels of the input plane's box (a pixel inside its edges), RGB."""
    h, w = frame.shape[:2]
    b = scene.layout.plane

    def col(x: float) -> int:
        return round((x + FRAME_HALF_WIDTH) / (2 * FRAME_HALF_WIDTH) * w)

    def row(y: float) -> int:
        return round((FRAME_HALF_HEIGHT - y) / (2 * FRAME_HALF_HEIGHT) * h)

    return frame[row(b.ymax) + 1 : row(b.ymin) - 1, col(b.xmin) + 1 : col(b.xmax) - 1, :3]


def mesh_pixels(scene: Evolution, probs: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """The stored mesh's colours as the plane shows them, resized to ``shape`` (rows, cols)."""
    image = separators.mesh_image(probs, scene.traj.mesh_extent, scene.plane_view).pixel_array
    resized = Image.fromarray(image[:, :, :3]).resize((shape[1], shape[0]), Image.Resampling.BOX)
    return np.asarray(resized, np.float64)


def difference(a: np.ndarray, b: np.ndarray) -> float:
    """Median absolute difference of two RGB images (robust to the points drawn over one)."""
    return float(np.median(np.abs(a.astype(np.float64) - b.astype(np.float64))))


@pytest.fixture(scope="module")
def golden_scene(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Evolution]:
    cfg = r.manim_config(
        r.RenderOptions(quality="l", resolution=(428, 240), fps=FPS, progress=False),
        tmp_path_factory.mktemp("media"),
    )
    with manim.tempconfig(cfg):
        scene = Evolution(trajectory=load(GOLDEN))
        scene.prepare()
        scene.add(*scene.static, *scene.moving.submobjects)
        yield scene


def frame_at(scene: Evolution, epoch: float) -> np.ndarray:
    scene.show(scene.clock.fraction(epoch))
    scene.renderer.update_frame(scene)
    frame: np.ndarray = scene.renderer.get_frame()
    return frame


def test_the_frame_at_a_stored_epoch_shows_the_mesh_stored_for_it(golden_scene: Evolution) -> None:
    scene, traj = golden_scene, golden_scene.traj
    for s in range(traj.n_snapshots):
        epoch = float(traj.epochs[s])
        shown = plane_pixels(frame_at(scene, epoch), scene)
        expected = mesh_pixels(scene, traj.mesh(s), shown.shape[:2])
        stored = separators.mesh_image(traj.mesh(s), traj.mesh_extent, scene.plane_view)
        assert np.array_equal(scene.mesh.pixel_array, scene.enlarged(stored.pixel_array))
        own = difference(shown, expected)
        assert own < 4, f"epoch {epoch:g}: the plane differs from its stored mesh by {own}"
        for other in (s - 1, s + 1):
            if 0 <= other < traj.n_snapshots:
                theirs = difference(shown, mesh_pixels(scene, traj.mesh(other), shown.shape[:2]))
                assert theirs > own + 2, f"epoch {epoch:g} looks like snapshot {other}'s mesh"


def test_between_snapshots_the_plane_is_between_them(golden_scene: Evolution) -> None:
    scene, traj = golden_scene, golden_scene.traj
    u = (scene.evolving.nodes[1] + scene.evolving.nodes[2]) / 2
    scene.show(float(u))
    probs = scene.evolving.mesh(float(u))
    lo = np.minimum(traj.mesh(1), traj.mesh(2)) - 1e-6
    hi = np.maximum(traj.mesh(1), traj.mesh(2)) + 1e-6
    assert np.all((probs >= lo) & (probs <= hi))
    assert not np.allclose(probs, traj.mesh(1), atol=0.02)
    assert not np.allclose(probs, traj.mesh(2), atol=0.02)


def test_the_counter_and_the_chart_follow_the_epoch(golden_scene: Evolution) -> None:
    scene = golden_scene
    xs = []
    for epoch in (0.0, 5.0, 33.0, 120.0, 200.0):
        scene.show(scene.clock.fraction(epoch))
        assert scene.counter.text.strip() == f"{int(epoch):,}"
        assert scene.readouts[1].text == f"{scene.traj.info.metrics.train_loss[int(epoch)]:.3f}"
        xs.append(float(scene.cursors.get_lines()[0, 0, 0]))
    assert np.all(np.diff(xs) > 0), "the marker moves right"
    assert xs[-1] == pytest.approx(scene.charts[0].box.xmax)


def test_every_caption_fits_the_frame_at_a_legible_size(
    moons_traj: Path, wide_traj: Path, logreg_traj: Path, stopped_traj: Path
) -> None:
    """A caption wider than the frame is shrunk with its subcaption (22 points): never
    below 20 points."""
    room = 2 * FRAME_HALF_WIDTH - 0.8  # as widgets.Captions
    for path in (GOLDEN, moons_traj, wide_traj, logreg_traj, stopped_traj):
        for mapping in ("log", "linear"):
            for beat in evolution_plan(load(path), fps=15, mapping=mapping):
                line = beat.line
                widest = max(text(line.caption, 30, weight="BOLD").width, text(line.sub, 22).width)
                shrink = min(1.0, room / widest)
                assert 22 * shrink >= 20, f"{line.caption!r} / {line.sub!r} shrinks to {shrink:.2f}"


@pytest.mark.parametrize("name", ["moons_traj", "wide_traj", "logreg_traj", "stopped_traj"])
def test_every_kind_of_network_renders(
    name: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    """2 classes and 3, 2-D, 3-unit and projected layers, none at all, an early stop."""
    path = request.getfixturevalue(name)
    out = tmp_path / "last.png"
    opts = r.RenderOptions(
        scene="evolution",
        resolution=SIZE,
        fps=FPS,
        save_last_frame=True,
        output=out,
        media_dir=tmp_path / "media",
        progress=False,
        params={"duration": 4.0},
    )
    r.render(path, opts)
    frame = np.asarray(Image.open(out).convert("RGB"))
    assert frame.shape == (SIZE[1], SIZE[0], 3)
    assert frame.std() > 10, "something is drawn"


@pytest.fixture(scope="module")
def video(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The whole scene on the golden trajectory, as an MP4, with what each frame showed."""
    folder = tmp_path_factory.mktemp("evolution")
    out = folder / "evolution.mp4"
    seen: dict[str, Any] = {}

    def spy(scene: Any) -> None:
        seen["scene"] = scene

    opts = r.RenderOptions(
        scene="evolution",
        resolution=SIZE,
        fps=FPS,
        output=out,
        media_dir=folder / "media",
        progress=False,
        params={"duration": 6.0, "time": "linear"},
    )
    result = r.render(GOLDEN, opts, on_scene=spy)
    frames = []
    with av.open(str(out)) as container:
        for frame in container.decode(container.streams.video[0]):
            assert frame.pts is not None
            frames.append((float(frame.pts * frame.time_base), frame.to_ndarray(format="rgb24")))
    return {"scene": seen["scene"], "frames": frames, "result": result}


def test_the_video_plays_the_plan_frame_for_frame(video: dict[str, Any]) -> None:
    scene: Evolution = video["scene"]
    beats = scene.beats
    assert [b for b, _, _ in scene.beat_times] == [b.id for b in beats]
    for beat, (_, start, end) in zip(beats, scene.beat_times, strict=True):
        assert end - start == pytest.approx(beat.length)  # (silent: long enough to read)
    total = sum(b.length for b in beats)
    assert len(video["frames"]) == round(total * FPS)
    assert video["result"].timeline is not None and video["result"].subtitles


def test_the_video_s_clock_runs_as_the_plan_says(video: dict[str, Any]) -> None:
    scene: Evolution = video["scene"]
    runs = [
        (b, t)
        for b, t in zip(scene.beats, scene.beat_times, strict=True)
        if b.kind in ("run", "moment")
    ]
    for beat, (_, start, end) in runs:
        # a moment holds before its run (the picture stands at it while it is read), the
        # run that starts the training after it
        if beat.kind == "moment":
            run_start, run_end = end - beat.data["frames"] / FPS, end
        else:
            run_start, run_end = start, start + beat.data["frames"] / FPS
        shown = [(t, u) for t, u, _ in scene.shown if run_start - 1e-6 <= t < run_end - 1e-6]
        times = sorted({round(t * FPS) for t, _ in shown})
        assert len(times) == beat.data["frames"], "one moment per frame of the run"
        last_u = {round(t * FPS): u for t, u in shown}
        us = [last_u[k] for k in times]
        assert us[0] == pytest.approx(scene.clock.fraction(beat.data["epoch"]))
        steps = np.diff(us)
        assert np.allclose(steps, steps[0]), "the linear clock moves evenly"


def tiny(folder: Path, **params: Any) -> Evolution:
    """The whole scene on the golden trajectory at 96 × 54, 2 fps (its default clock, so
    with its key moments), rendered in ``folder``: the scene as it played."""
    seen: dict[str, Any] = {}
    opts = r.RenderOptions(
        scene="evolution",
        resolution=(96, 54),
        fps=2,
        output=folder / "evolution.mp4",
        media_dir=folder / "media",
        progress=False,
        params=params,
    )
    r.render(GOLDEN, opts, on_scene=lambda scene: seen.setdefault("scene", scene))
    scene: Evolution = seen["scene"]
    return scene


def test_key_moments_stay_pinned_on_their_curves(tmp_path: Path) -> None:
    """Each moment's caption names an earlier epoch once training runs on: a ring on the
    training curve where it happened says which, and stays to the end."""
    scene = tiny(tmp_path)
    moments = [b for b in scene.beats if b.kind == "moment"]
    assert moments, "the golden training has a key moment"
    assert all(b.line.caption.startswith(f"At epoch {b.data['epoch']}:") for b in moments)
    pins = [p for b in moments for p in b.data["pins"]]
    rings = [m for m in scene.mobjects if isinstance(m, manim.VGroup) and m.z_index == 4]
    assert len(rings) == len(pins)
    for (chart, epoch, _), ring in zip(pins, rings, strict=True):
        at = scene.charts[chart].marker(scene.series[chart][0], epoch)
        assert np.allclose(ring[0].get_center()[:2], at)
        assert ring[0].get_stroke_opacity() == pytest.approx(1.0)


def test_pins_close_on_the_clock_keep_their_labels_apart(golden_scene: Evolution) -> None:
    """Two events a few epochs apart (a tenfold fall, then a sharp drop) put their rings
    side by side: each label goes where it overlaps neither the other nor a ring."""
    from scenes.evolution.pins import overlap, place_labels, ring

    chart, series = golden_scene.charts[0], golden_scene.series[0][0]
    rings = [tuple(chart.marker(series, e).tolist()) for e in (20, 22)]
    sizes = [(0.4, 0.2), (0.7, 0.2)]  # "÷10", "−40 %" at the charts' label size
    b = chart.box
    first, second = place_labels(
        rings, sizes, up=True, bounds=(b.xmin, b.xmax + 0.05, b.ymin, b.ymax + 0.15)
    )
    assert not overlap(first, second, margin=0.0)
    assert not any(overlap(label, ring(at), 0.0) for label in (first, second) for at in rings)


def test_the_video_starts_and_ends_on_the_stored_meshes(video: dict[str, Any]) -> None:
    scene: Evolution = video["scene"]
    traj = scene.traj
    start_beat = next(t for t in scene.beat_times if t[0] == "start")
    paused = [f for t, f in video["frames"] if start_beat[1] + 0.6 <= t < start_beat[1] + 2.0]
    last = video["frames"][-1][1]
    for frame, s in ((paused[-1], 0), (last, traj.n_snapshots - 1)):
        shown = plane_pixels(frame, scene)
        own = difference(shown, mesh_pixels(scene, traj.mesh(s), shown.shape[:2]))
        other = 1 if s == 0 else s - 1
        theirs = difference(shown, mesh_pixels(scene, traj.mesh(other), shown.shape[:2]))
        assert own < 6 < theirs


def test_a_lengthened_moment_holds_at_its_epoch_then_runs(tmp_path: Path) -> None:
    """A voice that needs longer for a key moment is heard while the picture stands at the
    moment, not after the training has run on to the next one."""
    plan = {b.id: b for b in evolution_plan(load(GOLDEN), fps=2)}
    moment = next(b for b in plan.values() if b.kind == "moment")
    longer = moment.min_duration + 3.0
    scene = tiny(tmp_path, durations={moment.id: longer})
    _, start, end = next(t for t in scene.beat_times if t[0] == moment.id)
    assert end - start == pytest.approx(longer, abs=0.5)
    run_start = end - moment.data["frames"] / 2
    epochs = [e for t, _, e in scene.shown if start <= t < end]
    # the last picture drawn before its run starts (held since) is the moment's epoch
    before = [e for t, _, e in scene.shown if t < run_start - 1e-6]
    assert before and np.isclose(before[-1], moment.data["epoch"]), "it holds while it is told"
    assert max(epochs) > moment.data["epoch"], "then the training runs on"


def test_a_told_moment_dims_while_training_runs_past_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A moment's caption ("At epoch 30: …") dims once the counter runs on past its epoch
    (it is history, not now); the next caption comes up bright."""
    from scenes.evolution import scene as evolution

    after: list[float] = []
    moment = evolution.Evolution.beat_moment

    def opacity(scene: Evolution) -> float:
        caption = scene.captions.current
        assert caption is not None
        return max(float(m.get_fill_opacity()) for m in caption.family_members_with_points())

    def watched(self: Evolution, beat: Any) -> None:
        moment(self, beat)
        after.append(opacity(self))

    monkeypatch.setattr(evolution.Evolution, "beat_moment", watched)
    scene = tiny(tmp_path)
    assert after, "the golden training has a key moment"
    assert after == pytest.approx([evolution.TOLD] * len(after))
    assert opacity(scene) == pytest.approx(1.0)  # the last caption, after them
