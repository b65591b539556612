"""`nnwarp render STORY.toml`: the story's scenes in one video, its words, its voice."""

from __future__ import annotations

import json
from pathlib import Path

import av
import pytest
from click.testing import CliRunner

from scenes.cli import main
from tests.voice.voice_fakes import install_fake

GOLDEN = Path(__file__).parents[1] / "data" / "golden.npz"

STORY = f"""\
title = "Two scenes, one network"
scenes = ["warp", "anatomy"]
trajectory = "{GOLDEN}"

[render]
resolution = [128, 72]
fps = 2

[voice]
engine = "none"

[[beat]]
scene = "warp"
id = "data"
caption = "Our own words"
narration = "A teacher wrote this sentence."
pause = 1.0
"""


def write(tmp_path: Path, text: str = STORY) -> Path:
    path = tmp_path / "lesson.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_story_renders_its_scenes_in_order_with_its_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = install_fake(monkeypatch)
    story = write(tmp_path)
    args = ["render", str(story), "--voice", "fake", "--quiet", "--media-dir", str(tmp_path / "m")]
    res = CliRunner().invoke(main, args)
    assert res.exit_code == 0, res.output
    video = tmp_path / "lesson.mp4"  # beside the story, named like it
    assert res.output.strip().splitlines()[-1] == str(video)
    doc = json.loads((tmp_path / "lesson.sections.json").read_text())
    scenes = [b["scene"] for b in doc["beats"]]
    assert scenes == sorted(scenes, key=["warp", "anatomy"].index)  # warp, then anatomy
    assert {"warp", "anatomy"} == set(scenes)
    names = [s["name"] for s in doc["sections"]]
    assert names[0] == "Introduction" and "Backpropagation" in names
    data = next(b for b in doc["beats"] if b["id"] == "data")
    assert (data["caption"], data["narration"]) == (
        "Our own words",
        "A teacher wrote this sentence.",
    )
    assert "A teacher wrote this sentence." in fake.calls  # the voice says the story's words
    # each part starts where the one before ended, on one clock, as long as the video
    starts = [b["start"] for b in doc["beats"]]
    assert starts == sorted(starts)
    with av.open(str(video)) as c:
        v = c.streams.video[0]
        assert float(v.duration * v.time_base) == pytest.approx(doc["duration"], abs=0.5)
        assert [s.codec_context.name for s in c.streams.audio] == ["aac"]
        assert [ch["metadata"]["title"] for ch in c.chapters()] == names
    srt = (tmp_path / "lesson.srt").read_text()
    assert "A teacher wrote this sentence." in srt


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('id = "data"', 'id = "dat"'), "lesson.toml:"),
        (("[render]", "[render]\ncolour = 1"), "lesson.toml:6: [render] unknown key 'colour'"),
        (('scenes = ["warp", "anatomy"]', "scenes = []"), "lesson.toml:2"),
    ],
)
def test_story_mistakes_are_one_line_and_nothing_is_written(
    tmp_path: Path, change: tuple[str, str], message: str
) -> None:
    story = write(tmp_path, STORY.replace(*change))
    res = CliRunner().invoke(main, ["render", str(story), "--quiet"])
    assert res.exit_code != 0
    assert message in res.output
    assert "Traceback" not in res.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lesson.toml"]


def test_training_options_belong_in_the_story(tmp_path: Path) -> None:
    res = CliRunner().invoke(main, ["render", str(write(tmp_path)), "--epochs", "5"])
    assert res.exit_code != 0 and "--epochs does not apply to a story" in res.output


def test_new_writes_a_starter_that_refuses_to_overwrite(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    assert CliRunner().invoke(main, ["new", str(path)]).exit_code == 0
    again = CliRunner().invoke(main, ["new", str(path)])
    assert again.exit_code != 0 and "already exists" in again.output
    schema = json.loads(CliRunner().invoke(main, ["schema"]).output)
    assert "scenes" in schema["properties"]


def test_a_skipped_beat_is_left_out_and_its_words_never_seen(tmp_path: Path) -> None:
    story = write(tmp_path, STORY.replace('scenes = ["warp", "anatomy"]', 'scenes = ["warp"]'))
    whole = CliRunner().invoke(
        main,
        [
            "render",
            str(story),
            "--quiet",
            "-o",
            str(tmp_path / "whole.mp4"),
            "--media-dir",
            str(tmp_path / "m"),
        ],
    )
    assert whole.exit_code == 0, whole.output
    story.write_text(story.read_text() + '\n[[beat]]\nid = "layer-1.bias"\nskip = true\n')
    cut = CliRunner().invoke(
        main,
        [
            "render",
            str(story),
            "--quiet",
            "-o",
            str(tmp_path / "cut.mp4"),
            "--media-dir",
            str(tmp_path / "m"),
        ],
    )
    assert cut.exit_code == 0, cut.output
    full = json.loads((tmp_path / "whole.sections.json").read_text())
    doc = json.loads((tmp_path / "cut.sections.json").read_text())
    left = next(b for b in full["beats"] if b["id"] == "layer-1.bias")
    assert [b["id"] for b in doc["beats"]] == [
        b["id"] for b in full["beats"] if b["id"] != "layer-1.bias"
    ]
    assert doc["duration"] == pytest.approx(full["duration"] - (left["end"] - left["start"]))
    with av.open(str(tmp_path / "cut.mp4")) as c:
        v = c.streams.video[0]
        assert float(v.duration * v.time_base) == pytest.approx(doc["duration"], abs=0.5)
    assert left["caption"] not in (tmp_path / "cut.srt").read_text()


def test_a_story_that_skips_every_beat_is_refused(tmp_path: Path) -> None:
    from nnmodel.trajectory import load
    from scenes.warp.plan import warp_plan

    ids = ["title"] + [b.id for b in warp_plan(load(GOLDEN), fps=2)]  # (its title card too)
    text = STORY.replace('scenes = ["warp", "anatomy"]', 'scenes = ["warp"]')
    text = text[: text.index("[[beat]]")] + "".join(
        f'[[beat]]\nid = "{i}"\nskip = true\n' for i in ids
    )
    res = CliRunner().invoke(main, ["render", str(write(tmp_path, text)), "--quiet"])
    assert res.exit_code != 0
    assert "every beat of the story has skip = true" in res.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lesson.toml"]


def test_a_poster_of_a_skipped_beat_is_refused_before_any_work(tmp_path: Path) -> None:
    text = STORY + '\n[[beat]]\nscene = "warp"\nid = "layer-1.bias"\nskip = true\n'
    args = ["render", str(write(tmp_path, text)), "--quiet", "--course", str(tmp_path / "c")]
    res = CliRunner().invoke(main, [*args, "--poster-beat", "layer-1.bias"])
    assert res.exit_code != 0
    assert "--poster-beat layer-1.bias: the story leaves that beat out" in res.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lesson.toml"]
