"""The diagram's column titles keep a clear gap at every depth the scene accepts, at their
full size: a deep diagram abbreviates them alike (``layer 3`` → ``L3``, then the
activation left to the captions), never shrinks them out of legibility nor lets
neighbours run together. The geometry is checked from the font's advances (no drawing),
then the titles as built."""

from __future__ import annotations

import itertools

import pytest

from nnmodel.config import MAX_DEPTH
from nnmodel.trajectory import load
from scenes.anatomy.layout import (
    BOARD,
    EDGE_MARGIN,
    FRAME_LEFT,
    TITLE_FORMS,
    TITLE_GAP,
    TITLE_SIZES,
    _place_titles,
    _title_lines,
    column_titles,
    diagram_box,
    diagram_layout,
    titles_clear,
)
from scenes.anatomy.names import (
    MARK_ROOM,
    MATH_ROOM,
    MAX_IN_ROOM,
    MAX_OUT_ROOM,
    OUT_LINES,
    name_room,
    text_width,
)
from tests.anatomy.anatomy_helpers import scene_for, train_net

pytestmark = pytest.mark.usefixtures("own_media")

#: Built-in data (x₁, x₂; one output named "class 1 ✓") and the widest names a file's
#: columns and classes may take: the narrowest diagrams.
ROOMS = {
    "built-in": (MATH_ROOM, name_room(["class 1"], OUT_LINES, MAX_OUT_ROOM, MARK_ROOM)),
    "file": (MAX_IN_ROOM, MAX_OUT_ROOM),
}
ACTS = ["tanh", "relu", "leaky_relu", "sigmoid", "elu", "softplus", "linear"]


@pytest.mark.parametrize("rooms", list(ROOMS))
@pytest.mark.parametrize("act", ACTS)
def test_titles_keep_their_gap_at_full_size_at_every_depth(rooms: str, act: str) -> None:
    in_room, out_room = ROOMS[rooms]
    box = diagram_box(in_room, out_room)
    for depth, width, output in itertools.product(
        range(MAX_DEPTH + 1), (2, 4, 16), ("sigmoid", "softmax")
    ):
        d = diagram_layout([2, *[width] * depth, 3], box, in_room=in_room, out_room=out_room)
        titles = column_titles(d, [act] * depth, output, standardised=rooms == "file")
        where = (rooms, act, depth, width)
        assert titles_clear(titles), where
        assert all(t.scale == 1.0 for t in titles), where  # never shrunk
        for a, b in zip(titles, titles[1:], strict=False):
            assert b.left - a.right >= TITLE_GAP - 1e-9, where
        assert titles[0].left >= FRAME_LEFT + EDGE_MARGIN - 1e-9
        assert titles[-1].right <= BOARD.xmin
        for c, t in enumerate(titles):  # each inside its column's highlight
            spot = d.spot(c)
            assert spot.xmin - 1e-9 <= t.left and t.right <= spot.xmax + 1e-9, (where, c)
            for line, pt in zip(t.lines, TITLE_SIZES, strict=False):  # the widths as planned
                assert text_width(line, pt) <= t.width + 1e-9
        # the fullest form that keeps the gap is the one used, for every hidden column alike
        hidden = titles[1:-1]
        forms = [f for f in TITLE_FORMS if [t.lines for t in hidden] == [
            _title_lines(f, i + 1, act) for i in range(depth)
        ]]  # fmt: skip
        assert forms, where
        for form in TITLE_FORMS[: TITLE_FORMS.index(forms[0])] if depth else ():
            lines = [t.lines for t in titles]
            lines[1:-1] = [_title_lines(form, i + 1, act) for i in range(depth)]
            assert not titles_clear(_place_titles(d, lines, 1.0)), (where, form)  # too tight


def test_shallow_networks_keep_their_titles_in_full() -> None:
    d = diagram_layout([2, 3, 2, 1])
    titles = column_titles(d, ["tanh", "tanh"], "sigmoid")
    assert [t.lines for t in titles] == [
        ("input",),
        ("layer 1", "tanh"),
        ("layer 2", "tanh"),
        ("output", "sigmoid"),
    ]
    assert [t.x for t in titles] == [c.x for c in d.columns]  # centred over their columns


@pytest.mark.parametrize("net", ["deep_tanh"])
def test_a_deep_diagram_s_titles_as_built_keep_a_clear_gap_at_full_size(
    net: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Six 2-unit tanh layers on built-in data: the titles drawn never come closer than
    the gap, nor smaller than their sizes (16 px tall at 480p for the name)."""
    from scenes.mobjects.widgets import text

    scene = scene_for(load(train_net(net, tmp_path_factory.mktemp("titles"))))
    built = list(scene.diagram.titles)
    assert len(built) == 8
    for a, b in zip(built, built[1:], strict=False):
        assert b.get_left()[0] - a.get_right()[0] >= TITLE_GAP - 0.01, (a[0].text, b[0].text)
    for title in built:
        for line, pt in zip(title, TITLE_SIZES, strict=False):
            assert line.height == pytest.approx(text(line.text, pt).height), line.text
