"""TOML text for one value (messages, the starter): the inverse of what :mod:`tomllib` reads.

>>> value_text("moons"), value_text([3, 2]), value_text(True), value_text(0.001)
('"moons"', '[3, 2]', 'true', '0.001')
>>> value_text('say "hi"')
'"say \\\\"hi\\\\""'
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

__all__ = ["key_text", "value_text"]


def key_text(key: str) -> str:
    """A key, bare when TOML allows it, else quoted.

    >>> key_text("batch_size"), key_text("a b")
    ('batch_size', '"a b"')
    """
    return key if key and re.fullmatch(r"[A-Za-z0-9_-]+", key) else value_text(key)


def value_text(value: Any) -> str:
    """``value`` (text, number, boolean, list or table) written as TOML."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        # JSON's escapes are TOML's; TOML also wants DEL escaped
        return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(value_text(v) for v in value) + "]"
    if isinstance(value, dict):
        pairs = ", ".join(f"{key_text(k)} = {value_text(v)}" for k, v in value.items())
        return "{ " + pairs + " }"
    raise TypeError(f"TOML has no value for {value!r}")
