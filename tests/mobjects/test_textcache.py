"""The text cache: outlines built once, found again, drawn as Manim's own Text draws."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from manim import Camera, Square, Text, VMobject, tempconfig

from scenes.core.theme import theme
from scenes.mobjects.textcache import cached, flatten, key_of, text_cache
from scenes.mobjects.widgets import math, text

WORDS = "After this layer, a plane separates 100 % of the points (Wx + b)"


def _pixels(m: VMobject) -> np.ndarray:
    with tempconfig({"pixel_width": 854, "pixel_height": 480}):
        cam = Camera()
        cam.capture_mobject(m)
        return np.asarray(cam.get_image().convert("RGB"), dtype=np.int16)


def test_cached_text_draws_as_manims_text(tmp_path: Path) -> None:
    """The cached, flattened caption puts the same pixels on screen as a fresh Text."""
    t = theme()
    own = Text(WORDS, font=t.font, font_size=t.caption_size, color=t.text, weight="BOLD")
    with text_cache(tmp_path):
        cold = text(WORDS, t.caption_size, weight="BOLD")
        warm = text(WORDS, t.caption_size, weight="BOLD")
    reference = _pixels(own)
    assert reference.max() > 100  # the words are there
    for m in (cold, warm):
        diff = np.abs(_pixels(m) - reference)
        # one path for all glyphs: only the anti-aliasing where two glyphs touch may differ
        assert diff.max() <= 16, "the cached text draws differently from Manim's Text"
        assert (diff > 2).mean() < 1e-4
    assert np.allclose(cold.get_center(), own.get_center())
    assert cold.width == pytest.approx(own.width)


def test_words_break_the_same_way_at_every_size(tmp_path: Path) -> None:
    """Manim's Text wraps on the render's frame; nnwarp's text does not: a caption made
    first by a thumbnail-sized render (and cached) is the one a 1080p render shows."""
    t = theme()
    sizes = [(96, 54), (1920, 1080)]
    outlines = []
    for w, h in sizes:  # (a media folder each: Manim keeps its SVGs by words, not size)
        cfg = {"pixel_width": w, "pixel_height": h, "media_dir": str(tmp_path / f"m{w}")}
        with tempconfig(cfg), text_cache(None):
            outlines.append(text(WORDS, t.caption_size, weight="BOLD"))
    small, large = outlines
    assert small.height == pytest.approx(large.height) and small.width == pytest.approx(large.width)
    assert np.allclose(small.family_members_with_points()[0].points,
                       large.family_members_with_points()[0].points)  # fmt: skip
    with tempconfig({"pixel_width": 96, "pixel_height": 54, "media_dir": str(tmp_path / "m")}):
        wrapped = Text(WORDS, font=t.font, font_size=t.caption_size, weight="BOLD")
    assert wrapped.height > 1.5 * large.height  # (what Manim's own Text does there)


def test_warm_equals_cold_exactly(tmp_path: Path) -> None:
    """A render draws the same whether the cache held the words or not."""
    with text_cache(tmp_path):
        cold = math("W = mat(1.55, -1.66; 0.07, 2)", 40)
        warm = math("W = mat(1.55, -1.66; 0.07, 2)", 40)
    with text_cache(None):
        none = math("W = mat(1.55, -1.66; 0.07, 2)", 40)
    assert len(list(tmp_path.glob("*.npz"))) == 1
    for m in (warm, none):
        assert len(m.get_family()) == len(cold.get_family())
        for a, b in zip(m.get_family(), cold.get_family(), strict=True):
            assert np.array_equal(a.points, b.points)
            assert np.array_equal(a.fill_rgbas, b.fill_rgbas)


def test_found_entries_are_not_built_again(tmp_path: Path) -> None:
    built: list[int] = []

    def build() -> VMobject:
        built.append(1)
        return Square(2)

    with text_cache(tmp_path):
        cached("square", {"side": 2}, build)
        cached("square", {"side": 2}, build)
        assert len(built) == 1
        cached("square", {"side": 3}, build)  # another key
        assert len(built) == 2
    cached("square", {"side": 2}, build)  # no cache folder: built every time
    assert len(built) == 3


def test_a_damaged_entry_is_made_again(tmp_path: Path) -> None:
    with text_cache(tmp_path):
        good = cached("square", {}, lambda: Square(2))
        (entry,) = tmp_path.glob("*.npz")
        entry.write_bytes(b"not an npz")
        again = cached("square", {}, lambda: Square(2))
    assert np.array_equal(again.points, good.points)
    with np.load(entry) as data:  # repaired
        assert "points" in data.files


def test_a_folder_that_cannot_be_written_only_costs_time(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    with text_cache(blocker / "text"):
        m = cached("square", {}, lambda: Square(2))
    assert len(m.points) > 0
    assert blocker.read_text(encoding="utf-8") == "not a folder"


def test_the_key_covers_the_look() -> None:
    base = {"text": "a", "font": "Sans", "size": 30, "color": "#FFFFFF", "weight": "BOLD"}
    keys = {key_of("text", base)}
    for name, value in [("text", "b"), ("size", 31), ("color", "#000000"), ("weight", "NORMAL")]:
        keys.add(key_of("text", {**base, name: value}))
    keys.add(key_of("math", base))
    assert len(keys) == 6


def test_flatten_keeps_one_path_per_look() -> None:
    t = theme()
    two = Text("ab", font=t.font, font_size=30, color="#FF0000")
    two[1].set_fill("#00FF00")
    flat = flatten(two)
    assert len(flat.submobjects) == 2
    assert sum(len(m.points) for m in flat.submobjects) == len(two[0].points) + len(two[1].points)
