"""A sweep without a description has none: the video then says what differs between the
runs. A made-up one ("lr × activation on circles") only repeated the cells' labels, and a
user's own description that looked like it was hidden."""

from __future__ import annotations

from pathlib import Path

from nnmodel import sweep
from nnmodel.config import RunConfig
from scenes.narration import compare as words


def test_no_description_is_made_up(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text('[base]\ndataset = "circles"\n[grid]\nrows = { lr = [0.1, 0.01] }\n')
    assert sweep.load(path).description == ""
    varied = sweep.parse_vary("lr=0.1,0.01")
    assert sweep.grid(RunConfig(), varied).description == ""


def test_a_users_shorthand_description_is_shown(tmp_path: Path) -> None:
    line = words.intro(4, "circles", ["lr", "activation"], "lr × activation on circles")
    assert line.sub == "lr × activation on circles"
