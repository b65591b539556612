"""The plan of beats: computed before drawing, played exactly, lengthened and cut by section."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from nnmodel.trajectory import load
from scenes.core.timeline import (
    Beat,
    lengthen,
    reading_durations,
    seconds,
    sections,
    timeline,
)
from scenes.errors import RenderError
from scenes.narration import warp as words
from scenes.narration.text import Line
from scenes.render import pipeline as r
from scenes.warp.plan import PIECES, nearly_a_line, warp_plan

GOLDEN = Path(__file__).parents[1] / "data" / "golden.npz"  # 2 → 2 → 3 → 1 tanh: a 3-D layer
FPS = 3
SIZE = (64, 36)


def silent(beats: list[Beat]) -> list[Beat]:
    """The plan as a silent render plays it: each beat long enough to read its words."""
    return lengthen(beats, reading_durations(beats, FPS))


def test_the_plan_names_every_beat_in_sections_before_anything_is_drawn() -> None:
    traj = load(GOLDEN)
    beats = warp_plan(traj, fps=FPS)
    assert [b.id for b in beats] == [
        "data",
        "line-question",
        "line-verdict",
        "layer-1.linear",
        "layer-1.bias",
        "layer-1.activation",
        "layer-2.linear",
        "layer-2.bias",
        "layer-2.activation",
        "separator",
        "separator-score",
        "rewind",
        "regions",
    ]
    assert [s for s, _, _ in sections(timeline(beats))] == [
        "Introduction",
        "Layer 1",
        "Layer 2",
        "Separator",
        "Back to the input",
    ]
    assert beats[9].data["three_d"] is True  # the last hidden space is 3-D
    explainer = warp_plan(traj, fps=FPS, with_title=True)
    assert explainer[0].id == "title" and explainer[-1].id == "end"


def test_a_network_without_hidden_layers_plays_its_line_in_the_input_plane(
    tmp_path: Path, logreg_traj: Path
) -> None:
    """A logistic regression (``--hidden ''``) has no layer to warp through and nothing to
    rewind: its warp and explainer go from the data to the line to the regions (both
    crashed on the rewind before)."""
    traj = load(logreg_traj)
    beats = warp_plan(traj, fps=FPS, with_title=True)
    assert [b.id for b in beats] == [
        "title",
        "data",
        "separator",
        "separator-score",
        "regions",
        "end",
    ]
    assert [s for s, _, _ in sections(timeline(beats))] == [
        "Introduction",
        "Separator",
        "Decision regions",
    ]
    assert beats[0].line.sub.endswith("a 2 → 1 network · no hidden layer")
    assert beats[-1].data["facts"].startswith("no hidden layer · trained 60 epochs")
    facts = words.end_card(2, 1000, 1000, 0.95)[1]
    assert facts.startswith("2 hidden layers · trained 1,000 epochs")
    for scene in ("warp", "explainer"):
        out = tmp_path / f"{scene}.mp4"
        opts = r.RenderOptions(scene=scene, resolution=SIZE, fps=FPS, output=out, progress=False)
        r.render(logreg_traj, opts)
        doc = json.loads(out.with_suffix(".sections.json").read_text())
        assert doc["duration"] == pytest.approx(
            timeline(silent(warp_plan(traj, fps=FPS, with_title=scene == "explainer")))[-1].end
        )


def test_the_words_come_from_the_trajectory_s_numbers() -> None:
    traj = load(GOLDEN)
    beats = {b.id: b for b in warp_plan(traj)}
    counts = np.bincount(traj.labels)
    assert beats["data"].line.sub.startswith(f"{len(traj.labels)} points in the plane, 2 classes")
    assert f"({counts[0]}, {counts[1]} points)" in beats["data"].line.sub
    # the line drawn, scored on every point as the separator's score is
    w, b = (np.asarray(traj.manifest["baseline"][k]) for k in ("W", "b"))
    line = float(np.mean(((traj.inputs @ w.T + b)[:, 0] >= 0) == traj.labels))
    assert beats["line-verdict"].line.caption == f"A line gets {line * 100:.0f} % right"
    # ...and the first layer's words measure against that same line
    said = beats["layer-1.activation"].line.spoken
    assert f"from {line * 100:.0f} % before it" in said or "as before it" in said
    acc = float(np.mean(traj.predictions(-1) == traj.labels))
    assert beats["separator-score"].line.caption.startswith(f"{acc * 100:.0f} % of the points")
    assert beats["layer-2.linear"].line.sub.startswith("W lifts the plane into 3-D space")
    assert beats["separator"].line.caption == "The output layer is a flat plane"
    collapsed = nearly_a_line(traj.stages(-1)[2].points)
    assert ("almost on a single line" in beats["layer-1.activation"].line.sub) == collapsed


def test_an_earlier_epoch_ends_on_its_own_numbers_not_the_trained_network_s() -> None:
    traj = load(GOLDEN)  # snapshots at epochs 0, 5, 33 and 200
    for snapshot in (0, 1):
        beats = {b.id: b for b in warp_plan(traj, snapshot, with_title=True)}
        epoch = int(traj.epochs[snapshot])
        acc = float(np.mean(traj.predictions(snapshot) == traj.labels))
        assert acc < 0.9
        facts = beats["end"].data["facts"]
        assert f"at epoch {epoch} of 200 · {acc * 100:.0f} % of the points right" in facts
        assert beats["end"].line.caption == "This network has not untangled the classes yet:"
        assert "still learning" in beats["separator"].line.sub
        assert "separable by a line" not in beats["end"].line.spoken
    # epoch 0 predicts one class everywhere: there is no boundary to rewind
    first = {b.id: b for b in warp_plan(traj, 0)}
    assert "one class everywhere" in first["rewind"].line.sub
    last = {b.id: b for b in warp_plan(traj, -1, with_title=True)}
    assert last["end"].data["facts"].endswith("trained 200 epochs · 90 % of the points right")
    assert last["end"].line.sub == "together they make the classes nearly separable by a plane."
    assert last["rewind"].line.sub.endswith("becomes a curved boundary")


def test_a_network_that_bends_nothing_is_not_praised_for_bending(tmp_path: Path) -> None:
    # linear units on data a line separates: the boundary comes back straight, and the
    # end card says the line already did it
    from nnmodel.config import DataConfig, ExportConfig, ModelConfig, RunConfig, TrainConfig
    from nnmodel.pipeline import train_to_file

    cfg = RunConfig(
        data=DataConfig("linear", samples=120),
        model=ModelConfig(hidden=(2,), activation=("linear",)),
        train=TrainConfig(epochs=60, lr=0.05),
        export=ExportConfig(snapshots=2, grid_lines=3, grid_samples=100, mesh_resolution=32),
    )
    traj = load(train_to_file(cfg, tmp_path / "flat.npz"))
    beats = {b.id: b for b in warp_plan(traj, with_title=True)}
    assert beats["rewind"].line.sub.endswith("comes back a straight line")
    assert beats["end"].line.caption.startswith("A straight line already got")
    assert "needed no bending" in beats["end"].line.sub
    # a network no better than the line on data that needs bending: it got no further
    moral, _ = words.end_card(2, 1000, 1000, 0.8975, 0.89)
    assert moral.sub == "bending the space got this network only a little further (90 %)."


def test_a_failed_network_names_its_dead_unit() -> None:
    from nnmodel.health import Finding

    said = words.network_why([Finding("dead-unit", "", layer=2, unit=0, share=1.0)])
    line = words.separator_head(2, 2, 0.72, True, said)
    assert line.sub == (
        "the classes are still tangled: unit 1 of layer 3 is a dead ReLU: it outputs 0 for "
        "every point"
    )
    assert "too shallow" not in words.separator_head(2, 2, 0.72, True).sub
    many = [Finding("saturated-unit", "", layer=0, unit=u) for u in range(3)]
    assert (
        words.network_why(many) == "3 units of layer 1 are saturated: they are flat for most points"
    )


@pytest.mark.parametrize(
    ("accuracy", "verdict"),
    [
        (1.0, "linearly separable here"),
        (0.93, "nearly linearly separable"),
        (0.7, "still tangled"),
    ],
)
def test_the_separator_verdict_follows_the_accuracy(accuracy: float, verdict: str) -> None:
    line = words.separator_head(2, 2, accuracy, has_hidden=True)
    assert verdict in line.sub
    assert line.sub.startswith("nearly ") == (0.9 <= accuracy < 1.0)
    assert len(line.sub) <= words.SUB_CHARS  # read at its full size at 480p
    assert ("logistic regression" in line.sub) == (accuracy >= 0.9)
    assert words.separator_head(3, 2, accuracy, True).caption.endswith("into 3 flat regions")


def test_spoken_lines_read_as_sentences() -> None:
    assert Line("A line gets 51% right", "the data is not separable").spoken == (
        "A line gets 51% right: the data is not separable."
    )
    assert Line("Can a straight line separate the classes?", "logistic regression").spoken == (
        "Can a straight line separate the classes? logistic regression."
    )
    assert Line("Back", narration="Custom words.").spoken == "Custom words."


def test_durations_are_whole_frames_as_manim_counts_them() -> None:
    # an animation rounds up, a still frame rounds down, anything under a frame is one frame
    assert seconds((("play", 0.8),), 4) == 1.0
    assert seconds((("wait", 0.8),), 4) == 0.75
    assert seconds((("wait", 0.1),), 4) == 0.25
    beats = warp_plan(load(GOLDEN), fps=FPS)
    for beat in beats:
        assert round(beat.min_duration * FPS, 9) == round(beat.min_duration * FPS)
    assert beats[0].min_duration == seconds(PIECES["data"], FPS)


def test_lengthening_one_beat_shifts_the_later_ones_and_nothing_else() -> None:
    beats = [Beat("a", "S", Line("a"), 1.0), Beat("b", "S", Line("b"), 2.0)]
    beats.append(Beat("c", "T", Line("c"), 3.0))
    longer = timeline(lengthen(beats, {"b": 2.5}))
    assert [(t.start, t.end) for t in longer] == [(0.0, 1.0), (1.0, 3.5), (3.5, 6.5)]
    assert longer[1].beat.hold == 0.5 and longer[2].beat.hold == 0.0
    with pytest.raises(ValueError, match="at least 2.00 s"):
        lengthen(beats, {"b": 1.0})
    with pytest.raises(ValueError, match="no beat named x"):
        lengthen(beats, {"x": 9.0})


# --------------------------------------------------------------------------- rendered


def _render(tmp: Path, name: str, **params: object) -> tuple[list[np.ndarray], dict]:
    """Render to a video, keeping every frame as the renderer hands it to the encoder
    (decoded video frames would differ by compression, and an image sequence writes a
    still frame once however long it is held)."""
    opts = r.RenderOptions(
        scene="warp",
        resolution=SIZE,
        fps=FPS,
        output=tmp / f"{name}.mp4",
        progress=False,
        params=params,
    )
    seen: dict = {}
    frames: list[np.ndarray] = []

    def keep_frames(scene: Any) -> None:
        seen["scene"] = scene
        seen["cameras"] = cameras = []
        add_frame = scene.renderer.add_frame
        for name in [n for n in dir(scene) if n.startswith("beat_") and n != "beat_times"]:
            play_beat = getattr(scene, name)

            def watched(beat: Any, play_beat: Any = play_beat) -> None:
                view = scene.rig.view or scene.input_view
                cameras.append((beat.id, view, scene.theta, scene.current_dims))
                play_beat(beat)

            setattr(scene, name, watched)

        def recording(frame: np.ndarray, num_frames: int = 1) -> None:
            if not scene.renderer.skip_animations:  # what the video gets
                frames.extend([np.array(frame, copy=True)] * num_frames)
            add_frame(frame, num_frames)

        scene.renderer.add_frame = recording

    r.render(GOLDEN, opts, on_scene=keep_frames)
    scene = seen["scene"]
    doc = {
        "beats": [(b, s, e) for b, s, e in scene.beat_times],
        "plan": [(t.beat.id, t.start, t.end) for t in timeline(scene.beats)],
        "cameras": seen["cameras"],
        "beats_planned": scene.beats,
    }
    return frames, doc


@pytest.fixture(scope="module")
def full(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[np.ndarray], dict]:
    return _render(tmp_path_factory.mktemp("full"), "all")


def test_the_scene_plays_exactly_the_plan(full: tuple[list[np.ndarray], dict]) -> None:
    frames, doc = full
    played = [(b, round(s, 6), round(e, 6)) for b, s, e in doc["beats"]]
    planned = [(b, round(s, 6), round(e, 6)) for b, s, e in doc["plan"]]
    assert played == planned
    assert len(frames) == round(planned[-1][2] * FPS)


def test_every_beat_starts_where_the_plan_says_camera_included(
    full: tuple[list[np.ndarray], dict],
) -> None:
    """The plan knows each beat's starting view, turntable angle and space without drawing."""
    _, doc = full
    planned = {b.id: b.data["camera"] for b in doc["beats_planned"]}
    assert [c[0] for c in doc["cameras"]] == list(planned)
    turned = set()
    for beat_id, view, theta, dims in doc["cameras"]:
        cam = planned[beat_id]
        assert (cam.dims, cam.view.box) == (dims, view.box), beat_id
        np.testing.assert_allclose(cam.view.centre, view.centre, atol=1e-12, err_msg=beat_id)
        np.testing.assert_allclose(
            [cam.view.scale, cam.view.phi, cam.view.theta, cam.theta],
            [view.scale, view.phi, view.theta, theta],
            atol=1e-12,
            err_msg=beat_id,
        )
        turned.add(round(cam.theta, 9))
    assert len(turned) > 2  # the golden network's 3-D layer really turns the camera


def test_a_lengthened_beat_holds_its_last_frame_and_shifts_the_rest(
    tmp_path: Path, full: tuple[list[np.ndarray], dict]
) -> None:
    frames, doc = full
    start, end = next((s, e) for b, s, e in doc["plan"] if b == "line-question")
    beat_min = end - start
    longer, _ = _render(tmp_path, "longer", durations={"line-question": beat_min + 2.0})
    cut = round(end * FPS)  # the first frame after the beat in the normal render
    extra = 2 * FPS
    assert len(longer) == len(frames) + extra
    for i in range(cut):
        np.testing.assert_array_equal(longer[i], frames[i], err_msg=f"frame {i}")
    # The hold is one still frame: the beat's end state.
    for i in range(cut + 1, cut + extra):
        np.testing.assert_array_equal(longer[i], longer[cut], err_msg=f"held frame {i}")
    for i in range(cut, len(frames)):
        np.testing.assert_array_equal(longer[i + extra], frames[i], err_msg=f"frame {i}")


@pytest.mark.parametrize("section", ["Layer 2", "Separator"])
def test_a_section_rendered_alone_is_the_same_section_of_the_whole_video(
    tmp_path: Path, full: tuple[list[np.ndarray], dict], section: str
) -> None:
    """Layer 2 lifts into 3-D; the separator turns the 3-D camera after it has turned."""
    frames, doc = full
    alone, _ = _render(tmp_path, "alone", sections=[section])
    ids = [b.id for b in warp_plan(load(GOLDEN), fps=FPS) if b.section == section]
    first = next(s for b, s, _ in doc["plan"] if b == ids[0])
    last = next(e for b, _, e in doc["plan"] if b == ids[-1])
    expected = frames[round(first * FPS) : round(last * FPS)]
    assert len(alone) == len(expected) > 0
    for i, (a, b) in enumerate(zip(alone, expected, strict=True)):
        np.testing.assert_array_equal(a, b, err_msg=f"frame {i} of {section!r}")


def test_section_times_are_written_beside_the_video(tmp_path: Path) -> None:
    out = tmp_path / "clip.mp4"
    opts = r.RenderOptions(scene="warp", resolution=SIZE, fps=FPS, output=out, progress=False)
    result = r.render(GOLDEN, opts)
    assert result.timeline == tmp_path / "clip.sections.json"
    doc = json.loads(result.timeline.read_text())
    planned = timeline(silent(warp_plan(load(GOLDEN), fps=FPS)))
    assert [b["id"] for b in doc["beats"]] == [t.beat.id for t in planned]
    assert [b["end"] for b in doc["beats"]] == pytest.approx([t.end for t in planned])
    assert [s["name"] for s in doc["sections"]][0] == "Introduction"
    assert doc["duration"] == pytest.approx(planned[-1].end)
    assert doc["beats"][0]["narration"].startswith("The data: the moons, 120 points")
    # only one section: its times start at 0, and so do its subtitles
    alone = tmp_path / "layer2.mp4"
    opts = r.RenderOptions(
        scene="warp",
        resolution=SIZE,
        fps=FPS,
        output=alone,
        progress=False,
        params={"sections": ["Layer 2"]},
    )
    r.render(GOLDEN, opts)
    doc = json.loads((tmp_path / "layer2.sections.json").read_text())
    assert [s["name"] for s in doc["sections"]] == ["Layer 2"]
    assert doc["sections"][0]["start"] == 0.0
    srt = (tmp_path / "layer2.srt").read_text()
    assert srt.startswith("1\n00:00:00,000 --> ") and "Layer 2 · linear map" in srt
    assert "Layer 1" not in srt


def test_an_unknown_section_is_refused_before_any_work(tmp_path: Path) -> None:
    opts = r.RenderOptions(
        scene="warp",
        resolution=SIZE,
        fps=FPS,
        output=tmp_path / "x.mp4",
        progress=False,
        params={"sections": ["Layer 9"]},
    )
    with pytest.raises(RenderError, match="'Layer 9' is not a section.*'Layer 2'"):
        r.render(GOLDEN, opts)
    assert list(tmp_path.iterdir()) == []


def test_real_data_opens_with_its_columns_and_how_the_network_sees_them(wine_traj: Path) -> None:
    traj = load(wine_traj)
    beats = warp_plan(traj, fps=FPS)
    data = beats[0]
    assert data.line.caption == "The data: proline against alcohol"
    assert "cultivar classes" in data.line.sub
    assert data.data["units"] is True
    notes = str(data.data["notes"])
    assert "standardised" in notes and "395× wider" in notes.replace("\n", " ")
    assert beats[-1].data["units"] is True  # the scales come back with the regions
    # the built-in golden data has no units, no notes
    golden = warp_plan(load(GOLDEN), fps=FPS)[0]
    assert golden.data["units"] is False and golden.data["notes"] is None


def test_unscaled_real_data_is_diagnosed_not_blamed_on_the_network(raw_wine_traj: Path) -> None:
    traj = load(raw_wine_traj)
    beats = {b.id: b for b in warp_plan(traj, fps=FPS, with_title=True)}
    assert traj.info.final.train_acc < 0.9
    assert "standardise them" in beats["separator"].line.sub
    assert "too shallow" not in beats["separator"].line.sub
    assert "standardise them" in beats["end"].line.sub
    assert "mostly 'proline'" in str(beats["data"].data["notes"]).replace("\n", " ")


def test_a_score_no_better_than_the_majority_says_so() -> None:
    from nnmodel.datacheck import DataReport

    report = DataReport("b", 0.63, (1.0, 1.0), ("x", "y"), False, ())
    score = words.separator_score(0.64, 100, 50, report)
    assert "always answering 'b' scores 63 %" in score.sub
    head = words.separator_head(2, 2, 0.64, True, words.diagnosis(report, 0.64))
    assert "no better than always answering 'b' (63 %)" in head.sub
    balanced = DataReport("a", 0.5, (1.0, 1.0), ("x", "y"), False, ())
    assert "always answering" not in words.separator_score(0.99, 100, 50, balanced).sub


def test_points_coloured_by_position_are_said_so_and_the_regions_get_the_class_key(
    tmp_path: Path,
) -> None:
    from scenes.render import RenderOptions
    from scenes.render import pipeline as r

    traj = load(GOLDEN)
    said = warp_plan(traj, color_by="position")[0].line.spoken
    assert "coloured by where it starts" in said and "one colour each" not in said
    assert "one colour each" in warp_plan(traj)[0].line.spoken
    seen: dict[str, Any] = {}

    def keep(scene: Any) -> None:
        seen["scene"] = scene

    opts = RenderOptions(
        scene="warp", resolution=(64, 36), fps=2, fmt="png", save_last_frame=True,
        output=tmp_path / "last.png", progress=False, media_dir=tmp_path / "media",
        params={"color_by": "position", "sections": ["Back to the input"]},
    )  # fmt: skip
    r.render(GOLDEN, opts, on_scene=keep)
    scene = seen["scene"]
    shown = scene.get_mobject_family_members()
    assert scene.class_key is not None and scene.class_key in shown  # the regions' colours
    assert scene.legend not in shown  # "colour = position" is gone with the points' colours
    assert len([m for m in scene.class_key.get_family() if m in shown]) > len(traj.class_names)
    # on the regions, every point has a dark rim (its own class's colour would hide it)
    from scenes.core.theme import hex_to_rgb, theme

    assert np.allclose(scene.rig.points.outline_rgb, hex_to_rgb(theme().background))


def test_a_deep_narrow_network_is_told_without_repeating_itself() -> None:
    title = words.title_card("moons", [2, 2, 2, 2, 2, 2, 2, 1], ["tanh"] * 6)
    assert "6 hidden layers of 2 tanh units each" in title.spoken
    first, again = (
        words.layer_step(
            "activation", n, d_in=2, d_out=2, activation="tanh", collapsed=True, still=n > 2
        )  # fmt: skip
        for n in (2, 3)
    )
    assert "the points now lie almost on a single line" in first.sub
    assert "the points still lie almost on a single line" in again.sub
