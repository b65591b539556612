"""``nnwarp new``: the starter story loads as it is, trains the default network, and its beat
overrides name real beats of the default explainer and anatomy."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from nnmodel.config import ModelConfig, RunConfig
from nnmodel.errors import OutputError
from nnmodel.trajectory import Trajectory, load
from scenes.anatomy.plan import anatomy_plan, gather
from scenes.story import check_beat_ids, load_story, parse_story, starter_text, write_starter
from scenes.warp.plan import warp_plan
from tests.conftest import small_config


@pytest.fixture(scope="module")
def default_net(tmp_path_factory: pytest.TempPathFactory) -> Trajectory:
    """The default network's architecture on the default dataset, trained briefly."""
    from nnmodel.pipeline import train_to_file

    cfg = small_config(model=ModelConfig())
    return load(train_to_file(cfg, tmp_path_factory.mktemp("default") / "default.npz"))


def test_the_starter_loads_as_it_is_and_trains_the_default_network() -> None:
    story = parse_story(starter_text("lesson.toml"), "lesson.toml")
    assert story.scenes == ["explainer", "anatomy"]
    assert story.train is not None and story.train.run_config() == RunConfig()
    assert any(edit.caption for edit in story.beat)  # shows a caption override


def test_the_starter_s_beats_are_real_beats_of_the_default_network(
    default_net: Trajectory,
) -> None:
    story = parse_story(starter_text(), "story.toml")
    known = {
        "explainer": [b.id for b in warp_plan(default_net, with_title=True, fps=15)],
        "anatomy": [b.id for b in anatomy_plan(default_net, gather(default_net, -1, None))],
    }
    edits = check_beat_ids(story, known)
    assert sorted(edits["explainer"]) == ["data", "layer-1.activation"]
    assert sorted(edits["anatomy"]) == ["sample"]
    # the ids the starter's comments list are the explainer's too
    comment = starter_text().split("its id is the scene's")[1].split("an unknown id")[0]
    listed = re.findall(r"[a-z][a-z0-9.-]*[a-z0-9]", comment.replace("# ", " "))
    assert len(listed) > 10
    assert {w for w in listed if w not in ("the", "explainer")} <= set(known["explainer"])


def test_write_starter_writes_a_story_that_loads(tmp_path: Path) -> None:
    path = write_starter(tmp_path / "lesson.toml")
    assert path.read_text(encoding="utf-8") == starter_text("lesson.toml")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lesson.toml"]  # no temporary left
    args = load_story(path).to_render_args()
    assert args.output == tmp_path / "lesson.mp4" and args.story == path


def test_write_starter_never_replaces_a_file(tmp_path: Path) -> None:
    mine = tmp_path / "story.toml"
    mine.write_text("my own notes\n")
    with pytest.raises(OutputError) as caught:
        write_starter(mine)
    assert str(caught.value) == (
        f"nnwarp new {mine}: {mine} already exists and is left as it is; choose another "
        f"name, or render it with `nnwarp render {mine}`"
    )
    assert mine.read_text() == "my own notes\n"
    link = tmp_path / "link.toml"
    os.symlink(tmp_path / "nowhere.toml", link)  # a dangling link is a file someone made
    with pytest.raises(OutputError, match="already exists"):
        write_starter(link)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.toml", "story.toml"]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("lesson.txt", "nnwarp new {p}: a story is a .toml file; name it e.g. lesson.toml"),
        ("lesson", "nnwarp new {p}: a story is a .toml file; name it e.g. lesson.toml"),
        (
            "missing/lesson.toml",
            "nnwarp new {p}: the folder {d} does not exist; create it first (mkdir -p {d}) or "
            "choose another place",
        ),
    ],
)
def test_write_starter_refuses_names_it_cannot_use(
    tmp_path: Path, name: str, expected: str
) -> None:
    path = tmp_path / name
    with pytest.raises(OutputError) as caught:
        write_starter(path)
    assert str(caught.value) == expected.format(p=path, d=path.parent)
    assert list(tmp_path.iterdir()) == []
