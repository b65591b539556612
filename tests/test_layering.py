"""The one-way layering, read statically from every module's imports."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: nnmodel's modules that train (torch); scenes reach them only through the CLI.
TRAINING = (
    *("nnmodel.pipeline", "nnmodel.train", "nnmodel.model", "nnmodel.export"),
    *("nnmodel.recorder", "nnmodel.usermodel", "torch"),
)
#: The package of the ``nnwarp`` command: the only files of ``scenes/`` that may train.
CLI = ROOT / "scenes" / "cli"


def imports(path: Path) -> set[str]:
    """Every module ``path`` imports, anywhere in it (lazy imports inside functions too)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def modules(package: str) -> list[Path]:
    return sorted((ROOT / package.replace(".", "/")).rglob("*.py"))


def _hits(path: Path, prefixes: tuple[str, ...]) -> list[str]:
    return sorted(m for m in imports(path) if m.startswith(prefixes))


@pytest.mark.parametrize("path", modules("nnmodel"), ids=lambda p: p.name)
def test_nnmodel_never_imports_scenes_or_manim(path: Path) -> None:
    assert _hits(path, ("scenes", "manim")) == []


@pytest.mark.parametrize(
    "path", [p for p in modules("scenes") if p.parent != CLI], ids=lambda p: str(p)
)
def test_only_the_cli_reaches_training(path: Path) -> None:
    assert _hits(path, TRAINING) == []


@pytest.mark.parametrize(
    "path",
    [*modules("scenes.core"), *modules("scenes.narration"), *modules("scenes.voice")],
    ids=lambda p: p.name,
)
def test_core_and_narration_are_pure(path: Path) -> None:
    assert _hits(path, ("manim", "torch", "cairo", "av")) == []
    assert _hits(path, ("scenes.draw", "scenes.mobjects", "scenes.render", "scenes.warp")) == []


def test_the_checker_sees_lazy_imports(tmp_path: Path) -> None:
    probe = tmp_path / "probe.py"
    probe.write_text("def f():\n    from nnmodel import pipeline\n    import torch\n")
    assert _hits(probe, TRAINING) == ["nnmodel.pipeline", "torch"]
