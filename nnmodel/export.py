"""Turn recorded weights into trajectory arrays: snapshots, stages, grid, mesh (numpy only)."""

from __future__ import annotations

import platform
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from nnmodel import __version__
from nnmodel.config import RunConfig
from nnmodel.datasets import Dataset
from nnmodel.projection import fit_pca, project
from nnmodel.trajectory import FORMAT, SCHEMA_VERSION, forward

Weights = list[tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]]
FloatArray = npt.NDArray[np.floating[Any]]

#: Hidden layers wider than this are shown through a 3-D PCA projection.
MAX_EXACT_WIDTH = 3
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
        display = 3 if wide else w
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


def _probs(logits: FloatArray) -> FloatArray:
    if logits.shape[-1] == 1:
        p1 = 0.5 * (1 + np.tanh(0.5 * logits[..., 0]))
        return np.stack([1 - p1, p1], axis=-1)
    e = np.exp(logits - logits.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)  # type: ignore[no-any-return]


def build(
    cfg: RunConfig,
    data: Dataset,
    weights_by_epoch: dict[int, Weights],
    epochs_trained: int,
    metrics: dict[str, list[float | None]],
    test_mask: npt.NDArray[np.bool_],
    *,
    stopped_early: bool = False,
    baseline: dict[str, Any] | None = None,
    data_digest: str = "",
    versions: dict[str, str] | None = None,
) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """Build the manifest and arrays of a trajectory file from recorded training."""
    e = cfg.export
    hidden_acts = list(cfg.model.activations()) if cfg.model.hidden else []
    k = data.n_classes
    out_act = "sigmoid" if k == 2 else "softmax"
    acts = [*hidden_acts, out_act]
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
    pca: dict[tuple[int, str], tuple[FloatArray, FloatArray, FloatArray]] = {}
    for i in range(n_layers):
        if projected[i]:
            for j, which in enumerate("zh"):
                pca[i, which] = fit_pca(last[i][j], 3)

    f32 = np.float32
    per_layer: list[dict[str, list[npt.NDArray[np.float32]]]] = [
        {"W": [], "b": [], "z": [], "h": [], "gz": [], "gh": []} for _ in range(n_layers)
    ]
    mesh, swaps = [], []
    for s, epoch in enumerate(epochs):
        ws, swapped = fix_orientation(weights_by_epoch[epoch])
        swaps += [{"snapshot": s, "epoch": epoch, "layer": L, "units": [0, 1]} for L in swapped]
        on_points = forward(ws, calc, x)
        on_grid = forward(ws, calc, grid)
        mesh.append(_probs(forward(ws, calc, mesh_xy)[-1][0]).astype(f32))
        for i in range(n_layers):
            d = per_layer[i]
            d["W"].append(ws[i][0].astype(f32))
            d["b"].append(ws[i][1].astype(f32))
            if projected[i]:
                for j, which in enumerate("zh"):
                    mean, comps, _ = pca[i, which]
                    d[which].append(project(on_points[i][j], mean, comps).astype(f32))
                    d["g" + which].append(project(on_grid[i][j], mean, comps).astype(f32))
            else:
                d["z"].append(on_points[i][0].astype(f32))
                d["gz"].append(on_grid[i][0].astype(f32))

    arrays: dict[str, np.ndarray] = {
        "inputs": np.asarray(data.X, f32),
        "labels": np.asarray(data.y, np.int64),
        "test_mask": np.asarray(test_mask, bool),
        "epochs": np.asarray(epochs, np.int64),
        "grid": grid.astype(f32),
        "mesh": np.stack(mesh),
    }
    layers_meta = []
    for i, d in enumerate(per_layer):
        w_shape = d["W"][0].shape
        is_output = i == n_layers - 1
        arrays[f"W{i}"] = np.stack(d["W"])
        arrays[f"b{i}"] = np.stack(d["b"])
        explained = None
        if projected[i]:
            ev = []
            for which in "zh":
                mean, comps, expl = pca[i, which]
                arrays[f"P{i}_{which}_mean"] = mean.astype(f32)
                arrays[f"P{i}_{which}_components"] = comps.astype(f32)
                arrays[f"P{i}_{which}_explained"] = expl.astype(f32)
                arrays[which + str(i)] = np.stack(d[which])
                arrays[f"g{which}{i}"] = np.stack(d["g" + which])
                ev.append(round(float(expl.sum()), 6))
            explained = ev
        else:
            arrays[f"z{i}"] = np.stack(d["z"])
            arrays[f"gz{i}"] = np.stack(d["gz"])
        layers_meta.append(
            {
                "in": int(w_shape[1]),
                "out": int(w_shape[0]),
                "activation": acts[i],
                "output": is_output,
                "projected": projected[i],
                "explained": explained,
            }
        )

    def final(key: str) -> float | None:
        return metrics[key][epochs_trained]

    manifest: dict[str, Any] = {
        "format": FORMAT,
        "schema_version": SCHEMA_VERSION,
        "config": cfg.to_dict(),
        "config_hash": cfg.config_hash(data_digest),
        "seed": cfg.seed,
        "dataset": {
            "name": data.name,
            "n_points": int(len(data.y)),
            "class_names": list(data.class_names),
            "source": "file" if cfg.data.is_file else "builtin",
            "sha256": data_digest or None,
        },
        "layers": layers_meta,
        "snapshot_epochs": epochs,
        "unit_swaps": swaps,
        "metrics": metrics,
        "final": {
            "epochs_trained": epochs_trained,
            "stopped_early": stopped_early,
            "train_loss": final("train_loss"),
            "train_acc": final("train_acc"),
            "test_loss": final("test_loss"),
            "test_acc": final("test_acc"),
        },
        "baseline": baseline,
        "grid": {"lines_per_axis": e.grid_lines, "samples": e.grid_samples, "extent": extent},
        "mesh": {"resolution": e.mesh_resolution, "extent": extent},
        "versions": {
            "nnwarp": __version__,
            "numpy": np.__version__,
            "python": platform.python_version(),
            **(versions or {}),
        },
        "notes": "activation stages of layers stored exactly are computed on load as act(z)",
    }
    return manifest, arrays
