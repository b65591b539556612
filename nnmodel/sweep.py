"""Grids of runs to compare, from lists of values, a preset or a TOML file; trained in parallel.

A :class:`Sweep` is a rows × columns grid of full :class:`~nnmodel.config.RunConfig` objects
with a short label per cell: what ``nnwarp render compare`` shows side by side on one clock.
It is built from a base config and one or two :class:`Axis` (:func:`grid`; on the command
line ``--vary lr=0.1,0.01``, :func:`parse_vary`), from a preset (:func:`from_preset`, see
:mod:`nnmodel.presets`) or from a sweep file (:func:`load`), and every way of building one
checks it the same way, before anything is trained: at least 2 and at most
:data:`MAX_CELLS` runs, at most :data:`MAX_ROWS` rows and :data:`MAX_COLUMNS` columns when
both vary, one dataset, no two cells alike. :func:`train` trains the cells that are not in
the cache yet, in parallel processes (one thread each), through
:func:`nnmodel.pipeline.ensure_trajectory`: a rerun trains nothing.

The sweep file (TOML) is small: top-level ``name`` and ``description`` (both optional), a
``[base]`` table of training options named as on the command line (``dataset``, ``hidden``,
``activation``, ``lr``, ``batch_size`` ...: :data:`OPTIONS`), and a ``[grid]`` table with
``rows`` and/or ``columns``, each an inline table of ONE option and its list of values::

    name = "activation-vs-lr"
    [base]
    dataset = "moons"
    hidden = [2, 2]
    epochs = 300
    [grid]
    rows = { activation = ["relu", "tanh"] }
    columns = { lr = [0.1, 0.01, 0.001] }

A data file (``dataset = "data/points.csv"``) is relative to the sweep file's folder, as in
story and jobs files. Every mistake is one line naming the file, the line and the key
(``compare.toml:9: key 'grid.columns.lr': 'fast' is not a number``), before any training.

Example
-------
>>> from nnmodel.config import RunConfig
>>> sw = grid(RunConfig(), parse_vary("activation=relu,tanh"), parse_vary("lr=0.1,0.01,0.001"))
>>> sw.shape, sw.labels[1][0], sw.cells[1][0].train.lr
((2, 3), 'tanh · lr 0.1', 0.1)
>>> sw.varies
('activation', 'lr')
"""

from __future__ import annotations

import dataclasses
import difflib
import os
import sys
import tomllib
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nnmodel.config import RunConfig, hidden_label, parse_activation, parse_hidden
from nnmodel.errors import ConfigError, NnwarpError, TrainingError
from nnmodel.tomllines import key_lines, line_of

__all__ = [
    "MAX_CELLS",
    "MAX_COLUMNS",
    "MAX_ROWS",
    "OPTIONS",
    "Axis",
    "Option",
    "Sweep",
    "Trained",
    "cache_paths",
    "cores",
    "from_preset",
    "grid",
    "load",
    "parse_vary",
    "train",
]

#: Most runs in one comparison: each gets a cell of the 16:9 frame with its plot, label,
#: numbers and badges, which stay legible at 480p up to 12 cells (3 × 4).
MAX_CELLS = 12
#: Most rows, and columns, of a grid where both vary (a single list of values is laid out
#: in as many rows as fit, up to :data:`MAX_CELLS`).
MAX_ROWS = 3
MAX_COLUMNS = 4

#: How training processes start. On Linux "fork": a worker is a copy of this process, with
#: torch already imported (importing torch costs a fresh interpreter about 3 s of CPU; the
#: trainer's own optimisers, :mod:`nnmodel.optim`, spare it torch._dynamo's 2 s more).
#: Each worker sets torch to one thread before any work, as torch's own DataLoader workers
#: do after a fork. Elsewhere "spawn" (fork is unsafe on macOS).
START_METHOD = "fork" if sys.platform == "linux" else "spawn"

Value = Any  # the value of a RunConfig field: int, float, str, bool, tuple or None


# ----------------------------------------------------------------------------- options


class _Bad(ValueError):
    """A value that does not parse; the message says what is wrong with it."""


def _plain(value: Value) -> str:
    """A value as the user wrote it, for messages."""
    return repr(value) if isinstance(value, str) else str(value)


def _int(value: Value) -> int:
    if isinstance(value, bool):
        raise _Bad(f"{_plain(value)} is not a whole number")
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            pass
    raise _Bad(f"{_plain(value)} is not a whole number")


def _float(value: Value) -> float:
    if isinstance(value, bool):
        raise _Bad(f"{_plain(value)} is not a number")
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            pass
    raise _Bad(f"{_plain(value)} is not a number")


def _none_or(parse: Callable[[Value], Value], words: tuple[str, ...]) -> Callable[[Value], Value]:
    """``parse``, or None for one of ``words`` (TOML has no null)."""

    def parse_or_none(value: Value) -> Value:
        if isinstance(value, str) and value.strip().lower() in words:
            return None
        try:
            return parse(value)
        except _Bad as exc:
            raise _Bad(f"{exc} (or {' / '.join(repr(w) for w in words)})") from None

    return parse_or_none


def _show(value: Value) -> str:
    """A parsed value for messages: ``0.1``, ``8,2``, ``relu``, ``none``.

    >>> _show(0.10), _show((8, 2)), _show(None)
    ('0.1', '8,2', 'none')
    """
    if value is None:
        return "none"
    if isinstance(value, tuple):
        return ",".join(_show(v) for v in value)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _str(value: Value) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _Bad(f"{_plain(value)} is not a name")
    return value.strip().lower()


def _is_file_name(name: str) -> bool:
    """Whether a dataset name is a data file's path (as :class:`~nnmodel.config.DataConfig`
    decides), not a built-in dataset's name."""
    return name.lower().endswith((".csv", ".npz")) or "/" in name or os.sep in name


def _dataset(value: Value) -> str:
    """A built-in dataset's name (any case), or a data file's path as written.

    >>> _dataset(" Moons "), _dataset("Data/Points.CSV")
    ('moons', 'Data/Points.CSV')
    """
    name = _str(value) if not isinstance(value, str) or not value.strip() else value.strip()
    return name if _is_file_name(name) else name.lower()


def _bool(value: Value) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "yes", "false", "no"):
        return value.strip().lower() in ("true", "yes")
    raise _Bad(f"{_plain(value)} is not true or false")


def _hidden(value: Value) -> tuple[int, ...]:
    """Hidden widths from a sweep file: a list, one width, or text as ``--hidden`` takes it;
    0 (like ``--hidden 0``) or an empty list is no hidden layer.

    >>> _hidden([8, 2]), _hidden(4), _hidden(0), _hidden("8,2"), _hidden([])
    ((8, 2), (4,), (), (8, 2), ())
    """
    if isinstance(value, list):
        return tuple(_int(v) for v in value)
    if isinstance(value, int) and not isinstance(value, bool):
        return (value,) if value else ()
    if isinstance(value, str):
        try:
            return parse_hidden(value)
        except ConfigError:
            pass
    raise _Bad(f'{_plain(value)} is not a list of widths (e.g. [8, 2] or "8,2")')


def _activation(value: Value) -> tuple[str, ...]:
    if isinstance(value, list) and value:
        return tuple(_str(v).replace("-", "_") for v in value)
    if isinstance(value, str) and value.strip():
        return parse_activation(value)
    raise _Bad(f'{_plain(value)} is not an activation (e.g. "relu" or ["relu", "tanh"])')


def _columns(value: Value) -> tuple[str, str, str]:
    parts = value.split(",") if isinstance(value, str) else value
    if isinstance(parts, list) and len(parts) == 3 and all(isinstance(p, str) for p in parts):
        a, b, c = (p.strip() for p in parts)
        return a, b, c
    raise _Bad(f"{_plain(value)} is not three columns (two features, then the label)")


_ACTIVATION_NAMES = {
    "relu": "ReLU",
    "leaky_relu": "leaky ReLU",
    "elu": "ELU",
    "tanh": "tanh",
    "sigmoid": "sigmoid",
    "softplus": "softplus",
    "linear": "linear",
}


def _percent(share: float) -> str:
    return f"{share * 100:g} %"


@dataclass(frozen=True)
class Option:
    """An option a sweep may set: its name, where it lives in a RunConfig, how to read it.

    Attributes
    ----------
    name : str
        The name in a sweep file and in ``--vary`` (the command-line option's, with ``_``).
    section : str
        The RunConfig part holding it (``"data"``, ``"model"``, ``"train"``, ``"export"``),
        or ``""`` for the seed.
    field : str
        The field of that part.
    parse : callable
        A TOML value or a piece of command-line text → the field's value; raises
        ``ValueError`` saying what is wrong.
    label : callable
        A field value → its short label in a cell (``"lr 0.1"``).
    varies : bool
        Whether a grid may vary it (not the dataset: a grid compares runs on one dataset).
    """

    name: str
    section: str
    field: str
    parse: Callable[[Value], Value]
    label: Callable[[Value], str]
    varies: bool = True

    def get(self, cfg: RunConfig) -> Value:
        """This option's value in ``cfg``."""
        part = cfg if not self.section else getattr(cfg, self.section)
        return getattr(part, self.field)

    def set(self, cfg: RunConfig, value: Value) -> RunConfig:
        """``cfg`` with this option set to ``value`` (validated: may raise ConfigError)."""
        if not self.section:
            return dataclasses.replace(cfg, **{self.field: value})
        part = dataclasses.replace(getattr(cfg, self.section), **{self.field: value})
        return dataclasses.replace(cfg, **{self.section: part})


def _options() -> dict[str, Option]:
    table = [
        Option("dataset", "data", "name", _dataset, str, varies=False),
        Option("columns", "data", "columns", _columns, lambda v: ",".join(v), varies=False),
        Option(
            "standardize",
            "data",
            "standardize",
            _bool,
            lambda v: "standardised" if v else "own units",
        ),
        Option("samples", "data", "samples", _int, lambda v: f"{v} points"),
        Option("noise", "data", "noise", _float, lambda v: f"noise {v:g}"),
        Option("arms", "data", "arms", _int, lambda v: f"{v} arms"),
        Option("hidden", "model", "hidden", _hidden, hidden_label),
        Option(
            "activation",
            "model",
            "activation",
            _activation,
            lambda v: ", ".join(_ACTIVATION_NAMES.get(a, a) for a in v),
        ),
        Option(
            "optimizer", "train", "optimizer", _str, lambda v: {"adam": "Adam"}.get(v, v.upper())
        ),
        Option("lr", "train", "lr", _float, lambda v: f"lr {v:g}"),
        Option("epochs", "train", "epochs", _int, lambda v: f"{v} epochs"),
        Option(
            "batch_size",
            "train",
            "batch_size",
            _none_or(_int, ("full",)),
            lambda v: "full batch" if v is None else f"batch {v}",
        ),
        Option(
            "weight_decay",
            "train",
            "weight_decay",
            _float,
            lambda v: f"decay {v:g}" if v else "no decay",
        ),
        Option(
            "target_loss",
            "train",
            "target_loss",
            _none_or(_float, ("none",)),
            lambda v: "no target" if v is None else f"target {v:g}",
        ),
        Option(
            "test_fraction",
            "train",
            "test_fraction",
            _float,
            lambda v: f"{_percent(v)} held out" if v else "none held out",
        ),
        Option("snapshots", "export", "snapshots", _int, lambda v: f"{v} snapshots"),
        Option("seed", "", "seed", _int, lambda v: f"seed {v}"),
    ]
    return {o.name: o for o in table}


#: Every option a sweep file's ``[base]`` may set, and (where ``varies``) a grid may vary.
OPTIONS: Mapping[str, Option] = _options()


def _option(name: object, where: str) -> Option:
    """The option called ``name``, or a ConfigError naming the close ones."""
    key = name.strip().lower().replace("-", "_") if isinstance(name, str) else ""
    if key in OPTIONS:
        return OPTIONS[key]
    close = difflib.get_close_matches(key, list(OPTIONS), n=1)
    hint = f"did you mean '{close[0]}'? " if close else ""
    raise ConfigError(f"{where}: unknown option {name!r}; {hint}choose from {', '.join(OPTIONS)}")


# ----------------------------------------------------------------------------- axes


@dataclass(frozen=True)
class Axis:
    """One option and its values along the rows or the columns of a grid.

    Use :func:`parse_vary` or :meth:`of` to build one: they parse and check the values.
    """

    option: str
    values: tuple[Value, ...]

    @property
    def labels(self) -> tuple[str, ...]:
        """A short label per value (``"lr 0.1"``)."""
        opt = OPTIONS[self.option]
        return tuple(opt.label(v) for v in self.values)

    @classmethod
    def of(cls, option: str, values: Iterable[Value], where: str = "--vary") -> Axis:
        """An axis of ``option`` over raw ``values`` (TOML values or command-line text).

        Raises
        ------
        ConfigError
            One line starting with ``where``: an unknown option or one that cannot vary,
            no values, a value that does not parse, or a value given twice.

        Examples
        --------
        >>> Axis.of("lr", ["0.1", 0.01]).values
        (0.1, 0.01)
        >>> try:
        ...     Axis.of("lr", [0.1, "0.10"])
        ... except ConfigError as exc:
        ...     print(exc)
        --vary lr: the value 0.1 is given twice; give each value once
        """
        opt = _option(option, where)
        if not opt.varies:
            raise ConfigError(
                f"{where}: {opt.name} cannot vary in one grid: a comparison shows runs on one "
                f"dataset; set it once (-d, or {opt.name} in [base]) and vary something else"
            )
        raw = list(values)
        if not raw:
            raise ConfigError(f"{where} {opt.name}: no values; give at least two")
        if opt.name == "snapshots":
            small = [v for v in raw if isinstance(v, (int, str)) and str(v).strip() in ("0", "1")]
            if small:
                raise ConfigError(
                    f"{where} {opt.name}: {small[0]} snapshot cannot show training over time; "
                    "record at least 2"
                )
        parsed: list[Value] = []
        for value in raw:
            try:
                v = opt.parse(value)
            except ValueError as exc:
                raise ConfigError(f"{where} {opt.name}: {exc}") from None
            if v in parsed:
                raise ConfigError(
                    f"{where} {opt.name}: the value {_show(v)} is given twice; give each value once"
                )
            parsed.append(v)
        return cls(opt.name, tuple(parsed))


def parse_vary(text: str) -> Axis:
    """``--vary OPTION=V1,V2,...``: an axis of a grid from command-line text.

    Values are separated by commas; when one value is itself a list (``hidden``, or one
    activation per layer) separate the values with ``;`` or spaces instead.

    Examples
    --------
    >>> parse_vary("lr=0.1,0.01").values
    (0.1, 0.01)
    >>> parse_vary("hidden=2,2;8,2").values
    ((2, 2), (8, 2))
    >>> parse_vary("hidden=2 4 8").labels
    ('hidden 2', 'hidden 4', 'hidden 8')
    >>> try:
    ...     parse_vary("lr")
    ... except ConfigError as exc:
    ...     print(exc)
    --vary 'lr' is not OPTION=VALUES; write e.g. --vary lr=0.1,0.01,0.001
    """
    name, sep, rest = text.partition("=")
    if not sep or not name.strip():
        raise ConfigError(
            f"--vary {text!r} is not OPTION=VALUES; write e.g. --vary lr=0.1,0.01,0.001"
        )
    rest = rest.strip()
    if ";" in rest or any(c.isspace() for c in rest):
        parts = rest.replace(";", " ").split()
    else:
        parts = [p.strip() for p in rest.split(",")] if rest else []
    if any(not p for p in parts):
        raise ConfigError(f"--vary {text!r} has an empty value; write e.g. --vary lr=0.1,0.01")
    return Axis.of(name.strip(), parts, "--vary")


# ----------------------------------------------------------------------------- the sweep


@dataclass(frozen=True)
class Sweep:
    """A checked rows × columns grid of runs: ``cells[i][j]`` is the run of row i, column j.

    Build one with :func:`grid`, :func:`from_preset` or :func:`load`; constructing one
    checks it (see :meth:`check`).

    Attributes
    ----------
    name : str
        Names the video (``media/videos/<name>-<hash>/``): the preset's or the file's name.
    description : str
        One line saying what is compared, or the question the grid asks ("" when the sweep
        gives none: the video then says what differs between the runs).
    rows, columns : tuple of str
        A label per row and per column (``""`` when that direction has one unlabelled run).
    cells : tuple of tuple of RunConfig
        One full, validated config per cell, row by row.
    labels : tuple of tuple of str
        A short label per cell (``"ReLU · lr 0.1"``), shaped like ``cells``.
    varies : tuple of str
        The options (:data:`OPTIONS`) whose values differ between cells, in table order.
    """

    name: str
    description: str
    rows: tuple[str, ...]
    columns: tuple[str, ...]
    cells: tuple[tuple[RunConfig, ...], ...]
    labels: tuple[tuple[str, ...], ...]
    varies: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        self.check()

    @property
    def shape(self) -> tuple[int, int]:
        """``(rows, columns)``."""
        return len(self.cells), len(self.cells[0]) if self.cells else 0

    def runs(self) -> tuple[tuple[str, RunConfig], ...]:
        """Every cell as ``(label, config)``, row by row."""
        return tuple(
            (label, cfg)
            for labels, cells in zip(self.labels, self.cells, strict=True)
            for label, cfg in zip(labels, cells, strict=True)
        )

    def check(self) -> None:
        """Refuse a grid nnwarp cannot show, in one line, before anything is trained.

        Raises
        ------
        ConfigError
            No runs, one run, more than :data:`MAX_CELLS`, a grid of more than
            :data:`MAX_ROWS` rows or :data:`MAX_COLUMNS` columns when both vary, cells
            that are not a full grid, runs on different datasets, or two cells that are
            the same run.
        """
        n = sum(len(row) for row in self.cells)
        if n == 0:
            raise ConfigError(
                "this sweep has no runs; give values to compare, e.g. --vary lr=0.1,0.01 "
                "or --preset sandwich-grid"
            )
        if n == 1:
            raise ConfigError(
                "this sweep has 1 run and a comparison needs at least 2; give two or more "
                "values (for a single run, use `nnwarp render warp`)"
            )
        rows, cols = len(self.cells), len(self.cells[0])
        if (
            any(len(row) != cols for row in self.cells)
            or len(self.labels) != rows
            or any(len(row) != cols for row in self.labels)
        ):
            raise ConfigError(f"sweep {self.name!r}: its cells and labels are not a full grid")
        if len(self.rows) != rows or len(self.columns) != cols:
            raise ConfigError(f"sweep {self.name!r}: a label is needed for every row and column")
        if n > MAX_CELLS:
            raise ConfigError(
                f"this sweep has {n} runs ({rows} × {cols}), over the limit of {MAX_CELLS} "
                "(each needs a legible cell of one frame); give fewer values"
            )
        if rows > 1 and cols > 1 and (rows > MAX_ROWS or cols > MAX_COLUMNS):
            swap = " (swap rows and columns)" if rows > MAX_ROWS and rows <= MAX_COLUMNS else ""
            raise ConfigError(
                f"a grid of {rows} rows × {cols} columns does not fit one frame: at most "
                f"{MAX_ROWS} rows and {MAX_COLUMNS} columns{swap}"
            )
        runs = self.runs()
        datasets = sorted({cfg.data.name for _, cfg in runs})
        if len(datasets) > 1:
            raise ConfigError(
                "a comparison shows runs on one dataset, but this sweep mixes "
                + " and ".join(repr(d) for d in datasets)
                + "; compare each dataset in a grid of its own"
            )
        seen: dict[RunConfig, str] = {}
        for label, cfg in runs:
            if cfg in seen:
                raise ConfigError(
                    f"cells {seen[cfg]!r} and {label!r} are the same run; give each cell "
                    "different options"
                )
            seen[cfg] = label


def _differing(configs: Sequence[RunConfig]) -> tuple[str, ...]:
    """The options whose values differ between ``configs``, in :data:`OPTIONS` order."""
    return tuple(
        name for name, opt in OPTIONS.items() if len({repr(opt.get(cfg)) for cfg in configs}) > 1
    )


def grid(
    base: RunConfig,
    rows: Axis | None = None,
    columns: Axis | None = None,
    *,
    name: str = "sweep",
    description: str = "",
    where: str = "--vary",
) -> Sweep:
    """The grid of ``base`` with the rows' option set to each row value, the columns' to each
    column value (either axis may be missing: then one row, or one column).

    Raises
    ------
    ConfigError
        Both axes vary the same option, a cell's config is invalid (the message names the
        cell), or the grid fails :meth:`Sweep.check`.

    Examples
    --------
    >>> sw = grid(RunConfig(), columns=parse_vary("seed=0,1,2"))
    >>> sw.shape, sw.rows, sw.labels[0]
    ((1, 3), ('',), ('seed 0', 'seed 1', 'seed 2'))
    """
    if rows is not None and columns is not None and rows.option == columns.option:
        raise ConfigError(
            f"{where}: rows and columns both vary {rows.option}; vary two different options"
        )
    steps: list[list[tuple[str, Option | None, Value]]] = []
    for axis in (rows, columns):
        if axis is None:
            steps.append([("", None, None)])
        else:
            opt = OPTIONS[axis.option]
            steps.append([(lab, opt, v) for lab, v in zip(axis.labels, axis.values, strict=True)])
    cells, labels = [], []
    for row_label, row_opt, row_value in steps[0]:
        cell_row, label_row = [], []
        for col_label, col_opt, col_value in steps[1]:
            label = " · ".join(x for x in (row_label, col_label) if x)
            cfg = base
            try:
                for step, value in ((row_opt, row_value), (col_opt, col_value)):
                    if step is not None:
                        cfg = step.set(cfg, value)
            except ConfigError as exc:
                raise ConfigError(f"{where}: run {label!r}: {exc}") from None
            cell_row.append(cfg)
            label_row.append(label)
        cells.append(tuple(cell_row))
        labels.append(tuple(label_row))
    flat = [c for row in cells for c in row]
    return Sweep(
        name,
        description,
        tuple(label for label, _, _ in steps[0]),
        tuple(label for label, _, _ in steps[1]),
        tuple(cells),
        tuple(labels),
        _differing(flat),
    )


def from_preset(name: str, seed: int | None = None) -> Sweep:
    """The preset called ``name`` (:func:`nnmodel.presets.get`) as a sweep.

    ``seed`` (e.g. from ``--seed``) sets every cell's seed.

    Examples
    --------
    >>> sw = from_preset("sandwich-grid", seed=3)
    >>> sw.shape, sw.varies, sw.cells[1][2].seed
    ((2, 3), ('activation', 'lr'), 3)
    """
    from nnmodel import presets

    preset = presets.get(name)
    if seed is not None:
        preset = preset.with_seed(seed)
    flat = [cfg for row in preset.cells for cfg in row]
    return Sweep(
        preset.name,
        preset.description,
        preset.rows,
        preset.columns,
        preset.cells,
        preset.labels,
        _differing(flat),
    )


# ----------------------------------------------------------------------------- the file

_TOP_KEYS = ("name", "description", "base", "grid")
_GRID_KEYS = ("rows", "columns")


def _data_file(written: str, sweep_file: Path, where: str) -> str:
    """A data file named in a sweep file: relative to the sweep file's folder, and there.

    Raises
    ------
    ConfigError
        ``where`` and what is wrong: no such file, a folder, or a file that cannot be read.
    """
    path = Path(written).expanduser()
    if not path.is_absolute():
        path = sweep_file.parent / path
    if path.is_dir():
        raise ConfigError(f"{where}: {written} is a folder; give a .csv or .npz file")
    if not path.is_file():
        folder = str(sweep_file.parent)
        folder = "the current folder" if folder in ("", ".") else folder + os.sep
        raise ConfigError(
            f"{where}: data file {written} does not exist (looked for {path}; paths are "
            f"relative to the sweep file's folder, {folder})"
        )
    try:
        with path.open("rb"):
            pass
    except OSError as exc:
        raise ConfigError(
            f"{where}: data file {written}: cannot read it ({exc.strerror})"
        ) from None
    return str(path)


def load(path: str | os.PathLike[str]) -> Sweep:
    """Read a sweep file (TOML, see the module's docstring) and check it.

    Raises
    ------
    ConfigError
        One line naming the file and the key: a missing or unreadable file, invalid TOML,
        an unknown key or option, a value of the wrong type, an invalid run, or a grid
        :meth:`Sweep.check` refuses.
    """
    path = Path(path)
    shown = path.name or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"sweep file {path} does not exist") from None
    except IsADirectoryError:
        raise ConfigError(f"sweep file {path} is a folder; give the .toml file itself") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"sweep file {path} cannot be read: {exc}") from None
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{shown} is not valid TOML: {exc}") from None

    lines = key_lines(text)

    def at(key: str) -> str:
        """``sweep.toml:7: key 'base.lr'`` (without the line where it is not written)."""
        line = line_of(lines, tuple(key.split(".")))
        return f"{shown}:{line}: key '{key}'" if line else f"{shown}, key '{key}'"

    def bad(key: str, problem: str) -> ConfigError:
        return ConfigError(f"{at(key)}: {problem}")

    for key in doc:
        if key not in _TOP_KEYS:
            close = difflib.get_close_matches(key, _TOP_KEYS, n=1)
            hint = f"did you mean '{close[0]}'? " if close else ""
            raise bad(key, f"unknown key; {hint}a sweep file has {', '.join(_TOP_KEYS)}")
    name, description = doc.get("name", path.stem), doc.get("description", "")
    for key, value in (("name", name), ("description", description)):
        if not isinstance(value, str):
            raise bad(key, f"{_plain(value)} is not a string")
    if not name.strip() or any(c in name for c in "/\\") or name.strip() in (".", ".."):
        raise bad("name", f"{name!r} cannot name a video folder; use letters, digits and -")
    base_table = doc.get("base", {})
    if not isinstance(base_table, dict):
        raise bad("base", "must be a table ([base] followed by option = value lines)")
    base = RunConfig()
    for key, value in base_table.items():
        opt = _option(key, at(f"base.{key}"))
        try:
            parsed = opt.parse(value)
        except ValueError as exc:
            raise bad(f"base.{key}", str(exc)) from None
        if opt.name == "dataset":
            from nnmodel.datasets import BUILTIN

            if _is_file_name(parsed):
                parsed = _data_file(parsed, path, at(f"base.{key}"))
            elif parsed not in BUILTIN:
                close = difflib.get_close_matches(parsed, list(BUILTIN), n=1)
                hint = f"did you mean '{close[0]}'? " if close else ""
                raise bad(
                    f"base.{key}",
                    f"unknown dataset {parsed!r}; {hint}choose one of: {', '.join(BUILTIN)} "
                    "(or give a .csv / .npz file, relative to the sweep file's folder)",
                )
        if opt.name == "snapshots" and parsed < 2:
            raise bad(
                f"base.{key}",
                f"{parsed} snapshot cannot show training over time; record at least 2",
            )
        try:
            base = opt.set(base, parsed)
        except ConfigError as exc:
            raise bad(f"base.{key}", str(exc)) from None
    grid_table = doc.get("grid")
    if not isinstance(grid_table, dict) or not grid_table:
        raise bad("grid", "missing: add [grid] with rows = { option = [values] } and/or columns")
    axes: dict[str, Axis] = {}
    for key, value in grid_table.items():
        if key not in _GRID_KEYS:
            raise bad(f"grid.{key}", "unknown key; [grid] has rows and columns")
        if not isinstance(value, dict) or len(value) != 1:
            raise bad(
                f"grid.{key}",
                f"must be one option and its values, e.g. {key} = {{ lr = [0.1, 0.01] }}",
            )
        ((opt_name, values),) = value.items()
        where = at(f"grid.{key}.{opt_name}")
        if not isinstance(values, list):
            raise ConfigError(f"{where}: must be a list of values, e.g. [0.1, 0.01]")
        try:
            axes[key] = Axis.of(opt_name, values, where)
        except ConfigError as exc:
            raise ConfigError(str(exc).replace(f"{where} {opt_name}:", f"{where}:")) from None
    try:
        return grid(
            base,
            axes.get("rows"),
            axes.get("columns"),
            name=name.strip(),
            description=description.strip(),
            where=at("grid"),
        )
    except ConfigError as exc:
        message = str(exc)
        raise ConfigError(
            message if message.startswith(shown) else f"{at('grid')}: {message}"
        ) from None


# ----------------------------------------------------------------------------- training


@dataclass(frozen=True)
class Trained:
    """A sweep's trajectory files, shaped like its cells, and which were trained just now."""

    sweep: Sweep
    paths: tuple[tuple[Path, ...], ...]
    trained: tuple[tuple[bool, ...], ...]

    @property
    def n_trained(self) -> int:
        """How many cells were trained (the others came from the cache)."""
        return sum(sum(row) for row in self.trained)


def cache_paths(sweep: Sweep, cache_dir: str | os.PathLike[str]) -> tuple[tuple[Path, ...], ...]:
    """Where :func:`train` will put (or find) every cell's trajectory, without training.

    For checking the outputs of a render before any work (the render's folder is named
    after these files).
    """
    from nnmodel import pipeline

    return tuple(tuple(pipeline.cache_path(cfg, cache_dir) for cfg in row) for row in sweep.cells)


def cores() -> int:
    """The CPU cores this process may use (its affinity, where the system tells)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _one_thread() -> None:
    """Worker initialiser: one torch thread per process (the processes share the cores)."""
    import torch

    torch.set_num_threads(1)


def _train_cell(cfg: RunConfig, cache_dir: str, retrain: bool) -> tuple[str, bool]:
    """Worker: train one cell into the cache (or find it there). Returns (path, trained)."""
    from nnmodel import pipeline

    path, trained = pipeline.ensure_trajectory(cfg, cache_dir, retrain=retrain)
    return str(path), trained


def _stop(pool: ProcessPoolExecutor) -> None:
    """Cancel what has not started and end the workers now (Ctrl-C, SIGTERM, a failure).

    A killed worker leaves at most a locked temporary file, which the next run removes
    (:func:`nnmodel.fileio.clean_stale`).
    """
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for proc in processes:  # (read before shutdown, which forgets them)
        proc.terminate()
    pool.shutdown(wait=False, cancel_futures=True)


def train(
    sweep: Sweep,
    cache_dir: str | os.PathLike[str],
    *,
    workers: int | None = None,
    retrain: bool = False,
    on_cell: Callable[[str, Path, bool], None] | None = None,
) -> Trained:
    """Every cell's trajectory, training in parallel the ones not in the cache.

    Each cell is cached on its own (:func:`nnmodel.pipeline.cache_path`), exactly as a
    single run's, so a rerun (or ``nnwarp render warp`` with one cell's options) trains
    nothing. Before any training, every cell's data is loaded and checked and every cache
    path is checked to be nnwarp's; the cells left to train then run in ``workers``
    processes (default: :func:`cores`), one torch thread each (started as
    :data:`START_METHOD` says: where that is "spawn", a script calling this must guard its
    top level with ``if __name__ == "__main__":``, as for any process pool).

    Parameters
    ----------
    sweep : Sweep
        The grid to train.
    cache_dir : path
        The cache folder (``media/trajectories``).
    workers : int, optional
        Training processes; default one per core.
    retrain : bool
        Train every cell again, even when cached.
    on_cell : callable, optional
        Called in this process as ``on_cell(label, path, trained)`` when a cell is ready.

    Raises
    ------
    NnwarpError
        The first cell that fails, in one line naming it; the other workers are stopped.
    """
    from nnmodel import pipeline, trajectory
    from nnmodel.fileio import check_file_target

    cache = Path(cache_dir)
    runs = sweep.runs()
    paths: list[Path] = []
    todo: list[int] = []
    for k, (label, cfg) in enumerate(runs):
        try:
            prep = pipeline.prepare(cfg)
        except NnwarpError as exc:
            raise type(exc)(f"run {label!r}: {exc}") from None
        path = pipeline.cache_path(prep, cache)
        check_file_target(
            path, "--media-dir", trajectory.is_trajectory_file, "trajectory", create=True
        )
        paths.append(path)
        if path.exists() and not retrain and pipeline.usable_cache(path):
            if on_cell is not None:
                on_cell(label, path, False)
        else:
            todo.append(k)
    trained = [False] * len(runs)
    if todo:
        import multiprocessing

        cache.mkdir(parents=True, exist_ok=True)
        n = max(1, min(workers or cores(), len(todo)))
        pool = ProcessPoolExecutor(
            n, mp_context=multiprocessing.get_context(START_METHOD), initializer=_one_thread
        )
        try:
            futures: dict[Future[tuple[str, bool]], int] = {
                pool.submit(_train_cell, runs[k][1], str(cache), retrain): k for k in todo
            }
            for future in as_completed(futures):
                k = futures[future]
                label = runs[k][0]
                try:
                    done, was_trained = future.result()
                except NnwarpError as exc:
                    raise type(exc)(f"run {label!r}: {exc}") from None
                except BrokenProcessPool:
                    raise TrainingError(
                        f"run {label!r}: its training process ended abruptly (out of memory, "
                        "or killed); run again, with fewer --workers if memory is short"
                    ) from None
                paths[k], trained[k] = Path(done), was_trained
                if on_cell is not None:
                    on_cell(label, paths[k], was_trained)
        except BaseException:
            _stop(pool)
            raise
        pool.shutdown(wait=True)
    rows, cols = sweep.shape
    return Trained(
        sweep,
        tuple(tuple(paths[i * cols : (i + 1) * cols]) for i in range(rows)),
        tuple(tuple(trained[i * cols : (i + 1) * cols]) for i in range(rows)),
    )
