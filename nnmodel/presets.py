"""Comparison grids of runs (``--preset``): the seed posts' experiments, ready to train."""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from nnmodel.config import DataConfig, ModelConfig, RunConfig, TrainConfig
from nnmodel.errors import ConfigError

__all__ = [
    "PRESETS",
    "Preset",
    "SANDWICH_LRS",
    "SPIRAL_DEPTHS",
    "get",
]


@dataclass(frozen=True)
class Preset:
    """A named grid of runs: ``cells[i][j]`` is the run of row ``i`` and column ``j``.

    Attributes
    ----------
    name : str
        What ``--preset`` takes, e.g. ``"sandwich-grid"``.
    description : str
        One line for ``nnwarp list``.
    source : str
        The post whose experiment the grid reproduces, and how it differs.
    rows : tuple of str
        A short label per row (``"ReLU"``).
    columns : tuple of str
        A short label per column (``"lr 0.1"``).
    cells : tuple of tuple of RunConfig
        One full, validated config per cell, row by row.
    labels : tuple of tuple of str
        A short label per cell (``"ReLU · lr 0.1"``), shaped like ``cells``.

    Examples
    --------
    >>> grid = get("sandwich-grid")
    >>> grid.shape
    (2, 3)
    >>> grid.labels[0][1], grid.cells[0][1].train.lr
    ('ReLU · lr 0.01', 0.01)
    >>> [label for label, _ in grid.runs()][:2]
    ['ReLU · lr 0.1', 'ReLU · lr 0.01']
    """

    name: str
    description: str
    source: str
    rows: tuple[str, ...]
    columns: tuple[str, ...]
    cells: tuple[tuple[RunConfig, ...], ...]
    labels: tuple[tuple[str, ...], ...]

    def __post_init__(self) -> None:
        for what, grid in (("cells", self.cells), ("labels", self.labels)):
            if len(grid) != len(self.rows) or any(len(row) != len(self.columns) for row in grid):
                raise ValueError(
                    f"preset {self.name!r}: {what} must be {len(self.rows)} rows of "
                    f"{len(self.columns)}, like its row and column labels"
                )

    @property
    def shape(self) -> tuple[int, int]:
        """``(rows, columns)`` of the grid."""
        return len(self.rows), len(self.columns)

    def runs(self) -> tuple[tuple[str, RunConfig], ...]:
        """Every cell as ``(label, config)``, row by row."""
        return tuple(
            (label, cfg)
            for labels, cells in zip(self.labels, self.cells, strict=True)
            for label, cfg in zip(labels, cells, strict=True)
        )

    def with_seed(self, seed: int) -> Preset:
        """The same grid with every cell's seed set to ``seed`` (e.g. from ``--seed``).

        Raises
        ------
        ConfigError
            If ``seed`` is not a valid seed.

        Examples
        --------
        >>> get("spiral-depth").with_seed(3).cells[0][2].seed
        3
        """
        cells = tuple(
            tuple(dataclasses.replace(cfg, seed=seed) for cfg in row) for row in self.cells
        )
        return dataclasses.replace(self, cells=cells)


def _preset(
    name: str,
    description: str,
    source: str,
    rows: tuple[str, ...],
    columns: tuple[str, ...],
    cells: tuple[tuple[RunConfig, ...], ...],
) -> Preset:
    """A :class:`Preset` whose cell labels are "row · column"."""
    labels = tuple(tuple(f"{row} · {column}" for column in columns) for row in rows)
    return Preset(name, description, source, rows, columns, cells, labels)


# --------------------------------------------------------------------------- sandwich-grid

#: The learning rates of the sandwich grid's columns, as in the post.
SANDWICH_LRS = (0.1, 0.01, 0.001)
_SANDWICH_ACTIVATIONS = (("relu", "ReLU"), ("tanh", "tanh"))


def _sandwich_cell(activation: str, lr: float) -> RunConfig:
    """One run of "Understanding Neural Networks (with Graphs)" (Pablo Leo, 2020; seed 004).

    What the post states, quoted: "400 samples equally distributed in two classes" from
    "three random normal distributions with means [-1, 0, 1] and standard deviations
    [0.5, 0.5, 0.5]" (the built-in ``sandwich``, with its size and spread spelled out);
    "The dimension of the hidden layer is minimal (2 neurons)", "The hidden layer has a
    ReLU or a tanh activation function", "The output layer has a sigmoid activation" (one
    logit: nnwarp's output for two classes); "3 different learning rates (0.1, 0.01, and
    0.001)"; "The loss function used is the binary cross-entropy ... the optimizer is ...
    Adam. The model training stops when it reaches the epoch number 200 or the loss goes
    below 0.263."

    What it does not state, and is chosen here (its code is not published): full-batch
    steps (one Adam step per epoch on all the points; Keras' ``fit`` would default to
    batches of 32), no weight decay (neither Keras' Adam nor the post has any), no
    held-out points (the post trains on all 400 and stops on the training loss), and
    seed 0. nnwarp stops when the loss after an epoch is <= 0.263; torch's default
    initialisation (not Keras' Glorot-uniform weights and zero biases) and torch's Adam
    epsilon (1e-8, Keras 1e-7).
    """
    return RunConfig(
        data=DataConfig(name="sandwich", samples=400, noise=0.5),
        model=ModelConfig(hidden=(2,), activation=(activation,)),
        train=TrainConfig(
            optimizer="adam",
            lr=lr,
            epochs=200,
            batch_size=None,
            weight_decay=0.0,
            target_loss=0.263,
            test_fraction=0.0,
        ),
        seed=0,
    )


_SANDWICH = _preset(
    "sandwich-grid",
    (
        "ReLU vs tanh × learning rate 0.1 / 0.01 / 0.001 on the sandwich: a 2-2-1 net, "
        "Adam, 200 epochs or loss < 0.263"
    ),
    (
        "'Understanding Neural Networks (with Graphs)' (Pablo Leo, 2020): its data, network, "
        "optimiser, loss and stopping rule; full-batch, no weight decay, no test split and "
        "seed 0 are nnwarp's choices where the post says nothing"
    ),
    tuple(title for _, title in _SANDWICH_ACTIVATIONS),
    tuple(f"lr {lr:g}" for lr in SANDWICH_LRS),
    tuple(
        tuple(_sandwich_cell(act, lr) for lr in SANDWICH_LRS) for act, _ in _SANDWICH_ACTIVATIONS
    ),
)


# --------------------------------------------------------------------------- spiral-depth

#: The spiral-depth grid's hidden layers and what each shows, as in its column labels.
SPIRAL_DEPTHS: tuple[tuple[tuple[int, ...], str], ...] = (
    ((2, 2), "too narrow"),
    ((2, 2, 2, 2, 2, 2), "too deep and narrow"),
    ((8, 2), "wide enough"),
)


def _spiral_cell(hidden: tuple[int, ...]) -> RunConfig:
    """One run of the spiral comparison of "Visualizing Neural Networks" (seeds 000/001).

    The post shows a spiral that a net of 2-wide layers cannot untangle; here every cell
    trains the same way (tanh, Adam at lr 0.03, full batch, 3000 epochs, no weight decay,
    20 % held out, seed 0) and only the hidden layers differ. The built-in spiral has
    1.75 turns (it has no turns option). Measured with seed 0: 2,2 reaches 67 % of the
    training points, six 2-wide layers 62 %, and 8,2 100 %.
    """
    return RunConfig(
        data=DataConfig(name="spiral"),
        model=ModelConfig(hidden=hidden, activation=("tanh",)),
        train=TrainConfig(
            optimizer="adam",
            lr=0.03,
            epochs=3000,
            batch_size=None,
            weight_decay=0.0,
            target_loss=None,
            test_fraction=0.2,
        ),
        seed=0,
    )


_SPIRAL = _preset(
    "spiral-depth",
    (
        "two layers of 2 units are too narrow for the spiral, six are too deep and narrow, "
        "and layers of 8 and 2 units are wide enough: width before depth"
    ),
    (
        "'Visualizing Neural Networks' (jinhaochan, 2019): a net too narrow for the spiral "
        "against one wide enough; nnwarp's built-in spiral (1.75 turns), tanh, Adam"
    ),
    ("tanh",),
    tuple(f"{', '.join(map(str, hidden))} · {lesson}" for hidden, lesson in SPIRAL_DEPTHS),
    (tuple(_spiral_cell(hidden) for hidden, _ in SPIRAL_DEPTHS),),
)


PRESETS: Mapping[str, Preset] = MappingProxyType({p.name: p for p in (_SANDWICH, _SPIRAL)})
"""Every preset by name (``--preset NAME``; ``nnwarp list`` shows them)."""


def get(name: str) -> Preset:
    """The preset called ``name`` (case-insensitive; ``_`` may stand for ``-``).

    Raises
    ------
    ConfigError
        For an unknown name: one line naming the closest preset and every preset.

    Examples
    --------
    >>> get("Spiral_Depth").name
    'spiral-depth'
    >>> try:
    ...     get("spiral")
    ... except ConfigError as exc:
    ...     print(exc)
    unknown preset 'spiral'; did you mean 'spiral-depth'? choose one of: sandwich-grid, spiral-depth
    """
    key = name.strip().lower().replace("_", "-") if isinstance(name, str) else ""
    preset = PRESETS.get(key)
    if preset is None:
        close = difflib.get_close_matches(key, list(PRESETS), n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        raise ConfigError(f"unknown preset {name!r}; {hint}choose one of: {', '.join(PRESETS)}")
    return preset
