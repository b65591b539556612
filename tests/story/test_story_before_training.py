"""What a story can get wrong is said before its network is trained, in words a teacher uses.

QA found mistakes said only after the training (a beat naming a layer the network does not
have, an anatomy sample past the data, a story format other than MP4), and command-line
options refused with their internal names ("--fmt", "--sections") and advice that could not
be followed ("set --save-last-frame in k1.toml").
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from scenes.cli import main
from scenes.story import StoryError, parse_story, story_json_schema

GOLDEN = Path(__file__).parents[1] / "data" / "golden.npz"


class Trained(BaseException):
    """Raised by the spy: the story's network was being trained."""


@pytest.fixture
def no_training(monkeypatch: pytest.MonkeyPatch) -> None:
    from nnmodel import pipeline

    def spy(*args: object, **kwargs: object) -> None:
        raise Trained

    monkeypatch.setattr(pipeline, "train", spy)


def problems(text: str) -> tuple[str, ...]:
    with pytest.raises(StoryError) as caught:
        parse_story(text, "k1.toml", check_files=False)
    return caught.value.problems


# --------------------------------------------------------------------------- layers


def test_a_beat_naming_a_layer_the_network_lacks_is_refused_as_the_story_is_read() -> None:
    text = (
        'scenes = ["explainer", "anatomy", "evolution"]\n'  # 1
        "[train]\n"
        "hidden = [3, 2]\n"  # 3
        '[[beat]]\nid = "layer-3.linear"\ncaption = "x"\n'  # 4
        '[[beat]]\nid = "layer-2.linear"\ncaption = "fine: layer 2 exists"\n'  # 7
        '[[beat]]\nscene = "anatomy"\nid = "backward.layer-3"\nskip = true\n'  # 10
        '[[beat]]\nid = "responses.layer-7"\nskip = true\n'  # 14
        '[[beat]]\nid = "problem-layer4"\nskip = true\n'  # 17
        '[[beat]]\nid = "epoch-300"\nskip = true\n'  # 20: epochs are not layers
    )
    found = problems(text)
    assert found[0] == (
        "k1.toml:4: [[beat]] 1: the network has 2 hidden layers ([train] hidden = [3, 2]), "
        "so none of the explainer, anatomy and evolution has a beat 'layer-3.linear'; its "
        "layers are numbered 1 to 2"
    )
    assert found[1].startswith(
        "k1.toml:10: [[beat]] 3: the network has 2 hidden layers ([train] hidden = [3, 2]), "
        "so the anatomy has no beat 'backward.layer-3'"
    )
    assert [p.split(":")[1] for p in found] == ["4", "10", "14", "17"]


@pytest.mark.parametrize(
    ("train", "network", "numbered"),
    [
        ("", "(the default hidden = [3, 2])", "its layers are numbered 1 to 2"),
        ("[train]\nepochs = 5\n", "(the default hidden = [3, 2])", "numbered 1 to 2"),
        ("[train]\nhidden = [4]\n", "1 hidden layer ([train] hidden = [4])", "its one layer"),
        ("[train]\nhidden = []\n", "no hidden layer ([train] hidden = [])", "no beat names"),
    ],
)
def test_the_message_says_where_the_layers_come_from(
    train: str, network: str, numbered: str
) -> None:
    text = f'scenes = ["warp"]\n{train}[[beat]]\nid = "layer-3.activation"\nskip = true\n'
    (found,) = problems(text)
    assert network in found and numbered in found and "'layer-3.activation'" in found


def test_a_shown_network_s_layers_wait_for_its_file_but_layer_zero_is_a_typo() -> None:
    """A story showing a trained network has its layer ids checked once the file is read
    (before drawing, against the plans); no network has a layer 0."""
    text = f'scenes = ["warp"]\ntrajectory = "{GOLDEN}"\n'
    later = text + '[[beat]]\nid = "layer-5.bias"\nskip = true\n'
    assert parse_story(later, "k1.toml").beat[0].id == "layer-5.bias"
    (found,) = problems(text + '[[beat]]\nid = "layer-0.bias"\nskip = true\n')
    assert found.startswith("k1.toml:3: [[beat]] 1: the warp has no beat 'layer-0.bias'")


def test_a_layer_beat_past_the_network_is_refused_before_training(
    tmp_path: Path, no_training: None
) -> None:
    story = tmp_path / "k1.toml"
    story.write_text(
        'scenes = ["warp"]\n[train]\nsamples = 40\nepochs = 3\nhidden = [3, 2]\n'
        '[[beat]]\nid = "layer-3.linear"\ncaption = "The third layer"\n'
    )
    res = CliRunner().invoke(main, ["render", str(story), "--quiet", "--voice", "none"])
    assert not isinstance(res.exception, Trained), res.output
    assert res.exit_code != 0
    assert f"{story}:6: [[beat]] 1: the network has 2 hidden layers" in res.output


# --------------------------------------------------------------------------- the sample


SAMPLE_STORY = (
    'scenes = ["warp", "anatomy"]\n'
    "[train]\n"
    "{train}\n"
    "epochs = 3\n"
    "[anatomy]\n"
    "sample = {sample}\n"  # 6
)


@pytest.mark.parametrize(
    ("train", "sample", "points"),
    [("samples = 40", 40, 40), ("samples = 40", 100000, 40), ('dataset = "p.csv"', 12, 12)],
)
def test_an_anatomy_sample_past_the_data_is_refused_before_training(
    tmp_path: Path, no_training: None, train: str, sample: int, points: int
) -> None:
    (tmp_path / "p.csv").write_text(
        "x,y,label\n" + "".join(f"{i % 7},{i % 5},{'ab'[i % 2]}\n" for i in range(12))
    )
    story = tmp_path / "k1.toml"
    story.write_text(SAMPLE_STORY.format(train=train, sample=sample))
    args = ["render", str(story), "--quiet", "--voice", "none", "--media-dir", str(tmp_path)]
    res = CliRunner().invoke(main, args)
    assert not isinstance(res.exception, Trained), res.output
    assert res.exit_code != 0
    assert res.output.strip().splitlines()[-1] == (
        f"Error: {story}:6: [anatomy] sample: {sample} is out of range: the story's data has "
        f"{points} points, numbered 0 to {points - 1}"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["k1.toml", "p.csv"]


def test_an_anatomy_sample_past_a_trajectory_s_points_names_the_story_line(
    tmp_path: Path,
) -> None:
    story = tmp_path / "k1.toml"
    story.write_text(f'scenes = ["anatomy"]\ntrajectory = "{GOLDEN}"\n[anatomy]\nsample = 5000\n')
    res = CliRunner().invoke(main, ["render", str(story), "--quiet", "--voice", "none"])
    assert res.exit_code != 0
    assert f"Error: {story}:4: [anatomy] sample: 5000 is out of range" in res.output


# --------------------------------------------------------------------------- the format


def test_a_story_renders_only_mp4_and_its_schema_says_so() -> None:
    for render in ('format = "webm"', 'format = "mov"', 'output = "lesson.gif"'):
        (found,) = problems(f'scenes = ["warp"]\n[render]\n{render}\n')
        assert found.startswith("k1.toml:3: [render] ") and "a story renders an MP4" in found
    props = story_json_schema()["$defs"]["RenderSettings"]["properties"]
    assert props["format"]["enum"] == ["mp4"]
    assert props["output"]["pattern"] == r"\.[mM][pP]4$"
    schema = json.loads(CliRunner().invoke(main, ["schema"]).output)
    assert schema["$defs"]["RenderSettings"]["properties"]["format"]["enum"] == ["mp4"]


def test_a_story_s_webm_format_is_refused_before_training(
    tmp_path: Path, no_training: None
) -> None:
    story = tmp_path / "f.toml"
    story.write_text('scenes = ["warp"]\n[render]\nformat = "webm"\n[train]\nepochs = 3\n')
    res = CliRunner().invoke(main, ["render", str(story), "--quiet", "--voice", "none"])
    assert not isinstance(res.exception, Trained), res.output
    assert f"{story}:3: [render] format: a story renders an MP4" in res.output


# --------------------------------------------------------------------------- options


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            ["--format", "webm"],
            "--format webm does not apply to a story: a story renders an MP4 (the video "
            "courses embed, with its voice and chapters), and its [render] format takes only "
            "mp4; drop --format, or render a scene by name for a WEBM",
        ),
        (
            ["--section", "Layer 1"],
            "--section does not apply to a story: it renders every scene whole; leave beats "
            "out with skip = true in k1.toml's [[beat]]s, or render one scene by name with "
            "--section",
        ),
        (
            ["-s", "-o", "k1.png"],
            "-s/--save-last-frame does not apply to a story: it renders a video; render a "
            "scene by name with -s for its last frame (with --course, --poster-beat picks "
            "the poster)",
        ),
        (
            ["--hidden", "8", "-d", "spiral"],
            "--hidden, -d/--dataset do not apply to a story: set hidden, dataset in k1.toml's "
            "[train] table",
        ),
        (["--hidden", "8"], "--hidden does not apply to a story: set hidden in k1.toml's [train]"),
        (["--time", "linear"], "--time does not apply to a story: set time in k1.toml's "),
        (
            ["--epoch", "3"],
            "--epoch does not apply to a story: set epoch in k1.toml's [warp], [explainer] or "
            "[anatomy] table",
        ),
        (
            ["--trajectory", "t.npz"],
            '--trajectory does not apply to a story: write trajectory = "FILE.npz" at the top '
            "of k1.toml, instead of [train]",
        ),
        (["--vary", "lr=0.1,0.01"], "--vary does not apply to a story: it is for compare"),
        (["-o", "k1.webm"], "-o k1.webm has the suffix .webm; a story renders an MP4"),
    ],
)
def test_options_a_story_does_not_take_are_named_as_typed_with_advice_that_works(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, options: list[str], message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("k1.toml").write_text('scenes = ["warp"]\n')
    res = CliRunner().invoke(main, ["render", "k1.toml", *options])
    assert res.exit_code != 0
    error = res.output.strip().splitlines()[-1]
    assert error.startswith(f"Error: {message}"), error
    for internal in ("--fmt", "--sections", "--trajectory-files", "--time-mapping"):
        assert internal not in error
    assert sorted(p.name for p in tmp_path.iterdir()) == ["k1.toml"]


def test_format_mp4_is_what_a_story_renders_anyway(tmp_path: Path) -> None:
    story = tmp_path / "k1.toml"
    story.write_text('scenes = ["warp"]\n[render]\nqualiti = "l"\n')
    res = CliRunner().invoke(main, ["render", str(story), "--format", "mp4"])
    assert res.exit_code != 0 and "unknown key 'qualiti'" in res.output  # the story is read


# --------------------------------------------------------------------------- every path


@pytest.mark.parametrize("path", ["command line", "notebook", "batch"])
def test_every_way_of_rendering_a_story_checks_its_sample_before_training(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_training: None, path: str
) -> None:
    """The command line refused an anatomy sample past the data before training; the
    notebook's render_story and a batch's story job trained first, then failed (the notebook
    with another message). All three now call one function, scenes.cli.precheck."""
    from scenes import notebook
    from scenes.batch.jobs import load_jobs
    from scenes.errors import RenderError

    monkeypatch.chdir(tmp_path)
    story = tmp_path / "k1.toml"
    story.write_text(SAMPLE_STORY.format(train="samples = 40", sample=40))
    expected = (
        f"{story}:6: [anatomy] sample: 40 is out of range: the story's data has 40 points, "
        "numbered 0 to 39"
    )
    if path == "command line":
        res = CliRunner().invoke(main, ["render", str(story), "--quiet", "--voice", "none"])
        assert not isinstance(res.exception, Trained), res.output
        assert res.exit_code == 2
        assert res.output.strip().splitlines()[-1] == f"Error: {expected}"
    elif path == "notebook":
        with pytest.raises(StoryError) as caught:
            notebook.render_story(str(story), voice="none")
        assert str(caught.value) == expected
    else:
        with pytest.raises(RenderError) as refused:
            load_jobs([story], ["k1.toml"])
        assert str(refused.value).splitlines()[1].strip() == expected.replace(str(story), "k1.toml")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["k1.toml"]  # nothing trained


def test_a_story_showing_a_trained_network_is_checked_the_same_way(
    tmp_path: Path,
) -> None:
    """From a trajectory (no training), the notebook's check is the command line's too,
    in the story's words (it said "--sample 5000 is out of range: this trajectory has...")."""
    from scenes import notebook

    story = tmp_path / "k1.toml"
    story.write_text(f'scenes = ["anatomy"]\ntrajectory = "{GOLDEN}"\n[anatomy]\nsample = 5000\n')
    with pytest.raises(StoryError, match=r"k1.toml:4: \[anatomy\] sample: 5000 is out of range"):
        notebook.render_story(str(story), voice="none", media_dir=tmp_path / "m")
    assert not (tmp_path / "m").exists()


def test_a_story_s_theme_is_checked_against_its_data_before_training(
    tmp_path: Path, no_training: None
) -> None:
    """A theme with too few class colours (or a font that is not installed) in a story."""
    (tmp_path / "two.json").write_text('{"classes": ["#000000", "#FFFFFF"]}')
    (tmp_path / "font.json").write_text('{"font": "No Such Font 123"}')
    for theme, words in (
        ("two.json", "classes lists 2 colours but the data has 4 classes"),
        ("font.json", "font 'No Such Font 123' is not installed"),
    ):
        story = tmp_path / "k1.toml"
        story.write_text(
            f'scenes = ["warp"]\n[train]\ndataset = "spiral"\narms = 4\nepochs = 3\n'
            f'[render]\ntheme = "{theme}"\n'
        )
        res = CliRunner().invoke(main, ["render", str(story), "--quiet", "--voice", "none"])
        assert not isinstance(res.exception, Trained), res.output
        assert res.exit_code == 2 and words in res.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["font.json", "k1.toml", "two.json"]
