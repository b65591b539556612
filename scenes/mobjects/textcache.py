"""Text and formulas built once: a cache of their outlines on disk, shared by every render.

Manim makes a :class:`~manim.Text` by asking Pango for an SVG, parsing it and turning every
path into Bézier curves: 0.1–0.3 s for one caption, the largest cost of a preview. The
outlines only depend on the words and their look (font, size, weight, colour) and on the
versions of Manim and Pango, so :func:`cached` keeps each one as plain arrays in the
user's cache folder (:func:`default_folder`: ``$NNWARP_TEXT_CACHE``, else
``$XDG_CACHE_HOME/nnwarp/text``, else ``~/.cache/nnwarp/text``; a render never puts a
folder where the user did not ask for one) and rebuilds the mobject from them in a few
milliseconds.

A mobject always comes back rebuilt from those arrays, also the first time, so a render
draws the same pixels whether the cache was warm or cold. An entry is written to a
temporary file and renamed into place; one that cannot be read is made again.

>>> import tempfile
>>> from manim import Square
>>> with text_cache(Path(tempfile.mkdtemp())):
...     a = cached("demo", {"side": 2}, lambda: Square(2))
...     b = cached("demo", {"side": 2}, lambda: Square(3))  # found: not built again
>>> bool(np.allclose(a.points, b.points))
True
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
from manim import VGroup, VMobject

__all__ = [
    "FORMAT",
    "PAGE",
    "Outlines",
    "cached",
    "default_folder",
    "flatten",
    "page_text",
    "text_cache",
]

#: Changes whenever what is stored, how it is rebuilt or what a builder of it makes changes
#: (:func:`scenes.mobjects.widgets.text` and :func:`~scenes.mobjects.widgets.math`).
FORMAT = 3

#: The page (in pixels) Pango lays text out on. Manim's ``Text`` takes the render's own
#: frame size and wraps a line wider than it, so a small render (a thumbnail, a test at
#: 192×108) would break a caption where a 1080p one does not, and the cache would hand
#: that broken caption to every render after it.
PAGE = (1920, 1080)

_folder: Path | None = None


class Outlines(VGroup):
    """Text or math drawn from stored outlines: what :func:`cached` returns (a tool that
    leaves text out of a picture, like the golden-frame tests, looks for this class)."""

    #: The words (or the Typst source) it shows.
    text: str = ""


def page_text(*args: Any, **kwargs: Any) -> VMobject:
    """Manim's ``Text(*args, **kwargs)``, laid out on :data:`PAGE` whatever the render's
    size: the same words break the same way in every video."""
    from manim import Text, tempconfig

    with tempconfig({"pixel_width": PAGE[0], "pixel_height": PAGE[1]}):
        return Text(*args, **kwargs)


def default_folder() -> Path:
    """Where outlines are kept: ``$NNWARP_TEXT_CACHE``, else ``$XDG_CACHE_HOME/nnwarp/text``,
    else ``~/.cache/nnwarp/text``."""
    import os

    if os.environ.get("NNWARP_TEXT_CACHE"):
        return Path(os.environ["NNWARP_TEXT_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "nnwarp" / "text"


@contextmanager
def text_cache(folder: Path | None) -> Iterator[None]:
    """Keep and reuse outlines in ``folder`` inside the block (None: build every time)."""
    global _folder
    before = _folder
    _folder = None if folder is None else Path(folder)
    try:
        yield
    finally:
        _folder = before


def _versions() -> dict[str, str]:
    import manim
    import manimpango

    return {"manim": manim.__version__, "manimpango": manimpango.__version__}


def key_of(kind: str, args: dict[str, Any]) -> str:
    """The sha256 (hex) naming the outlines of ``kind`` built with ``args``."""
    blob = json.dumps(
        {"format": FORMAT, "kind": kind, "args": args, **_versions()},
        sort_keys=True,
        ensure_ascii=False,
        default=str,
    )
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def cached(kind: str, args: dict[str, Any], build: Callable[[], VMobject]) -> VMobject:
    """The mobject ``build()`` makes, rebuilt from its arrays (kept on disk under the
    cache folder, if one is set, with ``kind`` and ``args`` as the key)."""
    folder = _folder
    path = None if folder is None else folder / f"{key_of(kind, args)}.npz"
    words = str(args.get("text", args.get("source", "")))
    if path is not None and path.is_file():
        try:
            with np.load(path, allow_pickle=False) as data:
                return _rebuild({k: data[k] for k in data.files}, words)
        except (OSError, ValueError, KeyError, zipfile.BadZipFile):
            pass  # damaged: made again below
    arrays = _arrays(build())
    if path is not None:
        _store(path, arrays)
    return _rebuild(arrays, words)


def _store(path: Path, arrays: dict[str, np.ndarray]) -> None:
    from nnmodel.fileio import atomic_file

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_file(path) as tmp, tmp.open("wb") as f:
            np.savez(f, **arrays)  # type: ignore[arg-type]  # (numpy's stub: **kwds)
    except OSError:
        pass  # a cache that cannot be written only costs time


#: Per-node numbers kept besides the arrays, in this order.
_SCALARS = ("stroke_width", "background_stroke_width", "sheen_factor")


def _arrays(root: VMobject) -> dict[str, np.ndarray]:
    """``root``'s family as flat arrays: the tree (parent of each node), every node's
    points and colours (concatenated, with offsets) and its stroke widths and sheen."""
    nodes: list[VMobject] = []
    parents: list[int] = []

    def walk(m: VMobject, parent: int) -> None:
        nodes.append(m)
        parents.append(parent)
        me = len(nodes) - 1
        for s in m.submobjects:
            walk(s, me)

    walk(root, -1)
    out: dict[str, np.ndarray] = {"parent": np.array(parents, np.int64)}
    fields: dict[str, Callable[[Any], Any]] = {
        "points": lambda m: m.points,
        "fill": lambda m: m.fill_rgbas,
        "stroke": lambda m: m.stroke_rgbas,
        "back": lambda m: m.background_stroke_rgbas,
    }
    for name, get in fields.items():
        width = 3 if name == "points" else 4
        parts = [np.asarray(get(m), np.float64).reshape(-1, width) for m in nodes]
        out[name] = np.concatenate(parts) if parts else np.zeros((0, 3))
        out[f"{name}_n"] = np.array([len(p) for p in parts], np.int64)
    out["scalars"] = np.array([[float(getattr(m, s)) for s in _SCALARS] for m in nodes])
    out["sheen_direction"] = np.array([np.asarray(m.sheen_direction, float) for m in nodes])
    out["z_index"] = np.array([float(m.z_index) for m in nodes])
    return out


def _rebuild(a: dict[str, np.ndarray], words: str = "") -> VMobject:
    """The mobject tree stored by :func:`_arrays`."""
    parents = a["parent"]
    split = {
        name: np.split(a[name], np.cumsum(a[f"{name}_n"])[:-1])
        for name in ("points", "fill", "stroke", "back")
    }
    nodes: list[VMobject] = []
    for i, parent in enumerate(parents):
        has_children = i + 1 < len(parents) and parents[i + 1] == i
        leaf = not has_children and len(split["points"][i]) > 0
        m = Outlines() if i == 0 else VMobject() if leaf else VGroup()
        m.points = split["points"][i].copy()
        m.fill_rgbas = split["fill"][i].copy()
        m.stroke_rgbas = split["stroke"][i].copy()
        m.background_stroke_rgbas = split["back"][i].copy()
        for name, value in zip(_SCALARS, a["scalars"][i], strict=True):
            setattr(m, name, float(value))
        m.sheen_direction = a["sheen_direction"][i].copy()
        m.z_index = float(a["z_index"][i])
        nodes.append(m)
        if parent >= 0:
            nodes[parent].submobjects.append(m)
    if isinstance(nodes[0], Outlines):
        nodes[0].text = words
    return nodes[0]


def flatten(m: VMobject) -> VGroup:
    """``m``'s outlines as few paths as it has looks: one :class:`VMobject` per distinct
    fill, stroke and sheen, holding every glyph of that look as its own subpaths.

    Drawing and fading a caption then costs one path per colour instead of one per
    glyph (Cairo fills each subpath as it would have alone: glyphs do not overlap).
    """
    groups: dict[bytes, list[Any]] = {}
    leaf: Any
    for i, leaf in enumerate(m.family_members_with_points()):
        if len(leaf.fill_rgbas) > 1 or len(leaf.stroke_rgbas) > 1:  # a gradient: kept alone
            groups[b"%d" % i] = [leaf]
            continue
        look = np.concatenate(
            [
                np.ravel(leaf.fill_rgbas),
                np.ravel(leaf.stroke_rgbas),
                np.ravel(leaf.background_stroke_rgbas),
                [leaf.stroke_width, leaf.background_stroke_width, leaf.sheen_factor],
                np.ravel(leaf.sheen_direction),
                [leaf.z_index],
            ]
        ).tobytes()
        groups.setdefault(look, []).append(leaf)
    out = VGroup()
    for leaves in groups.values():
        first = leaves[0]
        path = VMobject()
        path.points = np.concatenate([leaf.points for leaf in leaves])
        path.fill_rgbas = first.fill_rgbas.copy()
        path.stroke_rgbas = first.stroke_rgbas.copy()
        path.background_stroke_rgbas = first.background_stroke_rgbas.copy()
        for name in _SCALARS:
            setattr(path, name, getattr(first, name))
        path.sheen_direction = np.array(first.sheen_direction, float)
        path.z_index = first.z_index
        out.add(path)
    return out
