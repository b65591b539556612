"""The diagram's geometry and styles, and the panel's plot and inset, without rendering."""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pytest

from nnmodel import activations
from scenes.anatomy.layout import (
    BOARD,
    DIAGRAM,
    INSET,
    MAX_EDGE,
    MAX_UNITS,
    MIN_EDGE,
    diagram_layout,
    edge_style,
    fill_rgbs,
    fit_extent,
    plot_frame,
    sign_colors,
)
from scenes.core.theme import hex_to_rgb, theme
from scenes.core.view import Box

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "widths", [[2, 2, 2, 2, 2, 1], [2, 8, 8, 3], [2, 16, 16, 2, 1], [2, *[64] * 8, 8], [2, 1]]
)
def test_columns_fill_the_box_evenly_and_neurons_line_up(widths: list[int]) -> None:
    d = diagram_layout(widths)
    xs = [c.x for c in d.columns]
    assert xs[0] == pytest.approx(DIAGRAM.xmin) and xs[-1] == pytest.approx(DIAGRAM.xmax)
    np.testing.assert_allclose(np.diff(xs), d.gap)
    centre = (DIAGRAM.ymin + DIAGRAM.ymax) / 2
    for col, w in zip(d.columns, widths, strict=True):
        assert col.width == w
        slots = col.shown + (1 if col.more else 0)
        assert slots <= MAX_UNITS
        assert col.ys.min() >= DIAGRAM.ymin - 1e-9 and col.ys.max() <= DIAGRAM.ymax + 1e-9
        if col.shown > 1:  # one spacing for every column, top to bottom
            np.testing.assert_allclose(np.diff(col.ys), -d.spacing)
        top = col.ys[0]
        bottom = col.more_at[1] if col.more_at else col.ys[-1]
        assert (top + bottom) / 2 == pytest.approx(centre)  # centred
    # neurons never touch: in a column, nor across the gap
    assert 2 * d.radius < d.spacing and 2 * d.radius < d.gap


def test_a_layer_too_wide_shows_its_first_units_and_says_how_many_more() -> None:
    d = diagram_layout([2, 16, 5, 1])
    wide = d.columns[1]
    assert (wide.shown, wide.more) == (MAX_UNITS - 1, 16 - (MAX_UNITS - 1))
    assert wide.more_at is not None
    assert wide.more_at == pytest.approx((wide.x, wide.ys[-1] - d.spacing))  # the next slot
    assert d.columns[2].more == 0 and d.columns[2].more_at is None
    assert d.too_wide and not diagram_layout([2, 6, 1]).too_wide


def test_every_drawn_edge_joins_the_right_neurons_and_indexes_w_as_torch_does() -> None:
    d = diagram_layout([2, 16, 3])
    dst, src = d.edge_units(1)  # 16 → 3: the 5 drawn sources to all 3 outputs
    assert len(dst) == 3 * 5
    ends = d.edge_ends(1)
    w = np.arange(3 * 16, dtype=float).reshape(3, 16)  # (out, in) as torch
    for e, (j, i) in enumerate(zip(dst, src, strict=True)):
        np.testing.assert_allclose(ends[e, 0], d.columns[1].positions[i])
        np.testing.assert_allclose(ends[e, 1], d.columns[2].positions[j])
        assert w[dst, src][e] == 16 * j + i
    assert set(zip(dst.tolist(), src.tolist(), strict=True)) == {
        (j, i) for j in range(3) for i in range(5)
    }


def test_edges_read_as_sign_and_magnitude() -> None:
    pos, neg = sign_colors()
    assert pos != neg
    values = np.array([-3.0, -1.0, -0.1, 0.0, 0.1, 1.0, 3.0])
    s = edge_style(values, 3.0)
    assert s.colors == (neg, neg, neg, theme().grid, pos, pos, pos)  # 0 has no sign
    # thicker and more opaque for larger magnitudes, whatever the sign
    order = np.argsort(np.abs(values), kind="stable")
    assert np.all(np.diff(s.widths[order]) >= 0) and np.all(np.diff(s.opacities[order]) >= 0)
    assert s.widths[0] == s.widths[-1] == pytest.approx(MAX_EDGE)
    assert s.widths[3] == pytest.approx(MIN_EDGE)
    # a larger magnitude than vmax is drawn as vmax, never wider
    assert edge_style([30.0], 3.0).widths[0] == pytest.approx(MAX_EDGE)
    # no scale (all zero): everything thin, nothing divides by zero
    assert np.all(edge_style([0.0, 0.0], 0.0).widths == MIN_EDGE)


def test_neuron_fills_are_the_background_at_zero_and_the_sign_s_colour_at_the_top() -> None:
    bg = np.array(hex_to_rgb(theme().background))
    pos, neg = (np.array(hex_to_rgb(c)) for c in sign_colors())
    rgb = fill_rgbs([0.0, 2.0, -2.0, 1.0], 2.0)
    np.testing.assert_allclose(rgb[0], bg)
    np.testing.assert_allclose(rgb[1], bg + 0.85 * (pos - bg))
    np.testing.assert_allclose(rgb[2], bg + 0.85 * (neg - bg))
    assert np.linalg.norm(rgb[3] - bg) < np.linalg.norm(rgb[1] - bg)


def test_the_inset_keeps_the_plane_s_aspect_inside_its_box() -> None:
    box = fit_extent((-2.0, 2.0, -1.0, 1.0), INSET)
    assert (box.xmax - box.xmin) / (box.ymax - box.ymin) == pytest.approx(2.0)
    assert box.xmin >= INSET.xmin - 1e-9 and box.xmax <= INSET.xmax + 1e-9
    assert box.ymin >= INSET.ymin - 1e-9 and box.ymax <= INSET.ymax + 1e-9
    np.testing.assert_allclose(box.centre, INSET.centre)


@pytest.mark.parametrize("name", ["tanh", "relu", "sigmoid", "elu"])
def test_the_activation_plot_frames_the_curve_and_clamps_outliers(name: str) -> None:
    rng = np.random.default_rng(0)
    z = np.concatenate([rng.normal(0, 1.5, 990), [40.0] * 10])  # 1 % far outliers
    f = plot_frame(name, z, BOARD)
    lo, hi = f.zlim
    assert lo == -hi and hi >= 3 and hi == int(hi)
    assert hi >= np.percentile(np.abs(z), 99) and hi < 40  # the outliers do not squeeze it
    curve = activations.get(name)(np.linspace(lo, hi, 241))
    assert f.ylim[0] < curve.min() and f.ylim[1] > curve.max()
    screen = f.to_screen(z, activations.get(name)(z))
    assert Box(*BOARD.as_tuple()).contains(screen)  # outliers drawn at the edge
    assert screen[-1, 0] == pytest.approx(BOARD.xmax)


def test_the_panel_and_the_diagram_do_not_overlap() -> None:
    assert DIAGRAM.xmax + 0.5 < min(INSET.xmin, BOARD.xmin)
    assert BOARD.ymax <= INSET.ymin


@pytest.mark.parametrize("module", ["layout", "names", "numbers", "pictures", "plan"])
def test_the_anatomy_s_numbers_and_geometry_import_no_manim(module: str) -> None:
    path = ROOT / "scenes" / "anatomy" / f"{module}.py"
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    bad = ("manim", "torch", "cairo", "scenes.draw", "scenes.mobjects", "scenes.anatomy.scene")
    assert sorted(m for m in found if m.startswith(bad)) == []
