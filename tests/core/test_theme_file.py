"""A user's theme file: merged over nnwarp's, checked key by key, drawn with, then let go."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from scenes.core.theme import load_theme, theme, use_theme
from scenes.errors import RenderError
from scenes.render import pipeline as r

GOLDEN = Path(__file__).parents[1] / "data" / "golden.npz"


def write(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "theme.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_a_theme_changes_only_its_keys_and_only_while_in_use(tmp_path: Path) -> None:
    ours = theme()
    path = write(tmp_path, {"background": "#FFFFFF", "classes": ["#000000", "#FF0000"]})
    mine = load_theme(path)
    assert (mine.background, mine.classes) == ("#FFFFFF", ("#000000", "#FF0000"))
    assert mine.text == ours.text and mine.caption_size == ours.caption_size
    with use_theme(path):
        assert theme() == mine
    assert theme() == ours


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"backgrund": "#FFFFFF"}, "unknown key 'backgrund' (did you mean 'background'?)"),
        ({"text": "white"}, "text must be a colour like '#56B4E9'"),
        ({"classes": []}, "classes must be a list of colours"),
        ({"caption_size": -3}, "caption_size must be a positive number"),
        (["#FFFFFF"], "expected a JSON object"),
    ],
)
def test_a_bad_theme_is_one_line_naming_the_key(tmp_path: Path, data: object, message: str) -> None:
    with pytest.raises(RenderError, match=None) as err:
        load_theme(write(tmp_path, data))
    assert message in str(err.value) and "theme.json" in str(err.value)


def test_a_render_is_drawn_with_the_theme(tmp_path: Path) -> None:
    path = write(tmp_path, {"background": "#FFFFFF"})
    out = tmp_path / "frame.png"
    opts = r.RenderOptions(
        scene="warp", resolution=(128, 72), fps=2, output=out, save_last_frame=True, fmt="png",
        progress=False, theme=path,
    )  # fmt: skip
    r.render(GOLDEN, opts)
    corner = np.asarray(Image.open(out).convert("RGB"))[1, 1]
    assert tuple(corner) == (255, 255, 255)
    assert theme().background != "#FFFFFF"  # nnwarp's own again after the render
