"""Turn recorded weights into trajectory arrays: snapshots, stages, grid, mesh (numpy only)."""

from __future__ import annotations

import platform
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from nnmodel import __version__
from nnmodel import schema as S
from nnmodel.activations import class_probabilities, output_activation
from nnmodel.config import RunConfig
from nnmodel.datasets import Dataset
from nnmodel.projection import fit_pca, project
from nnmodel.scaling import Scaling
from nnmodel.schema import MAX_EXACT_WIDTH, PROJECTED_DIM
from nnmodel.trajectory import forward

__all__ = [
    "FloatArray",
    "MAX_FILE_BYTES",
    "Weights",
    "build",
    "choose_snapshots",
    "estimate_bytes",
    "fix_orientation",
    "input_grid",
    "mesh_points",
    "plane_extent",
]

Weights = list[tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]]
FloatArray = npt.NDArray[np.floating[Any]]

#: Largest trajectory file nnwarp writes. Exporting needs about three times this in memory
#: (bench/bench_limits.py measures it), and every stored point is drawn in every frame.
MAX_FILE_BYTES = 512 * 2**20


def estimate_bytes(cfg: RunConfig, n_points: int, n_classes: int) -> int:
    """The size of the trajectory file ``cfg`` gives on ``n_points`` points, in bytes.

    Every snapshot stores each layer's weights and, in display coordinates (at most 3 per
    point), the points and the grid after the affine map (and after the activation, for
    layers shown through a projection), plus the class probabilities over the mesh.

    >>> estimate_bytes(RunConfig(), 400, 2) // 2**20  # the default explainer, in MiB
    17
    """
    e = cfg.export
    snaps = min(e.snapshots, cfg.train.epochs + 1)
    grid_points = 2 * e.grid_lines * e.grid_samples
    outputs = 1 if n_classes == 2 else n_classes
    widths = (*cfg.model.hidden, outputs)
    floats = snaps * e.mesh_resolution**2 * max(n_classes, 2) + 2 * n_points + grid_points * 2
    for i, (w, d_in) in enumerate(zip(widths, (2, *cfg.model.hidden), strict=True)):
        wide = i < len(widths) - 1 and w > MAX_EXACT_WIDTH
        display = PROJECTED_DIM if wide else w
        floats += snaps * (w * d_in + w)
        floats += snaps * (n_points + grid_points) * display * (2 if wide else 1)
        floats += 2 * (w + 3 * w + 3) if wide else 0
    return 4 * floats + n_points * (8 + 1) + snaps * 8 + 16_384  # labels, mask, epochs, manifest


def choose_snapshots(recorded: Sequence[int], last: int, n: int) -> list[int]:
    """``n`` distinct epochs, log-spaced from 0 to ``last``, picked among ``recorded`` ones.

    Early epochs are dense (training changes fastest there), late ones sparse. When fewer
    than ``n`` epochs were recorded, all of them are used.

    >>> choose_snapshots(range(101), 100, 5)
    [0, 2, 9, 31, 100]
    >>> len(choose_snapshots(range(1001), 1000, 60))
    60
    """
    rec = np.array(sorted({int(e) for e in recorded if e <= last} | {0, last}))
    if len(rec) <= n:
        return [int(e) for e in rec]
    # Ideal positions in the sorted recorded list, log-spaced in epoch, then made strictly
    # increasing (at least one step apart) and kept inside the list from both ends.
    targets = np.geomspace(1, last + 1, n) - 1
    idx = np.abs(rec[None, :] - targets[:, None]).argmin(axis=1)
    idx[0], idx[-1] = 0, len(rec) - 1
    for i in range(1, n):
        idx[i] = max(idx[i], idx[i - 1] + 1)
    for i in range(n - 2, -1, -1):
        idx[i] = min(idx[i], idx[i + 1] - 1)
    return [int(e) for e in rec[idx]]


def fix_orientation(weights: Weights) -> tuple[Weights, list[int]]:
    """Swap two hidden units wherever a square (≤3-wide) hidden W has det < 0.

    Swapping rows 0 and 1 of ``W_l`` and ``b_l`` and columns 0 and 1 of ``W_{l+1}``
    leaves the network's function unchanged but flips the sign of ``det W_l`` (and of
    ``det W_{l+1}``, which is handled next, in order). With det W > 0 the animated path
    from x to W·x never passes through a singular map. Returns the new weights and the
    layers whose units 0 and 1 were swapped.
    """
    ws = [(w.copy(), b.copy()) for w, b in weights]
    swapped = []
    for layer in range(len(ws) - 1):  # hidden layers only: the output units keep their order
        w, b = ws[layer]
        if w.shape[0] == w.shape[1] <= MAX_EXACT_WIDTH and np.linalg.det(w.astype(np.float64)) < 0:
            w[[0, 1]] = w[[1, 0]]
            b[[0, 1]] = b[[1, 0]]
            nxt = ws[layer + 1][0]
            nxt[:, [0, 1]] = nxt[:, [1, 0]]
            swapped.append(layer)
    return ws, swapped


def plane_extent(x: FloatArray, pad: float = 0.15) -> tuple[float, float, float, float]:
    """A square ``(xmin, xmax, ymin, ymax)`` around the data, padded by ``pad``."""
    lo, hi = x.min(axis=0), x.max(axis=0)
    centre = (lo + hi) / 2
    half = float(max(hi - lo)) / 2 * (1 + pad) or 1.0
    return (
        float(centre[0] - half),
        float(centre[0] + half),
        float(centre[1] - half),
        float(centre[1] + half),
    )


def input_grid(extent: tuple[float, float, float, float], lines: int, samples: int) -> FloatArray:
    """``2·lines`` grid lines of ``samples`` points: first the vertical ones, then horizontal."""
    x0, x1, y0, y1 = extent
    xs, ys = np.linspace(x0, x1, lines), np.linspace(y0, y1, lines)
    tx, ty = np.linspace(y0, y1, samples), np.linspace(x0, x1, samples)
    vertical = np.stack(np.broadcast_arrays(xs[:, None], tx[None, :]), axis=-1)
    horizontal = np.stack(np.broadcast_arrays(ty[None, :], ys[:, None]), axis=-1)
    return np.concatenate([vertical, horizontal]).astype(np.float64)


def mesh_points(extent: tuple[float, float, float, float], res: int) -> FloatArray:
    """``(res, res, 2)`` cell centres; row 0 is the lowest y."""
    x0, x1, y0, y1 = extent
    dx, dy = (x1 - x0) / res, (y1 - y0) / res
    xs = np.linspace(x0 + dx / 2, x1 - dx / 2, res)
    ys = np.linspace(y0 + dy / 2, y1 - dy / 2, res)
    gx, gy = np.meshgrid(xs, ys)
    return np.stack([gx, gy], axis=-1)


def build(
    cfg: RunConfig,
    data: Dataset,
    weights_by_epoch: dict[int, Weights],
    epochs_trained: int,
    metrics: dict[str, list[float | None]],
    test_mask: npt.NDArray[np.bool_],
    *,
    stopped_early: bool = False,
    baseline: S.Baseline | None = None,
    data_digest: str = "",
    torch_version: str | None = None,
    standardization: Scaling | None = None,
    source: str | None = None,
) -> tuple[S.TrajectoryInfo, dict[str, np.ndarray]]:
    """Build the typed manifest and the arrays of a trajectory file from recorded training.

    ``data`` is what the network saw: already standardised when ``standardization`` is
    given (which the manifest records, so the original units can be recovered).
    ``source`` is the dataset's origin (default: ``"file"`` or ``"builtin"`` from the config;
    :func:`nnmodel.record` writes ``"recorded"``).
    :func:`nnmodel.trajectory.write` writes the result.
    """
    e = cfg.export
    hidden_acts = list(cfg.model.activations()) if cfg.model.hidden else []
    k = data.n_classes
    acts = [*hidden_acts, output_activation(k)]
    n_layers = len(acts)

    epochs = choose_snapshots(list(weights_by_epoch), epochs_trained, e.snapshots)
    extent = plane_extent(np.asarray(data.X, np.float64))
    grid = input_grid(extent, e.grid_lines, e.grid_samples)
    mesh_xy = mesh_points(extent, e.mesh_resolution)
    x = np.asarray(data.X, np.float64)
    calc = [*hidden_acts, "linear"]  # logits, not probabilities, for the output stage

    # Wide layers are shown through a PCA fitted once, on the last snapshot. Fitting it
    # first lets every snapshot be reduced to display coordinates as it is computed, so
    # memory stays near the size of the file, not of every full-width representation.
    last_ws, _ = fix_orientation(weights_by_epoch[epochs[-1]])
    last = forward(last_ws, calc, x)
    projected = [
        i < n_layers - 1 and w.shape[0] > MAX_EXACT_WIDTH for i, (w, _) in enumerate(last_ws)
    ]
    reps = (S.AFFINE, S.ACTIVATED)  # index j of forward()'s (z, h)
    pca: dict[tuple[int, str], tuple[FloatArray, FloatArray, FloatArray]] = {}
    for i in range(n_layers):
        if projected[i]:
            for j, which in enumerate(reps):
                pca[i, which] = fit_pca(last[i][j], PROJECTED_DIM)

    f32 = np.float32
    # per layer: weights, biases, and for each stored representation its points and grid
    w_s: list[list[npt.NDArray[np.float32]]] = [[] for _ in range(n_layers)]
    b_s: list[list[npt.NDArray[np.float32]]] = [[] for _ in range(n_layers)]
    pts: dict[tuple[int, str], list[npt.NDArray[np.float32]]] = {}
    lines: dict[tuple[int, str], list[npt.NDArray[np.float32]]] = {}
    mesh, swaps = [], []
    for s, epoch in enumerate(epochs):
        ws, swapped = fix_orientation(weights_by_epoch[epoch])
        swaps += [S.UnitSwap(snapshot=s, epoch=epoch, layer=L) for L in swapped]
        on_points = forward(ws, calc, x)
        on_grid = forward(ws, calc, grid)
        mesh.append(class_probabilities(forward(ws, calc, mesh_xy)[-1][0]).astype(f32))
        for i in range(n_layers):
            w_s[i].append(ws[i][0].astype(f32))
            b_s[i].append(ws[i][1].astype(f32))
            for j, which in enumerate(S.stored_representations(projected[i])):
                p, g = on_points[i][j], on_grid[i][j]
                if projected[i]:
                    mean, comps, _ = pca[i, which]
                    p, g = project(p, mean, comps), project(g, mean, comps)
                pts.setdefault((i, which), []).append(p.astype(f32))
                lines.setdefault((i, which), []).append(g.astype(f32))

    arrays: dict[str, np.ndarray] = {
        S.INPUTS: np.asarray(data.X, f32),
        S.LABELS: np.asarray(data.y, np.int64),
        S.TEST_MASK: np.asarray(test_mask, bool),
        S.EPOCHS: np.asarray(epochs, np.int64),
        S.GRID: grid.astype(f32),
        S.MESH: np.stack(mesh),
    }
    layers = []
    for i in range(n_layers):
        arrays[S.weight_key(i)] = np.stack(w_s[i])
        arrays[S.bias_key(i)] = np.stack(b_s[i])
        explained = None
        for which in S.stored_representations(projected[i]):
            arrays[S.points_key(i, which)] = np.stack(pts[i, which])
            arrays[S.grid_lines_key(i, which)] = np.stack(lines[i, which])
        if projected[i]:
            ev = []
            for which in reps:
                for part, value in zip(S.PROJECTION_PARTS, pca[i, which], strict=True):
                    arrays[S.projection_key(i, which, part)] = value.astype(f32)
                ev.append(round(float(pca[i, which][2].sum()), 6))
            explained = (ev[0], ev[1])
        d_out, d_in = w_s[i][0].shape
        layers.append(
            S.LayerInfo(
                index=i,
                d_in=int(d_in),
                d_out=int(d_out),
                activation=acts[i],
                is_output=i == n_layers - 1,
                projected=projected[i],
                explained=explained,
            )
        )

    train_loss, train_acc = (metrics[key][epochs_trained] for key in S.TRAIN_METRICS)
    test_loss, test_acc = (metrics[key][epochs_trained] for key in S.TEST_METRICS)
    if train_loss is None or train_acc is None:
        raise ValueError(f"no training metrics were recorded at epoch {epochs_trained}")
    info = S.TrajectoryInfo(
        schema_version=S.SCHEMA_VERSION,
        config=cfg.to_dict(),
        config_hash=cfg.config_hash(data_digest),
        seed=cfg.seed,
        dataset=S.DatasetInfo(
            name=data.name,
            class_names=tuple(data.class_names),
            n_points=int(len(data.y)),
            source=source or ("file" if cfg.data.is_file else "builtin"),
            sha256=data_digest or None,
            columns=data.feature_names,
            label_column=data.label_name,
            standardization=standardization,
        ),
        layers=tuple(layers),
        snapshot_epochs=tuple(epochs),
        metrics=S.Metrics(*(tuple(metrics[key]) for key in S.METRIC_NAMES)),
        final=S.FinalMetrics(
            epochs_trained=epochs_trained,
            stopped_early=stopped_early,
            train_loss=train_loss,
            train_acc=train_acc,
            test_loss=test_loss,
            test_acc=test_acc,
        ),
        grid=S.GridInfo(e.grid_lines, e.grid_samples, extent),
        mesh=S.MeshInfo(e.mesh_resolution, extent),
        versions=S.Versions(
            nnwarp=__version__,
            numpy=np.__version__,
            python=platform.python_version(),
            torch=torch_version,
        ),
        baseline=baseline,
        unit_swaps=tuple(swaps),
    )
    return info, arrays
