"""Reading story files: a teacher's mistakes, each one line naming file, line, key, fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from scenes.errors import RenderError
from scenes.story import StoryError, load_story, parse_story

HEAD = 'title = "Moons"\nscenes = ["explainer", "anatomy"]\n'


def problems(text: str, name: str = "story.toml") -> list[str]:
    with pytest.raises(StoryError) as caught:
        parse_story(text, name, check_files=False)
    assert str(caught.value) == "\n".join(caught.value.problems)
    return list(caught.value.problems)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            'titel = "Moons"\nscenes = ["warp"]\n',
            "story.toml:1: unknown key 'titel' (did you mean 'title'?)",
            id="unknown key, close one",
        ),
        pytest.param(
            HEAD + '[render]\nquality = "x"\n',
            "story.toml:4: [render] quality: expected one of l, m, h, p, k, got 'x'",
            id="not one of the choices",
        ),
        pytest.param(
            HEAD + "[rendr]\nfps = 30\n",
            "story.toml:3: unknown table [rendr] (did you mean [render]?)",
            id="unknown table",
        ),
        pytest.param(
            HEAD + "epochs = 300\n",
            "story.toml:3: unknown key 'epochs': it belongs in [train]",
            id="a key in the wrong table",
        ),
        pytest.param(
            '[train]\nepochs = 300\nscenes = ["warp"]\n',
            "story.toml:3: [train] unknown key 'scenes': scenes belongs at the top of the file; "
            "move it above the first [table] (in TOML every key below [train] is part of it)",
            id="a top-level key below a table",
        ),
        pytest.param(
            HEAD + "[train]\nbatch-size = 8\n",
            "story.toml:4: [train] unknown key 'batch-size' (did you mean 'batch_size'?)",
            id="dash for underscore",
        ),
        pytest.param(
            HEAD + '[train]\nepochs = "300"\n',
            "story.toml:4: [train] epochs: expected a whole number, got '300'",
            id="a number in quotes",
        ),
        pytest.param(
            HEAD + "[train]\nhidden = [3, 100]\n",
            "story.toml:4: [train] hidden, item 2: expected a number at most 64, got 100",
            id="one list item out of range",
        ),
        pytest.param(
            HEAD + '[train]\nhidden = "3,x"\n',
            "story.toml:4: [train] hidden, item 2: expected a whole number, got 'x'",
            id="list written as text",
        ),
        pytest.param(
            HEAD + '[train]\nactivation = "swish"\n',
            "story.toml:4: [train] activation, item 1: 'swish' is not an activation; choose "
            "from tanh, relu, leaky_relu, sigmoid, elu, softplus, linear",
            id="unknown activation",
        ),
        pytest.param(
            HEAD + '[train]\nhidden = [2, 2, 2]\nactivation = ["relu", "tanh"]\n',
            "story.toml:5: [train] activation: 2 activations for 3 hidden layers: give one for "
            "every layer, or exactly 3",
            id="activations do not match layers",
        ),
        pytest.param(
            HEAD + '[train]\ndataset = "moon"\n',
            "story.toml:4: [train] dataset: 'moon' is neither a built-in dataset (moons, "
            "circles, spiral, xor, rings, sandwich, linear) nor a .csv/.npz file (did you "
            "mean 'moons'?)",
            id="unknown dataset",
        ),
        pytest.param(
            HEAD + "[train]\nlr = nan\n",
            "story.toml:4: [train] lr: expected a finite number, got nan",
            id="nan",
        ),
        pytest.param(
            'scenes = ["warp", "anatmy"]\n',
            "story.toml:1: scenes, item 2: unknown scene 'anatmy' (did you mean 'anatomy'?); "
            "choose from anatomy, evolution, explainer, warp",
            id="unknown scene",
        ),
        pytest.param(
            'scenes = ["compare"]\n',
            "story.toml:1: scenes, item 1: compare shows several trainings side by side, a "
            "story one network: render it with `nnwarp render compare` (a story shows "
            "anatomy, evolution, explainer, warp)",
            id="a scene of several trainings",
        ),
        pytest.param(
            'title = "Moons"\n',
            'story.toml:1: missing key \'scenes\' (e.g. scenes = ["explainer", "anatomy"])',
            id="no scenes",
        ),
        pytest.param(
            HEAD + '[[beat]]\ncaption = "Hi"\n',
            "story.toml:3: [[beat]] 1: missing key 'id' (e.g. id = \"data\")",
            id="beat without id",
        ),
        pytest.param(
            HEAD + '[beat]\nid = "data"\n',
            "story.toml:3: beat: each beat is a [[beat]] table, with two brackets",
            id="beat with one bracket",
        ),
        pytest.param(
            HEAD + '\n[[beat]]\nid = "data"\ncaption = "' + "word " * 14 + '"\n',
            "story.toml:6: [[beat]] 1 (id 'data') caption: 70 characters is too long for a "
            "caption: at most 64 fit (move details to subcaption, or to narration, which is "
            "spoken)",
            id="caption too long",
        ),
        pytest.param(
            HEAD + '[[beat]]\nid = "data"\nsubcaption = "' + "x" * 101 + '"\n',
            "story.toml:5: [[beat]] 1 (id 'data') subcaption: 101 characters is too long for "
            "a subcaption: at most 100 fit (move details to narration, which is spoken)",
            id="subcaption too long",
        ),
        pytest.param(
            HEAD + '[[beat]]\nid = "data"\nnarration = """' + "Long. " * 70 + '"""\n',
            "story.toml:5: [[beat]] 1 (id 'data') narration: 420 characters is too long for "
            "a narration: at most 400 fit (about 25 seconds of speech, while the picture "
            "holds still; say less)",
            id="narration too long",
        ),
        pytest.param(
            HEAD + '[[beat]]\nid = "data"\ncaption = """Two\nlines"""\n',
            "story.toml:5: [[beat]] 1 (id 'data') caption: a caption is one line; remove the "
            "line break",
            id="caption of two lines",
        ),
        pytest.param(
            HEAD + '[[beat]]\nid = "data"\ncaption = "  "\n',
            "story.toml:5: [[beat]] 1 (id 'data') caption: the caption is empty; write some "
            "words, or remove the key",
            id="blank caption",
        ),
        pytest.param(
            HEAD + '[[beat]]\nid = "data"\n',
            "story.toml:3: [[beat]] 1 (id 'data'): beat 'data' changes nothing: give caption, "
            "subcaption, narration, pause, duration or skip = true",
            id="beat changing nothing",
        ),
        pytest.param(
            HEAD + '[[beat]]\nid = "data"\npause = 1\nduration = 4\n',
            "story.toml:5: [[beat]] 1 (id 'data') pause: give pause (seconds added) or "
            "duration (the whole length), not both",
            id="pause and duration",
        ),
        pytest.param(
            HEAD + '[[beat]]\nid = "data"\nskip = true\ncaption = "Hi"\n',
            "story.toml:5: [[beat]] 1 (id 'data') skip: a skipped beat is not shown: remove "
            "caption or skip",
            id="skip with words",
        ),
        pytest.param(
            HEAD + '[[beat]]\nscene = "warp"\nid = "data"\nskip = true\n',
            "story.toml:4: [[beat]] 1 (id 'data') scene: scene 'warp' is not one of the "
            "story's scenes (explainer, anatomy)",
            id="beat of a scene not shown",
        ),
        pytest.param(
            HEAD + '[[beat]]\nid = "data"\nskip = true\n[[beat]]\nid = "data"\npause = 1\n',
            "story.toml:7: [[beat]] 2 (id 'data') id: beat 'data' is changed twice (also by "
            "[[beat]] number 1); merge the two tables",
            id="beat changed twice",
        ),
        pytest.param(
            HEAD + 'trajectory = "moons.npz"\n[train]\nepochs = 3\n',
            "story.toml:3: trajectory: a story either trains a network ([train]) or shows a "
            "trained one (trajectory), not both: remove one",
            id="trajectory and training",
        ),
        pytest.param(
            'scenes = ["warp"]\n[anatomy]\nsample = 3\n',
            "story.toml:2: [anatomy]: options of a scene the story does not show: add "
            '"anatomy" to scenes, or remove the table',
            id="options of a scene not shown",
        ),
        pytest.param(
            'scenes = ["warp", "warp"]\n',
            "story.toml:1: scenes, item 2: 'warp' is listed twice; list it once",
            id="scene twice",
        ),
        pytest.param(
            HEAD + '[render]\noutput = "lesson.png"\n',
            "story.toml:4: [render] output: output 'lesson.png' ends in .png; a story renders "
            "an MP4 (the video courses embed, with its voice and chapters): name it lesson.mp4",
            id="output not a video",
        ),
        pytest.param(
            HEAD + '[render]\noutput = "out/lesson.webm"\n',
            "story.toml:4: [render] output: output 'out/lesson.webm' ends in .webm; a story "
            "renders an MP4 (the video courses embed, with its voice and chapters): name it "
            "out/lesson.mp4",
            id="output another video format",
        ),
        pytest.param(
            HEAD + '[render]\nquality = "l"\nformat = "webm"\n',
            "story.toml:5: [render] format: a story renders an MP4 (the video courses embed, "
            "with its voice and chapters), not 'webm': remove format",
            id="format webm",
        ),
        pytest.param(
            HEAD + '[render]\nformat = "gif"\noutput = "lesson.mp4"\n',
            "story.toml:4: [render] format: a story renders an MP4 (the video courses embed, "
            "with its voice and chapters), not 'gif': remove format",
            id="format gif",
        ),
        pytest.param(
            HEAD + '[voice]\nengine = "none"\nvoice = "amy"\n',
            "story.toml:5: [voice] voice: voice 'amy' with engine 'none' (no voice): choose "
            "an engine, or remove voice",
            id="voice without engine",
        ),
        pytest.param(
            HEAD + '[voice]\nengine = "festival"\n',
            "story.toml:4: [voice] engine: expected one of hibari, espeak, piper, none, auto, "
            "got 'festival'",
            id="unknown voice engine",
        ),
        pytest.param(
            HEAD + '[train]\ncolumns = "a,b,label"\n',
            "story.toml:4: [train] columns: columns picks columns of a CSV file, but dataset "
            "'moons' is built in; name a .csv file as dataset, or remove columns",
            id="columns of a built-in dataset",
        ),
        pytest.param(
            HEAD + "[render]\nresolution = [641, 360]\n",
            "story.toml:4: [render] resolution: 641x360 has an odd side, which the video "
            "encoder cannot encode; use even sizes, e.g. [642, 360]",
            id="odd frame size",
        ),
        pytest.param(
            HEAD + "render = 5\n",
            "story.toml:3: [render]: expected a table, got 5",
            id="a table given a number",
        ),
    ],
)
def test_one_mistake_one_line(text: str, expected: str) -> None:
    assert problems(text) == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            'scenes = ["warp"]\n[render]\nquality = l\n',
            'story.toml:3: not valid TOML: invalid value (column 11); text goes in quotes: "l"',
            id="text without quotes",
        ),
        pytest.param(
            'scenes = ["warp"]\n[render]\nquality = "l"\nquality = "m"\n',
            "story.toml:4: not valid TOML: a key is set twice; keep one (column 14)",
            id="key twice",
        ),
        pytest.param(
            'scenes = ["warp"]\n[render]\nquality = "l"\n\n[render]\nfps = 30\n',
            "story.toml:5: not valid TOML: [render] appears twice; merge the two tables (column 8)",
            id="table twice",
        ),
        pytest.param(
            'scenes = ["warp"]\ntitle = "Moons\n[render]\n',
            "story.toml:2: not valid TOML: a text in quotes is not closed (column 15); add the "
            "closing quote",
            id="unclosed quote",
        ),
        pytest.param(
            'title = "Moons"\nscenes = ["warp",\n\n[render]\n',
            "story.toml:2: not valid TOML: a list or inline table opened here is not closed "
            "before line 4; close it with ] or }",
            id="unclosed array",
        ),
    ],
)
def test_toml_syntax_errors_name_their_line(text: str, expected: str) -> None:
    assert problems(text) == [expected]


def test_every_problem_is_reported_at_once_in_the_order_of_the_file() -> None:
    text = (
        'titel = "x"\n'  # 1
        'scenes = ["warp"]\n'  # 2
        "[train]\n"  # 3
        "epochs = 0\n"  # 4
        "[render]\n"  # 5
        'quality = "z"\n'  # 6
        "[[beat]]\n"  # 7
        'id = "data"\n'  # 8
        "captoin = 'Hi'\n"  # 9
    )
    assert problems(text, "lessons/moons.toml") == [
        "lessons/moons.toml:1: unknown key 'titel' (did you mean 'title'?)",
        "lessons/moons.toml:4: [train] epochs: expected a number at least 1, got 0",
        "lessons/moons.toml:6: [render] quality: expected one of l, m, h, p, k, got 'z'",
        "lessons/moons.toml:9: [[beat]] 1 (id 'data') unknown key 'captoin' (did you mean "
        "'caption'?)",
    ]


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n", "\ufeff"])
def test_an_empty_story_says_what_it_needs(text: str) -> None:
    assert problems(text) == [
        'story.toml:1: the story is empty; it needs at least scenes = ["explainer"] '
        "(`nnwarp new NAME.toml` writes a commented starter)"
    ]


def test_files_a_story_names_are_found_beside_it(tmp_path: Path) -> None:
    lessons = tmp_path / "lessons"
    (lessons / "data").mkdir(parents=True)
    (lessons / "data" / "points.csv").write_text("x,y,label\n0,0,a\n1,1,b\n")
    story_file = lessons / "moons.toml"
    story_file.write_text(
        'scenes = ["warp"]\n[train]\ndataset = "data/points.csv"\n[render]\ntheme = "t.json"\n'
    )
    before = sorted(tmp_path.rglob("*"))
    with pytest.raises(StoryError) as caught:
        load_story(story_file)
    assert caught.value.problems == (
        f"{story_file}:5: [render] theme: the theme file 't.json' does not exist (looked for "
        f"{lessons / 't.json'}; paths are relative to the story file's folder, {lessons}/)",
    )
    assert sorted(tmp_path.rglob("*")) == before  # nothing written


def test_a_missing_trajectory_names_its_line_and_where_it_was_looked_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("story.toml").write_text('scenes = ["warp"]\n\ntrajectory = "runs/moons.npz"\n')
    with pytest.raises(StoryError) as caught:
        load_story("story.toml")
    assert str(caught.value) == (
        "story.toml:3: trajectory: the trajectory file 'runs/moons.npz' does not exist "
        "(looked for runs/moons.npz; paths are relative to the story file's folder, the "
        "current folder)"
    )
    Path("runs/moons.npz").mkdir(parents=True)
    with pytest.raises(StoryError, match="'runs/moons.npz' is a folder"):
        load_story("story.toml")


def test_a_data_file_missing_is_refused_a_built_in_dataset_is_not_a_file(tmp_path: Path) -> None:
    story_file = tmp_path / "s.toml"
    story_file.write_text('scenes = ["warp"]\n[train]\ndataset = "points.csv"\n')
    with pytest.raises(StoryError, match=r"s\.toml:3: \[train\] dataset: the data file"):
        load_story(story_file)
    story_file.write_text('scenes = ["warp"]\n[train]\ndataset = "Moons"\n')
    assert load_story(story_file).train is not None


@pytest.mark.parametrize(
    ("setup", "expected"),
    [
        ("missing", "{f}: no such story file; `nnwarp new {f}` writes a starter"),
        ("folder", "{f} is a folder; give a story file (.toml)"),
        ("latin1", "{f}:2: not UTF-8 text; save the story as UTF-8 (every editor can)"),
    ],
)
def test_unreadable_story_files(tmp_path: Path, setup: str, expected: str) -> None:
    f = tmp_path / "story.toml"
    if setup == "folder":
        f.mkdir()
    elif setup == "latin1":
        f.write_bytes('scenes = ["warp"]\ntitle = "Caf\xe9"\n'.encode("latin-1"))
    with pytest.raises(StoryError) as caught:
        load_story(f)
    assert str(caught.value) == expected.format(f=f)


def test_a_story_error_is_a_render_error_the_cli_prints_without_traceback() -> None:
    assert issubclass(StoryError, RenderError)


def test_a_byte_order_mark_and_windows_line_ends_are_fine() -> None:
    story = parse_story('\ufeffscenes = ["warp"]\r\n[render]\r\nquality = "l"\r\n', "s.toml")
    assert story.render.quality == "l"


def test_lists_may_be_written_as_on_the_command_line() -> None:
    story = parse_story(
        'scenes = "explainer, anatomy"\n[train]\nhidden = "8,8,2"\nactivation = "ReLU"\n'
        '[render]\nresolution = "1280x720"\n',
        check_files=False,
    )
    assert story.scenes == ["explainer", "anatomy"]
    assert story.train is not None
    assert (story.train.hidden, story.train.activation) == ([8, 8, 2], ["relu"])
    assert story.render.resolution == [1280, 720]
