"""Every word in the warp's side panel reads at 480p: a capital (or a formula's digit) at
least 13 px high, and all of it inside the frame.

The scene's beats are played (dry run, no pixels); after every play each text on the
right of the plot is measured against the same words built at a known size.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import manim
import pytest

from nnmodel.trajectory import load
from scenes.mobjects.textcache import Outlines
from scenes.mobjects.widgets import FRAME_HALF_HEIGHT, FRAME_HALF_WIDTH, math, text
from scenes.warp import Warp
from scenes.warp.scene import PANEL_X

pytestmark = pytest.mark.usefixtures("own_media")

GOLDEN = Path(__file__).parents[1] / "data" / "golden.npz"
PX_480 = 480 / 8  # pixels a frame unit spans at 480p
LEAST = 13.0  # px: a capital or a digit smaller than this is a smudge at 480p


def glyph_px(outline: Outlines) -> float:
    """How tall (480p px) a capital H of ``outline``'s text, or a digit of its formula,
    stands as drawn: measured against the same words built at a known size."""
    words = outline.text
    as_text = text(words, 22)
    ratio = outline.height / as_text.height
    if abs(outline.width / as_text.width - ratio) < 0.03 * ratio:  # the same words, scaled
        return ratio * text("H", 22).height * PX_480
    as_math = math(words, 40)
    ratio = outline.height / as_math.height
    assert abs(outline.width / as_math.width - ratio) < 0.03 * ratio, f"what is {words!r}?"
    return ratio * math("0", 40).height * PX_480


def panel_texts(path: Path, **params: Any) -> list[tuple[str, Outlines]]:
    """Every text in the side panel after every play of the whole warp, with its beat."""
    seen: dict[int, tuple[str, Outlines]] = {}
    with manim.tempconfig({"dry_run": True, "pixel_width": 160, "pixel_height": 90}):
        scene = Warp(trajectory=load(path), **params)
        play = scene.play

        def spy(*args: Any, **kwargs: Any) -> None:
            play(*args, **kwargs)
            beat = scene.current_beat.id if scene.current_beat else "?"
            for m in scene.get_mobject_family_members():
                if isinstance(m, Outlines) and m.get_center()[0] > PANEL_X[0]:
                    seen.setdefault(id(m), (beat, m))

        scene.play = spy  # type: ignore[method-assign]
        scene.construct()
    return list(seen.values())


@pytest.mark.parametrize(
    ("which", "params"),
    [
        ("golden", {}),
        ("golden", {"color_by": "position"}),
        ("wine_traj", {}),  # a file: the data notes, the legend's title
        ("dogs_traj", {}),  # 8 long class names
        ("wide_traj", {}),  # 3 classes, a projected layer: "W: 5×2 weights", argmax
    ],
)
def test_every_word_in_the_panel_reads_at_480p_and_stays_in_the_frame(
    which: str, params: dict[str, Any], request: pytest.FixtureRequest
) -> None:
    """The metrics line was 12 px, a shrunk note 9-10 px, the legend's names down to 16 pt
    (10 px), a 2 × 3 weight matrix's digits 12 px."""
    path = GOLDEN if which == "golden" else request.getfixturevalue(which)
    texts = panel_texts(path, **params)
    assert len(texts) >= 5
    for beat, outline in texts:
        px = glyph_px(outline)
        assert px >= LEAST, f"{beat}: {outline.text!r} stands {px:.1f} px at 480p"
        assert outline.get_right()[0] <= FRAME_HALF_WIDTH - 0.05, f"{beat}: {outline.text!r}"
        assert outline.get_bottom()[1] >= -FRAME_HALF_HEIGHT + 0.05, f"{beat}: {outline.text!r}"
        assert outline.get_left()[0] >= PANEL_X[0] - 0.3, f"{beat}: {outline.text!r} over the plot"
