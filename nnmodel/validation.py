"""Checks of a trajectory's manifest and arrays, by schema version; the typed manifest.

:func:`read` reads an archive (:mod:`nnmodel.npzread`), lets the manifest's
``schema_version`` pick its reader in :data:`READERS` (version 1, and version 2, which is
version 1 plus the gradient arrays and the ``gradients`` entry), and returns the typed manifest
(:class:`~nnmodel.schema.TrajectoryInfo`) with the arrays. Every manifest entry is
type-checked as it becomes part of the typed manifest, and every array's dtype and shape
is checked against the manifest and the other arrays, so a file that loads is usable.
Each refusal is one :class:`~nnmodel.errors.TrajectoryError` line naming the file, what
is wrong and how to fix it.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np

from nnmodel import activations
from nnmodel import schema as S
from nnmodel.errors import TrajectoryError
from nnmodel.npzread import (
    CORRUPT_HINT,
    HINT,
    Corrupt,
    describe,
    is_int,
    read_arrays,
    read_manifest_json,
)
from nnmodel.scaling import Scaling
from nnmodel.schema import (
    BaselineKey,
    DatasetKey,
    DivergedKey,
    FinalKey,
    GradientsKey,
    GridKey,
    Key,
    LayerKey,
    MeshKey,
    SwapKey,
)

__all__ = [
    "CORRUPT_HINT",
    "HINT",
    "READERS",
    "Corrupt",
    "check_arrays_v1",
    "check_arrays_v2",
    "parse_manifest",
    "parse_manifest_v1",
    "parse_manifest_v2",
    "read",
    "read_v1",
    "read_v2",
]


def _is_real(value: Any) -> bool:
    """An int or a float, as JSON decodes a number (NaN and infinity included)."""
    return is_int(value) or isinstance(value, float)


def _is_number(value: Any) -> bool:
    """A finite number."""
    return is_int(value) or (isinstance(value, float) and math.isfinite(value))


def _is_str(value: Any) -> bool:
    return isinstance(value, str)


def _is_dict(value: Any) -> bool:
    return isinstance(value, dict)


# ----------------------------------------------------------------------------- the manifest


def _entry(mapping: Mapping[str, Any], key: str, where: str, ok: Any, expected: str) -> Any:
    """``mapping[key]`` if ``ok(value)``, else Corrupt naming ``where`` and ``expected``.

    ``where`` is the path of ``mapping`` in the manifest (``""`` for the manifest itself).
    """
    if key not in mapping:
        owner = f"the manifest's {where}" if where else "the manifest"
        raise Corrupt(f"{owner} lacks '{key}'")
    value = mapping[key]
    if not ok(value):
        name = f"{where}['{key}']" if where else f"'{key}'"
        raise Corrupt(f"the manifest's {name} is {describe(value)}, expected {expected}")
    return value


def _optional(mapping: Mapping[str, Any], key: str, where: str, ok: Any, expected: str) -> Any:
    """Like :func:`_entry`, but an absent key (or null) gives None."""
    if mapping.get(key) is None:
        return None
    return _entry(mapping, key, where, ok, expected)


def _is_matrix(value: Any) -> bool:
    """A non-empty list of rows of 2 numbers (a read-out of the input plane)."""
    return (
        isinstance(value, list)
        and len(value) >= 1
        and all(isinstance(r, list) and len(r) == 2 and all(map(_is_number, r)) for r in value)
    )


def _extent(mapping: Mapping[str, Any], key: str, where: str) -> S.Extent:
    v = _entry(
        mapping,
        key,
        where,
        lambda v: isinstance(v, list) and len(v) == 4 and all(map(_is_number, v)),
        "a list of 4 numbers",
    )
    return float(v[0]), float(v[1]), float(v[2]), float(v[3])


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def _dataset(m: Mapping[str, Any]) -> S.DatasetInfo:
    ds = _entry(m, Key.DATASET, "", _is_dict, "an object")
    at = Key.DATASET
    name = _entry(ds, DatasetKey.NAME, at, _is_str, "a string")
    names = _entry(
        ds,
        DatasetKey.CLASS_NAMES,
        at,
        lambda v: (
            isinstance(v, list)
            and len(v) >= 2
            and all(isinstance(n, str) for n in v)
            and len(set(v)) == len(v)
        ),
        "a list of 2 or more distinct strings",
    )
    n_points = _entry(ds, DatasetKey.N_POINTS, at, lambda v: is_int(v) and v >= 0, "a count")
    source = _entry(
        ds,
        DatasetKey.SOURCE,
        at,
        lambda v: v in S.SOURCES,
        " or ".join(f'"{v}"' for v in S.SOURCES),
    )
    sha = _optional(ds, DatasetKey.SHA256, at, _is_str, "a string or null")
    columns = _optional(
        ds,
        DatasetKey.COLUMNS,
        at,
        lambda v: isinstance(v, list) and len(v) == 2 and all(isinstance(c, str) for c in v),
        "a list of 2 strings",
    ) or ["x", "y"]
    label_column = _optional(ds, DatasetKey.LABEL_COLUMN, at, _is_str, "a string") or "label"
    return S.DatasetInfo(
        name,
        tuple(names),
        n_points,
        source,
        sha,
        columns=(columns[0], columns[1]),
        label_column=label_column,
        standardization=_standardization(ds, at),
    )


def _standardization(ds: Mapping[str, Any], at: str) -> Scaling | None:
    """The dataset's ``standardization`` (mean and std per column), or None."""

    def pair(v: Any) -> bool:
        return isinstance(v, list) and len(v) == 2 and all(map(_is_number, v))

    value = _optional(ds, DatasetKey.STANDARDIZATION, at, _is_dict, "an object or null")
    if value is None:
        return None
    where = f"{at}['{DatasetKey.STANDARDIZATION}']"
    mean = _entry(value, "mean", where, pair, "a list of 2 numbers")
    std = _entry(value, "std", where, lambda v: pair(v) and all(x > 0 for x in v), "2 numbers > 0")
    return Scaling(mean=(float(mean[0]), float(mean[1])), std=(float(std[0]), float(std[1])))


def _layers(m: Mapping[str, Any], k: int) -> tuple[S.LayerInfo, ...]:
    layers = _entry(
        m,
        Key.LAYERS,
        "",
        lambda v: isinstance(v, list) and v and all(isinstance(L, dict) for L in v),
        "a non-empty list of objects",
    )
    out = []
    d_prev = 2
    for i, L in enumerate(layers):
        at = f"layers[{i}]"
        last = i == len(layers) - 1
        d_in = _entry(L, LayerKey.IN, at, lambda v: is_int(v) and v >= 1, "a whole number >= 1")
        d_out = _entry(L, LayerKey.OUT, at, lambda v: is_int(v) and v >= 1, "a whole number >= 1")
        act = _entry(
            L,
            LayerKey.ACTIVATION,
            at,
            lambda v: isinstance(v, str) and v in activations.BY_NAME,
            "one of " + ", ".join(activations.BY_NAME),
        )
        _entry(
            L, LayerKey.OUTPUT, at, lambda v, last=last: v is last, f"{'true' if last else 'false'}"
        )
        projected = _entry(
            L, LayerKey.PROJECTED, at, lambda v: isinstance(v, bool), "true or false"
        )
        explained = L.get(LayerKey.EXPLAINED)
        if explained is not None and not (
            isinstance(explained, list) and len(explained) == 2 and all(map(_is_number, explained))
        ):
            raise Corrupt(
                f"the manifest's {at}['explained'] is {describe(explained)}, "
                "expected null or a list of 2 numbers"
            )
        if d_in != d_prev:
            raise Corrupt(
                f"the manifest's {at} has {d_in} inputs but the layer before gives {d_prev}"
            )
        if last and projected:
            raise Corrupt(f"the manifest's {at} (the output layer) is marked projected")
        if not last and not projected and d_out > S.MAX_EXACT_WIDTH:
            raise Corrupt(
                f"the manifest's {at} has {d_out} units but is not marked projected "
                f"(exact layers have at most {S.MAX_EXACT_WIDTH})"
            )
        if last and d_out != (1 if k == 2 else k):
            raise Corrupt(f"the output layer has {d_out} unit(s) but the dataset has {k} classes")
        d_prev = d_out
        ex = (float(explained[0]), float(explained[1])) if explained else None
        out.append(S.LayerInfo(i, d_in, d_out, act, last, projected, ex))
    return tuple(out)


def _final(m: Mapping[str, Any]) -> S.FinalMetrics:
    final = _entry(m, Key.FINAL, "", _is_dict, "an object")
    at = Key.FINAL
    trained = _entry(
        final, FinalKey.EPOCHS_TRAINED, at, lambda v: is_int(v) and v >= 0, "a whole number"
    )
    train_loss, train_acc = (
        float(_entry(final, key, at, _is_real, "a number")) for key in S.TRAIN_METRICS
    )
    test_loss, test_acc = (
        _float(_entry(final, key, at, lambda v: v is None or _is_real(v), "a number or null"))
        for key in S.TEST_METRICS
    )
    early = _entry(
        final, FinalKey.STOPPED_EARLY, at, lambda v: isinstance(v, bool), "true or false"
    )
    diverged = _diverged(final, trained)
    return S.FinalMetrics(trained, early, train_loss, train_acc, test_loss, test_acc, diverged)


def _diverged(final: Mapping[str, Any], trained: int) -> S.Divergence | None:
    """The optional ``final['diverged']``: the epoch after the last finite one, and the loss."""
    value = _optional(final, FinalKey.DIVERGED, Key.FINAL, _is_dict, "an object or null")
    if value is None:
        return None
    at = f"{Key.FINAL}['{FinalKey.DIVERGED}']"
    epoch = _entry(
        value,
        DivergedKey.EPOCH,
        at,
        lambda v: v == trained + 1 and is_int(v),
        f"{trained + 1} (the epoch after epochs_trained)",
    )
    loss = _entry(
        value,
        DivergedKey.LOSS,
        at,
        lambda v: v in S.DIVERGED_LOSSES,
        " or ".join(f'"{v}"' for v in S.DIVERGED_LOSSES),
    )
    return S.Divergence(epoch, loss)


def _gradients(m: Mapping[str, Any], outputs: int) -> S.GradientInfo:
    """The version-2 ``gradients`` entry, its loss matching the output layer's logits."""
    entry = _entry(m, Key.GRADIENTS, "", _is_dict, "an object")
    at = Key.GRADIENTS
    want = S.GradientInfo.for_outputs(outputs)
    loss = _entry(
        entry,
        GradientsKey.LOSS,
        at,
        lambda v: v == want.loss,
        f'"{want.loss}" (the loss of {outputs} output logit{"" if outputs == 1 else "s"})',
    )
    batch = _entry(entry, GradientsKey.BATCH, at, lambda v: v == want.batch, f'"{want.batch}"')
    scale = _entry(entry, GradientsKey.SCALE, at, lambda v: v == want.scale, f'"{want.scale}"')
    return S.GradientInfo(loss, batch, scale)


def _metrics(m: Mapping[str, Any]) -> tuple[tuple[int, ...], S.Metrics]:
    epochs = _entry(
        m,
        Key.SNAPSHOT_EPOCHS,
        "",
        lambda v: isinstance(v, list) and v and all(is_int(e) and e >= 0 for e in v),
        "a non-empty list of whole numbers",
    )
    metrics = _entry(m, Key.METRICS, "", _is_dict, "an object")
    longest = max(epochs)
    values = {}
    for key in S.METRIC_NAMES:
        history = _entry(
            metrics,
            key,
            Key.METRICS,
            lambda v: (
                isinstance(v, list)
                and len(v) > longest
                and all(x is None or _is_real(x) for x in v)
            ),
            f"a list of numbers (or null) for epochs 0..{longest}",
        )
        values[key] = tuple(_float(x) for x in history)
    return tuple(epochs), S.Metrics(**values)


def _baseline(m: Mapping[str, Any]) -> S.Baseline | None:
    base = m.get(Key.BASELINE)
    if base is None:
        return None
    if not isinstance(base, dict):
        raise Corrupt(f"the manifest's baseline is {describe(base)}, expected an object")
    at = Key.BASELINE
    w = _entry(base, BaselineKey.W, at, _is_matrix, "a list of rows of 2 numbers")
    b = _entry(
        base,
        BaselineKey.B,
        at,
        lambda v: isinstance(v, list) and len(v) == len(w) and all(map(_is_number, v)),
        f"a list of {len(w)} number(s)",
    )
    train_acc = _entry(base, BaselineKey.TRAIN_ACC, at, _is_real, "a number")
    test_acc = _optional(base, BaselineKey.TEST_ACC, at, _is_real, "a number or null")
    return S.Baseline(
        tuple(tuple(float(x) for x in row) for row in w),
        tuple(float(x) for x in b),
        float(train_acc),
        _float(test_acc),
    )


def _unit_swaps(m: Mapping[str, Any], n_layers: int) -> tuple[S.UnitSwap, ...]:
    swaps = m.get(Key.UNIT_SWAPS)
    if swaps is None:
        return ()
    if not (isinstance(swaps, list) and all(isinstance(s, dict) for s in swaps)):
        raise Corrupt(f"the manifest's unit_swaps is {describe(swaps)}, expected a list of objects")
    out = []
    for i, swap in enumerate(swaps):
        at = f"unit_swaps[{i}]"
        count = "a whole number >= 0"
        snap = _entry(swap, SwapKey.SNAPSHOT, at, lambda v: is_int(v) and v >= 0, count)
        epoch = _entry(swap, SwapKey.EPOCH, at, lambda v: is_int(v) and v >= 0, count)
        layer = _entry(
            swap,
            SwapKey.LAYER,
            at,
            lambda v: is_int(v) and 0 <= v < n_layers - 1,
            "a hidden layer",
        )
        units = _entry(
            swap,
            SwapKey.UNITS,
            at,
            lambda v: isinstance(v, list) and len(v) == 2 and all(is_int(u) for u in v),
            "a list of 2 units",
        )
        out.append(S.UnitSwap(snap, epoch, layer, (units[0], units[1])))
    return tuple(out)


def _versions(m: Mapping[str, Any]) -> S.Versions:
    v = _entry(m, Key.VERSIONS, "", _is_dict, "an object")
    nnwarp, numpy, python = (
        _entry(v, key, Key.VERSIONS, _is_str, "a string") for key in S.VERSION_KEYS
    )
    torch = _optional(v, S.TORCH_VERSION_KEY, Key.VERSIONS, _is_str, "a string")
    return S.Versions(nnwarp, numpy, python, torch)


def parse_manifest_v1(m: Mapping[str, Any]) -> S.TrajectoryInfo:
    """The typed manifest of version 1: every entry's type and consistency checked (Corrupt).

    A ``gradients`` entry is refused: version 1 stores no gradients, so a file that has one
    claims the wrong version.
    """
    if Key.GRADIENTS in m:
        version = describe(m.get(Key.SCHEMA_VERSION))
        raise Corrupt(
            f"the manifest has '{Key.GRADIENTS}' but its schema_version is {version} "
            f"(gradients came with version {S.GRADIENTS_SINCE})"
        )
    return _parse_common(m)


def parse_manifest_v2(m: Mapping[str, Any]) -> S.TrajectoryInfo:
    """The typed manifest of version 2: version 1's checks and the ``gradients`` entry."""
    info = _parse_common(m)
    return dataclasses.replace(info, gradients=_gradients(m, info.output_layer.d_out))


def parse_manifest(m: Mapping[str, Any]) -> S.TrajectoryInfo:
    """The typed manifest of any readable version (its ``schema_version`` picks the parser)."""
    version = m.get(Key.SCHEMA_VERSION)
    parser = _PARSERS.get(version) if isinstance(version, int) and is_int(version) else None
    if parser is None:
        raise Corrupt(
            f"the manifest's schema_version is {describe(version)}, expected "
            + " or ".join(str(v) for v in sorted(_PARSERS))
        )
    return parser(m)


def _parse_common(m: Mapping[str, Any]) -> S.TrajectoryInfo:
    """Every entry versions 1 and 2 share, typed and checked (Corrupt)."""
    config = _entry(m, Key.CONFIG, "", _is_dict, "an object")
    _entry(m, Key.GRID, "", _is_dict, "an object")
    _entry(m, Key.VERSIONS, "", _is_dict, "an object")
    config_hash = _entry(m, Key.CONFIG_HASH, "", _is_str, "a string")
    seed = _entry(m, Key.SEED, "", is_int, "a whole number")
    dataset = _dataset(m)
    layers = _layers(m, dataset.n_classes)
    final = _final(m)
    mesh = _entry(m, Key.MESH, "", _is_dict, "an object")
    resolution = _entry(
        mesh, MeshKey.RESOLUTION, Key.MESH, lambda v: is_int(v) and v >= 1, "a whole number >= 1"
    )
    mesh_info = S.MeshInfo(resolution, _extent(mesh, MeshKey.EXTENT, Key.MESH))
    epochs, metrics = _metrics(m)
    baseline = _baseline(m)
    grid = m[Key.GRID]
    size = "a whole number >= 1"
    grid_info = S.GridInfo(
        _entry(grid, GridKey.LINES_PER_AXIS, Key.GRID, lambda v: is_int(v) and v >= 1, size),
        _entry(grid, GridKey.SAMPLES, Key.GRID, lambda v: is_int(v) and v >= 1, size),
        _extent(grid, GridKey.EXTENT, Key.GRID),
    )
    notes = m.get(Key.NOTES)
    if notes is not None and not isinstance(notes, str):
        raise Corrupt(f"the manifest's 'notes' is {describe(notes)}, expected a string")
    return S.TrajectoryInfo(
        schema_version=m[Key.SCHEMA_VERSION],
        config=MappingProxyType(config),
        config_hash=config_hash,
        seed=seed,
        dataset=dataset,
        layers=layers,
        snapshot_epochs=epochs,
        metrics=metrics,
        final=final,
        grid=grid_info,
        mesh=mesh_info,
        versions=_versions(m),
        baseline=baseline,
        unit_swaps=_unit_swaps(m, len(layers)),
        notes=notes,
    )


# ----------------------------------------------------------------------------- the arrays


def _check_array(
    arrays: Mapping[str, np.ndarray], key: str, kinds: str, shape: tuple[int | None, ...]
) -> np.ndarray:
    """``arrays[key]`` if its dtype kind is in ``kinds`` and its shape fits (None = any ≥ 1)."""
    arr = arrays[key]
    named = {"f": "floats", "i": "integers", "u": "integers", "b": "booleans"}
    if arr.dtype.kind not in kinds:
        raise Corrupt(f"array {key} has dtype {arr.dtype}, expected {named[kinds[0]]}")
    fits = arr.ndim == len(shape) and all(
        n >= 1 if want is None else n == want for n, want in zip(arr.shape, shape, strict=True)
    )
    if not fits:
        shown = "(" + ", ".join("n" if s is None else str(s) for s in shape) + ")"
        if len(shape) == 1:
            shown = shown[:-1] + ",)"
        raise Corrupt(f"array {key} has shape {arr.shape}, expected {shown}")
    return arr


def check_arrays_v1(info: S.TrajectoryInfo, arrays: Mapping[str, np.ndarray]) -> None:
    """Dtypes and shapes of every array, against each other and the manifest (Corrupt)."""
    n = _check_array(arrays, S.INPUTS, "f", (None, 2)).shape[0]
    k = info.n_classes
    labels = _check_array(arrays, S.LABELS, "iu", (n,))
    if labels.size and (int(labels.min()) < 0 or int(labels.max()) >= k):
        raise Corrupt(f"array labels holds values outside 0..{k - 1} ({k} classes)")
    _check_array(arrays, S.TEST_MASK, "b", (n,))
    epochs = _check_array(arrays, S.EPOCHS, "iu", (None,))
    s = epochs.shape[0]
    if tuple(int(e) for e in epochs) != info.snapshot_epochs:
        raise Corrupt("array epochs differs from the manifest's snapshot_epochs")
    if info.dataset.n_points != n:
        raise Corrupt(
            f"the manifest's dataset['n_points'] is {info.dataset.n_points}, "
            f"but array inputs holds {n} points"
        )
    g = info.grid
    _check_array(arrays, S.GRID, "f", (2 * g.lines_per_axis, g.samples, 2))
    r = info.mesh.resolution
    _check_array(arrays, S.MESH, "f", (s, r, r, k))
    for L in info.layers:
        i = L.index
        _check_array(arrays, S.weight_key(i), "f", (s, L.d_out, L.d_in))
        _check_array(arrays, S.bias_key(i), "f", (s, L.d_out))
        for which in S.stored_representations(L.projected):
            shown = L.display_dim
            _check_array(arrays, S.points_key(i, which), "f", (s, n, shown))
            _check_array(
                arrays, S.grid_lines_key(i, which), "f", (s, 2 * g.lines_per_axis, g.samples, shown)
            )
            if L.projected:  # mean (w,), components (3, w), explained (3,)
                dim = S.PROJECTED_DIM
                shapes = ((L.d_out,), (dim, L.d_out), (dim,))
                for part, shape in zip(S.PROJECTION_PARTS, shapes, strict=True):
                    _check_array(arrays, S.projection_key(i, which, part), "f", shape)


def check_arrays_v2(info: S.TrajectoryInfo, arrays: Mapping[str, np.ndarray]) -> None:
    """Version 1's checks, then every gradient array's dtype and shape (Corrupt)."""
    check_arrays_v1(info, arrays)
    s, n = len(info.snapshot_epochs), info.dataset.n_points
    for L in info.layers:
        i = L.index
        _check_array(arrays, S.weight_grad_key(i), "f", (s, L.d_out, L.d_in))
        _check_array(arrays, S.bias_grad_key(i), "f", (s, L.d_out))
        _check_array(arrays, S.affine_grad_key(i), "f", (s, n, L.display_dim))


# ----------------------------------------------------------------------------- by version


def _check(
    path: Path,
    manifest: dict[str, Any],
    arrays: dict[str, np.ndarray],
    parse: Callable[[Mapping[str, Any]], S.TrajectoryInfo],
    check: Callable[[S.TrajectoryInfo, Mapping[str, np.ndarray]], None],
    required: tuple[str, ...],
    layer_keys: Callable[[S.LayerInfo], list[str]],
) -> S.TrajectoryInfo:
    """Required keys and arrays present, the manifest parsed, every array checked."""
    missing_keys = [k for k in required if k not in manifest]
    if missing_keys:
        raise TrajectoryError(f"{path} manifest lacks {', '.join(missing_keys)} ({HINT})")
    missing = [k for k in S.REQUIRED_ARRAYS if k != S.MANIFEST and k not in arrays]
    if missing:
        raise TrajectoryError(f"{path} lacks array(s) {', '.join(missing)} ({HINT})")
    try:
        info = parse(manifest)
    except Corrupt as exc:
        raise TrajectoryError(f"{path}: {exc}: {CORRUPT_HINT}") from None
    for L in info.layers:
        absent = [k for k in layer_keys(L) if k not in arrays]
        if absent:
            raise TrajectoryError(
                f"{path} lacks array(s) {', '.join(absent)} for layer {L.index} ({HINT})"
            )
    try:
        check(info, arrays)
    except Corrupt as exc:
        raise TrajectoryError(f"{path}: {exc}: {CORRUPT_HINT}") from None
    return info


def read_v1(
    path: Path, manifest: dict[str, Any], arrays: dict[str, np.ndarray]
) -> S.TrajectoryInfo:
    """Check a version-1 manifest and its arrays; the typed manifest, or TrajectoryError."""
    return _check(
        path,
        manifest,
        arrays,
        parse_manifest_v1,
        check_arrays_v1,
        S.REQUIRED_MANIFEST_KEYS,
        lambda L: S.layer_keys(L.index, L.projected),
    )


def read_v2(
    path: Path, manifest: dict[str, Any], arrays: dict[str, np.ndarray]
) -> S.TrajectoryInfo:
    """Check a version-2 manifest and its arrays (version 1's, plus the gradients')."""
    return _check(
        path,
        manifest,
        arrays,
        parse_manifest_v2,
        check_arrays_v2,
        (*S.REQUIRED_MANIFEST_KEYS, Key.GRADIENTS),
        lambda L: [*S.layer_keys(L.index, L.projected), *S.gradient_keys(L.index)],
    )


Reader = Callable[[Path, dict[str, Any], dict[str, np.ndarray]], S.TrajectoryInfo]
#: The readable schema versions, each with the function that checks it and builds its
#: typed manifest (see :mod:`nnmodel.schema`).
READERS: Mapping[int, Reader] = MappingProxyType({1: read_v1, 2: read_v2})
#: The manifest parser of each readable version (:func:`parse_manifest`).
_PARSERS: Mapping[int, Callable[[Mapping[str, Any]], S.TrajectoryInfo]] = MappingProxyType(
    {1: parse_manifest_v1, 2: parse_manifest_v2}
)


def read(path: Path) -> tuple[S.TrajectoryInfo, dict[str, Any], dict[str, np.ndarray]]:
    """``(info, manifest, arrays)`` of the trajectory at ``path`` (an existing file).

    The manifest's ``schema_version`` picks the reader in :data:`READERS`; a version with
    no reader is refused as older or newer than this nnwarp.
    """
    arrays = read_arrays(path)
    manifest = read_manifest_json(path, arrays)
    version = manifest[Key.SCHEMA_VERSION]
    reader = READERS.get(version)
    if reader is None:
        age = "newer" if version > max(READERS) else "older"
        readable = " or ".join(str(v) for v in sorted(READERS))
        raise TrajectoryError(
            f"{path} uses trajectory schema {version}, this nnwarp reads schema "
            f"{readable}: the file is {age} than this version; "
            + ("upgrade nnwarp" if age == "newer" else HINT)
        )
    return reader(path, manifest, arrays), manifest, arrays
