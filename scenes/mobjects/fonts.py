"""The fonts text can be drawn in here, and a theme file's fonts checked against them.

Pango draws a font it cannot find in another (fontconfig's nearest), silently: a theme
naming "Comic Sans MS" on a machine without it would render in DejaVu Sans. A theme file
is therefore loaded through :func:`load_checked_theme` wherever a render starts.
"""

from __future__ import annotations

import difflib
from pathlib import Path

from scenes.core.theme import FONT_KEYS, Theme, load_theme, package_theme
from scenes.errors import RenderError

__all__ = ["installed_fonts", "load_checked_theme"]

#: How many installed fonts a refusal lists (a desktop has hundreds).
_FONTS_SHOWN = 8


def installed_fonts() -> list[str]:
    """The font families text can be drawn in here, sorted: the system's, as Pango sees
    them (``manimpango.list_fonts()``, with fontconfig's aliases such as ``Sans``). nnwarp
    ships no font files of its own (its theme names DejaVu Sans, which ``make`` installs)."""
    import manimpango

    return sorted(set(manimpango.list_fonts()), key=str.casefold)


def load_checked_theme(path: str | Path) -> Theme:
    """:func:`~scenes.core.theme.load_theme`, and each font the file names instead of
    nnwarp's own must be installed.

    nnwarp's own fonts (DejaVu Sans and Sans Mono) are not checked: where they are missing,
    Pango's nearest font still draws every caption, which is better than refusing every
    render.

    Raises
    ------
    RenderError
        Naming the file, the key and the font, the close installed one if any, and a few
        installed fonts.
    """
    loaded, own = load_theme(path), package_theme()
    for key in FONT_KEYS:
        name = str(getattr(loaded, key))
        if name != getattr(own, key):
            _check_font(Path(path), key, name)
    return loaded


def _check_font(path: Path, key: str, name: str) -> None:
    """Refuse the font ``name`` of the theme file ``path`` unless it is installed (names
    match whatever their case, as fontconfig matches them)."""
    fonts = installed_fonts()
    if name.strip().casefold() in {f.casefold() for f in fonts}:
        return
    close = difflib.get_close_matches(name, fonts, n=1, cutoff=0.6)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    count = _FONTS_SHOWN // 2 if close else _FONTS_SHOWN  # the line stays short
    listing = ", ".join(fonts[:count]) or "none found"
    if len(fonts) > count:
        listing += f" and {len(fonts) - count} more"
    raise RenderError(
        f"theme {path}: {key} {name!r} is not installed{hint}, so Pango would silently draw "
        f"another font; install it, or name an installed one ({listing})"
    )
