"""The drawing costs a render keeps, to balance the next ``-j`` split."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nnmodel.trajectory import load
from scenes.render import costs
from scenes.render import pipeline as r
from scenes.warp.plan import warp_plan

GOLDEN = Path(__file__).parents[1] / "data" / "golden.npz"


def test_costs_are_kept_per_scope_and_an_unreadable_file_is_an_empty_one(
    tmp_path: Path,
) -> None:
    assert costs.load(tmp_path, "warp|l|None|15") == {}
    costs.save(tmp_path, "warp|l|None|15", {"a": 0.01})
    costs.save(tmp_path, "warp|l|None|15", {"b": 0.02})
    costs.save(tmp_path, "warp|h|None|60", {"a": 0.09})
    assert costs.load(tmp_path, "warp|l|None|15") == {"a": 0.01, "b": 0.02}
    (tmp_path / costs.COSTS).write_text("{not json")
    assert costs.load(tmp_path, "warp|l|None|15") == {}


@pytest.mark.parametrize("theirs", ["{not json", '{"notes": "mine"}', "[1, 2]"])
def test_a_file_nnwarp_did_not_write_there_is_never_replaced(tmp_path: Path, theirs: str) -> None:
    (tmp_path / costs.COSTS).parent.mkdir(parents=True)
    (tmp_path / costs.COSTS).write_text(theirs)
    costs.save(tmp_path, "warp|l|None|15", {"c": 0.03})
    assert (tmp_path / costs.COSTS).read_text() == theirs
    assert [p.name for p in (tmp_path / costs.COSTS).parent.iterdir()] == ["costs.json"]


def test_a_parallel_render_records_what_every_beat_took(tmp_path: Path) -> None:
    opts = r.RenderOptions(
        scene="warp",
        resolution=(96, 54),
        fps=2,
        output=tmp_path / "warp.mp4",
        media_dir=tmp_path / "media",
        progress=False,
        cache=False,
        jobs=2,
    )
    r.render(GOLDEN, opts)
    data = json.loads((tmp_path / "media" / costs.COSTS).read_text())
    ((where, seen),) = data.items()
    assert where == costs.scope("warp", "h", (96, 54), 2.0)
    ids = [b.id for b in warp_plan(load(GOLDEN), fps=2)]
    assert sorted(seen) == sorted(ids) and all(v > 0 for v in seen.values())
