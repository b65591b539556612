"""A story's chapters say what each part holds: a later scene's opening is not a second
"Introduction", a scene that is not last does not end the video, no chapter name twice."""

from __future__ import annotations

import json
from pathlib import Path

import av
import pytest
from click.testing import CliRunner

from scenes.cli import main
from scenes.story.chapters import chapter_names
from tests.voice.voice_fakes import install_fake

GOLDEN = Path(__file__).parents[1] / "data" / "golden.npz"


def test_a_later_scene_opens_on_what_it_shows() -> None:
    got = chapter_names(
        [
            ("anatomy", ["The network", "Forward pass"]),
            ("warp", ["Introduction", "Layer 1", "Separator"]),
            ("evolution", ["Introduction", "Training", "The end"]),
        ]
    )
    assert got == [
        ["The network", "Forward pass"],
        ["Warping the plane", "Layer 1", "Separator"],
        ["Watching it train", "Training", "The end"],  # last: its end is the video's
    ]


def test_a_scene_that_is_not_last_does_not_end_the_video() -> None:
    got = chapter_names([("evolution", ["Introduction", "The end"]), ("anatomy", ["X"])])
    assert got == [["Introduction", "After training"], ["X"]]


def test_no_chapter_name_is_used_twice() -> None:
    scenes = [
        ("warp", ["Introduction", "Layer 1", "Layer 2"]),
        ("explainer", ["Introduction", "Layer 1", "Layer 2", "Warping the plane"]),
        ("evolution", ["Introduction", "Layer 1 (explainer)"]),
    ]
    flat = [n for names in chapter_names(scenes) for n in names]
    assert len(flat) == len(set(flat)), flat
    assert flat[:3] == ["Introduction", "Layer 1", "Layer 2"]  # the first scene's stay


def test_a_story_video_names_its_chapters_once_each(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    install_fake(monkeypatch)  # a voiced MP4 carries its chapters
    story = tmp_path / "lesson.toml"
    story.write_text(
        f'scenes = ["anatomy", "warp"]\ntrajectory = "{GOLDEN}"\n\n'
        '[render]\nresolution = [128, 72]\nfps = 2\n\n[voice]\nengine = "none"\n',
        encoding="utf-8",
    )
    args = ["render", str(story), "--voice", "fake", "--quiet", "--media-dir", str(tmp_path / "m")]
    res = CliRunner().invoke(main, args)
    assert res.exit_code == 0, res.output
    doc = json.loads((tmp_path / "lesson.sections.json").read_text())
    names = [s["name"] for s in doc["sections"]]
    assert names[0] == "The network"
    assert "Introduction" not in names and "Warping the plane" in names
    assert len(names) == len(set(names))
    warp = [b for b in doc["beats"] if b["scene"] == "warp"]
    assert warp[0]["section"] == "Warping the plane"  # the beats say the chapter they are in
    assert {b["section"] for b in doc["beats"]} == set(names)
    with av.open(str(tmp_path / "lesson.mp4")) as c:
        assert [ch["metadata"]["title"] for ch in c.chapters()] == names
