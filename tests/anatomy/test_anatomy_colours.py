"""No colour means two things in one anatomy video: a value's sign (edges, neuron fills, the
hidden units' responses, their key) is drawn in the theme's own sign pair, ``positive`` and
``negative``, never in a class colour (the data, the points, the probability bars and the
output's response). The pair is legible on the background and colour-blind safe, the words
name the colours the video draws (and none, under a theme that changes them), and a theme
file may set the pair, checked like every other colour."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
from manim import Square

from nnmodel.trajectory import load
from scenes.anatomy import numbers, pictures
from scenes.anatomy.layout import edge_style, fill_rgbs, sign_colors, sign_names
from scenes.anatomy.plan import anatomy_plan, gather
from scenes.anatomy.scene import RESPONSE_RES
from scenes.core.theme import hex_to_rgb, load_theme, package_theme, theme, use_theme
from scenes.errors import RenderError
from tests.anatomy.anatomy_helpers import scene_for

pytestmark = pytest.mark.usefixtures("own_media")

GOLDEN = Path(__file__).parents[1] / "data" / "golden.npz"  # 2 classes, one logit

#: Colour-vision deficiencies (Machado et al. 2009, severity 1), on linear RGB.
CVD = {
    "normal": np.eye(3),
    "protan": np.array([[0.152286, 1.052583, -0.204868],
                        [0.114503, 0.786281, 0.099216],
                        [-0.003882, -0.048116, 1.051998]]),
    "deutan": np.array([[0.367322, 0.860646, -0.227968],
                        [0.280085, 0.672501, 0.047413],
                        [-0.011820, 0.042940, 0.968881]]),
    "tritan": np.array([[1.255528, -0.076749, -0.178779],
                        [-0.078411, 0.930809, 0.147602],
                        [0.004733, 0.691367, 0.303900]]),
}  # fmt: skip


def linear(color: str) -> np.ndarray:
    """A ``#RRGGBB`` colour in linear RGB."""
    c = np.array(hex_to_rgb(color))
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def oklab(rgb: np.ndarray) -> np.ndarray:
    """Linear RGB to OKLab (Björn Ottosson's matrices)."""
    m1 = np.array(
        [[0.4122214708, 0.5363325363, 0.0514459929], [0.2119034982, 0.6806995451, 0.1073969566],
         [0.0883024619, 0.2817188376, 0.6299787005]]
    )  # fmt: skip
    m2 = np.array(
        [[0.2104542553, 0.7936177850, -0.0040720468], [1.9779984951, -2.4285922050, 0.4505937099],
         [0.0259040371, 0.7827717662, -0.8086757660]]
    )  # fmt: skip
    return m2 @ np.cbrt(m1 @ np.clip(rgb, 0.0, 1.0))


def apart(a: str, b: str, vision: str, tint: float = 1.0) -> float:
    """How far apart two colours look (OKLab distance) to ``vision``, each blended
    ``tint`` of the way from the background (a faint value's edge or fill)."""
    bg = linear(theme().background)

    def seen(color: str) -> np.ndarray:
        return oklab(CVD[vision] @ (bg + tint * (linear(color) - bg)))

    return float(np.linalg.norm(seen(a) - seen(b)))


def contrast(color: str) -> float:
    """WCAG contrast ratio of ``color`` on the theme's background."""

    def lum(c: str) -> float:
        return float(np.array([0.2126, 0.7152, 0.0722]) @ linear(c))

    hi, lo = sorted((lum(color), lum(theme().background)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_the_sign_colours_are_a_pair_of_their_own_never_a_class_s() -> None:
    th = theme()
    pos, neg = sign_colors()
    assert (pos, neg) == (th.positive, th.negative) and pos != neg
    assert not {pos.upper(), neg.upper()} & {c.upper() for c in th.classes}
    s = edge_style([2.0, -2.0], 2.0)
    assert s.colors == (pos, neg)
    for rgb, color in zip(fill_rgbs([5.0, -5.0], 1.0), (pos, neg), strict=True):
        bg = np.array(hex_to_rgb(th.background))
        np.testing.assert_allclose(rgb, bg + 0.85 * (np.array(hex_to_rgb(color)) - bg))


def test_the_default_pair_is_legible_colour_blind_safe_and_unlike_the_classes() -> None:
    """On the dark background at 480p each sign colour has at least WCAG's 4.5:1; the two
    stay apart for every common colour-vision deficiency, even faint (a small value's
    edge or fill, a third of the way from the background); and, to normal vision, each is
    clearly unlike the first three class colours (two- and three-class data), the accent
    and the greys the scene draws with (and still apart from them for colour-blind eyes)."""
    th = package_theme()
    pos, neg = th.positive, th.negative
    assert min(contrast(pos), contrast(neg)) >= 4.5
    others = [*th.classes[:3], th.accent, th.grid, th.subtext]
    for vision in CVD:
        assert apart(pos, neg, vision) >= 0.19, vision
        assert apart(pos, neg, vision, tint=0.35) >= 0.13, vision
        for other in others:
            least = 0.14 if vision == "normal" else 0.08
            assert min(apart(pos, other, vision), apart(neg, other, vision)) >= least, (
                vision,
                other,
            )


@pytest.mark.parametrize("fixture", ["golden", "spiral_wide"])
def test_what_is_drawn_by_sign_and_what_by_class_never_share_a_colour(
    fixture: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The diagram's edges and the hidden units' responses are in the sign colours; the
    inset's regions, the output's response and its key in the class colours; and the two
    sets of colours are apart (a binary net and a 3-class one)."""
    from tests.anatomy.anatomy_helpers import train_net

    path = GOLDEN if fixture == "golden" else train_net(fixture, tmp_path_factory.mktemp("c"))
    scene = scene_for(load(path))
    f, th = scene.facts, theme()
    classes = {th.class_color(k).upper() for k in range(scene.traj.n_classes)}
    signs = {c.upper() for c in sign_colors()}
    assert not classes & signs
    edges = {
        m.get_stroke_color().to_hex().upper()
        for i in range(len(f.weights))
        for m in scene.weight_edges(i)
    }
    assert edges <= signs | {th.grid.upper()}, edges
    scene.grids = numbers.responses(f.weights, f.acts, scene.extent, RESPONSE_RES)
    bg = np.array(hex_to_rgb(th.background))
    for column in range(len(f.widths) - 1):  # inputs and hidden units: by sign
        for px in scene.response_pictures(column):
            tint = px[..., :3].reshape(-1, 3) / 255.0 - bg
            strongest = tint[np.argmax(np.linalg.norm(tint, axis=1))]
            hue = strongest / np.linalg.norm(strongest)
            near = {
                c.upper(): float(hue @ ((d := np.array(hex_to_rgb(c)) - bg) / np.linalg.norm(d)))
                for c in [*sign_colors(), *[th.class_color(k) for k in range(len(classes))]]
            }
            assert max(near, key=near.__getitem__) in signs, near
    key = scene.responses_key()
    swatches = {
        m.get_fill_color().to_hex().upper() for m in key.get_family() if isinstance(m, Square)
    }
    assert swatches == signs
    out = scene.output_key(key.get_bottom()[1] - 0.3)
    swatches = {
        m.get_fill_color().to_hex().upper()
        for m in out.get_family()
        if isinstance(m, Square) and m.get_fill_opacity() > 0
    }
    assert swatches <= classes | {th.background.upper()}
    assert swatches & classes


def test_the_words_name_the_colours_drawn_and_never_call_a_sign_by_a_class_colour() -> None:
    traj = load(GOLDEN)
    beats = {b.id: b for b in anatomy_plan(traj, gather(traj))}
    pos, neg = sign_names() or ("", "")
    assert (pos, neg) == ("purple", "red")
    for id_ in ("weights", "responses"):
        line = beats[id_].line
        assert pos in line.sub and neg in line.sub, line.sub
        assert pos in line.narration.lower() and neg in line.narration, line.narration
    for beat in beats.values():
        for said in (beat.line.caption, beat.line.sub, beat.line.narration):
            assert not re.search(r"\b(blue|orange)\b|Playground", said), (beat.id, said)


def test_a_theme_may_set_the_sign_colours_and_the_words_then_name_none(
    tmp_path: Path,
) -> None:
    path = tmp_path / "theme.json"
    path.write_text(json.dumps({"positive": "#FFFFFF", "negative": "#000000"}))
    mine = load_theme(path)
    assert (mine.positive, mine.negative) == ("#FFFFFF", "#000000")
    assert mine.classes == package_theme().classes
    traj = load(GOLDEN)
    with use_theme(path):
        assert sign_colors() == ("#FFFFFF", "#000000") and sign_names() is None
        beats = {b.id: b for b in anatomy_plan(traj, gather(traj))}
        px = pictures.diverging(np.array([[5.0, -5.0]]), 1.0)
    assert px[0, 0, :3].min() > 200 and px[0, 1, :3].max() < 40  # towards white, black
    for id_ in ("weights", "responses"):
        said = beats[id_].line.sub + beats[id_].line.narration
        assert not re.search(r"\b(purple|red)\b", said) and "legend" in said, said
    assert sign_names() == ("purple", "red")  # nnwarp's own again


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"positive": "purple"}, "positive must be a colour like '#56B4E9'"),
        ({"negative": "#F84B4"}, "negative must be a colour like '#56B4E9'"),
        ({"postive": "#FFFFFF"}, "unknown key 'postive' (did you mean 'positive'?)"),
    ],
)
def test_a_bad_sign_colour_is_refused_naming_its_key(
    tmp_path: Path, data: dict[str, str], message: str
) -> None:
    path = tmp_path / "theme.json"
    path.write_text(json.dumps(data))
    with pytest.raises(RenderError) as err:
        load_theme(path)
    assert message in str(err.value)
