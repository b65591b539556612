"""Load a dataset from a CSV file with columns x, y and label."""

from __future__ import annotations

import csv
import difflib
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from nnmodel.datasets.common import (
    _F32_MAX,
    _check_file,
    _classes_from_strings,
    _finish,
    _too_many,
)
from nnmodel.datasets.dataset import MAX_POINTS, Dataset
from nnmodel.errors import DataError

__all__ = [
    "load_csv",
]

_CSV_EXPECTED = "expected a header line x,y,label followed by one row per point"


def _number(text: str, where: str, line: int, column: str) -> float:
    value = text.strip()
    if not value:
        raise DataError(
            f"{where}, line {line}, column '{column}': the value is empty; "
            "every row needs a number here"
        )
    try:
        number = float(value)
    except ValueError:
        raise DataError(
            f"{where}, line {line}, column '{column}': '{value}' is not a number; "
            "fix or remove that row"
        ) from None
    if not math.isfinite(number):
        raise DataError(
            f"{where}, line {line}, column '{column}': '{value}' is not a finite number "
            "(NaN and infinity are not allowed); fix or remove that row"
        )
    if abs(number) > _F32_MAX:
        raise DataError(
            f"{where}, line {line}, column '{column}': '{value}' is too large for float32 "
            "(limit about 3.4e38); rescale the data"
        )
    return number


def load_csv(path: str | Path, columns: Sequence[str] | None = None) -> Dataset:
    """Load a dataset from a CSV file with columns ``x``, ``y`` and ``label``.

    The first non-blank line is the header. Column names are matched case-insensitively
    after trimming whitespace, in any order; other columns are ignored. ``columns`` picks
    other columns: two features and the label, each by name or by position (from 0),
    as ``nnwarp --columns alcohol,proline,cultivar`` does. Blank lines are
    skipped. ``x`` and ``y`` must be finite numbers. Labels may be integers (sorted
    numerically; ``"1.0"`` counts as ``1``) or strings (sorted lexicographically); the
    sorted distinct labels become ``class_names`` (as strings) and ``y`` indexes them.

    Parameters
    ----------
    path : str or pathlib.Path
        A UTF-8 text file, comma-separated.
    columns : sequence of 3 str, optional
        The first feature, the second feature and the label column, each a header name or
        a position counted from 0 (default ``("x", "y", "label")``).

    Returns
    -------
    Dataset
        Named after the file (``"data.csv"``), with the columns' names as written in the
        header (``feature_names``, ``label_name``).

    Raises
    ------
    DataError
        Naming the file, line and column: missing file, empty file, missing or repeated
        columns (listing the columns the header has), a
        row with the wrong number of fields, a non-numeric, NaN or infinite coordinate,
        an empty label, fewer than 2 classes, a class with fewer than 2 points, or more
        than :data:`MAX_POINTS` points.

    Examples
    --------
    Given ``pets.csv``::

        x,y,label
        0.1,0.2,cat
        ...

    >>> ds = load_csv("pets.csv")  # doctest: +SKIP
    >>> ds.class_names  # doctest: +SKIP
    ('cat', 'dog')
    """
    p, where = _check_file(path, _CSV_EXPECTED)
    xs: list[float] = []
    ys: list[float] = []
    labels: list[str] = []
    header: list[str] | None = None
    cols = (0, 0, 0)
    names = ("x", "y", "label")
    n_rows = 0
    line = 0
    reader: Any = None
    try:
        with p.open(newline="", encoding="utf-8-sig") as fh:
            reader = csv.reader(fh)
            for row in reader:
                line = reader.line_num
                if not any(field.strip() for field in row):
                    continue
                if header is None:
                    header = row
                    cols, names = _header_columns(row, where, line, columns)
                    continue
                n_rows += 1
                if n_rows > MAX_POINTS:
                    continue  # keep counting to report the size
                if len(row) != len(header):
                    raise DataError(
                        f"{where}, line {line}: expected {len(header)} fields like the "
                        f"header but found {len(row)}; fix or remove that row"
                    )
                xs.append(_number(row[cols[0]], where, line, names[0]))
                ys.append(_number(row[cols[1]], where, line, names[1]))
                label = row[cols[2]].strip()
                if not label:
                    raise DataError(
                        f"{where}, line {line}, column '{names[2]}': the label is empty; "
                        "every row needs a class label"
                    )
                labels.append(label)
    except UnicodeDecodeError:
        raise DataError(
            f"{where}{_bad_utf8_line(p)}: the file is not UTF-8 text; save it as UTF-8 CSV"
        ) from None
    except csv.Error as exc:
        at = f", line {reader.line_num}" if reader is not None else ""
        raise DataError(f"{where}{at}: not valid CSV ({exc}); fix that line") from None
    except OSError as exc:
        raise DataError(f"{where}: cannot read the file ({exc.strerror})") from None
    if header is None:
        raise DataError(f"{where} is empty; {_CSV_EXPECTED}")
    if n_rows > MAX_POINTS:
        raise _too_many(where, n_rows)
    if n_rows == 0:
        raise DataError(f"{where} has a header but no data rows; add one row per point")
    class_names, y = _classes_from_strings(labels)
    X = np.column_stack([np.asarray(xs, dtype=np.float64), np.asarray(ys, dtype=np.float64)])
    return _finish(
        where,
        p.name,
        X,
        y,
        class_names,
        f"column '{names[2]}'",
        feature_names=(names[0], names[1]),
        label_name=names[2],
    )


def _bad_utf8_line(p: Path) -> str:
    """``", line N"`` for the first line of ``p`` that is not valid UTF-8, else ``""``."""
    try:
        raw = p.read_bytes()
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        return f", line {line}"
    except OSError:
        pass
    return ""


def _header_columns(
    header: list[str], where: str, line: int, columns: Sequence[str] | None = None
) -> tuple[tuple[int, int, int], tuple[str, str, str]]:
    """Find the two feature columns and the label column; return indices and names."""
    if columns is not None:
        return _chosen_columns(header, where, line, columns)
    wanted = ("x", "y", "label")
    found: dict[str, int] = {}
    for i, raw in enumerate(header):
        key = raw.strip().lower()
        if key in wanted:
            if key in found:
                raise DataError(
                    f"{where}, line {line}: the header has column '{key}' twice; "
                    "rename or remove one of them"
                )
            found[key] = i
    missing = [w for w in wanted if w not in found]
    if missing:
        listed = ", ".join(f"'{m}'" for m in missing)
        shown = ",".join(h.strip() for h in header)
        hint = ""
        if len(header) == 1 and any(sep in header[0] for sep in (";", "\t", "|")):
            hint = " (the file must be comma-separated)"
        elif all(_is_float(h) for h in header):
            hint = " (the first line must be a header)"
        elif len(header) >= 3:
            hint = " (or pick two feature columns and the label with --columns A,B,LABEL)"
        raise DataError(
            f"{where}, line {line}: missing column{'s' if len(missing) > 1 else ''} "
            f"{listed}{hint}; expected a header like x,y,label but found: {shown}"
        )
    cols = (found["x"], found["y"], found["label"])
    names = (header[cols[0]].strip(), header[cols[1]].strip(), header[cols[2]].strip())
    return cols, names


def _chosen_columns(
    header: list[str], where: str, line: int, columns: Sequence[str]
) -> tuple[tuple[int, int, int], tuple[str, str, str]]:
    """Resolve ``--columns`` (names first, then positions from 0) against ``header``."""
    names = [h.strip() for h in header]
    keys = [n.lower() for n in names]
    shown = ", ".join(names)
    picked: list[int] = []
    for spec in columns:
        key = spec.strip().lower()
        hits = [i for i, k in enumerate(keys) if k == key]
        if len(hits) > 1:
            raise DataError(
                f"{where}, line {line}: the header has column '{spec.strip()}' "
                f"{len(hits)} times, so --columns cannot tell which one; rename one of them"
            )
        if hits:
            picked.append(hits[0])
            continue
        if key.isdigit():
            pos = int(key)
            if pos >= len(names):
                raise DataError(
                    f"{where}: --columns position {pos} is past the last column (the file "
                    f"has {len(names)}, positions 0 to {len(names) - 1}); its columns are: "
                    f"{shown}"
                )
            picked.append(pos)
            continue
        close = difflib.get_close_matches(key, keys, n=1)
        hint = f" (did you mean '{names[keys.index(close[0])]}'?)" if close else ""
        raise DataError(
            f"{where}, line {line}: no column '{spec.strip()}'{hint}; the columns are: {shown}"
        )
    for j, i in enumerate(picked):
        if i in picked[:j]:
            raise DataError(
                f"{where}: --columns names column '{names[i]}' twice; give two different "
                "feature columns and then the label column"
            )
    cols = (picked[0], picked[1], picked[2])
    return cols, (names[cols[0]], names[cols[1]], names[cols[2]])


def _is_float(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
