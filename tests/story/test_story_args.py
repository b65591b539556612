"""A story mapped onto what ``nnwarp render`` needs, paths resolved beside the story."""

from __future__ import annotations

from pathlib import Path

import pytest

from nnmodel.config import ExportConfig
from scenes.story import SceneArgs, Story, VoiceArgs, parse_story
from scenes.story.schema import VOICE_ENGINES


def test_without_train_the_default_network_is_trained_and_nothing_is_marked_given() -> None:
    args = parse_story('scenes = ["warp"]\n', "moons.toml").to_render_args()
    assert args.train is not None and args.train["hidden"] == "3,2"
    assert args.train_given == () and args.trajectory is None
    assert args.train["snapshots"] == ExportConfig().snapshots
    assert args.voice == VoiceArgs("hibari", "", 1.0, 0.5, -16.0)
    assert (args.quality, args.fmt, args.output) == ("h", "mp4", Path("moons.mp4"))


def test_paths_are_relative_to_the_story_s_folder(tmp_path: Path) -> None:
    text = (
        'scenes = ["explainer", "anatomy"]\n[train]\ndataset = "data/points.csv"\n'
        "snapshots = 90\n[render]\n"
        'output = "out/lesson.mp4"\ntheme = "../themes/light.json"\nresolution = [640, 360]\n'
        "[anatomy]\nsample = 3\n"
    )
    args = parse_story(text, "lessons/moons.toml", check_files=False).to_render_args()
    assert args.train is not None
    assert args.train["dataset"] == str(Path("lessons/data/points.csv"))
    assert args.train_given == ("dataset", "snapshots") and args.train["snapshots"] == 90
    assert args.output == Path("lessons/out/lesson.mp4") and args.fmt == "mp4"
    assert args.theme == Path("lessons/../themes/light.json")
    assert args.resolution == (640, 360)
    assert args.scenes == (SceneArgs("explainer", {}), SceneArgs("anatomy", {"sample": 3}))
    absolute = parse_story(
        f'scenes = ["warp"]\ntrajectory = "{tmp_path / "t.npz"}"\n',
        "lessons/x.toml",
        check_files=False,
    ).to_render_args()
    assert absolute.trajectory == tmp_path / "t.npz" and absolute.train is None


@pytest.mark.parametrize(
    ("render", "output"),
    [
        ("", "lessons/moons.mp4"),
        ('format = "mp4"', "lessons/moons.mp4"),
        ('format = "MP4"\noutput = "a.MP4"', "lessons/a.MP4"),
        ('output = "out/a.mp4"', "lessons/out/a.mp4"),
    ],
)
def test_a_story_renders_an_mp4_named_by_output_else_like_the_story(
    render: str, output: str
) -> None:
    args = parse_story(f'scenes = ["warp"]\n[render]\n{render}\n', "lessons/moons.toml")
    r = args.to_render_args()
    assert (r.fmt, r.output) == ("mp4", Path(output))


def test_scene_options_become_the_scene_s_params() -> None:
    story = Story.model_validate(
        {
            "scenes": ["warp", "evolution"],
            "warp": {"epoch": 40, "merge_bias": True},
            "evolution": {"time": "linear"},
        }
    )
    scenes = story.to_render_args().scenes
    assert scenes[0].params == {"epoch": 40, "merge_bias": True, "color_by": "class"}
    assert scenes[1].params == {"time": "linear", "color_by": "class"}
    assert story.to_render_args().story is None  # made in Python, not read from a file


def test_the_voice_maps_onto_the_voice_package_s_config() -> None:
    from dataclasses import asdict

    from scenes.voice import VoiceConfig
    from scenes.voice.engines import engine_names

    default = parse_story('scenes = ["warp"]\n', "s.toml").to_render_args().voice
    assert VoiceConfig(**asdict(default)) == VoiceConfig()
    text = 'scenes = ["warp"]\n[voice]\nengine = "espeak"\nvoice = "en-gb"\nspeed = 1.2\n'
    chosen = parse_story(text, "s.toml").to_render_args().voice
    assert VoiceConfig(**asdict(chosen)) == VoiceConfig("espeak", "en-gb", 1.2)
    assert set(VOICE_ENGINES) == set(engine_names())


def test_the_voice_ranges_are_the_voice_package_s() -> None:
    from scenes.story.schema import VoiceSettings
    from scenes.voice.config import MAX_PAUSE, SPEEDS

    props = VoiceSettings.model_json_schema()["properties"]
    assert (props["speed"]["minimum"], props["speed"]["maximum"]) == SPEEDS
    assert props["pause"]["maximum"] == MAX_PAUSE
