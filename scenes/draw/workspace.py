"""State that numpy compositing keeps between frames: reused arrays, keys, colour palettes."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from scenes.draw.base import FloatArray
from scenes.draw.lanes import _div255, _lanes, _to_words
from scenes.draw.sprites import MAX_SPRITE_COLOURS, _Entries

__all__: list[str] = []  # package-internal helpers only


#: Clouds with at most this many distinct colours look their sprite pixels up in a table.
_MAX_PALETTE = MAX_SPRITE_COLOURS


class _Workspace:
    """Arrays reused from frame to frame by :func:`_composite_discs`.

    Fresh multi-megabyte temporaries every frame cost page faults (on a VM, several µs per
    4 KiB page: more than the arithmetic), so large intermediates live here and are grown,
    never shrunk. ``keys`` is a per-pixel buffer of fragment numbers that never needs
    clearing: every use takes fresh numbers above all earlier ones (see :meth:`number`).
    """

    def __init__(self) -> None:
        self._arrays: dict[str, np.ndarray] = {}
        self.keys = np.zeros(0, dtype=np.int32)
        self.next_key = 0
        self._colours: list[
            tuple[
                FloatArray,
                FloatArray | None,
                tuple[npt.NDArray[np.uint64], npt.NDArray[np.uint64] | None, _Palette | None],
            ]
        ] = []

    def get(self, name: str, n: int, dtype: Any) -> Any:
        """A length-``n`` view of the named array (contents undefined)."""
        arr = self._arrays.get(name)
        if arr is None or arr.dtype != dtype or len(arr) < n:
            grown = max(n, 2 * len(arr)) if arr is not None and arr.dtype == dtype else n
            arr = np.empty(grown, dtype=dtype)
            self._arrays[name] = arr
        return arr[:n]

    def pick(self, name: str, values: np.ndarray, where: np.ndarray) -> Any:
        """``values[where]`` in the named array."""
        out = self.get(name, len(where), values.dtype)
        np.take(values, where, out=out, mode="clip")
        return out

    def ready_keys(self, n_pix: int, need: int) -> npt.NDArray[np.int32]:
        """The ``n_pix + 1`` key buffer, reset if ``need`` more numbers would overflow it."""
        if len(self.keys) != n_pix + 1 or self.next_key + need >= np.iinfo(np.int32).max:
            self.keys = np.full(n_pix + 1, -1, dtype=np.int32)
            self.next_key = 0
        return self.keys

    def number(self, n: int) -> int:
        """Take ``n`` fresh key numbers; returns the first."""
        first = self.next_key
        self.next_key += n
        return first

    def ramp(self, n: int) -> npt.NDArray[np.int32]:
        """``0, 1, ..., n - 1`` (a shared array: do not modify)."""
        arr = self._arrays.get("ramp")
        if arr is None or len(arr) < n:
            arr = np.arange(max(n, 2 * len(arr) if arr is not None else n), dtype=np.int32)
            self._arrays["ramp"] = arr
        return arr[:n]

    def colours(
        self, fill: FloatArray, rim: FloatArray | None
    ) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.uint64] | None, _Palette | None]:
        """Lane colours of ``fill`` and ``rim`` (alpha from ``fill``) and their palette.

        Cached for the last few clouds, as their colours rarely change from frame to frame.
        """
        for i, (f, r, found) in enumerate(self._colours):
            if _same(f, fill) and _same(r, rim):
                if i:
                    self._colours.insert(0, self._colours.pop(i))
                return found
        fill64 = _lanes(fill[:, :3], fill[:, 3])
        rim64 = None if rim is None else _lanes(rim[:, :3], fill[:, 3])
        found = (fill64, rim64, _Palette.of(fill64, rim64))
        self._colours.insert(0, (fill.copy(), None if rim is None else rim.copy(), found))
        del self._colours[4:]
        return found


def _same(a: np.ndarray | None, b: np.ndarray | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return a.shape == b.shape and bool(np.array_equal(a, b))


class _Palette:
    """A cloud's distinct (fill, rim) colours and each point's index among them."""

    def __init__(
        self,
        fill: npt.NDArray[np.uint64],
        rim: npt.NDArray[np.uint64] | None,
        index: npt.NDArray[np.intp],
    ) -> None:
        self.fill, self.rim, self.index = fill, rim, index
        self._sprites: dict[int, tuple[_Entries, np.ndarray, np.ndarray]] = {}

    @classmethod
    def of(
        cls, fill: npt.NDArray[np.uint64], rim: npt.NDArray[np.uint64] | None
    ) -> _Palette | None:
        uniq, first, index = np.unique(fill, return_index=True, return_inverse=True)
        if len(uniq) > _MAX_PALETTE:
            return None
        rims = None
        if rim is not None:
            rims = rim[first]
            if not np.array_equal(rims[index], rim):  # rim not a function of fill: no table
                return None
        return cls(uniq, rims, index.reshape(-1).astype(np.intp))

    def sprites(self, part: _Entries) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.uint32]]:
        """Sprite pixels of every colour and entry: lanes and words, ``colour * size + entry``."""
        hit = self._sprites.get(id(part))
        if hit is not None and hit[0] is part:
            return hit[1], hit[2]
        lanes = self.fill[:, None] * part.w_fill[None, :]
        if self.rim is not None:
            lanes += self.rim[:, None] * part.w_rim[None, :]
        lanes = lanes.reshape(-1)
        _div255(lanes, np.empty_like(lanes))
        words = np.empty(len(lanes), dtype=np.uint32)
        _to_words(lanes, words)
        self._sprites[id(part)] = (part, lanes, words)
        return lanes, words
