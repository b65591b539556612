"""Pixman's premultiplied 8-bit arithmetic in numpy, RGBA in the 16-bit lanes of a uint64."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from scenes.draw.base import FloatArray

__all__: list[str] = []  # package-internal helpers only


# 16-bit-lane constants.
_LANES = np.uint64(0x00FF00FF00FF00FF)
_PAIRS = np.uint64(0x0000FFFF0000FFFF)
_HALF = np.uint64(0x0080008000800080)
_U8, _U16, _U48 = np.uint64(8), np.uint64(16), np.uint64(48)


def _lanes(rgb: FloatArray, alpha: FloatArray) -> npt.NDArray[np.uint64]:
    """Premultiplied 8-bit R, G, B, A in the four 16-bit lanes of a uint64, per row."""
    q = np.empty((len(rgb), 4), dtype=np.uint16)
    scale = np.clip(alpha, 0.0, 1.0) * 255.0
    np.copyto(q[:, :3], np.clip(rgb, 0.0, 1.0) * scale[:, None] + 0.5, casting="unsafe")
    np.copyto(q[:, 3], scale + 0.5, casting="unsafe")
    return q.view(np.uint64).reshape(-1)


def _div255(x: npt.NDArray[np.uint64], tmp: npt.NDArray[np.uint64]) -> None:
    """``x / 255`` rounded, in place, in every 16-bit lane (lanes must be < 65280)."""
    x += _HALF
    np.right_shift(x, _U8, out=tmp)
    tmp &= _LANES
    x += tmp
    x >>= _U8
    x &= _LANES


def _to_words(x: npt.NDArray[np.uint64], out: npt.NDArray[np.uint32]) -> None:
    """16-bit lanes (each < 256) to RGBA pixel words."""
    n = len(x)
    np.copyto(out.view(np.uint8).reshape(n, 4), x.view(np.uint16).reshape(n, 4), casting="unsafe")


def _from_words(words: npt.NDArray[np.uint32], out: npt.NDArray[np.uint64]) -> None:
    """RGBA pixel words to 16-bit lanes."""
    n = len(words)
    np.copyto(out.view(np.uint16).reshape(n, 4), words.view(np.uint8).reshape(n, 4))


def _over(
    dst: npt.NDArray[np.uint64],
    src: npt.NDArray[np.uint64],
    tmp: npt.NDArray[np.uint64],
    tmp2: npt.NDArray[np.uint64],
) -> None:
    """``dst = src over dst`` for premultiplied 16-bit lanes, in place (as pixman does it)."""
    np.right_shift(src, _U48, out=tmp2)
    np.subtract(np.uint64(255), tmp2, out=tmp2)
    dst *= tmp2
    _div255(dst, tmp)
    dst += src
