"""Turn recorded weights into trajectory arrays: snapshots, stages, gradients, grid, mesh."""

from __future__ import annotations

import platform
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from nnmodel import __version__
from nnmodel import schema as S
from nnmodel.activations import class_probabilities, output_activation
from nnmodel.config import RunConfig
from nnmodel.datasets import Dataset
from nnmodel.gradients import backward
from nnmodel.projection import fit_pca, project
from nnmodel.scaling import Scaling
from nnmodel.schema import MAX_EXACT_WIDTH, PROJECTED_DIM
from nnmodel.snapshots import choose_snapshots, jump_epochs, loss_jumps
from nnmodel.trajectory import forward

__all__ = [
    "EXPORT_REVISION",
    "FloatArray",
    "GradientFn",
    "Grads",
    "MAX_FILE_BYTES",
    "Weights",
    "build",
    "choose_snapshots",
    "estimate_bytes",
    "fix_orientation",
    "input_grid",
    "mesh_points",
    "numpy_gradients",
    "plane_extent",
    "swap_gradients",
]

#: The exporter's revision: raised whenever one config exports a different trajectory
#: (which snapshots are kept, what is stored). Cached trajectories are keyed by it
#: (:func:`nnmodel.pipeline.cache_path`), so those of an older exporter are trained again.
#: 2: snapshots at the start, peak and end of each sharp jump of the loss.
EXPORT_REVISION = 2

Weights = list[tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]]
FloatArray = npt.NDArray[np.floating[Any]]
#: One snapshot's gradients, ``[(dW, db, dz), ...]`` per layer: ``dW`` (out, in), ``db``
#: (out,), ``dz`` (N, out) at full width for every point, with the conventions of
#: :mod:`nnmodel.schema` (``dz`` rows are each point's own loss gradient / n_train).
Grads = list[tuple[FloatArray, FloatArray, FloatArray]]
#: The gradients at the weights recorded for an epoch (as recorded: before unit swaps).
GradientFn = Callable[[int], Grads]

#: Largest trajectory file nnwarp writes. Exporting needs about three times this in memory
#: (bench/bench_limits.py measures it), and every stored point is drawn in every frame.
MAX_FILE_BYTES = 512 * 2**20


#: Bytes of each ``.npy`` member beyond its data: numpy's header (128 bytes for every array
#: nnwarp writes) and the zip's local header (30) and central directory entry (46), each of
#: which also holds the member's name.
_MEMBER_BYTES = 128 + 30 + 46
#: The zip's end record.
_ZIP_END_BYTES = 22
#: The manifest without its per-epoch metrics, per-layer entries and snapshot epochs: the
#: config, dataset, final metrics, baseline, grid, mesh, versions, notes and gradients
#: entries, as indented JSON (a little over what built-in data and small nets take).
_MANIFEST_BASE = 2_600
#: One layer's entry in the manifest's ``layers``.
_MANIFEST_LAYER = 135
#: One per-epoch metric value in the manifest (a float's 17 digits, indentation, comma).
_MANIFEST_VALUE = 22
#: A null one (test metrics without held-out points).
_MANIFEST_NULL = 9


def _member_names(cfg: RunConfig, n_layers: int) -> list[str]:
    """The name of every array the file of ``cfg`` holds (manifest included)."""
    names = list(S.REQUIRED_ARRAYS)
    for i in range(n_layers):
        wide = i < n_layers - 1 and cfg.model.hidden[i] > MAX_EXACT_WIDTH
        names += S.layer_keys(i, wide) + S.gradient_keys(i)
    return names


def estimate_bytes(cfg: RunConfig, n_points: int, n_classes: int) -> int:
    """The size of the trajectory file ``cfg`` gives on ``n_points`` points, in bytes.

    Every snapshot stores each layer's weights and their gradients and, in display
    coordinates (at most 3 per point), the points and their gradients and the grid after
    the affine map (and after the activation, for layers shown through a projection),
    plus the class probabilities over the mesh. Around the arrays: the ``.npy`` headers,
    the zip's records and the manifest, whose per-epoch metrics grow with the epochs.
    Within 0.1 % of the real file for files of a few MB and more (a test checks it);
    smaller files differ by a few kB (the manifest's unit swaps and float digits).

    >>> from nnmodel.config import ModelConfig
    >>> cfg = RunConfig(model=ModelConfig(hidden=(3, 2)))  # 1000 epochs, 60 snapshots
    >>> estimate_bytes(cfg, 400, 2) // 2**20, estimate_bytes(cfg, 4000, 2) // 2**20  # MiB
    (14, 24)
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
        floats += 2 * snaps * (w * d_in + w)  # W, b and their gradients dW, db
        floats += snaps * (n_points + grid_points) * display * (2 if wide else 1)
        floats += snaps * n_points * display  # dz
        floats += 2 * (w + 3 * w + 3) if wide else 0
    data = 4 * floats + n_points * (8 + 1) + snaps * 8  # + labels, mask, epochs
    names = _member_names(cfg, len(widths))
    members = sum(_MEMBER_BYTES + 2 * len(f"{name}.npy") for name in names) + _ZIP_END_BYTES
    epochs = cfg.train.epochs + 1
    test = _MANIFEST_VALUE if round(n_points * cfg.train.test_fraction) else _MANIFEST_NULL
    manifest = (
        _MANIFEST_BASE
        + _MANIFEST_LAYER * len(widths)
        + snaps * (5 + len(str(cfg.train.epochs)))  # snapshot_epochs
        + epochs * 2 * (_MANIFEST_VALUE + test)  # metrics
    )
    return data + members + manifest


def fix_orientation(weights: Weights) -> tuple[Weights, list[int]]:
    """Swap two hidden units wherever a square (2- or 3-wide) hidden W has det < 0.

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
        if (
            2 <= w.shape[0] == w.shape[1] <= MAX_EXACT_WIDTH
            and np.linalg.det(w.astype(np.float64)) < 0
        ):
            w[[0, 1]] = w[[1, 0]]
            b[[0, 1]] = b[[1, 0]]
            nxt = ws[layer + 1][0]
            nxt[:, [0, 1]] = nxt[:, [1, 0]]
            swapped.append(layer)
    return ws, swapped


def swap_gradients(grads: Grads, swapped: Sequence[int]) -> Grads:
    """The gradients at the weights :func:`fix_orientation` returns, from those before it.

    Swapping hidden units 0 and 1 of layer ``l`` permutes the gradient as it permutes the
    weights: rows of ``dW_l``, entries of ``db_l``, columns of ``dz_l`` and of ``dW_{l+1}``.

    >>> g = [(np.eye(2), np.arange(2.0), np.array([[1.0, 2.0]])), (np.array([[3.0, 4.0]]),) * 3]
    >>> [a.tolist() for a in swap_gradients(g, [0])[0]], swap_gradients(g, [0])[1][0].tolist()
    ([[[0.0, 1.0], [1.0, 0.0]], [1.0, 0.0], [[2.0, 1.0]]], [[4.0, 3.0]])
    """
    out = [(dw.copy(), db.copy(), dz.copy()) for dw, db, dz in grads]
    for layer in swapped:
        dw, db, dz = out[layer]
        dw[[0, 1]] = dw[[1, 0]]
        db[[0, 1]] = db[[1, 0]]
        dz[:, [0, 1]] = dz[:, [1, 0]]
        nxt = out[layer + 1][0]
        nxt[:, [0, 1]] = nxt[:, [1, 0]]
    return out


def numpy_gradients(
    weights_by_epoch: Mapping[int, Weights],
    activations: Sequence[str],
    x: npt.ArrayLike,
    y: npt.ArrayLike,
    test_mask: npt.ArrayLike,
) -> GradientFn:
    """The gradients at each epoch's weights, computed in numpy float64 when asked for.

    :func:`nnmodel.gradients.backward` with the file's conventions (:data:`Grads`): the
    mean loss over the training points (``~test_mask``), ``dz`` for every point.
    ``activations`` names the hidden layers' activations.
    """
    train_rows = ~np.asarray(test_mask, bool)

    def at(epoch: int) -> Grads:
        g = backward(weights_by_epoch[epoch], activations, x, y, train=train_rows)
        return list(zip(g.dW, g.db, g.dz, strict=True))

    return at


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
    gradients: GradientFn | None = None,
    diverged: S.Divergence | None = None,
) -> tuple[S.TrajectoryInfo, dict[str, np.ndarray]]:
    """Build the typed manifest and the arrays of a trajectory file from recorded training.

    The file keeps ``cfg.export.snapshots`` of the recorded epochs: log-spaced, and the
    start, peak and end of each sharp jump of the training loss in ``metrics``
    (:func:`nnmodel.snapshots.loss_jumps`, the jumps the evolution scene tells), those of
    them that were recorded.

    ``data`` is what the network saw: already standardised when ``standardization`` is
    given (which the manifest records, so the original units can be recovered).
    ``source`` is the dataset's origin (default: ``"file"`` or ``"builtin"`` from the config;
    :func:`nnmodel.record` writes ``"recorded"``).
    ``gradients(epoch)`` gives the gradients (:data:`Grads`) at ``weights_by_epoch[epoch]``
    as recorded (before unit swaps); it is called once per chosen snapshot, as that
    snapshot is reduced to display coordinates, so full-width gradients never pile up in
    memory (the trainer passes torch autograd's, :func:`nnmodel.train.gradients_at`).
    Without it they are computed here, in numpy float64 (:func:`numpy_gradients`).
    ``diverged`` records where training diverged (``epochs_trained`` is then the last
    finite epoch). :func:`nnmodel.trajectory.write` writes the result.
    """
    e = cfg.export
    hidden_acts = list(cfg.model.activations()) if cfg.model.hidden else []
    k = data.n_classes
    acts = [*hidden_acts, output_activation(k)]
    n_layers = len(acts)

    # Log-spaced snapshots, and the moments that matter: where the training loss jumps
    # (before it, its peak, where it is back), found as the evolution scene finds them.
    jumps = loss_jumps(metrics[S.TRAIN_METRICS[0]], epochs_trained)
    epochs = choose_snapshots(
        list(weights_by_epoch), epochs_trained, e.snapshots, keep=jump_epochs(jumps)
    )
    extent = plane_extent(np.asarray(data.X, np.float64))
    grid = input_grid(extent, e.grid_lines, e.grid_samples)
    mesh_xy = mesh_points(extent, e.mesh_resolution)
    x = np.asarray(data.X, np.float64)
    calc = [*hidden_acts, "linear"]  # logits, not probabilities, for the output stage
    gradients_at = gradients or numpy_gradients(weights_by_epoch, hidden_acts, x, data.y, test_mask)

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
    del last  # full width: free it before the snapshots' own passes

    f32 = np.float32
    # per layer: weights, biases, and for each stored representation its points and grid
    w_s: list[list[npt.NDArray[np.float32]]] = [[] for _ in range(n_layers)]
    b_s: list[list[npt.NDArray[np.float32]]] = [[] for _ in range(n_layers)]
    pts: dict[tuple[int, str], list[npt.NDArray[np.float32]]] = {}
    lines: dict[tuple[int, str], list[npt.NDArray[np.float32]]] = {}
    # per layer: dW, db, dz (display coordinates) per snapshot
    grad_s: list[tuple[list[np.ndarray], ...]] = [([], [], []) for _ in range(n_layers)]
    mesh, swaps = [], []
    # A diverged run's last snapshots may exceed float32's range: stored as ±inf, silently
    # (the manifest's final.diverged and its health finding say what happened).
    with np.errstate(over="ignore"):
        for s, epoch in enumerate(epochs):
            ws, swapped = fix_orientation(weights_by_epoch[epoch])
            swaps += [S.UnitSwap(snapshot=s, epoch=epoch, layer=L) for L in swapped]
            grads = swap_gradients(gradients_at(epoch), swapped)
            for i, (dw, db, dz) in enumerate(grads):
                if projected[i]:  # a gradient is a direction: the components only, no mean
                    dz = np.asarray(dz, np.float64) @ pca[i, S.AFFINE][1].T
                for store, value in zip(grad_s[i], (dw, db, dz), strict=True):
                    store.append(np.asarray(value).astype(f32))
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
            del grads, on_points, on_grid  # full width: not kept into the next snapshot

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
        for key, values in zip(S.gradient_keys(i), grad_s[i], strict=True):
            arrays[key] = np.stack(values)
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
            diverged=diverged,
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
        gradients=S.GradientInfo.for_outputs(layers[-1].d_out),
    )
    return info, arrays
