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


def test_a_theme_with_fewer_class_colours_than_classes_is_refused_before_training(
    tmp_path: Path,
) -> None:
    from click.testing import CliRunner

    from scenes.cli import main

    theme_file = tmp_path / "two.json"
    theme_file.write_text('{"classes": ["#000000", "#FFFFFF"]}')
    media = tmp_path / "media"
    args = ["render", "warp", "-d", "spiral", "--arms", "4", "--epochs", "5", "-r", "64,36"]
    args += ["--voice", "none", "--media-dir", str(media), "--theme", str(theme_file)]
    result = CliRunner().invoke(main, [*args, "-o", str(tmp_path / "v.mp4"), "--quiet"])
    assert result.exit_code == 2  # refused before any work
    assert "classes lists 2 colours but the data has 4 classes" in result.output
    assert not (media / "trajectories").exists() or not any((media / "trajectories").iterdir())
    # two classes, two colours: fine (and a trajectory file is checked the same way)
    from scenes.core.theme import check_class_colours
    from scenes.errors import RenderError

    check_class_colours(theme_file, 2)
    with pytest.raises(RenderError, match="list at least 3 colours"):
        check_class_colours(theme_file, 3)
