"""The runs a comparison shows: trajectory files in a grid, with labels, checked (no Manim).

A :class:`GridSource` is what ``render`` is given for a scene that ``needs="trajectories"``:
the files (row by row), a label per cell, and what the grid compares. ``nnwarp`` builds
one from a trained sweep (:mod:`nnmodel.sweep`) or from ``--trajectory`` files
(:meth:`GridSource.from_files`); :meth:`GridSource.load` loads and checks the files into a
:class:`Grid`, refusing in one line what a comparison cannot show.

>>> src = GridSource.from_files(["a.npz", "b.npz"], labels=["lr 0.1", "lr 0.01"])
>>> src.shape, src.labels
((1, 2), (('lr 0.1', 'lr 0.01'),))
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nnmodel.config import hidden_label
from nnmodel.trajectory import Trajectory, load
from scenes.compare.layout import MAX_CELLS, LayoutError, arrangement
from scenes.errors import RenderError

__all__ = ["Grid", "GridSource", "differing_labels", "differing_options"]

#: Config entries that may differ between runs: (section, field) → (the option's name in
#: :mod:`nnmodel.sweep`, its short name in a label; "" for values that speak for themselves).
_ENTRIES = {
    ("model", "activation"): ("activation", ""),
    ("model", "hidden"): ("hidden", "hidden"),
    ("train", "optimizer"): ("optimizer", ""),
    ("train", "lr"): ("lr", "lr"),
    ("train", "epochs"): ("epochs", "epochs"),
    ("train", "batch_size"): ("batch_size", "batch"),
    ("train", "weight_decay"): ("weight_decay", "decay"),
    ("train", "target_loss"): ("target_loss", "target"),
    ("train", "test_fraction"): ("test_fraction", "held out"),
    ("data", "samples"): ("samples", "points"),
    ("data", "noise"): ("noise", "noise"),
    ("data", "arms"): ("arms", "arms"),
    ("export", "snapshots"): ("snapshots", "snapshots"),
    ("", "seed"): ("seed", "seed"),
}


def _get(cfg: Mapping[str, Any], where: tuple[str, str]) -> Any:
    part = cfg if not where[0] else cfg.get(where[0], {})
    return part.get(where[1]) if isinstance(part, Mapping) else None


#: How often snapshots were taken changes what is recorded, not the training: a difference
#: worth naming only when the runs differ in nothing else.
_RECORDING = ("export", "snapshots")


def _varying(configs: Sequence[Mapping[str, Any]]) -> list[tuple[str, str]]:
    """The entries whose values differ between configs (snapshots only if nothing else).

    >>> a = {"train": {"lr": 0.1}, "export": {"snapshots": 60}}
    >>> b = {"train": {"lr": 0.2}, "export": {"snapshots": 150}}
    >>> _varying([a, b]), _varying([a, {**a, "export": {"snapshots": 150}}])
    ([('train', 'lr')], [('export', 'snapshots')])
    """
    varying = [w for w in _ENTRIES if len({repr(_get(c, w)) for c in configs}) > 1]
    return [w for w in varying if w != _RECORDING] or varying


def differing_options(configs: Sequence[Mapping[str, Any]]) -> tuple[str, ...]:
    """The options (named as in :mod:`nnmodel.sweep`) whose values differ between configs.

    >>> differing_options([{"train": {"lr": 0.1}, "seed": 0}, {"train": {"lr": 0.2}, "seed": 1}])
    ('lr', 'seed')
    """
    return tuple(_ENTRIES[w][0] for w in _varying(configs))


def _show(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return ",".join(_show(v) for v in value) if value else "none"
    if isinstance(value, float):
        return f"{value:g}"
    return "none" if value is None else str(value)


def differing_labels(configs: Sequence[Mapping[str, Any]], fallback: Sequence[str]) -> list[str]:
    """A short label per run config (``traj.info.config``) from what differs between them.

    Runs that differ in nothing named here get their ``fallback`` (e.g. the file names).

    >>> a = {"train": {"lr": 0.1}, "model": {"activation": ["relu"]}, "seed": 0}
    >>> b = {"train": {"lr": 0.01}, "model": {"activation": ["relu"]}, "seed": 0}
    >>> differing_labels([a, b], ["a", "b"])
    ['lr 0.1', 'lr 0.01']
    >>> differing_labels([{"model": {"hidden": [3, 1]}}, {"model": {"hidden": []}}], ["a", "b"])
    ['hidden 3,1', 'no hidden layer']
    """

    varying = _varying(configs)
    if not varying:
        return list(fallback)
    labels = []
    for cfg in configs:
        parts = [_part(w, _get(cfg, w)) for w in varying]
        labels.append(" · ".join(parts))
    return labels


def _part(where: tuple[str, str], value: Any) -> str:
    """One option's piece of a label: ``lr 0.01``; a network without hidden layers (a
    logistic regression) is ``no hidden layer``."""
    if where == ("model", "hidden") and isinstance(value, (list, tuple)):
        return hidden_label(value)
    return f"{_ENTRIES[where][1]} {_show(value)}".strip()


@dataclass(frozen=True)
class GridSource:
    """Trajectory files to compare, as a grid: what a ``"trajectories"`` scene renders.

    Attributes
    ----------
    paths : tuple of tuple of Path
        The files, row by row.
    labels : tuple of tuple of str
        A short label per cell, shaped like ``paths``.
    name : str
        Names the render's folder (``media/videos/<stem>/``).
    description : str
        One line of what is compared (the preset's or the sweep's), for the narration.
    varies : tuple of str
        The options that differ between the runs (:data:`nnmodel.sweep.OPTIONS` names).
    """

    paths: tuple[tuple[Path, ...], ...]
    labels: tuple[tuple[str, ...], ...]
    name: str = "compare"
    description: str = ""
    varies: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        if len(self.labels) != len(self.paths) or any(
            len(a) != len(b) for a, b in zip(self.labels, self.paths, strict=True)
        ):
            raise RenderError("a comparison needs one label per trajectory file")
        if any(len(row) != len(self.paths[0]) for row in self.paths):
            raise RenderError("the trajectory files of a comparison must fill a grid")

    @property
    def shape(self) -> tuple[int, int]:
        """``(rows, columns)``."""
        return len(self.paths), len(self.paths[0]) if self.paths else 0

    @property
    def stem(self) -> str:
        """The render's folder name: the name and a hash of the files' names.

        Cached trajectories are named by their config's hash, so the same runs give the
        same folder, and any other runs another.
        """
        names = "\n".join(p.name for row in self.paths for p in row)
        return f"{self.name}-{hashlib.sha256(names.encode()).hexdigest()[:16]}"

    @classmethod
    def from_files(
        cls,
        paths: Sequence[str | os.PathLike[str]],
        labels: Sequence[str] | None = None,
        name: str = "compare",
    ) -> GridSource:
        """A one-row grid of ``paths``; without ``labels`` they are made on :meth:`load`
        from what differs between the runs' configs (or the file names)."""
        files = tuple(Path(p) for p in paths)
        given = tuple(labels) if labels is not None else tuple("" for _ in files)
        if len(given) != len(files):
            raise RenderError(f"{len(given)} labels for {len(files)} trajectory files")
        return cls((files,), (given,), name)

    def load(self) -> Grid:
        """Load every file and check that a comparison can show them.

        Raises
        ------
        NnwarpError
            One line: an unreadable trajectory (naming the file), fewer than 2 or more than
            :data:`~scenes.compare.layout.MAX_CELLS` runs, a grid that does not fit the
            frame, a run with a single snapshot, or runs on different datasets.
        """
        n = sum(len(row) for row in self.paths)
        if n < 2:
            raise RenderError(
                f"a comparison needs at least 2 runs, not {n}; for one run, render `warp`"
            )
        if n > MAX_CELLS:
            raise RenderError(
                f"{n} runs are more than one comparison shows legibly (at most {MAX_CELLS})"
            )
        try:
            arrangement(self.shape)
        except LayoutError as exc:
            raise RenderError(str(exc)) from None
        trajs = tuple(load(p) for row in self.paths for p in row)
        flat = [label for row in self.labels for label in row]
        stems = [p.stem for row in self.paths for p in row]
        if not all(flat):
            made = differing_labels([t.info.config for t in trajs], stems)
            flat = [given or auto for given, auto in zip(flat, made, strict=True)]
        for traj, label in zip(trajs, flat, strict=True):
            if traj.n_snapshots < 2:
                raise RenderError(
                    f"{traj.path.name} ({label}) has {traj.n_snapshots} snapshot: a comparison "
                    "shows training over time; record at least 2"
                )
        names = {t.info.dataset.name for t in trajs}
        if len(names) > 1:
            seen: dict[str, str] = {}
            for traj, label in zip(trajs, flat, strict=True):
                seen.setdefault(traj.info.dataset.name, label)
            which = " and ".join(f"{d!r} ({lab})" for d, lab in seen.items())
            raise RenderError(
                f"a comparison shows runs on one dataset, but these use {which}; "
                "compare each dataset in a grid of its own"
            )
        cols = self.shape[1]
        labels = tuple(tuple(flat[i : i + cols]) for i in range(0, n, cols))
        return Grid(self, trajs, labels)


@dataclass(frozen=True)
class Grid:
    """Loaded, checked runs of a comparison: ``trajs`` row by row, with their labels."""

    source: GridSource
    trajs: tuple[Trajectory, ...]
    labels: tuple[tuple[str, ...], ...]

    @property
    def shape(self) -> tuple[int, int]:
        """``(rows, columns)`` of the grid as given (before any wrapping on screen)."""
        return self.source.shape

    @property
    def flat_labels(self) -> list[str]:
        """The labels row by row, like ``trajs``."""
        return [label for row in self.labels for label in row]

    @property
    def varies(self) -> tuple[str, ...]:
        """The options that differ between the runs (given by the sweep, or found)."""
        return self.source.varies or differing_options([t.info.config for t in self.trajs])

    @property
    def dataset(self) -> str:
        """The dataset every run trained on."""
        return self.trajs[0].info.dataset.name

    @property
    def from_file(self) -> bool:
        """Whether the runs trained on a data file (named by its file name in words)."""
        return self.trajs[0].info.dataset.source == "file"

    @property
    def legend(self) -> tuple[tuple[str, ...], str | None] | None:
        """The class names a legend shows and its title (a data file's label column, unless
        it is called "label"); None if the runs' classes differ (each cell's colours would
        mean something else)."""
        names = self.trajs[0].class_names
        if any(t.class_names != names for t in self.trajs):
            return None
        ds = self.trajs[0].info.dataset
        title = ds.label_column if ds.source == "file" and ds.label_column != "label" else None
        return tuple(names), title
