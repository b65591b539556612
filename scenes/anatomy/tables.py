"""The anatomy's tables as strings, from the facts alone (no Manim).

Each table on the board is a header, rows of written numbers and, for a layer too wide to
draw, a foot line about the units left out ("+11 more units: all 0.00"). A table's header
is an equation its rows must satisfy (``h = tanh(z)``, ``δ = Wᵀδ × σ′(z)``, ``δ = p − y``):
the inputs of that equation are written with the fewest decimals (2 to 4, one count per
column) at which every row checks out with the numbers written, as the captions' equations
are (:func:`scenes.narration.anatomy.written`); only if none does is the header written with
``≈``. Every network number written is listed with its key (:attr:`Table.shown`), so a test
can compare it with its own computation.

>>> from nnmodel.trajectory import load
>>> from scenes.anatomy.plan import gather
>>> t = forward_table(gather(load("tests/data/golden.npz")), 0)
>>> t.head, len(t.rows), t.foot
(['unit', 'z = W·x + b', 'h = tanh(z)'], 2, '')
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from nnmodel import activations
from scenes.anatomy import numbers
from scenes.anatomy.plan import Facts
from scenes.narration.anatomy import DIGITS, fixed, num, value

__all__ = ["Table", "backward_table", "error_table", "forward_table", "input_table", "rest_note"]


@dataclass(frozen=True)
class Table:
    """A table as written: its header, its rows (one per drawn unit), a foot line (empty
    when every unit is drawn), the row in the accent colour (or None), and every network
    number written, as ``(key, text)``."""

    head: list[str]
    rows: list[list[str]]
    foot: str = ""
    mark: int | None = None
    shown: list[tuple[str, str]] = field(default_factory=list)


def _digits(check: Callable[[int], bool]) -> int | None:
    """The fewest decimals of :data:`~scenes.narration.anatomy.DIGITS` that pass ``check``."""
    for d in DIGITS:
        if check(d):
            return d
    return None


def rest_note(values: Sequence[float], drawn: Sequence[int], name: str) -> str:
    """The foot line of a table whose layer has units not drawn: how many, and how large
    their ``name`` values are at most (``values``: the whole layer's).

    >>> rest_note([0.0, 2.0, 0.0, 0.001], [1], "h")
    '+3 more units: all 0.00'
    >>> rest_note([0.3, 2.0, -0.51], [1], "|δ|")
    '+2 more units: |δ| ≤ 0.51'
    """
    rest = [abs(float(v)) for u, v in enumerate(values) if u not in set(drawn)]
    if not rest:
        return ""
    top = num(max(rest))
    tail = "all 0.00" if top == "0.00" else f"{name} ≤ {top}"
    return f"+{len(rest)} more units: {tail}"


def forward_table(f: Facts, layer: int) -> Table:
    """Hidden layer ``layer`` (from 0): each drawn unit's ``z`` and ``h = act(z)``."""
    column = layer + 1
    z, h = f.point.z[layer], f.point.a[layer]
    act = activations.get(f.acts[layer])
    units = f.layout.columns[column].units

    def checks(d: int) -> bool:
        written = np.array([value(fixed(z[u], d)) for u in units], np.float64)
        return [num(v) for v in act(written)] == [num(h[u]) for u in units]

    d = _digits(checks)
    name = f.acts[layer].replace("_", " ")
    head = [
        "unit",
        f"z = W·{'x' if layer == 0 else 'h'} + b",
        f"h {'≈' if d is None else '='} {name}(z)",
    ]
    rows, shown = [], []
    for u in units:
        zt, ht = fixed(z[u], d or 2), num(h[u])
        rows.append([str(u + 1), zt, ht])
        shown += [(f"z{column}.{u}", zt), (f"h{column}.{u}", ht)]
    return Table(head, rows, rest_note(np.abs(h).tolist(), units, "|h|"), shown=shown)


def error_table(f: Facts, names: Sequence[str]) -> Table:
    """The output's ``δ = p − y``: one row for one logit (class 1's), else one per drawn
    class, the true one marked."""
    p = f.point
    column = len(f.widths) - 1
    delta = p.dz[-1]
    units = f.layout.columns[column].units
    one = len(delta) == 1
    rows: list[list[str]] = []
    shown: list[tuple[str, str]] = []
    ok = True
    for u in units:
        k = 1 if one else u
        y = p.label if one else int(k == p.label)
        dt, pk = num(delta[u]), float(p.probs[k])

        def checks(n: int, pk: float = pk, y: int = y, dt: str = dt) -> bool:
            return num(value(fixed(pk, n)) - y) == dt

        d = _digits(checks)
        ok = ok and d is not None
        rows.append([names[k], fixed(pk, d or 2), str(y), dt])
        shown.append((f"delta{column}.{u}", dt))
    head = ["class", "p", "y", f"δ {'=' if ok else '≈'} p − y"]
    mark = None if one else list(units).index(p.label)
    foot = rest_note(np.abs(delta).tolist(), units, "|δ|") if not one else ""
    return Table(head, rows, foot, mark, shown)


def backward_table(f: Facts, layer: int) -> Table:
    """Weight layer ``layer`` (≥ 1) back to hidden layer ``layer``: each drawn unit's
    ``Wᵀδ``, the activation's slope, and their product ``δ``."""
    p = f.point
    up, slope, delta = numbers.chain(f.weights, f.acts, p, layer)
    units = f.layout.columns[layer].units

    def checks(d: int) -> bool:
        return all(
            num(value(fixed(up[u], d)) * value(fixed(slope[u], d))) == num(delta[u]) for u in units
        )

    d = _digits(checks)
    name = f.acts[layer - 1].replace("_", " ")
    head = ["unit", "Wᵀδ", f"{name}′(z)", "δ" if d is not None else "≈ δ"]
    rows, shown = [], []
    for u in units:
        cells = [fixed(up[u], d or 2), fixed(slope[u], d or 2), num(delta[u])]
        rows.append([str(u + 1), *cells])
        keys = (f"up{layer}.{u}", f"slope{layer}.{u}", f"delta{layer}.{u}")
        shown += list(zip(keys, cells, strict=True))
    return Table(head, rows, rest_note(np.abs(delta).tolist(), units, "|δ|"), shown=shown)


def input_table(f: Facts) -> Table:
    """The first layer's gradients, unit by drawn unit: ``dL/dw₁``, ``dL/dw₂``, ``dL/db``."""
    p = f.point
    units = f.layout.columns[1].units
    head = ["unit", "dL/dw₁", "dL/dw₂", "dL/db"]
    rows, shown = [], []
    for u in units:
        cells = [num(p.dW[0][u, 0]), num(p.dW[0][u, 1]), num(p.db[0][u])]
        rows.append([str(u + 1), *cells])
        keys = (f"dW0.{u}.0", f"dW0.{u}.1", f"db0.{u}")
        shown += list(zip(keys, cells, strict=True))
    largest = np.abs(p.dW[0]).max(axis=1).tolist()
    return Table(head, rows, rest_note(largest, units, "|dL/dW|"), shown=shown)
