"""PCA display projections for layers wider than three units (numpy only)."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["FloatArray", "fit_pca", "project"]

FloatArray = npt.NDArray[np.floating[Any]]


def fit_pca(x: FloatArray, k: int = 3) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Fit a k-component PCA to the rows of ``x``.

    Returns ``(mean (w,), components (k, w), explained (k,))`` where ``explained`` is the
    fraction of the total variance each component keeps. Component signs are fixed (largest
    loading positive) so the same data always gives the same projection.

    >>> mean, comps, ev = fit_pca(np.random.default_rng(0).normal(size=(50, 5)), 3)
    >>> comps.shape, bool(ev.sum() <= 1.0)
    ((3, 5), True)
    """
    x = np.asarray(x, dtype=np.float64)
    mean = x.mean(axis=0)
    centred = x - mean
    _, sing, vt = np.linalg.svd(centred, full_matrices=False)
    comps = vt[:k]
    pivots = np.argmax(np.abs(comps), axis=1)
    signs = np.sign(comps[np.arange(len(comps)), pivots])
    signs[signs == 0] = 1.0
    comps = comps * signs[:, None]
    var = sing**2
    total = var.sum()
    explained = var[:k] / total if total > 0 else np.zeros(len(comps))
    if len(comps) < k:  # fewer samples than components: pad with zeros
        pad = k - len(comps)
        comps = np.vstack([comps, np.zeros((pad, x.shape[1]))])
        explained = np.concatenate([explained, np.zeros(pad)])
    return mean, comps, explained


def project(x: FloatArray, mean: FloatArray, comps: FloatArray) -> FloatArray:
    """Project ``(..., w)`` onto the components: ``(x - mean) · compsᵀ``."""
    out: FloatArray = (np.asarray(x, np.float64) - mean) @ comps.T
    return out
