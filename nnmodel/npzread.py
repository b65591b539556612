"""Careful reading of a trajectory's archive: its ``.npy`` members and manifest (numpy only).

Nothing here trusts the file. Every ``.npy`` member's header is checked against its size
before its data is read (no pickles, no huge allocations from a forged header), and the
manifest is decoded as far as its format and schema version; :mod:`nnmodel.validation`
checks the rest, by version. Each refusal is one :class:`~nnmodel.errors.TrajectoryError`
line naming the file, what is wrong and how to fix it. :func:`nnmodel.trajectory.load`
is the public entry point.
"""

from __future__ import annotations

import json
import math
import tokenize
import zipfile
import zlib
from pathlib import Path
from typing import Any

import numpy as np

from nnmodel import schema as S
from nnmodel.errors import TrajectoryError
from nnmodel.schema import Key

__all__ = [
    "CORRUPT_HINT",
    "HINT",
    "Corrupt",
    "describe",
    "is_int",
    "read_arrays",
    "read_manifest_json",
]

HINT = "re-create it with `nnwarp train -o FILE`"
CORRUPT_HINT = f"the file is corrupt or was not written by nnwarp; {HINT}"
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")  # a zip's first record, or an empty zip
_NPY_MAGIC = b"\x93NUMPY"
#: What reading a damaged archive can raise: zipfile and zlib on broken records, numpy's
#: header parser (ast, tokenize) on a mangled ``.npy`` header, the OS on an odd seek.
_UNREADABLE = (
    zipfile.BadZipFile,
    EOFError,
    OSError,
    ValueError,
    NotImplementedError,
    RuntimeError,
    SyntaxError,
    tokenize.TokenError,
    zlib.error,
    MemoryError,
)


class Corrupt(Exception):
    """A consistency check failed; the message says what is wrong (no file, no fix)."""


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


def describe(value: Any) -> str:
    """``value`` as JSON would show it, cut to a readable length."""
    try:
        text = json.dumps(value, allow_nan=True)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


# ----------------------------------------------------------------------------- the archive


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> np.ndarray:
    """One ``.npy`` member, its header checked against its size before any data is read."""
    if info.flag_bits & 0x1:
        raise ValueError(f"{info.filename} is encrypted")
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise ValueError(f"{info.filename} uses an unsupported compression method")
    with zf.open(info) as fh:
        version = np.lib.format.read_magic(fh)
        if version == (1, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_1_0(fh)
        elif version == (2, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_2_0(fh)
        else:
            raise ValueError(f"{info.filename} has .npy format version {version}")
        if dtype.hasobject:
            raise Corrupt(f"array {info.filename[:-4]} holds Python objects (pickles)")
        nbytes = math.prod(shape) * dtype.itemsize
        if info.file_size - fh.tell() != nbytes:
            raise ValueError(f"{info.filename} does not hold the {nbytes} bytes its header says")
        data = fh.read(nbytes)  # zipfile checks the CRC-32 on reaching the end
        if len(data) != nbytes:
            raise EOFError(f"{info.filename} ends early")
    flat: np.ndarray = np.frombuffer(bytearray(data), dtype=dtype)
    return flat.reshape(tuple(shape), order="F" if fortran else "C")


def read_arrays(path: Path) -> dict[str, np.ndarray]:
    """Every array of the ``.npz`` at ``path``; TrajectoryError if it is not a readable one."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(6)
    except OSError as exc:
        raise TrajectoryError(
            f"{path}: cannot read the file ({exc.strerror}); check that it is readable"
        ) from None
    if not head:
        raise TrajectoryError(f"{path} is empty (0 bytes), not an nnwarp trajectory; {HINT}")
    if head[:4] not in _ZIP_MAGIC:
        npy = "holds a single numpy array (.npy), " if head == _NPY_MAGIC else "is "
        made = "make one with `nnwarp train -o FILE`"
        if path.suffix.lower() == ".csv":
            made += f" (add `-d {path}` to train on this data)"
        raise TrajectoryError(
            f"{path} is not a readable trajectory file: it {npy}not an .npz archive, so it is "
            f"not an nnwarp trajectory; {made}"
        )
    arrays: dict[str, np.ndarray] = {}
    try:
        with zipfile.ZipFile(path) as zf:
            for info in zf.infolist():
                if info.filename.endswith(".npy"):
                    arrays[info.filename[:-4]] = _read_member(zf, info)
    except Corrupt as exc:
        raise TrajectoryError(f"{path}: {exc}: {CORRUPT_HINT}") from None
    except _UNREADABLE as exc:
        raise TrajectoryError(
            f"{path} is not a readable trajectory file (truncated or corrupt: "
            f"{_one_line(exc)}); {HINT}"
        ) from None
    return arrays


def read_manifest_json(path: Path, arrays: dict[str, np.ndarray]) -> dict[str, Any]:
    """The manifest (popped from ``arrays``): decoded, its format and version a whole number."""
    if S.MANIFEST not in arrays:
        raise TrajectoryError(f"{path} has no manifest: it is not an nnwarp trajectory ({HINT})")
    raw = arrays.pop(S.MANIFEST)
    try:
        if raw.dtype != np.uint8 or raw.ndim != 1:
            raise ValueError("not bytes")
        manifest = json.loads(raw.tobytes().decode("utf-8"))
    except (ValueError, RecursionError):  # UnicodeDecodeError and JSONDecodeError included
        raise TrajectoryError(f"{path} has an unreadable manifest ({HINT})") from None
    if not isinstance(manifest, dict) or manifest.get(Key.FORMAT) != S.FORMAT:
        raise TrajectoryError(f"{path} is not an nnwarp trajectory file ({HINT})")
    if Key.SCHEMA_VERSION not in manifest:
        raise TrajectoryError(f"{path} manifest lacks schema_version ({HINT})")
    version = manifest[Key.SCHEMA_VERSION]
    if not is_int(version):
        raise TrajectoryError(
            f"{path}: the manifest's schema_version is {describe(version)}, not a whole number: "
            f"{CORRUPT_HINT}"
        )
    return manifest
