"""A theme's fonts are checked: a font that is not installed is refused before training.

Pango draws a font it cannot find in another (the fontconfig default), silently: a theme
naming "Comic Sans MS" on a machine without it rendered in DejaVu Sans, and a misspelt
mono font went unnoticed.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from scenes.core.theme import load_theme
from scenes.errors import RenderError
from scenes.mobjects.fonts import installed_fonts, load_checked_theme

GOLDEN = Path(__file__).parents[1] / "data" / "golden.npz"


def theme_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "mine.json"
    path.write_text(text)
    return path


def test_the_installed_fonts_are_pangos_and_include_nnwarps_own() -> None:
    import manimpango

    fonts = installed_fonts()
    assert set(fonts) == set(manimpango.list_fonts())
    assert fonts == sorted(fonts, key=str.casefold)
    assert "DejaVu Sans" in fonts and "DejaVu Sans Mono" in fonts  # nnwarp's theme's


def test_a_font_that_is_not_installed_is_refused_listing_the_installed_ones(
    tmp_path: Path,
) -> None:
    path = theme_file(tmp_path, '{"font": "No Such Font 123"}')
    with pytest.raises(RenderError) as refused:
        load_checked_theme(path)
    fonts = installed_fonts()
    shown = ", ".join(fonts[:8]) + (f" and {len(fonts) - 8} more" if len(fonts) > 8 else "")
    assert str(refused.value) == (
        f"theme {path}: font 'No Such Font 123' is not installed, so Pango would silently "
        f"draw another font; install it, or name an installed one ({shown})"
    )


def test_a_misspelt_font_names_the_close_one(tmp_path: Path) -> None:
    path = theme_file(tmp_path, '{"mono_font": "DejaVu Sans Mon"}')
    with pytest.raises(RenderError, match=r"mono_font 'DejaVu Sans Mon' is not installed \(did "):
        load_checked_theme(path)


def test_installed_fonts_are_taken_as_fontconfig_matches_them(tmp_path: Path) -> None:
    """Family names match whatever their case (fontconfig's rule: 'dejavu serif' draws
    DejaVu Serif), and fontconfig's aliases are fonts too."""
    path = theme_file(tmp_path, '{"font": "dejavu serif", "mono_font": "Monospace"}')
    theme = load_checked_theme(path)
    assert (theme.font, theme.mono_font) == ("dejavu serif", "Monospace")


def test_nnwarps_own_fonts_are_not_checked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """nnwarp's own fonts (DejaVu) are left to fontconfig: where they are missing, Pango's
    nearest font still draws every caption, which beats refusing every render."""
    from scenes.mobjects import fonts

    monkeypatch.setattr(fonts, "installed_fonts", lambda: [])
    assert load_checked_theme(theme_file(tmp_path, '{"background": "#FFFFFF"}')).font == (
        "DejaVu Sans"
    )
    assert load_checked_theme(theme_file(tmp_path, '{"font": "DejaVu Sans"}'))
    with pytest.raises(RenderError, match=r"install it, or name an installed one \(none found\)"):
        load_checked_theme(theme_file(tmp_path, '{"font": "Fira Sans"}'))


def test_loading_a_theme_checks_no_fonts_in_the_pure_core(tmp_path: Path) -> None:
    """scenes.core stays free of Pango: its loader reads keys and colours only."""
    assert load_theme(theme_file(tmp_path, '{"font": "No Such Font 123"}')).font == (
        "No Such Font 123"
    )


def test_a_theme_font_that_is_not_installed_is_refused_before_training(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from nnmodel import pipeline
    from scenes.cli import main

    class Trained(BaseException):
        pass

    def spy(*args: object, **kwargs: object) -> None:
        raise Trained

    monkeypatch.setattr(pipeline, "train", spy)
    path = theme_file(tmp_path, '{"font": "Comic Sans MS"}')
    media = tmp_path / "media"
    args = ["render", "warp", "--samples", "40", "--epochs", "3", "-r", "64,36", "--fps", "2"]
    args += ["--voice", "none", "--media-dir", str(media), "--theme", str(path)]
    result = CliRunner().invoke(main, [*args, "-o", str(tmp_path / "v.mp4")])
    assert not isinstance(result.exception, Trained), result.output
    assert result.exit_code == 2
    (line,) = [x for x in result.output.splitlines() if x.startswith("Error:")]
    assert f"theme {path}: font 'Comic Sans MS' is not installed" in line
    assert not media.exists()
    # and from a trained file, before drawing
    result = CliRunner().invoke(
        main, ["render", "warp", "--trajectory", str(GOLDEN), "--theme", str(path), "-s"]
    )
    assert result.exit_code == 2 and "'Comic Sans MS' is not installed" in result.output
